"""Say whom an article credits with a matched span, and quote the sentence that says so.

A writer's quotation found in an article may itself be a quotation in the article (the article
quoting Trotsky, Lenin, Serge...). `attribute` finds the outermost quotation marks around the span
(curly, straight, nested, left open for a multi-paragraph quote, a “ closed by ’) and reads the
attribution as a reader would; the first of these cues wins:

1. a cue right before the opening mark, or "in Lenin's words" right after the closing one:
   `Trotsky warned: “`, `as Lenin put it, “`, `boasted, “`, `” (in Lenin’s words)`;
2. a short speech clause after the closing mark: `”, Trotsky wrote in 1936.`, `,” said Lenin`
   (not `”, Trotsky summed up the defeat: “`, which introduces the next quotation);
3. the nearest speech verb or "according to X" earlier in the sentence;
4. for a quotation that opens its sentence, the sentence before: its quotation's speaker, its
   speech verb, or its named subject (`“…”, Trotsky wrote. “He seeks…”`);
5. for a quotation that opens the paragraph, the quotation it continues (left open in, or
   filling, the previous paragraph) or the introduction ending with ":" that ends the previous
   paragraph, such as `Ten days later he added:`;
6. an author citation right after it, `(Lenin, Collected Works)`; `(Quoted by Carr, …)` names who
   relayed the words, not who said them, so it never counts;
7. a speech verb in the next sentence, or in the first sentence of the following paragraph.

The speaker is the subject of the speech verb, as printed, with time adverbials, conjunctions and
trailing adverbs dropped and a title before a name trimmed ("the historian Pierre Broué" →
"Pierre Broué"). A pronoun ("he said", "his letter reads") is resolved to its sentence's own
named subject or the nearest earlier speaker or named subject outside quotations; when none is
found the pronoun itself is returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from .frozen import frozen_dataclass
from .quotemarks import QuotedSpan, find_quotations
from .sentences import sentence_ends
from .speakernames import (
    AFTER_VERB,
    NAME_VERB,
    POSSESSOR,
    PRONOUNS,
    REACH,
    VERB,
    WORDS,
    about,
    name_run,
    sentence_subject,
    speaker_before_verb,
    words_speaker,
)

Cue = tuple[str, str]  # (speaker, attributing sentence); sentence "" means no cue
NO_CUE: Cue = ("", "")

_LIST_MARKER = re.compile(r"\s*(?:[•*\-]|\d+[.)])?\s*")
_CITATION = re.compile(r"[\s,.;]*(\([^()]+\))")
_ONE_AUTHOR = r"(?:[A-Z]\.\s*)*[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?"
_AUTHOR = re.compile(rf"{_ONE_AUTHOR}(?:\s+(?:and|&)\s+{_ONE_AUTHOR})*")
_LOCATOR = re.compile(r"(?i:vol(?:ume)?s?\.?|pages?|pp?\.|pg\.?|ch(?:apter)?\.?|no\.)\s*\d")


@frozen_dataclass
class Attribution:
    """Whom the article credits with a span, the sentence that says so, and whether it is quoted."""

    speaker: str  # "" when the words are the article's own or nobody is named
    sentence: str  # the attributing sentence or citation as printed; "" if none
    quoted: bool  # True when the span lies inside quotation marks or a block quote


@frozen_dataclass
class _Text:
    """A paragraph with its quotations, a copy with quoted words masked, and sentence spans."""

    text: str
    quotes: tuple[QuotedSpan, ...]
    masked: str
    sentences: tuple[tuple[int, int], ...]


@frozen_dataclass
class _Context:
    """The paragraph being read and its neighbours."""

    here: _Text
    earlier: tuple[str, ...]  # preceding paragraphs, nearest last
    following: str
    runs_on: bool  # a quotation left open in the previous paragraph continues here


def attribute(paragraph: str, start: int, end: int, previous: str = "",
              is_block_quote: bool = False, following: str = "") -> Attribution:
    """Return whom the article credits with paragraph[start:end] and the sentence that says so.

    `previous` may hold several preceding paragraphs separated by blank lines, nearest last:
    more of them lets multi-paragraph quotations and pronouns be traced further back.

    >>> attribute("“It is a bridge,” Trotsky wrote.", 1, 15)
    Attribution(speaker='Trotsky', sentence='“It is a bridge,” Trotsky wrote.', quoted=True)
    >>> attribute("Ten days later he added:", 0, 8)
    Attribution(speaker='', sentence='', quoted=False)
    """
    earlier = tuple(p for p in re.split(r"\n\s*\n", previous) if p.strip())
    context = _context(paragraph, earlier, following)
    quote = _enclosing(context.here.quotes, start, end)
    if quote is None and is_block_quote:
        quote = QuotedSpan(0, len(paragraph), 0, True, False, False)
    if quote is None:
        return Attribution("", "", False)
    speaker, sentence = _attribute_quote(context, quote, _RULES)
    return Attribution(speaker, sentence, True)


def _context(text: str, earlier: tuple[str, ...], following: str) -> _Context:
    runs_on = False  # whether a quotation runs on out of the paragraph, followed down the page
    for paragraph in earlier:
        carried = runs_on and not _opens_with_quote(paragraph)
        runs_on = any(q.depth == 0 and q.double and not q.closed
                      for q in find_quotations(paragraph, carried))
    here = _read(text, runs_on and not _opens_with_quote(text))
    return _Context(here, earlier, following, runs_on)


def _read(text: str, carried: bool = False) -> _Text:
    quotes = tuple(q for q in find_quotations(text, carried) if q.depth == 0)
    masked = list(text)
    for quote in quotes:
        inner = quote.start + 1 if quote.opened else quote.start
        inner_end = quote.end - 1 if quote.closed else quote.end
        masked[inner:inner_end] = "_" * (inner_end - inner)
    starts = (len(text) - len(text[end:].lstrip()) for end in sentence_ends(text))
    cuts = [start for start in starts if start < len(text)
            and not any(q.start < start < q.end for q in quotes)]
    bounds = [0, *cuts, len(text)]
    return _Text(text, quotes, "".join(masked), tuple(zip(bounds, bounds[1:], strict=False)))


def _opens_with_quote(text: str) -> bool:
    marker = _LIST_MARKER.match(text)
    rest = text[marker.end() if marker else 0:]
    return rest[:1] in ("“", "„", "«", '"', "‘")


def _enclosing(quotes: tuple[QuotedSpan, ...], start: int, end: int) -> QuotedSpan | None:
    def overlap(quote: QuotedSpan) -> int:
        return min(end, quote.end) - max(start, quote.start)
    best = max(quotes, key=overlap, default=None)
    return best if best is not None and 2 * overlap(best) >= max(end - start, 1) else None


Rule = Callable[["_Context", QuotedSpan], Cue]


def _attribute_quote(context: _Context, quote: QuotedSpan, rules: tuple[Rule, ...]) -> Cue:
    for rule in rules:
        cue: Cue = rule(context, quote)
        if cue[1]:
            return cue
    return NO_CUE


def _sentence_at(here: _Text, index: int) -> tuple[int, int]:
    return next((s, e) for s, e in here.sentences if s <= index < e or e == len(here.text))


def _words_after(context: _Context, quote: QuotedSpan) -> Cue:
    here = context.here
    match = re.match(r"[\s,]*\(?\s*", here.text[quote.end:])
    offset = quote.end + (match.end() if match else 0)
    found = WORDS.match(here.text, offset)
    if not quote.closed or not found:
        return NO_CUE
    return _cue(context, words_speaker(found), _sentence_at(here, quote.end - 1))


def _clause_after(context: _Context, quote: QuotedSpan) -> Cue:
    here = context.here
    tail = here.masked[quote.end:]
    clause = re.match(r"[\s,]*([^.,;:!?“”\"(]{1,80}?)\s*([.,;:!?“\"(]|$)", tail)
    ends_sentence = here.text[quote.end - 2: quote.end - 1] == "." and tail.lstrip()[:1].isupper()
    introduces = re.match(r"[^.!?“\"]*:\s*(?:[“\"]|$)", tail)  # `”, Lenin wrote in 1922: “`
    if not quote.closed or ends_sentence or introduces or not clause:
        return NO_CUE
    words = clause.group(1)
    speakers = [speaker_before_verb(words, verb) for verb in VERB.finditer(words)
                if len(words[: verb.start()].split()) <= 6 and AFTER_VERB.match(words, verb.end())]
    return _cue(context, next((s for s in speakers if s), ""), _sentence_at(here, quote.end - 1))


def _clause_before(context: _Context, quote: QuotedSpan, adjacent: bool = False) -> Cue:
    """Return the last cue before the opening mark in its sentence; adjacent: right before it."""
    here = context.here
    span = _sentence_at(here, quote.start)
    region = here.masked[span[0]:quote.start]
    cues = _cues(region)
    if not cues or (adjacent and region[cues[-1][1]:].strip(" ,:;—–")):
        return NO_CUE
    return _cue(context, cues[-1][2], span)


def _adjacent_before(context: _Context, quote: QuotedSpan) -> Cue:
    """Return a cue ending right before the opening mark: `Trotsky warned: “`, `in his words, “`."""
    return _clause_before(context, quote, adjacent=True)


def _cues(region: str) -> list[tuple[int, int, str]]:
    """Return (start, end, speaker) of each speech verb or "in X's words" cue naming someone."""
    cues = [(m.start(), m.end(), words_speaker(m)) for m in WORDS.finditer(region)]
    cues += [(m.start(), m.end(), speaker_before_verb(region, m)) for m in VERB.finditer(region)]
    return sorted(cue for cue in cues if cue[2])


def _cue_in(region: str) -> str:
    """Return the speaker named by the last speech verb or "in X's words" cue in region."""
    cues = _cues(region)
    return cues[-1][2] if cues else ""


def _previous_sentence(context: _Context, quote: QuotedSpan) -> Cue:
    here = context.here
    start, _ = _sentence_at(here, quote.start)
    if here.text[start:quote.start].strip() or start == 0:
        return NO_CUE
    span = _sentence_at(here, start - 1)
    inner = [q for q in here.quotes if span[0] <= q.start < span[1]]
    cue = _attribute_quote(context, inner[-1], _RULES[:-1]) if inner else NO_CUE
    region = here.masked[span[0]:span[1]]
    return cue if cue[1] else _cue(context, _cue_in(region) or about(region), span)


def _block(context: _Context, quote: QuotedSpan) -> Cue:
    marker = _LIST_MARKER.match(context.here.text)
    if quote.start > (marker.end() if marker else 0) or not context.earlier:
        return NO_CUE
    before = _context(context.earlier[-1], context.earlier[:-1], context.here.text)
    last = before.here
    open_quotes = [q for q in last.quotes if not q.closed]
    if context.runs_on and open_quotes:
        return _attribute_quote(before, open_quotes[-1], _RULES[:-1])
    if _opens_with_quote(last.text) and last.quotes:
        return _attribute_quote(before, last.quotes[0], _RULES[:-1])
    span = last.sentences[-1]
    region = last.masked[span[0]:span[1]].rstrip()
    if not region.endswith(":"):
        return _cue(before, words_speaker(WORDS.search(region)), span)
    return _cue(before, _cue_in(region) or about(region), span)


def _citation(context: _Context, quote: QuotedSpan) -> Cue:
    found = _CITATION.match(context.here.text, quote.end)
    if not found:
        return NO_CUE
    parts = [part.strip() for part in found.group(1)[1:-1].split(",")]
    if len(parts) < 2 or _LOCATOR.match(parts[1]) or re.match(r"(?i)quoted|see|cf", parts[0]):
        return NO_CUE
    return (parts[0], found.group(1)) if _AUTHOR.fullmatch(parts[0]) else NO_CUE


def _next_sentence(context: _Context, quote: QuotedSpan) -> Cue:
    here = context.here
    start, end = _sentence_at(here, quote.start)
    if here.text[start:quote.start].strip() or here.masked[quote.end:end].strip(" .,;!?"):
        return NO_CUE
    if end < len(here.text):
        span = _sentence_at(here, end)
        return _cue(context, _cue_in(here.masked[span[0]:span[1]]), span)
    if not context.following:
        return NO_CUE
    after = _context(context.following, (*context.earlier, here.text), "")
    span = after.here.sentences[0]
    signed = re.match(r"\s*[—–-]+\s*", context.following)  # a signature line: `— Victor Serge`
    speaker = name_run(context.following[signed.end():]) if signed else ""
    return _cue(after, speaker or _cue_in(after.here.masked[span[0]:span[1]]), span)


_RULES: tuple[Rule, ...] = (_adjacent_before, _words_after, _clause_after, _clause_before,
                           _previous_sentence, _block, _citation, _next_sentence)


def _cue(context: _Context, speaker: str, span: tuple[int, int]) -> Cue:
    """Return (speaker with any pronoun resolved, the sentence at span), or NO_CUE."""
    if not speaker:
        return NO_CUE
    owner = POSSESSOR.match(speaker)
    if owner:
        speaker = re.sub(r"[’']s$", "", owner.group("who"))
    if speaker.lower() in PRONOUNS:
        speaker = _antecedent(context, span) or speaker
    return speaker, context.here.text[span[0]:span[1]].strip()


def _antecedent(context: _Context, span: tuple[int, int]) -> str:
    """Return the name a pronoun in the sentence at span stands for, searching back from it.

    The sentence's own named subject comes first (`Churchill … to prevent, in his words, “`),
    then the speakers and named subjects of up to REACH earlier sentences, outside quotations.
    """
    texts = [_read(text) for text in (*context.earlier, context.here.text[: span[0]])]
    everything = " ".join((*context.earlier, context.here.text))
    known = set(re.findall(r"(?<=[a-z,;:] )[A-Z][\w\-]+", everything))  # names used mid-sentence
    own = context.here.masked[span[0]:span[1]]
    regions = [text.masked[start:end] for text in texts for start, end in text.sentences][::-1]
    for index, region in enumerate([own, *regions[:REACH]]):
        speakers = [speaker_before_verb(region, verb) for verb in VERB.finditer(region)][::-1]
        subject = re.sub(r"[’']s$", "", sentence_subject(region))
        if subject and (" " in subject or subject in known
                        or re.match(rf"\W*{re.escape(subject)}(?:,|{NAME_VERB})", region)):
            speakers = [subject] if index == 0 else [*speakers, subject]
        elif index == 0:
            speakers = []
        found = next((s for s in speakers if s and s.split()[0].lower() not in PRONOUNS), "")
        if found:
            return found
    return ""


class _Placed(Protocol):
    """A stored block: where it sits in its article, and what kind of block it is."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def kind(self) -> str: ...


def speaker_of(blocks: Sequence[_Placed], text: str, start: int, end: int) -> tuple[str, str]:
    """Return who an article attributes the span text[start:end] to, and the sentence saying so.

    blocks are the article's blocks in reading order; the six before the span's own block
    give the context a pronoun or a "he added:" needs.
    """
    index = next((i for i, b in enumerate(blocks) if b.start <= start < b.end), None)
    if index is None:
        return "", ""
    home = blocks[index]
    earlier = "\n\n".join(text[b.start:b.end] for b in blocks[max(0, index - 6):index])
    following = text[blocks[index + 1].start:blocks[index + 1].end] \
        if index + 1 < len(blocks) else ""
    end = min(end, home.end)
    first_mark = re.search(r'["\u201d]', text[start:end])
    if first_mark and first_mark.start() > 0:
        end = start + first_mark.start()  # the words before an interruption
    found = attribute(text[home.start:home.end], start - home.start, end - home.start,
                      earlier, home.kind == "blockquote", following)
    return found.speaker, found.sentence
