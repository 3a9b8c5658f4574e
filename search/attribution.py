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
from dataclasses import dataclass
from typing import Protocol

Cue = tuple[str, str]  # (speaker, attributing sentence); sentence "" means no cue
NO_CUE: Cue = ("", "")

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December)")
_WHEN = rf"(?:{_MONTH}(?:\s+\d{{1,2}})?,?(?:\s+\d{{4}})?|\d{{4}}s?)"
_TIME = (rf"(?i:as (?:early|late) as|in|on|by|during|after|until|at the (?:end|start|height) of)\s+"
         rf"(?:the\s+)?(?:(?i:early|late|spring|summer|autumn|fall|winter|end|beginning)\s+(?:of\s+)?)?"
         rf"{_WHEN}|(?:(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|"
         r"several|some|just|only|\d+)\s+){0,2}(?i:days?|weeks?|months?|years?|decades?)\s+"
         r"(?i:later|earlier|ago|afterwards)")
_LEADING = re.compile(rf"^(?:{_TIME}|(?i:and|but|or|as|so|that|while|when|where|whereas|which|who|"
                      r"then|thus|yet|even|also|however|though|although|later|afterwards|meanwhile|"
                      r"now|once))\b[\s,]*")
_TRAILING = re.compile(r"[\s,]*\b(?:(?i:later|also|himself|herself|themselves|then|once|again|too|"
                       r"still|first|subsequently|afterwards|would|will|had|has|have|was|were|is|"
                       r"are|did|does|do|could|can|must|may|might|should|not|never|who|which|that)"
                       r"|[a-z]+ly)$")
_VERB = re.compile(
    r"\b(?:wr(?:ote|ites)|writing|says?|said|argu(?:ed|es)|explain(?:ed|s)|warn(?:ed|s)|"
    r"comment(?:ed|s)|add(?:ed|s)|declared|boasted|not(?:ed|es)|observ(?:ed|es)|recall(?:ed|s)|"
    r"repl(?:ied|ies)|remark(?:ed|s)|insist(?:ed|s)|describ(?:ed|es)|puts? it|summ(?:ed|s) up|"
    r"sums up|stated|claimed|asserted|stressed|emphasi[sz]ed|pointed out|recounted|recorded|"
    r"reported|told|tell|asked|answered|conclud(?:ed|es)|admitted|complained|proclaimed|announced|"
    r"reflected|predicted|protested|exclaimed|conceded|recogni[sz]ed|suggested|demanded|advised|"
    r"urged|acknowledged|went on|dictated|reads|proposed|denounced|signed|relate[ds]?|shouted|"
    r"addressing|speaking)\b")
_NOUN_BEFORE = re.compile(r"\b(?i:the|a|an|his|her|its|their|our|these|those|of|this|to)\s+$")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:[a-z]+ly\s+)?$")
_AGENT = re.compile(r"\s*by\s+((?:[A-Z][\w’'.\-]*\s*(?:,\s*|and\s+)?)+)")
_OWNER = r"[A-Z][\w\-]*(?:\s[A-Z][\w\-]*)*[’']s"
_WORDS = re.compile(
    rf"\b(?i:in|by)\s+(?P<own>(?i:his|her|their)|{_OWNER})\s+(?:own\s+)?(?i:words|phrase|view|"
    rf"estimate|estimation|opinion|account)\b|(?:\b(?i:according to)|\b(?i:in|by) the (?i:words|"
    r"account|testimony|phrase|recollections?|memoirs?) of|^\s*For(?=\s+[A-Z][\w\-]*,))\s+"
    r"(?P<np>[^,;:()“”\"]+)")
_WRITINGS = (r"letter|note|notes|testament|words|article|book|reply|statement|speech|report|diary|"
             r"memoirs|obituary|guidelines|message|telegram|declaration|testimony|account|theses")
_POSSESSOR = re.compile(
    rf"^(?P<who>(?i:his|her|their)|{_OWNER})\s+(?:\w+\s+){{0,2}}(?:{_WRITINGS})\b")
_TOKEN = r"[A-Z][\w’'\-]*(?:\.[A-Z][\w’'\-]*)*\.?"
_NAME = re.compile(rf"{_TOKEN}(?:\s+(?:{_TOKEN}|(?:de|von|van|der)\b)){{0,3}}")
_AFTER_VERB = re.compile(r"\s*(?:$|[A-Z\d]|(?:in|to|on|at|of|about|from|during|after|before|for|"
                         r"it|later|then|once|again|[a-z]+ly)\b)")
_NOT_NAMES = set(
    "The A An This That These Those It He She They We I His Her Their Its Our In On At By For "
    "From As But And Or If When While After Before During Despite Although Though Yet So Thus "
    "Then There Here What Why How Who Which Some Many Most All One Each Every Even Only Also "
    "Later Meanwhile However Ten Two Three Four Five Six Seven Eight Nine Days Years Shortly Soon "
    "Today Now".split()
) | set(_MONTH[3:-1].split("|"))
_FUNCTION = {"of", "the", "to", "in", "for", "on", "at", "by", "with", "from", "and", "or"}
_ADVERBIAL_START = set(
    "in on at by during after before since from despite although though when while if as for with "
    "without under through following until unlike like because once upon within according yet but "
    "and or so indeed instead nevertheless moreover furthermore rather still thus hence".split())
_DETERMINERS = {"a", "an", "the", "one", "he", "she", "they", "it", "many", "some", "his", "her",
                "their", "its", "several", "each", "every", "this", "these", "those", "another"}
_NAME_VERB = (r"\s+(?:[a-z]+ed|was|had|is|has|saw|said|wrote|spoke|became|came|gave|took|made|"
              r"knew|thought|did|could|would|went|began|fought|led|won|lost|told)\b")
_REACH = 4  # sentences searched back for a pronoun's antecedent
_PRONOUNS = {"he", "she", "they", "it", "his", "her", "their", "its", "him", "this"}
_BOUNDARY = re.compile(r"[.!?…]+[”’\"')\]]*\s+(?=[“‘\"(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:[A-Z]|(?i:vol|pg|pp|p|no|ch|cf|e\.g|i\.e|mr|mrs|dr|st|etc))\.$")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LIST_MARKER = re.compile(r"\s*(?:[•*\-]|\d+[.)])?\s*")
_CITATION = re.compile(r"[\s,.;]*(\([^()]+\))")
_ONE_AUTHOR = r"(?:[A-Z]\.\s*)*[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?"
_AUTHOR = re.compile(rf"{_ONE_AUTHOR}(?:\s+(?:and|&)\s+{_ONE_AUTHOR})*")
_LOCATOR = re.compile(r"(?i:vol(?:ume)?s?\.?|pages?|pp?\.|pg\.?|ch(?:apter)?\.?|no\.)\s*\d")


@dataclass(frozen=True)
class Attribution:
    """Whom the article credits with a span, the sentence that says so, and whether it is quoted."""

    speaker: str  # "" when the words are the article's own or nobody is named
    sentence: str  # the attributing sentence or citation as printed; "" if none
    quoted: bool  # True when the span lies inside quotation marks or a block quote


@dataclass(frozen=True)
class Quotation:
    """A pair of quotation marks in a paragraph; a missing mark at an edge is not counted."""

    start: int  # index of the opening mark (0 when the quotation runs on from before)
    end: int  # index just past the closing mark (len(text) when left open)
    depth: int  # 0 for an outermost quotation
    double: bool
    opened: bool  # False when the quotation began in an earlier paragraph
    closed: bool  # False when it runs past the paragraph's end


@dataclass(frozen=True)
class _Text:
    """A paragraph with its quotations, a copy with quoted words masked, and sentence spans."""

    text: str
    quotes: tuple[Quotation, ...]
    masked: str
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Context:
    """The paragraph being read and its neighbours."""

    here: _Text
    earlier: tuple[str, ...]  # preceding paragraphs, nearest last
    following: str
    runs_on: bool  # a quotation left open in the previous paragraph continues here


def find_quotations(text: str, carried: bool = False) -> tuple[Quotation, ...]:
    """Return the paragraph's quotations, outer before inner; carried: one runs on from before.

    >>> [(q.start, q.end, q.depth) for q in find_quotations("He said “it is ‘ours’” today")]
    [(8, 22, 0), (15, 21, 1)]
    """
    stack: list[tuple[int, bool, bool]] = [(0, True, False)] if carried else []
    found: list[Quotation] = []
    for index in range(len(text)):
        role = _role(text, index, [double for _, double, _ in stack])
        if role in ("“", "‘"):
            stack.append((index, role == "“", True))
        elif role and any(double == (role == "”") for _, double, _ in stack):
            while stack:
                begin, double, opened = stack.pop()
                matched = double == (role == "”")
                found.append(Quotation(begin, index + 1 if matched else index, len(stack),
                                       double, opened, matched))
                if matched:
                    break
    found.extend(Quotation(begin, len(text), depth, double, opened, False)
                 for depth, (begin, double, opened) in enumerate(stack))
    return tuple(sorted(found, key=lambda quote: (quote.start, quote.depth)))


def _role(text: str, index: int, open_doubles: list[bool]) -> str:
    """Return “ ” ‘ ’ for what the mark at index does, or "" for an apostrophe or a letter."""
    char = text[index]
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if char in "“„«‟" or (char == '"' and (True not in open_doubles or before.isspace())):
        return "“" if char != '"' or not after.isspace() else ""
    if char in "”»\"":
        return "”"
    if char == "‘" or (char == "'" and not before.isalnum() and after.isalpha()):
        return "" if after.isdigit() else "‘"
    if char not in "’'" or (before.isalpha() and after.isalpha()):
        return ""
    if open_doubles and not open_doubles[-1]:
        return "’"
    next_double = re.search(r"[“”\"]", text[index + 1:])
    if open_doubles and before in ".,!?…" and (not next_double or next_double.group() == "“"):
        return "”"  # a double quotation closed with a single mark: a typo in the source
    return ""


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
        quote = Quotation(0, len(paragraph), 0, True, False, False)
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
    cuts = [m.end() for m in _BOUNDARY.finditer(text)
            if not _ABBREVIATION.search(text[: m.start() + 1])
            and not any(q.start < m.end() < q.end for q in quotes)]
    bounds = [0, *cuts, len(text)]
    return _Text(text, quotes, "".join(masked), tuple(zip(bounds, bounds[1:], strict=False)))


def _opens_with_quote(text: str) -> bool:
    marker = _LIST_MARKER.match(text)
    rest = text[marker.end() if marker else 0:]
    return rest[:1] in ("“", "„", "«", '"', "‘")


def _enclosing(quotes: tuple[Quotation, ...], start: int, end: int) -> Quotation | None:
    def overlap(quote: Quotation) -> int:
        return min(end, quote.end) - max(start, quote.start)
    best = max(quotes, key=overlap, default=None)
    return best if best is not None and 2 * overlap(best) >= max(end - start, 1) else None


Rule = Callable[["_Context", Quotation], Cue]


def _attribute_quote(context: _Context, quote: Quotation, rules: tuple[Rule, ...]) -> Cue:
    for rule in rules:
        cue: Cue = rule(context, quote)
        if cue[1]:
            return cue
    return NO_CUE


def _sentence_at(here: _Text, index: int) -> tuple[int, int]:
    return next((s, e) for s, e in here.sentences if s <= index < e or e == len(here.text))


def _words_after(context: _Context, quote: Quotation) -> Cue:
    here = context.here
    match = re.match(r"[\s,]*\(?\s*", here.text[quote.end:])
    offset = quote.end + (match.end() if match else 0)
    found = _WORDS.match(here.text, offset)
    if not quote.closed or not found:
        return NO_CUE
    return _cue(context, _words_speaker(found), _sentence_at(here, quote.end - 1))


def _clause_after(context: _Context, quote: Quotation) -> Cue:
    here = context.here
    tail = here.masked[quote.end:]
    clause = re.match(r"[\s,]*([^.,;:!?“”\"(]{1,80}?)\s*([.,;:!?“\"(]|$)", tail)
    ends_sentence = here.text[quote.end - 2: quote.end - 1] == "." and tail.lstrip()[:1].isupper()
    introduces = re.match(r"[^.!?“\"]*:\s*(?:[“\"]|$)", tail)  # `”, Lenin wrote in 1922: “`
    if not quote.closed or ends_sentence or introduces or not clause:
        return NO_CUE
    words = clause.group(1)
    speakers = [_speaker_of(words, verb) for verb in _VERB.finditer(words)
                if len(words[: verb.start()].split()) <= 6 and _AFTER_VERB.match(words, verb.end())]
    return _cue(context, next((s for s in speakers if s), ""), _sentence_at(here, quote.end - 1))


def _clause_before(context: _Context, quote: Quotation, adjacent: bool = False) -> Cue:
    """Return the last cue before the opening mark in its sentence; adjacent: right before it."""
    here = context.here
    span = _sentence_at(here, quote.start)
    region = here.masked[span[0]:quote.start]
    cues = _cues(region)
    if not cues or (adjacent and region[cues[-1][1]:].strip(" ,:;—–")):
        return NO_CUE
    return _cue(context, cues[-1][2], span)


def _adjacent_before(context: _Context, quote: Quotation) -> Cue:
    """Return a cue ending right before the opening mark: `Trotsky warned: “`, `in his words, “`."""
    return _clause_before(context, quote, adjacent=True)


def _cues(region: str) -> list[tuple[int, int, str]]:
    """Return (start, end, speaker) of each speech verb or "in X's words" cue naming someone."""
    cues = [(m.start(), m.end(), _words_speaker(m)) for m in _WORDS.finditer(region)]
    cues += [(m.start(), m.end(), _speaker_of(region, m)) for m in _VERB.finditer(region)]
    return sorted(cue for cue in cues if cue[2])


def _cue_in(region: str) -> str:
    """Return the speaker named by the last speech verb or "in X's words" cue in region."""
    cues = _cues(region)
    return cues[-1][2] if cues else ""


def _previous_sentence(context: _Context, quote: Quotation) -> Cue:
    here = context.here
    start, _ = _sentence_at(here, quote.start)
    if here.text[start:quote.start].strip() or start == 0:
        return NO_CUE
    span = _sentence_at(here, start - 1)
    inner = [q for q in here.quotes if span[0] <= q.start < span[1]]
    cue = _attribute_quote(context, inner[-1], _RULES[:-1]) if inner else NO_CUE
    region = here.masked[span[0]:span[1]]
    return cue if cue[1] else _cue(context, _cue_in(region) or _about(region), span)


def _block(context: _Context, quote: Quotation) -> Cue:
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
        return _cue(before, _words_speaker(_WORDS.search(region)), span)
    return _cue(before, _cue_in(region) or _about(region), span)


def _citation(context: _Context, quote: Quotation) -> Cue:
    found = _CITATION.match(context.here.text, quote.end)
    if not found:
        return NO_CUE
    parts = [part.strip() for part in found.group(1)[1:-1].split(",")]
    if len(parts) < 2 or _LOCATOR.match(parts[1]) or re.match(r"(?i)quoted|see|cf", parts[0]):
        return NO_CUE
    return (parts[0], found.group(1)) if _AUTHOR.fullmatch(parts[0]) else NO_CUE


def _next_sentence(context: _Context, quote: Quotation) -> Cue:
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
    speaker = _name_run(context.following[signed.end():]) if signed else ""
    return _cue(after, speaker or _cue_in(after.here.masked[span[0]:span[1]]), span)


_RULES: tuple[Rule, ...] = (_adjacent_before, _words_after, _clause_after, _clause_before,
                           _previous_sentence, _block, _citation, _next_sentence)


def _cue(context: _Context, speaker: str, span: tuple[int, int]) -> Cue:
    """Return (speaker with any pronoun resolved, the sentence at span), or NO_CUE."""
    if not speaker:
        return NO_CUE
    owner = _POSSESSOR.match(speaker)
    if owner:
        speaker = re.sub(r"[’']s$", "", owner.group("who"))
    if speaker.lower() in _PRONOUNS:
        speaker = _antecedent(context, span) or speaker
    return speaker, context.here.text[span[0]:span[1]].strip()


def _antecedent(context: _Context, span: tuple[int, int]) -> str:
    """Return the name a pronoun in the sentence at span stands for, searching back from it.

    The sentence's own named subject comes first (`Churchill … to prevent, in his words, “`),
    then the speakers and named subjects of up to _REACH earlier sentences, outside quotations.
    """
    texts = [_read(text) for text in (*context.earlier, context.here.text[: span[0]])]
    everything = " ".join((*context.earlier, context.here.text))
    known = set(re.findall(r"(?<=[a-z,;:] )[A-Z][\w\-]+", everything))  # names used mid-sentence
    own = context.here.masked[span[0]:span[1]]
    regions = [text.masked[start:end] for text in texts for start, end in text.sentences][::-1]
    for index, region in enumerate([own, *regions[:_REACH]]):
        speakers = [_speaker_of(region, verb) for verb in _VERB.finditer(region)][::-1]
        subject = re.sub(r"[’']s$", "", _sentence_subject(region))
        if subject and (" " in subject or subject in known
                        or re.match(rf"\W*{re.escape(subject)}(?:,|{_NAME_VERB})", region)):
            speakers = [subject] if index == 0 else [*speakers, subject]
        elif index == 0:
            speakers = []
        found = next((s for s in speakers if s and s.split()[0].lower() not in _PRONOUNS), "")
        if found:
            return found
    return ""


def _words_speaker(found: re.Match[str] | None) -> str:
    if not found:
        return ""
    if found.group("own"):
        return re.sub(r"[’']s$", "", found.group("own"))
    return _noun_phrase(_clean(found.group("np")))


def _speaker_of(region: str, verb: re.Match[str]) -> str:
    """Return the subject of the speech verb found in region, or "" if it has none."""
    before, after = region[: verb.start()], region[verb.end():]
    if _NOUN_BEFORE.search(before):
        return ""
    passive = _PASSIVE.search(before) or re.match(r"\s*by\b", after)
    if passive and not verb.group().endswith("ing"):
        agent = _AGENT.match(after)
        return agent.group(1).strip(" ,") if agent else ""
    if re.fullmatch(r"\s*(?:So|Thus)?\s*", before) or re.search(r"[,”\"’]\s*$", before):
        inverted = _name_run(after.lstrip())
        if inverted:
            return inverted
    return _subject(before)


def _subject(before: str) -> str:
    """Return the subject of a verb from the words before it: `Lenin, a year later, summed up`."""
    clause = re.split(r"[;:—–]|\b(?:that|whether)\b", _PARENS.sub("", before))[-1]
    segments = clause.split(",")
    near = _clean(segments[-1])
    if near:
        return _noun_phrase(near)
    coordinated = re.fullmatch(r"\s*(?:and|but|or)\s*", segments[-1])  # `It invited …, and said`
    first = next((_clean(s) for s in segments[:-1]
                  if s.strip() and not _is_adverbial(s.strip())), "")
    return (_name_run(first) or _pronoun(first)) if coordinated else _noun_phrase(first)


def _sentence_subject(region: str) -> str:
    """Return the name (possibly possessive) or pronoun a sentence's first clause is about."""
    segments = [s.strip() for s in _clean(_PARENS.sub("", region)).split(",") if s.strip()]
    for index, segment in enumerate(segments):
        if not _is_adverbial(segment):
            owner = _POSSESSOR.match(segment)
            if owner:
                return re.sub(r"[’']s$", "", owner.group("who"))
            return _name_run(segment) or _pronoun(segment)
        if index == len(segments) - 1:
            found = re.search(r"\b(?:he|she|they)\b", segment)
            return found.group() if found else ""
    return ""


def _about(region: str) -> str:
    """Return the person a sentence is about, but not a possessive ("Trotsky’s assessment")."""
    subject = _sentence_subject(region)
    return "" if re.search(r"[’']s$", subject) else subject


def _clean(phrase: str) -> str:
    phrase = phrase.strip(" _“”\"‘’")
    while True:
        shorter = _TRAILING.sub("", _LEADING.sub("", phrase)).strip(" _“”\"")
        if shorter == phrase:
            return phrase
        phrase = shorter


def _is_adverbial(segment: str) -> bool:
    first = segment.split()[0]
    participle = re.match(r"\w+(?:ed|ing) [a-z]", segment)  # `Published in 1937, the book…`
    return (bool(re.fullmatch(_TIME, segment)) or first.lower() in _ADVERBIAL_START
            or first.lower().endswith("ly") or not first[0].isalpha() or bool(participle)
            or (first[0].islower() and first not in _DETERMINERS))


def _noun_phrase(phrase: str) -> str:
    """Return phrase as a speaker: a title before a name trimmed, a clause cut to its subject."""
    words = phrase.split()
    if len(words) > 10:
        return _name_run(phrase) or _pronoun(phrase)
    start = len(words)
    while start > 0 and re.fullmatch(_TOKEN, words[start - 1]):
        start -= 1
    body = words[1:start] if words and words[0].lower() in ("a", "an", "the") else words[:start]
    if 0 < start < len(words) and body and not _FUNCTION.intersection(body) \
            and any(w.islower() for w in body):
        return " ".join(words[start:])
    clause_like = words and words[0].islower() and words[0] not in _DETERMINERS
    return "" if clause_like else " ".join(words)  # `shook China and Spain` is no speaker


def _name_run(text: str) -> str:
    """Return the capitalised name text starts with, cut after a possessive, or ""."""
    found = _NAME.match(text)
    if not found or found.group().split()[0] in _NOT_NAMES:
        return ""
    name = re.match(r".*?[’']s\b|.*", found.group())
    return name.group().rstrip(".") if name else ""


def _pronoun(text: str) -> str:
    first = text.split()[0] if text.split() else ""
    return first if first.lower() in _PRONOUNS else ""


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
