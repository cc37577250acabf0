"""Search relevance: how well a node's name (or key) matches a search text, in [0, 1].

Chinese has no spaces between words, so the ranking works on characters, not tokens. After
normalising both texts (Unicode NFKC, so full-width letters match half-width ones, then case
folding and trimming), a candidate scores:

- 1.0 when it equals the text;
- 0.7 to 0.9 when it starts with the text, more the larger the share of the candidate matched;
- 0.5 to 0.7 when it contains the text, likewise;
- up to 0.45 by the overlap of character bigrams (Dice coefficient, spaces removed) when at least
  `MIN_BIGRAM_OVERLAP` of them are shared, so '交通大学' finds '上海交通大学' (a substring) well
  ahead of '上海大学' (one bigram, 大学, in common).

A key (a code, not words) only scores by the first three rules. A node's score is the best of
its names' (`SEARCHED_PROPS`: the name and, for schools, the English name) and its key's; a text
that is an alias (`graph.aliases`: 上海交大, SJTU, pinyin) also scores the names it stands for by
the first three rules, so its school comes first. Results are ordered by score, then label
and key. Both stores rank with these functions so they return the same order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

EXACT: Final = 1.0
PREFIX: Final = 0.7
SUBSTRING: Final = 0.5
COVERAGE: Final = 0.2
BIGRAM: Final = 0.45
MIN_BIGRAM_OVERLAP: Final = 0.3
SEARCHED_PROPS: Final = ("name", "name_en")  # the properties search compares the text with

METHOD: Final = (
    "Names and keys are compared after Unicode NFKC normalisation and case folding: an exact match "
    "scores 1.0; a prefix 0.7–0.9 and a substring 0.5–0.7, more when it covers more of the name; "
    "otherwise the Dice overlap of character bigrams (so Chinese needs no word breaks) scores up to "
    f"0.45 when at least {MIN_BIGRAM_OVERLAP:.0%} of bigrams are shared. English names count as names; an "
    "abbreviation, former name or pinyin spelling (SJTU, 上海交大, fudan) counts as the name it stands for. "
    "Keys match exactly, by prefix or as a substring only."
)


@lru_cache(maxsize=262_144)
def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=262_144)
def bigrams(normalised: str) -> frozenset[str]:
    compact = normalised.replace(" ", "")
    return frozenset(compact[i : i + 2] for i in range(len(compact) - 1))


def text_score(query: str, candidate: str, fuzzy: bool = True) -> float:
    """The score of one normalised candidate for a normalised, non-empty query; `fuzzy` allows
    the bigram overlap."""
    if not candidate:
        return 0.0
    if candidate == query:
        return EXACT
    coverage = len(query) / len(candidate)
    if candidate.startswith(query):
        return PREFIX + COVERAGE * coverage
    if query in candidate:
        return SUBSTRING + COVERAGE * coverage
    return BIGRAM * dice(bigrams(query), bigrams(candidate)) if fuzzy else 0.0


def dice(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    overlap = 2 * len(left & right) / (len(left) + len(right))
    return overlap if overlap >= MIN_BIGRAM_OVERLAP else 0.0


def relevance(query: str, names: Sequence[str | None], key: str, canonical: Sequence[str] = ()) -> float:
    """The score of a node with these names (`SEARCHED_PROPS`' values) and `key` for the raw search
    text `query` (0: no match). `canonical` holds the names the text stands for when it is an
    alias (`graph.aliases.expansions`): a name equal to one scores as an exact match."""
    wanted = normalise(query)
    if not wanted:
        return 0.0
    best = text_score(wanted, normalise(key), fuzzy=False)
    for name in names:
        if isinstance(name, str) and name:
            stored = normalise(name)
            best = max(best, text_score(wanted, stored), *(text_score(normalise(c), stored, fuzzy=False) for c in canonical))
    return best
