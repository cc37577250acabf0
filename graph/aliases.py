"""Other names people search by: abbreviations (复旦, 上海交大, SJTU), former names and pinyin.

Search expands a text that is such an alias into the canonical names it stands for, so both
stores find 上海交通大学 for `SJTU`, `交大`, `jiaoda` or `shanghaijiaotongdaxue` the same way
(`graph.relevance` scores the canonical name as an exact match). The table is
`data/reference/school_aliases.csv` (curated: `alias`, `name`) plus what is derived from the
reference names: the pinyin of every school and district name, of each Chinese alias, and of each
district name without its 区 suffix (闵行 → minhang). Pinyin is spelled without tones or spaces;
a character with several readings yields each reading (长宁 → changning and zhangning). Aliases
are compared after `graph.relevance.normalise` with spaces removed, so `Fudan`, `fudan` and
`FU DAN` are one alias.
"""

from __future__ import annotations

import csv
import itertools
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.constants import PINYIN_DICT

from graph.relevance import normalise

REFERENCE_DIR: Final = Path(__file__).resolve().parent.parent / "data" / "reference"
ALIAS_FILE: Final = "school_aliases.csv"
MAX_READINGS: Final = 8  # spellings kept per name when characters have several readings
# Properties that `orderBy` sorts by their `sort_key`, then by the text itself for equal keys
# (both stores: the embedded reader and the Neo4j order clause ask `pinyin_ordered`).
PINYIN_ORDERED: Final = frozenset({"name"})


def spellings(name: str) -> list[str]:
    """The toneless pinyin of a Chinese name, one string per combination of readings (at most
    MAX_READINGS); characters that are not Chinese are kept as they are."""
    readings = pinyin(name, style=Style.NORMAL, heteronym=True, errors="default")
    combos = itertools.islice(itertools.product(*(dict.fromkeys(options) for options in readings)), MAX_READINGS)
    return ["".join(combo) for combo in combos]


@lru_cache(maxsize=262_144)
def sort_key(name: str) -> str:
    """A name's sort key: its toneless pinyin (each character's most common reading), syllables
    separated by spaces, so Chinese names sort as a Chinese reader expects (安 < 北 < 复 < 上 …)
    instead of by code point; other text is kept, case-folded. Names with the same key sort by the
    name itself (see `PINYIN_ORDERED`). Read a character at a time, without the phrase
    dictionary: some 30 times faster, which every write of a name on Neo4j and the embedded
    store's first sort of many names pay."""
    words, run = [], ""
    for char in normalise(name):
        reading = _reading(char)
        if reading is None:
            run += char
        else:
            words += [run, reading]
            run = ""
    return " ".join(" ".join([*words, run]).split())


@lru_cache(maxsize=65_536)
def _reading(char: str) -> str | None:
    """The toneless most common reading of a Chinese character; None for any other character."""
    return lazy_pinyin(char)[0] if ord(char) in PINYIN_DICT else None


def pinyin_ordered(prop: str) -> bool:
    """Whether sorting by `prop` means sorting by its `sort_key`, then by the value itself."""
    return prop in PINYIN_ORDERED


def _compact(text: str) -> str:
    return normalise(text).replace(" ", "")


@cache
def alias_table(reference_dir: Path = REFERENCE_DIR) -> dict[str, tuple[str, ...]]:
    """Compact alias → the canonical names it stands for (usually one)."""
    table: dict[str, dict[str, None]] = {}

    def add(alias: str, name: str) -> None:
        if _compact(alias) != _compact(name):
            table.setdefault(_compact(alias), {})[name] = None

    with (reference_dir / ALIAS_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            add(row["alias"], row["name"])
            for spelling in spellings(row["alias"]):
                add(spelling, row["name"])
    for file, column in (("shanghai_schools.csv", "name"), ("shanghai_districts.csv", "name")):
        with (reference_dir / file).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = row[column]
                short = name.removesuffix("区") if file == "shanghai_districts.csv" else name
                for spelling in {*spellings(name), *spellings(short)}:
                    add(spelling, name)
                add(short, name)
    return {alias: tuple(names) for alias, names in table.items()}


def expansions(text: str) -> tuple[str, ...]:
    """The canonical names a search text stands for, if it is an alias; () otherwise."""
    return alias_table().get(_compact(text), ())
