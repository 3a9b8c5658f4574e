"""Repair mojibake (UTF-8 read as Windows-1252: "â€™" for "’") with ftfy, only where it shows.

ftfy is the maintained tool for this and knows the many ways text gets double-decoded; it
costs a few milliseconds a page, so a cheap check runs first and clean text pays nothing.
Only the encoding is fixed: quotes, dashes, ligatures and line breaks are left as printed,
since a quotation is checked against the source's own typography. ftfy fixes line by line,
so a repaired text keeps its line count and a block's lines still match the file.
"""

from __future__ import annotations

import re

# A UTF-8 lead byte read as Latin-1/cp1252 ("Ã", "Â", "â", "Ð"...) followed by a character that
# a continuation byte becomes: the mark of double-decoded text. Clean prose almost never has it.
SUSPECT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161"
                     "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2122]")


def is_suspect(text: str) -> bool:
    """True when text shows a sign of mojibake.

    >>> is_suspect("workersâ€™ state"), is_suspect("workers’ state"), is_suspect("Café")
    (True, False, False)
    """
    return SUSPECT.search(text) is not None


def repair(text: str) -> str:
    """Return text with mojibake undone (unchanged unless `is_suspect`).

    >>> repair("the workersâ€™ state â€” Trotsky")
    'the workers’ state — Trotsky'
    """
    if not is_suspect(text):
        return text
    import ftfy

    config = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False,
                                  fix_latin_ligatures=False, fix_character_width=False,
                                  uncurl_quotes=False, fix_line_breaks=False,
                                  remove_control_chars=False, normalization=None, explain=False)
    return ftfy.fix_text(text, config)
