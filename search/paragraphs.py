"""Splitting an article's text into raw blocks: runs of non-blank lines, list items and
Markdown '#' headings, with their character and line spans; paragraphs broken mid-sentence by
a stray blank line are joined again. `layout.classify` then says what each block is.
"""

from __future__ import annotations

import re
from functools import cached_property

from .frozen import frozen_dataclass
from .quotemarks import BLOCK_QUOTE_LINE

ATX_HEADING = re.compile(r"^\s*#{1,6}\s+(?=\S)")
LIST_MARKER = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25e6\u2023*\-\u2013]|\d{1,3}[.)])\s+")
FOOTNOTE = re.compile(r"^(?:\d{1,3}|\[\d{1,3}\]|\*{1,3})\s+\S")
TERMINAL = ".!?:;\"'\u201d\u2019)]\u2026"


@frozen_dataclass
class RawBlock:
    """A run of non-blank lines (or one list item) before classification."""

    lines: tuple[str, ...]
    start: int
    end: int
    line_start: int
    line_end: int
    markup: str = ""  # "heading" for a Markdown '#' line, "quote" for '>' lines, else ""

    @cached_property  # classifying an article reads it a dozen times
    def text(self) -> str:
        """The block's words with whitespace runs collapsed."""
        return " ".join(" ".join(self.lines).split())


def split_blocks(text: str) -> list[RawBlock]:
    """Return the blocks of text: runs of non-blank lines, list items split, breaks repaired."""
    blocks: list[RawBlock] = []
    run: list[tuple[int, int, str]] = []  # (line number, start offset, line)
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            run.append((number, offset, line))
        elif run:
            blocks.extend(_split_run(run))
            run = []
        offset += len(line) + 1
    if run:
        blocks.extend(_split_run(run))
    return _join_broken(blocks)


def _split_run(run: list[tuple[int, int, str]]) -> list[RawBlock]:
    """Split a run of lines at list items, at each note of a list of notes and around '#' lines."""
    lines = [line for _, _, line in run]
    is_list = sum(bool(LIST_MARKER.match(line)) for line in lines) >= 2
    is_notes = bool(FOOTNOTE.match(lines[0].strip())) and sum(
        bool(FOOTNOTE.match(line.strip())) for line in lines) >= 2
    groups: list[list[tuple[int, int, str]]] = []
    for item in run:
        line = item[2]
        if (not groups or ATX_HEADING.match(line) or ATX_HEADING.match(groups[-1][0][2])
                or (is_list and LIST_MARKER.match(line))
                or (is_notes and FOOTNOTE.match(line.strip()))):
            groups.append([item])
        else:
            groups[-1].append(item)
    return [_raw(group) for group in groups]


def _raw(group: list[tuple[int, int, str]]) -> RawBlock:
    first, last = group[0], group[-1]
    if heading := ATX_HEADING.match(first[2]):
        return _raw_heading(first, heading.end())
    lead = len(first[2]) - len(first[2].lstrip())
    markup = "quote" if all(BLOCK_QUOTE_LINE.match(line) for _, _, line in group) else ""
    return RawBlock(tuple(line.strip() for _, _, line in group), first[1] + lead,
                    last[1] + len(last[2].rstrip()), first[0], last[0], markup)


def _raw_heading(item: tuple[int, int, str], marks_end: int) -> RawBlock:
    """A Markdown heading's block starts after its '#' marks (and ends before closing ones).

    The marks are markup, not words: leaving them out of the span keeps them out of the
    title and section names while `text` stays the source span with whitespace collapsed.
    """
    number, offset, line = item
    words = re.sub(r"\s+#+$", "", line[marks_end:].rstrip())
    start = offset + marks_end
    return RawBlock((words,), start, start + len(words), number, number, "heading")


def _join_broken(blocks: list[RawBlock]) -> list[RawBlock]:
    """Join a paragraph broken mid-sentence by a stray blank line into one block."""
    joined: list[RawBlock] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if previous and _continues(previous, block):
            joined[-1] = RawBlock(previous.lines + block.lines, previous.start, block.end,
                                  previous.line_start, block.line_end, previous.markup)
        else:
            joined.append(block)
    return joined


def _continues(previous: RawBlock, block: RawBlock) -> bool:
    tail = previous.text.rstrip()
    return (previous.markup != "heading" and len(tail.split()) >= 20 and tail[-1] not in TERMINAL
            and block.text[:1].islower() and not LIST_MARKER.match(block.lines[0]))
