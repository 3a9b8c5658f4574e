"""Reading who is named in an attributing phrase: the subject before "wrote", whose "words",
the name a pronoun stands for, with times, places and titles trimmed off.

attribution.py decides which phrase attributes a quotation; this module reads the name in it.
"""

from __future__ import annotations

import re

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
VERB = re.compile(
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
WORDS = re.compile(
    rf"\b(?i:in|by)\s+(?P<own>(?i:his|her|their)|{_OWNER})\s+(?:own\s+)?(?i:words|phrase|view|"
    rf"estimate|estimation|opinion|account)\b|(?:\b(?i:according to)|\b(?i:in|by) the (?i:words|"
    r"account|testimony|phrase|recollections?|memoirs?) of|^\s*For(?=\s+[A-Z][\w\-]*,))\s+"
    r"(?P<np>[^,;:()“”\"]+)")
_WRITINGS = (r"letter|note|notes|testament|words|article|book|reply|statement|speech|report|diary|"
             r"memoirs|obituary|guidelines|message|telegram|declaration|testimony|account|theses")
POSSESSOR = re.compile(
    rf"^(?P<who>(?i:his|her|their)|{_OWNER})\s+(?:\w+\s+){{0,2}}(?:{_WRITINGS})\b")
_TOKEN = r"[A-Z][\w’'\-]*(?:\.[A-Z][\w’'\-]*)*\.?"
_NAME = re.compile(rf"{_TOKEN}(?:\s+(?:{_TOKEN}|(?:de|von|van|der)\b)){{0,3}}")
AFTER_VERB = re.compile(r"\s*(?:$|[A-Z\d]|(?:in|to|on|at|of|about|from|during|after|before|for|"
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
NAME_VERB = (r"\s+(?:[a-z]+ed|was|had|is|has|saw|said|wrote|spoke|became|came|gave|took|made|"
              r"knew|thought|did|could|would|went|began|fought|led|won|lost|told)\b")
REACH = 4  # sentences searched back for a pronoun's antecedent
PRONOUNS = {"he", "she", "they", "it", "his", "her", "their", "its", "him", "this"}
PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def words_speaker(found: re.Match[str] | None) -> str:
    if not found:
        return ""
    if found.group("own"):
        return re.sub(r"[’']s$", "", found.group("own"))
    return noun_phrase(clean(found.group("np")))


def speaker_before_verb(region: str, verb: re.Match[str]) -> str:
    """Return the subject of the speech verb found in region, or "" if it has none."""
    before, after = region[: verb.start()], region[verb.end():]
    if _NOUN_BEFORE.search(before):
        return ""
    passive = _PASSIVE.search(before) or re.match(r"\s*by\b", after)
    if passive and not verb.group().endswith("ing"):
        agent = _AGENT.match(after)
        return agent.group(1).strip(" ,") if agent else ""
    if re.fullmatch(r"\s*(?:So|Thus)?\s*", before) or re.search(r"[,”\"’]\s*$", before):
        inverted = name_run(after.lstrip())
        if inverted:
            return inverted
    return subject(before)


def subject(before: str) -> str:
    """Return the subject of a verb from the words before it: `Lenin, a year later, summed up`."""
    clause = re.split(r"[;:—–]|\b(?:that|whether)\b", PARENS.sub("", before))[-1]
    segments = clause.split(",")
    near = clean(segments[-1])
    if near:
        return noun_phrase(near)
    coordinated = re.fullmatch(r"\s*(?:and|but|or)\s*", segments[-1])  # `It invited …, and said`
    first = next((clean(s) for s in segments[:-1]
                  if s.strip() and not is_adverbial(s.strip())), "")
    return (name_run(first) or pronoun(first)) if coordinated else noun_phrase(first)


def sentence_subject(region: str) -> str:
    """Return the name (possibly possessive) or pronoun a sentence's first clause is about."""
    segments = [s.strip() for s in clean(PARENS.sub("", region)).split(",") if s.strip()]
    for index, segment in enumerate(segments):
        if not is_adverbial(segment):
            owner = POSSESSOR.match(segment)
            if owner:
                return re.sub(r"[’']s$", "", owner.group("who"))
            return name_run(segment) or pronoun(segment)
        if index == len(segments) - 1:
            found = re.search(r"\b(?:he|she|they)\b", segment)
            return found.group() if found else ""
    return ""


def about(region: str) -> str:
    """Return the person a sentence is about, but not a possessive ("Trotsky’s assessment")."""
    subject = sentence_subject(region)
    return "" if re.search(r"[’']s$", subject) else subject


def clean(phrase: str) -> str:
    phrase = phrase.strip(" _“”\"‘’")
    while True:
        shorter = _TRAILING.sub("", _LEADING.sub("", phrase)).strip(" _“”\"")
        if shorter == phrase:
            return phrase
        phrase = shorter


def is_adverbial(segment: str) -> bool:
    first = segment.split()[0]
    participle = re.match(r"\w+(?:ed|ing) [a-z]", segment)  # `Published in 1937, the book…`
    return (bool(re.fullmatch(_TIME, segment)) or first.lower() in _ADVERBIAL_START
            or first.lower().endswith("ly") or not first[0].isalpha() or bool(participle)
            or (first[0].islower() and first not in _DETERMINERS))


def noun_phrase(phrase: str) -> str:
    """Return phrase as a speaker: a title before a name trimmed, a clause cut to its subject."""
    words = phrase.split()
    if len(words) > 10:
        return name_run(phrase) or pronoun(phrase)
    start = len(words)
    while start > 0 and re.fullmatch(_TOKEN, words[start - 1]):
        start -= 1
    body = words[1:start] if words and words[0].lower() in ("a", "an", "the") else words[:start]
    if 0 < start < len(words) and body and not _FUNCTION.intersection(body) \
            and any(w.islower() for w in body):
        return " ".join(words[start:])
    clause_like = words and words[0].islower() and words[0] not in _DETERMINERS
    return "" if clause_like else " ".join(words)  # `shook China and Spain` is no speaker


def name_run(text: str) -> str:
    """Return the capitalised name text starts with, cut after a possessive, or ""."""
    found = _NAME.match(text)
    if not found or found.group().split()[0] in _NOT_NAMES:
        return ""
    name = re.match(r".*?[’']s\b|.*", found.group())
    return name.group().rstrip(".") if name else ""


def pronoun(text: str) -> str:
    first = text.split()[0] if text.split() else ""
    return first if first.lower() in PRONOUNS else ""
