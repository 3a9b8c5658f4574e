"""Citations as a writer pastes them: plain text, Markdown, HTML or RTF, with curly quotes.

Citation strings carry Markdown italics (`*Red Flag*`) and straight quotes. Word processors
keep what they are given, so what is pasted should already be typeset: curly quotes and
apostrophes, and real italics (`<i>` in HTML, `{\\i ...}` in RTF), which Word, LibreOffice and
Google Docs keep on paste. URLs are left exactly as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .cite import Citation, unmark

PASTE_FORMATS = ("text", "markdown", "html", "rtf")
_URL = re.compile(r"https?://\S+?(?=[.,;)]?(?:\s|$))")
_ITALIC = re.compile(r"(?<!\\)\*((?:\\.|[^*\\])+)\*")


def curly(text: str) -> str:
    """Return text with straight quotes and apostrophes made typographic; URLs untouched.

    >>> print(curly('Narai, "The struggle against Stalinism," Lenin\\'s \\'last\\' fight'))
    Narai, “The struggle against Stalinism,” Lenin’s ‘last’ fight
    """
    pieces: list[str] = []
    cursor = 0
    for url in _URL.finditer(text):
        pieces.append(_curly_words(text[cursor:url.start()], pieces))
        pieces.append(url.group())
        cursor = url.end()
    pieces.append(_curly_words(text[cursor:], pieces))
    return "".join(pieces)


def _curly_words(text: str, before: list[str]) -> str:
    previous = before[-1][-1:] if before and before[-1] else ""
    out = []
    for char in text:
        opening = not previous or previous.isspace() or previous in "([{—–/‘“"
        if char == '"':
            char = "“" if opening else "”"
        elif char == "'":
            char = "‘" if opening else "’"
        out.append(char)
        previous = char
    return "".join(out)


def as_format(text: str, fmt: str) -> str:
    """Return one citation string (Markdown italics) in a paste format.

    >>> as_format('Narai, R. (2022). The struggle. *Red Flag*.', "html")
    'Narai, R. (2022). The struggle. <i>Red Flag</i>.'
    >>> as_format('"Title," *Red Flag*', "rtf")
    '\\\\u8220?Title,\\\\u8221? {\\\\i Red Flag}'
    """
    if fmt == "text":
        return curly(unmark(text))
    if fmt == "markdown":
        return curly(text)
    if fmt == "html":
        return _html(text)
    if fmt == "rtf":
        return _rtf(text)
    raise ValueError(f"unknown paste format {fmt!r}")


def _html(text: str) -> str:
    pieces, cursor = [], 0
    for match in _ITALIC.finditer(text):
        pieces.append(_html_plain(text[cursor:match.start()]))
        pieces.append(f"<i>{_html_plain(match.group(1))}</i>")
        cursor = match.end()
    pieces.append(_html_plain(text[cursor:]))
    return "".join(pieces)


def _html_plain(text: str) -> str:
    """Escaped, typeset text with each URL a link."""
    text = curly(re.sub(r"\\([\\*])", r"\1", text))
    pieces, cursor = [], 0
    for url in _URL.finditer(text):
        pieces.append(html.escape(text[cursor:url.start()], quote=False))
        address = html.escape(url.group())
        pieces.append(f'<a href="{address}">{address}</a>')
        cursor = url.end()
    pieces.append(html.escape(text[cursor:], quote=False))
    return "".join(pieces)


def _rtf(text: str) -> str:
    pieces, cursor = [], 0
    for match in _ITALIC.finditer(text):
        pieces.append(_rtf_plain(text[cursor:match.start()]))
        pieces.append("{\\i " + _rtf_plain(match.group(1)) + "}")
        cursor = match.end()
    pieces.append(_rtf_plain(text[cursor:]))
    return "".join(pieces)


def _rtf_plain(text: str) -> str:
    text = curly(re.sub(r"\\([\\*])", r"\1", text))
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif ord(char) > 127:  # RTF 1.5: \uN with a ? for readers without Unicode
            code = ord(char)
            out.append(f"\\u{code - 65536 if code > 32767 else code}?")
        else:
            out.append(char)
    return "".join(out)


def citation_parts(citation: Citation) -> list[tuple[str, str]]:
    """Return the labelled strings of a citation a writer pastes: in text, short note, reference."""
    if citation.style == "plain":
        return [("citation", citation.in_text), ("reference", citation.reference)]
    first = "note" if citation.style == "chicago" else "in text"
    parts = [(first, citation.in_text), ("short note", citation.short_note),
             ("reference", citation.reference)]
    return [(label, text) for label, text in parts if text]


def document(entries: Iterable[tuple[str, str]], fmt: str) -> str:
    """Return labelled citation strings as one pasteable document in a format.

    HTML gives a fragment of paragraphs (what a browser puts on the clipboard); RTF gives a
    whole document, as a word processor opens or pastes it.
    """
    entries = list(entries)
    if fmt == "html":
        return "\n".join(f'<p class="{html.escape(label.replace(" ", "-"))}">{as_format(text, fmt)}</p>'
                         for label, text in entries)
    if fmt == "rtf":
        body = "\\par\n".join(as_format(text, fmt) for _, text in entries)
        return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24\n" + body + "\\par\n}"
    return "\n".join(as_format(text, fmt) for _, text in entries)


def reference_document(references: Iterable[str], fmt: str) -> str:
    """Return reference-list entries (Markdown italics), alphabetised, as a document to paste.

    >>> print(reference_document(["Narai, R. (2022). *Red Flag*.", "Belano, R. (n.d.)."], "html"))
    <p class="reference">Belano, R. (n.d.).</p>
    <p class="reference">Narai, R. (2022). <i>Red Flag</i>.</p>
    """
    ordered = sorted(dict.fromkeys(references), key=lambda entry: unmark(entry).casefold())
    return document((("reference", entry) for entry in ordered), fmt)
