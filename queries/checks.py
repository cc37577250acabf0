"""Argument checks shared by the gap, matching and target queries. Each failure is a
`ValueError` that names the argument, the value and the rule, ready for a GraphQL error or the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from graph.model import DISCIPLINE_LEVELS, rel_kind
from graph.store import GraphStore
from graph.validation import KEY_PATTERNS, KeyRule

_YEAR = rel_kind("OFFERS").prop("year")  # every year of the model has the same bounds
FIRST_YEAR, LAST_YEAR = int(_YEAR.minimum or 0), int(_YEAR.maximum or 9999)
MAX_YEARS = 50


def check_year(year: int, name: str = "year") -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{name} {year} is out of range: expected a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def check_years(from_year: int, to_year: int) -> list[int]:
    """The years from `from_year` to `to_year` inclusive, at most MAX_YEARS of them."""
    check_year(from_year, "fromYear")
    check_year(to_year, "toYear")
    if to_year < from_year:
        raise ValueError(f"toYear {to_year} is before fromYear {from_year}")
    if to_year - from_year + 1 > MAX_YEARS:
        raise ValueError(f"fromYear {from_year} to toYear {to_year} spans more than {MAX_YEARS} years")
    return list(range(from_year, to_year + 1))


def check_level(level: str | None) -> str | None:
    if level is not None and level not in DISCIPLINE_LEVELS:
        raise ValueError(f"level {level!r} is not a discipline level; expected one of {', '.join(DISCIPLINE_LEVELS)}")
    return level


def check_thresholds(shortage_below: float, surplus_above: float) -> None:
    if shortage_below < 0:
        raise ValueError(f"shortageBelow {shortage_below} must be 0 or more")
    if surplus_above < shortage_below:
        raise ValueError(f"surplusAbove {surplus_above} must not be below shortageBelow {shortage_below}")


def check_districts(store: GraphStore, districts: Sequence[str] | None) -> tuple[str, ...] | None:
    """The distinct district codes, sorted, after checking each is a known 6-digit adcode."""
    if districts is None:
        return None
    codes = tuple(sorted({code.strip() for code in districts}))
    pattern, wanted = KEY_PATTERNS[KeyRule.ADCODE]
    malformed = [code for code in codes if not pattern.match(code)]
    if malformed:
        raise ValueError(f"districts: {', '.join(map(repr, malformed))} is not {wanted}")
    unknown = sorted(set(codes) - set(store.get_nodes("District", codes)))
    if unknown:
        raise ValueError(f"districts: no district has the code {', '.join(map(repr, unknown))}")
    return codes


def check_chain(store: GraphStore, chain: str | None) -> None:
    if chain is not None and not store.get_nodes("IndustryChain", [chain]):
        raise ValueError(f"chain: no industry chain has the code {chain!r}")


def check_first(first: int, maximum: int, name: str = "first") -> int:
    if not 0 <= first <= maximum:
        raise ValueError(f"{name} {first} is out of range: expected 0 to {maximum}")
    return first
