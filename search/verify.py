"""Check a quotation against the corpus: find every source, give a verdict, show the changes.

Verdicts, strictest first: exact (identical apart from typography and the first letter's
case), edited (only standard editorial marks, each standing for real source material),
variant (unmarked word changes), paraphrase (same content words, different wording) and
not_found. A wrong "verified" is the worst outcome, so `exact` and `edited` are only given
when every word and mark has been accounted for.

The stages: candidate blocks from the index (`Sources`), aligned word by word (`matching`),
a quotation stitched from two places (`stitched`), then paraphrases (`paraphrased`); the
result types live in `verdicts`.
"""

from __future__ import annotations

from dataclasses import replace

from .analyse import STOP_WORDS, fold, normalise
from .attribution import speaker_of
from .duplicates import PassageFolder
from .errors import InputError
from .frozen import frozen_dataclass
from .kinds import KIND_WEIGHT
from .matching import PIECES, WHOLE, Candidate, Context, Sources, align_blocks
from .paraphrased import paraphrases as find_paraphrases
from .quotation import Quotation, Token, TokenWindows, parse_quotation
from .stitched import stitched as find_stitched
from .verdicts import Match, Verdict, Verification

__all__ = ["MAX_SOURCES", "Match", "Sources", "Verdict", "Verification", "check_max_sources",
           "verify"]

VARIANT_MIN_SIMILARITY = 0.6
VARIANT_MIN_WORDING = 0.5  # a variant reproduces runs of the source's wording (not a paraphrase)
SHORT_QUOTE_WORDS = 8
SHORT_VARIANT_MIN_SIMILARITY = 0.75
MAX_SOURCES = 20  # sources a verification lists (`seedsearch cite --max-sources`)
ALIGN_MARGIN = 10  # verbatim candidates aligned past max_sources: some turn out variants
VERBATIM_BATCHES = 3  # batches of verbatim candidates at most, while too few verify
SPEAKER_CONTEXT = 6  # blocks before a source that `speaker_of` reads (a pronoun, "he added:")
KIND_RANK = {kind.value: weight for kind, weight in KIND_WEIGHT.items()}  # sources of equal verdict


def verify(sources: Sources, text: str, by: str = "", windows: TokenWindows | None = None,
           max_sources: int = MAX_SOURCES) -> Verification:
    """Find the best `max_sources` sources of a quotation and judge how it was quoted; the
    verification also counts the further verbatim occurrences it does not list.

    windows caches the tokens of source spans between calls (a batch often looks again
    where an earlier quotation looked); without it each call tokenises afresh.
    """
    check_max_sources(max_sources)
    quote = parse_quotation(text)
    _refuse_stop_words_only(quote)
    context = Context(sources, windows or TokenWindows(sources.text))
    parts = [[indexed_form(quote, t) for t in quote.segment_tokens(k) if not t.bracketed]
             for k in range(quote.segments)]
    limit = max_sources + ALIGN_MARGIN
    candidates, total = sources.verbatim_blocks(parts, VERBATIM_BATCHES * limit)
    found, aligned = _align_until(context, quote, candidates, limit, max_sources)
    listing = _listing(max_sources, total, aligned, found)
    matches = _dedupe(found)
    if sum(match.verdict.verified for match in matches) < max_sources:
        # Fewer verbatim sources than asked for: look for altered ones too.
        seen = {(doc_id, order) for doc_id, order, _ in candidates}
        similar = [c for c in sources.similar_blocks(parts) if (c[0], c[1]) not in seen]
        found += align_blocks(context, quote, similar)
        matches = _dedupe(found)
        candidates = aligned + similar
    accepted = [m for m in matches if _acceptable(m, quote)]
    accepted.sort(key=_rank)
    # Verbatim parts from two places explain a quotation better than substituted words.
    stitched = None if accepted and accepted[0].verdict.verified else \
        find_stitched(context, quote, candidates)
    if stitched is not None:
        return _finish(sources, text, Verdict.VARIANT, [stitched], None, by)
    if accepted:
        return _finish(sources, text, accepted[0].verdict, accepted, None, by, listing)
    paraphrases, near = find_paraphrases(context, quote, candidates)
    if paraphrases:
        return _finish(sources, text, Verdict.PARAPHRASE, paraphrases, None, by)
    closest = near or max(matches, key=lambda m: m.similarity, default=None)
    return _finish(sources, text, Verdict.NOT_FOUND, [], closest, by)


def indexed_form(quote: Quotation, token: Token) -> str:
    """A quotation word as the index holds it: with its inner apostrophe ("didn't"), which a
    token drops for alignment ("didnt", a word no block holds, made every quotation with a
    contraction miss its verbatim sources and fall through to the paraphrase stage).

    >>> quote = parse_quotation("Why didn’t the state")
    >>> [indexed_form(quote, token) for token in quote.tokens]
    ['Why', "didn't", 'the', 'state']
    """
    printed = normalise(quote.text[token.start:token.end])
    return printed if printed.replace("'", "") == token.text else token.text


def _align_until(context: Context, quote: Quotation, candidates: list[Candidate], batch: int,
                 wanted: int) -> tuple[list[Match], list[Candidate]]:
    """Align the verbatim candidates a batch at a time, best first, until `wanted` sources
    are verified (a candidate holds the rarest words in place, not always every word) or a
    batch verifies none: the matches, and the candidates aligned."""
    found: list[Match] = []
    done = verified = 0
    while done < len(candidates) and verified < wanted:
        more = align_blocks(context, quote, candidates[done:done + batch], PIECES)
        done += batch
        found += more
        if not any(match.verdict.verified for match in more):
            break
        verified = sum(match.verdict.verified for match in _dedupe(found))
    return found, candidates[:done]


def check_max_sources(max_sources: int) -> None:
    """Refuse a number of sources to list below one."""
    if isinstance(max_sources, bool) or not isinstance(max_sources, int) or max_sources < 1:
        raise InputError(f"max_sources must be a whole number of at least 1, not "
                         f"{max_sources!r}.")


@frozen_dataclass
class Listing:
    """How many sources to list; how many blocks hold the quotation's rarest words in place
    but were never aligned, and the share of those aligned that verified."""

    most: int = MAX_SOURCES
    unaligned: int = 0
    verified_share: float = 1.0


DEFAULT_LISTING = Listing()


def _listing(most: int, total: int, aligned: list[Candidate], found: list[Match]) -> Listing:
    """The listing, with the share of the aligned blocks holding the whole quotation's rarest
    words that turned out verified: the same share of the others is counted (a block can hold
    the rarest words in place and differ in another)."""
    whole = [(doc_id, order) for doc_id, order, score in aligned if score == WHOLE]
    verified = {(match.doc_id, match.block_order) for match in found if match.verdict.verified}
    share = sum(key in verified for key in whole) / len(whole) if whole else 1.0
    return Listing(most, max(0, total - len(whole)), share)


def _refuse_stop_words_only(quote: Quotation) -> None:
    if all(token.key in STOP_WORDS for token in quote.tokens):
        raise InputError(f"The quotation {quote.text.strip()!r} has only common words "
                         "(the, of, to...); nothing distinctive to look for.")


def _acceptable(match: Match, quote: Quotation) -> bool:
    """Exact and edited always; a variant only when most of its words are the source's."""
    if match.verdict.verified:
        return True
    if match.wording < VARIANT_MIN_WORDING:
        return False
    short = len(quote.tokens) <= SHORT_QUOTE_WORDS
    floor = SHORT_VARIANT_MIN_SIMILARITY if short else VARIANT_MIN_SIMILARITY
    return match.similarity >= floor


def _rank(match: Match) -> tuple:
    order = [Verdict.EXACT, Verdict.EDITED, Verdict.VARIANT].index(match.verdict)
    return (order, -match.similarity, -KIND_RANK.get(match.kind, 0.0), match.doc_id, match.start)


def _dedupe(matches: list[Match]) -> list[Match]:
    """Keep the best match among those covering overlapping text of the same article."""
    kept: list[Match] = []
    for match in sorted(matches, key=_rank):
        if not any(other.doc_id == match.doc_id and other.start < match.end
                   and match.start < other.end for other in kept):
            kept.append(match)
    return kept


def _finish(sources: Sources, text: str, verdict: Verdict, matches: list[Match],
            closest: Match | None, by: str, listing: Listing = DEFAULT_LISTING) -> Verification:
    """The verification: copies of a passage folded together, the first `listing.most`
    sources with their speakers, the verbatim occurrences past them counted."""
    folder = PassageFolder(sources.copies, sources.articles)
    kept = [match for match in matches if not folder.seen(match.doc_id, match.source_text)]
    shown = [_with_speaker(sources, replace(match, also_in=folder.also_in(
        match.doc_id, match.source_text))) for match in kept[:listing.most]]
    more = round(listing.unaligned * listing.verified_share) + sum(
        m.verdict.verified for m in kept[listing.most:]) if verdict.verified else 0
    estimated = verdict.verified and listing.unaligned > 0
    attributed = None
    if by:
        wanted = fold(by.split()[-1]) if by.split() else ""
        attributed = any(wanted and wanted in fold(m.speaker).replace("'", " ").split()
                         or wanted in m.speaker.lower() for m in shown if m.speaker)
    warnings = tuple(w for m in shown[:1] for w in m.warnings)
    return Verification(text, verdict, tuple(shown), closest, warnings, by, attributed, more,
                        estimated)


def _with_speaker(sources: Sources, match: Match) -> Match:
    """The match with whom the article credits with its words (read from the span's block,
    the six before it and the one after)."""
    order = match.block_order
    blocks = sources.block_run(match.doc_id, order - SPEAKER_CONTEXT, order + 1)
    said, sentence = speaker_of(blocks, sources.text(match.doc_id), match.start, match.end)
    return replace(match, speaker=said, speaker_sentence=sentence) if said else match
