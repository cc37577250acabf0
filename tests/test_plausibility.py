"""The bundled synthetic ecosystem is plausible to someone who knows Shanghai's schools and
industries: schools offer what their type and name make likely, firms demand what their chain
needs and carry names of their trade, and synthetic credit codes stay in their reserved range.

These rules are checked on the checked-in files (data/shanghai), which the generator reproduces
byte for byte (tests/test_dataset.py)."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

from graph.validation import SYNTHETIC_USCC_PREFIX, check_uscc, is_synthetic_uscc
from loaders.reference import load_reference
from loaders.synthetic_vocab import CHAIN_AFFINITY, CHAIN_PROFILES, SCHOOL_DISCIPLINE_LEVELS

DATASET = Path(__file__).resolve().parent.parent / "data" / "shanghai"

# What a school's name makes likely (the rules): a keyword → catalogue families (code
# prefixes) at least one of which the school's profile must hold, per school level.
NAME_RULES = (
    (("外国语",), {"undergraduate": ("0502",), "higher_vocational": ("5702",)}),
    (("医", "健康"), {"undergraduate": ("10",), "higher_vocational": ("52",)}),
    (("财经", "金融", "会计", "商"), {"undergraduate": ("02", "12"), "higher_vocational": ("53",)}),
    (("理工", "工程", "电力", "电机", "交通", "海事", "海洋"), {"undergraduate": ("08",), "higher_vocational": ("46", "50")}),
    (("音乐", "戏剧", "视觉艺术", "美术", "电影"), {"undergraduate": ("13",), "higher_vocational": ("55",)}),
    (("体育",), {"undergraduate": ("0402",)}),
    (("师范",), {"undergraduate": ("04",)}),
    (("政法", "公安"), {"undergraduate": ("03",)}),
)
COMPREHENSIVE = ("复旦大学", "上海交通大学", "同济大学", "华东师范大学", "上海大学")


@cache
def rows(table: str) -> list[dict[str, str]]:
    with (DATASET / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def offered() -> dict[str, frozenset[str]]:
    """School name → the majors it offers in any year."""
    names = {row["code"]: row["name"] for row in rows("schools")}
    majors: dict[str, set[str]] = defaultdict(set)
    for offer in rows("offers"):
        majors[names[offer["school"]]].add(offer["discipline"])
    return {name: frozenset(codes) for name, codes in majors.items()}


def major_code(name: str, level: str = "undergraduate") -> str:
    return next(row["code"] for row in rows("disciplines") if row["name"] == name and row["level"] == level)


def test_no_school_offers_a_major_outside_its_profile() -> None:
    profiles = load_reference().school_profiles
    names = {row["code"]: row["name"] for row in rows("schools")}
    outside = sorted({(names[o["school"]], o["discipline"]) for o in rows("offers")
                      if not profiles[o["school"]].covers(o["discipline"])})
    assert outside == []
    assert len(offered()) == 70  # every school offers something


def test_schools_offer_majors_of_their_level_only() -> None:
    level = {row["code"]: row["level"] for row in rows("disciplines")}
    school_level = {row["name"]: row["level"] for row in rows("schools")}
    for school, majors in offered().items():
        assert {level[code] for code in majors} <= set(SCHOOL_DISCIPLINE_LEVELS[school_level[school]]), school


@pytest.mark.parametrize(("keywords", "families"), NAME_RULES, ids=lambda value: "/".join(value) if isinstance(value, tuple) else "")
def test_a_schools_name_points_to_what_it_teaches(keywords: tuple[str, ...], families: dict[str, tuple[str, ...]]) -> None:
    schools = [row for row in rows("schools") if any(word in row["name"] for word in keywords)]
    assert schools, keywords
    for school in schools:
        wanted = families.get(school["level"])
        if wanted is None:
            continue
        share = sum(code.startswith(wanted) for code in offered()[school["name"]]) / len(offered()[school["name"]])
        assert share > 0, (school["name"], wanted)


def test_named_schools_offer_what_everyone_expects() -> None:
    sjtu, sisu = offered()["上海交通大学"], offered()["上海外国语大学"]
    assert {major_code("计算机科学与技术"), major_code("电子信息工程"), major_code("微电子科学与工程")} <= sjtu
    assert not {major_code("马其顿语"), major_code("克里奥尔语"), major_code("涉外警务")} & sjtu
    assert major_code("冶金工程") not in sisu
    assert {major_code("英语"), major_code("日语")} <= sisu
    assert all(code.startswith(("13",)) for code in offered()["上海音乐学院"])
    assert all(code.startswith("0306") for code in offered()["上海公安学院"])
    assert major_code("临床医学") in offered()["复旦大学"]
    tcm = offered()["上海中医药大学"]
    assert {major_code("中医学"), major_code("中药学")} <= tcm and not [code for code in tcm if code.startswith("08")]


def test_only_the_language_university_teaches_rare_languages() -> None:
    common = {major_code(name) for name in ("英语", "俄语", "德语", "法语", "西班牙语", "阿拉伯语", "日语", "朝鲜语",
                                            "翻译", "商务英语")}
    for school, majors in offered().items():
        if school != "上海外国语大学":
            assert {code for code in majors if code.startswith("0502")} <= common, school
    assert len([code for code in offered()["上海外国语大学"] if code.startswith("0502")]) > 10


def test_common_majors_are_widely_offered_and_universities_are_broad() -> None:
    schools_per_major = Counter(code for majors in offered().values() for code in majors)
    assert schools_per_major[major_code("计算机科学与技术")] >= 10
    assert schools_per_major[major_code("电子信息工程")] >= 5
    for school in COMPREHENSIVE:
        assert len({code[:2] for code in offered()[school]}) >= 7, school
    assert len(offered()["上海大学"]) > len(offered()["上海科技大学"]) * 5  # sized by school


def test_every_demand_is_needed_by_the_enterprises_chain() -> None:
    chains = {row["code"]: row["parent"] for row in rows("industry_chains")}

    def family(code: str) -> set[str]:  # the chain, its ancestors and its segments
        related = {code}
        while chains[code]:
            code = chains[code]
            related.add(code)
        return related | {child for child, parent in chains.items() if parent in related}

    needs: dict[str, set[str]] = defaultdict(set)
    for need in rows("chain_needs"):
        needs[need["chain"]].add(need["discipline"])
    firm_chains = {row["uscc"]: row["chains"].split(";") for row in rows("enterprises")}
    for demand in rows("demands"):
        reachable = set().union(*(needs[c] for chain in firm_chains[demand["enterprise"]] for c in family(chain)))
        assert demand["discipline"] in reachable, demand


def test_enterprise_names_and_second_chains_fit_their_industry() -> None:
    parent = {row["code"]: row["parent"] for row in rows("industry_chains")}

    def top(code: str) -> str:
        return top(parent[code]) if parent[code] else code

    def name_words(code: str) -> tuple[str, ...]:
        return CHAIN_PROFILES[code][1] if code in CHAIN_PROFILES else name_words(parent[code])

    for firm in rows("enterprises"):
        chains = firm["chains"].split(";")
        assert any(word in firm["name"] for word in name_words(chains[0])), firm["name"]
        first = top(chains[0])
        assert {top(chain) for chain in chains} <= {first, *CHAIN_AFFINITY[first]}, firm
    in_ic = [firm["name"] for firm in rows("enterprises") if any(top(c) == "IC" for c in firm["chains"].split(";"))]
    assert in_ic and not [name for name in in_ic if "化妆品" in name or "美妆" in name or "食品" in name]


def test_every_synthetic_credit_code_is_in_the_reserved_range() -> None:
    for firm in rows("enterprises"):
        assert check_uscc(firm["uscc"]) == firm["uscc"]
        assert firm["uscc"].startswith(SYNTHETIC_USCC_PREFIX) and is_synthetic_uscc(firm["uscc"])
    assert not is_synthetic_uscc("913100006073349865")  # a published code (SMIC) is not in the range
