"""Put a citation on the desktop clipboard with the system's own clipboard tool.

Word processors paste HTML with its italics; editors and terminals paste plain text. The
command-line clipboard tools offer one type per call, so where the tool can label its data
(wl-copy on Wayland, xclip on X11) the HTML goes on the clipboard as text/html, which word
processors and browsers paste with italics and curly quotes; elsewhere (xsel, pbcopy, clip.exe)
the plain text does. No tool, no display: `ClipboardUnavailable` says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping

from .errors import SearchError


class ClipboardUnavailable(SearchError):
    """No clipboard tool could be used here."""


def _tools(env: Mapping[str, str]) -> list[tuple[str, list[str], list[str] | None]]:
    """(name, command for plain text, command for HTML or None) in the order to try them."""
    tools: list[tuple[str, list[str], list[str] | None]] = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(("wl-copy", ["wl-copy"], ["wl-copy", "--type", "text/html"]))
    if env.get("DISPLAY"):
        tools.append(("xclip", ["xclip", "-selection", "clipboard"],
                      ["xclip", "-selection", "clipboard", "-t", "text/html"]))
        tools.append(("xsel", ["xsel", "--clipboard", "--input"], None))
    if sys.platform == "darwin":
        tools.append(("pbcopy", ["pbcopy"], None))
    tools.append(("clip.exe", ["clip.exe"], None))  # Windows and WSL
    return tools


def copy(text: str, html: str = "", env: Mapping[str, str] | None = None) -> str:
    """Copy html (where the tool can label it) or else text; return a sentence saying which.

    Raises ClipboardUnavailable when no clipboard tool is installed or no display is open.
    """
    env = os.environ if env is None else env
    for name, plain_command, html_command in _tools(env):
        if shutil.which(plain_command[0]) is None:
            continue
        command, data, kind = ((html_command, html, "HTML") if html and html_command
                               else (plain_command, text, "plain text"))
        try:
            subprocess.run(command, input=data.encode("utf-8"), check=True, timeout=5,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            continue
        return f"Copied to the clipboard as {kind} ({name})."
    raise ClipboardUnavailable(
        "No clipboard here: install wl-clipboard (Wayland), xclip or xsel (X11), or run on a "
        "desktop with pbcopy or clip.exe; the citation is printed instead.")
