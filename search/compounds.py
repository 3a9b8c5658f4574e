"""Words that count as one in a word difference: hyphenated compounds ("NEP-men",
"21st-century"), numbers with separators ("1,000") and (parenthesised) or [bracketed] asides.

A difference inside one of them is reported on the whole of it, so a writer reads "NEP-men" →
"NEP-people", not "men" → "people".
"""

from __future__ import annotations

from .quotation import Token

MAX_ASIDE_WORDS = 12  # a parenthesised aside longer than this is not one "word"


def widen(part: list[Token], source: list[Token], src_start: int, src_end: int,
          dest_start: int, dest_end: int) -> tuple[int, int, int, int]:
    """The (quote start, quote end, source start, source end) of a difference widened to the
    compounds and asides it touches; equal words on both sides are taken in step."""
    left = right = 0
    while dest_start - left > 0 and src_start - left > 0 and joined(
            source, dest_start - left - 1) and joined(part, src_start - left - 1):
        left += 1
    while dest_end + right < len(source) and src_end + right < len(part) and \
            joined(source, dest_end + right - 1) and joined(part, src_end + right - 1):
        right += 1
    aside_left, aside_right = aside_reach(source, dest_start, dest_end)
    left = max(left, min(aside_left, src_start))
    right = max(right, min(aside_right, len(part) - src_end))
    return src_start - left, src_end + right, dest_start - left, dest_end + right


def aside_reach(source: list[Token], low: int, high: int) -> tuple[int, int]:
    """How many words left of low and right of high a (parenthesised) or [bracketed] aside the
    difference touches reaches, so the aside is reported whole; (0, 0) outside one."""
    left = 0
    for index in range(low - 1, max(-1, low - MAX_ASIDE_WORDS), -1):
        if any(mark in source[index].trail for mark in ")]"):
            break
        if any(mark in source[index].trail for mark in "(["):
            left = low - index - 1
            break
    else:
        return 0, 0
    if left == 0 and not any(mark in source[low - 1].trail for mark in "(["):
        return 0, 0
    for index in range(max(high - 1, low), min(len(source), high + MAX_ASIDE_WORDS)):
        if any(mark in source[index].trail for mark in ")]"):
            return left, index + 1 - high if index >= high else 0
        if any(mark in source[index].trail for mark in "(["):
            break
    return 0, 0


def joined(tokens: list[Token], index: int) -> bool:
    """True when tokens[index] and the next are one compound: a hyphen, or a separator between
    digits, with nothing else between them."""
    if not 0 <= index < len(tokens) - 1:
        return False
    token, following = tokens[index], tokens[index + 1]
    if following.start - token.end != 1:
        return False
    if token.trail == "-":
        return True
    return token.trail in (",", ".") and token.text.isdigit() and following.text[:1].isdigit()


def compound_words(tokens: list[Token]) -> str:
    """Words joined by spaces, or by their own hyphen or separator inside a compound.

    >>> from .quotation import read_tokens
    >>> compound_words(read_tokens("the NEP-men, 1,000 of them - all"))
    'the NEP-men 1,000 of them all'
    """
    pieces = []
    for index, token in enumerate(tokens):
        pieces.append(token.text)
        if index + 1 < len(tokens):
            pieces.append(token.trail if joined(tokens, index) else " ")
    return "".join(pieces)


