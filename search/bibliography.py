"""Bibliographic data shared by the citation styles, and exports a reference manager imports.

Names are split the way styles invert them, ISO dates into numbers and titles re-cased
(headline style for MLA and Chicago, sentence style for APA). `csl_item` gives an article as
CSL-JSON; `export` writes articles as BibTeX (biblatex fields), CSL-JSON or RIS, all of which
Zotero imports.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping

from .casing import COMMON, PROPER, title_word
from .catalog import ArticleMeta
from .errors import InputError
from .frozen import frozen_dataclass

EXPORT_FORMATS = ("bibtex", "csl-json", "ris")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# Lowercase inside a headline-style title: articles, coordinating conjunctions and prepositions
# (CMOS 8.159, MLA 9 on titles). APA 7 (6.17) lowercases only those of three letters or fewer.
MINOR_WORDS = frozenset("""a an the and but for nor or so yet about across after against along
    amid among around as at before between beyond by despite during except from in into of on
    onto per since than through throughout till to toward towards under until unto upon versus
    via with within without""".split())
_PARTICLES = frozenset("van von de der den del della di du da dos das la le ter ten ibn".split())
_SUFFIXES = frozenset("jr. jr sr. sr ii iii iv".split())
_PHRASE_ENDS = (":", "?", "!", "—", "–")


@frozen_dataclass
class PersonName:
    """A personal name split the way citation styles invert it."""

    family: str
    given: str = ""
    suffix: str = ""


def split_name(name: str) -> PersonName:
    """Return a name split into family, given and suffix; "Family, Given" is taken as written.

    >>> split_name("Robert Narai")
    PersonName(family='Narai', given='Robert', suffix='')
    >>> split_name("Martin Luther King Jr.")
    PersonName(family='King', given='Martin Luther', suffix='Jr.')
    """
    before, _, after = " ".join(name.split()).partition(",")
    rest = [part.strip() for part in after.split(",") if part.strip()]
    if rest and rest[0].lower() not in _SUFFIXES:
        return PersonName(before, rest[0], rest[1] if len(rest) > 1 else "")
    words = before.split()
    suffix = rest[0] if rest else ""
    if not suffix and len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop()
    start = max(len(words) - 1, 0)
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return PersonName(" ".join(words[start:]), " ".join(words[:start]), suffix)


def date_parts(iso: str) -> tuple[int, ...]:
    """Return the numbers of an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); () if it is not one.

    >>> date_parts("2022-08-31"), date_parts("2019-01"), date_parts("")
    ((2022, 8, 31), (2019, 1), ())
    """
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", iso.strip()):
        return ()
    parts = tuple(int(part) for part in iso.strip().split("-"))
    valid = (len(parts) < 2 or 1 <= parts[1] <= 12) and (len(parts) < 3 or 1 <= parts[2] <= 31)
    return parts if valid else ()


def title_case(text: str, minor: frozenset[str] = MINOR_WORDS) -> str:
    """Return a title in headline style: minor words lowercase, the others capitalized.

    >>> title_case("Lenin's fight Against Stalinism: the early years")
    "Lenin's Fight against Stalinism: The Early Years"
    """
    words = text.split(" ")
    cased = []
    for index, word in enumerate(words):
        force = index in (0, len(words) - 1) or _opens_phrase(words, index)
        cased.append("-".join(_headline(part, force and place == 0, minor)
                              for place, part in enumerate(word.split("-"))))
    return " ".join(cased)


def sentence_case(text: str, known: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """Return a headline-style title in sentence case, and the words whose case is undecided.

    known maps title words to "proper" or "common", as `search.casing` learns them from the
    article's body: proper nouns keep their capitals, common words are lowered. A word known
    says nothing of keeps the capital the source gives it and is returned, so the citation can
    say so. A title already in sentence case comes back as it is (its capitals mark proper
    nouns), and so do acronyms, names with inner capitals and words with digits.

    >>> sentence_case("Isolation and Degeneration of the Workers' State",
    ...               {"Degeneration": "common", "Workers'": "common"})
    ("Isolation and degeneration of the workers' State", ('State',))
    >>> sentence_case("The struggle against Stalinism")
    ('The struggle against Stalinism', ())
    """
    words = text.split(" ")
    if not _is_headline(words):
        return text, ()
    known = known or {}
    cased, undecided = [], []
    for index, word in enumerate(words):
        keep = index == 0 or _opens_phrase(words, index) or re.search(r"\d", word)
        parts = word.split("-")
        if keep or not all(_is_plain_capitalized(part) for part in parts):
            cased.append(word)
            continue
        verdict = known.get(title_word(word))
        if verdict == PROPER or (verdict is None and _key(word) not in MINOR_WORDS):
            cased.append(word)
            if verdict is None:
                undecided.append(title_word(word))
            continue
        cased.append("-".join(part[:_first_letter(part)] + part[_first_letter(part):].lower()
                              for part in parts))
    return " ".join(cased), tuple(undecided)


def short_title(title: str, most: int = 4) -> str:
    """Return a short title: the main title's first words, up to most, without an article.

    It ends before a minor word, as a phrase does (CMOS and MLA 9 short titles, APA 7 8.14).

    >>> short_title("The Struggle against Stalinism")
    'Struggle against Stalinism'
    >>> short_title("Isolation and Degeneration of the Workers' State")
    'Isolation and Degeneration'
    """
    main = title.split(": ")[0]
    words = (main if " " in main else title).split()
    if len(words) > 1 and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    if len(words) <= most:
        return " ".join(words)
    keep = 1
    for count in range(1, most + 1):
        if _key(words[count - 1]) not in MINOR_WORDS and _key(words[count]) in MINOR_WORDS:
            keep = count
    return " ".join(words[:keep]).rstrip(":;,")


def citation_key(meta: ArticleMeta) -> str:
    """Return a citation key: first author's family name, year and first title word.

    >>> citation_key(ArticleMeta("000", "seeds/000.txt", "The struggle against Stalinism",
    ...                          authors=("Robert Narai",), date="2022-08-31"))
    'narai2022struggle'
    """
    family = split_name(meta.authors[0]).family if meta.authors else ""
    words = [re.sub(r"['’]", "", word) for word in re.findall(r"[\w'’]+", meta.title)]
    word = next((w for w in words if w.isalpha() and w.lower() not in MINOR_WORDS), "")
    return _ascii(family + meta.date[:4] + word) or _ascii(meta.doc_id) or "article"


def csl_type(meta: ArticleMeta) -> str:
    """Return the CSL type: an article in a named publication, else a web page."""
    return "article-magazine" if meta.publication else "webpage"


def csl_item(meta: ArticleMeta) -> dict:
    """Return the article as a CSL-JSON item, the form Zotero, Pandoc and citeproc read.

    >>> item = csl_item(ArticleMeta("000", "seeds/000.txt", "The struggle against Stalinism",
    ...                             authors=("Robert Narai",), date="2022-08-31"))
    >>> item["author"], item["issued"]
    ([{'family': 'Narai', 'given': 'Robert'}], {'date-parts': [[2022, 8, 31]]})
    """
    item: dict = {"id": citation_key(meta), "type": csl_type(meta),
                  "title": meta.title + (f": {meta.subtitle}" if meta.subtitle else "")}
    if meta.subtitle:
        item["title-short"] = meta.title
    for variable, names in (("author", meta.authors), ("translator", meta.translators)):
        if names:
            item[variable] = [_csl_name(split_name(name)) for name in names]
    original = meta.original
    texts = {"container-title": meta.publication, "publisher": meta.publisher,
             "section": meta.section, "URL": meta.url,
             "original-title": original.title if original else "",
             "original-publisher": original.publication if original else "",
             "note": _reprint_note(meta)}
    item.update({variable: text for variable, text in texts.items() if text})
    dates = {"issued": meta.date, "accessed": meta.accessed,
             "original-date": original.date if original else ""}
    item.update({variable: {"date-parts": [list(date_parts(iso))]}
                 for variable, iso in dates.items() if date_parts(iso)})
    custom = {"doc-id": meta.doc_id, "path": meta.path,
              "original-URL": original.url if original else ""}
    item["custom"] = {name: value for name, value in custom.items() if value}
    return item


def export(metas: list[ArticleMeta], fmt: str) -> str:
    """Return the articles as BibTeX, CSL-JSON or RIS text for a reference manager."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"Unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}.")
    keys = _unique_keys(metas)
    if fmt == "csl-json":
        items = [csl_item(meta) | {"id": key} for meta, key in zip(metas, keys, strict=True)]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    write = _bibtex_entry if fmt == "bibtex" else _ris_entry
    return "\n".join(write(meta, key) for meta, key in zip(metas, keys, strict=True))


def _bibtex_entry(meta: ArticleMeta, key: str) -> str:
    parts = date_parts(meta.date)
    original = meta.original
    fields = [
        ("author", " and ".join(_bibtex_name(name) for name in meta.authors)),
        ("title", _protect(_tex(meta.title), dict(meta.title_case))),
        ("subtitle", _protect(_tex(meta.subtitle), dict(meta.title_case))),
        ("journal", _tex(meta.publication)), ("publisher", _tex(meta.publisher)),
        ("section", _tex(meta.section)), ("date", meta.date if parts else ""),
        ("year", str(parts[0]) if parts else ""),
        ("month", MONTHS[parts[1] - 1][:3].lower() if len(parts) > 1 else ""),
        ("url", meta.url), ("urldate", meta.accessed),
        ("translator", " and ".join(_bibtex_name(name) for name in meta.translators)),
        ("origtitle", _protect(_tex(original.title), dict(meta.title_case)) if original else ""),
        ("origpublisher", _tex(original.publication) if original else ""),
        ("origdate", original.date if original else ""),
        ("origurl", original.url if original else ""),
        ("note", _tex(_reprint_note(meta)))]
    lines = [f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
             for name, value in fields if value]  # month is a BibTeX macro: month = aug
    kind = "article" if meta.publication else "online"
    return f"@{kind}{{{key},\n" + ",\n".join(lines) + "\n}\n"


def _ris_entry(meta: ArticleMeta, key: str) -> str:
    original = meta.original
    tags = [("TY", "MGZN" if meta.publication else "ELEC"), ("ID", key)]
    tags += [("AU", _bibtex_name(name)) for name in meta.authors]
    tags += [("TI", meta.title + (f": {meta.subtitle}" if meta.subtitle else "")),
             ("ST", meta.title if meta.subtitle else ""), ("T2", meta.publication),
             ("PB", meta.publisher), ("SE", meta.section), ("DA", _ris_date(meta.date)),
             ("PY", meta.date[:4]), ("UR", meta.url), ("Y2", _ris_date(meta.accessed))]
    tags += [("A4", _bibtex_name(name)) for name in meta.translators]
    tags += [("N1", _reprint_note(meta))] if original else []
    return "".join(f"{tag}  - {value}\n" for tag, value in tags if value) + "ER  - \n"


def _reprint_note(meta: ArticleMeta) -> str:
    original = meta.original
    if not original or not (original.publication or original.date or original.url):
        return ""
    facts = [f'"{original.title}"' if original.title else "", original.publication,
             original.date, original.url]
    return "Originally published: " + ", ".join(fact for fact in facts if fact)


def _csl_name(name: PersonName) -> dict:
    parts = {"family": name.family, "given": name.given, "suffix": name.suffix}
    return {part: value for part, value in parts.items() if value}


def _bibtex_name(name: str) -> str:
    person = split_name(name)
    return ", ".join(part for part in (person.family, person.suffix, person.given) if part)


def _tex(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


def _protect(text: str, known: Mapping[str, str] | None = None) -> str:
    """Brace the capitalised words after the first that a BibTeX style must not lowercase.

    Those are the words `search.casing` found to be proper nouns, or could not decide; a
    word the article's body writes in lowercase, or a minor word, is left for the style.
    """
    if not text:
        return ""
    known = known or {}
    words = text.split(" ")
    braced = [words[0]]
    for word in words[1:]:
        verdict = known.get(title_word(word))
        common = verdict == COMMON or (verdict is None and _key(word) in MINOR_WORDS)
        capital = re.search(r"[A-Z]", word)
        braced.append(f"{{{word}}}" if capital and not common else word)
    return " ".join(braced)


def _ris_date(iso: str) -> str:
    parts = [f"{part:02d}" for part in date_parts(iso)]
    return "/".join(parts + [""] * (4 - len(parts))) if parts else ""


def _unique_keys(metas: list[ArticleMeta]) -> list[str]:
    keys: list[str] = []
    for meta in metas:
        key, suffix = citation_key(meta), 0
        while (candidate := key + ("" if not suffix else chr(ord("a") + suffix - 1))) in keys:
            suffix += 1
        keys.append(candidate)
    return keys


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _key(word: str) -> str:
    return re.sub(r"[^\w]", "", word).lower()


def _first_letter(word: str) -> int:
    match = re.search(r"[^\W\d_]", word)
    return match.start() if match else len(word)


def _is_plain_capitalized(part: str) -> bool:
    """True for "Years" or "Workers'", False for "SMART", "McCarthy" or "of"."""
    start = _first_letter(part)
    return start < len(part) and part[start].isupper() and not any(
        char.isupper() for char in part[start + 1:])


def _opens_phrase(words: list[str], index: int) -> bool:
    return index > 0 and words[index - 1].endswith(_PHRASE_ENDS)


def _is_headline(words: list[str]) -> bool:
    major = [word for index, word in enumerate(words)
             if index and not _opens_phrase(words, index) and _first_letter(word) < len(word)
             and _key(word) not in MINOR_WORDS]
    return bool(major) and all(word[_first_letter(word)].isupper() for word in major)


def _headline(part: str, force: bool, minor: frozenset[str]) -> str:
    start = _first_letter(part)
    if start == len(part) or any(char.isupper() for char in part[start + 1:]):
        return part  # no letter, or an acronym or name with inner capitals: keep as written
    letter = part[start].lower() if _key(part) in minor and not force else part[start].upper()
    return part[:start] + letter + part[start + 1:]
