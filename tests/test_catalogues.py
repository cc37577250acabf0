"""The catalogue reference files (data/reference, provenance in its README): the graduate
discipline catalogue of 2022 and the 中职 大类 of the 2021 vocational catalogue. Counts are the
ones the catalogues announce; code rules are the catalogues' own; the graduate catalogue loads
as Discipline nodes on both stores."""

from __future__ import annotations

import csv
import re
from collections import Counter

from graph.filters import Compare, Op
from graph.model import NODES
from graph.records import Provenance
from graph.store import GraphStore
from graph.validation import validate_node
from loaders.bundled import REFERENCE_DIR
from loaders.reference import load_reference

# 学科门类 codes and names (研究生教育学科专业目录（2022年）).
GATES = {"01": "哲学", "02": "经济学", "03": "法学", "04": "教育学", "05": "文学", "06": "历史学", "07": "理学",
         "08": "工学", "09": "农学", "10": "医学", "11": "军事学", "12": "管理学", "13": "艺术学", "14": "交叉学科"}
# 36 doctoral and 31 master's professional degree categories, as the catalogue's announcement counts them.
PROFESSIONAL = 36 + 31
SOURCE = Provenance("data/reference", "2025-01-01T00:00:00+08:00")


def read(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_graduate_catalogue_has_every_professional_degree_category() -> None:
    rows = read("graduate_disciplines.csv")
    assert Counter(row["type"] for row in rows) == {"学术学位": 107, "专业学位": PROFESSIONAL}
    codes = [row["code"] for row in rows]
    assert len(set(codes)) == len(codes) and codes == sorted(codes)
    by_code = {row["code"]: row["name"] for row in rows}
    assert [by_code[code] for code in ("0151", "0862", "1152", "1157")] == ["应用伦理", "风景园林", "联合作战指挥", "军事训练与管理"]
    assert "0953" not in by_code and "1151" not in by_code  # the 2011 codes of 风景园林 and 军事


def test_graduate_codes_follow_the_catalogues_rules() -> None:
    """Four digits; the first two are the 门类; professional degree categories number from x5x up
    (0851 … 0862), first-level disciplines below (x7x would be a discipline listed under a second 门类)."""
    for row in read("graduate_disciplines.csv"):
        code = row["code"]
        assert re.fullmatch(r"\d{4}", code), code
        assert GATES[code[:2]] == row["category"], row
        assert (code[2] in "56") == (row["type"] == "专业学位"), row


def test_secondary_vocational_categories_mirror_the_tertiary_ones() -> None:
    """The 19 中职 大类 61–79 are the 高职专科 大类 41–59 (and 职业本科 21–39) by name, code + 20 (+ 40)."""
    rows = read("secondary_vocational_categories.csv")
    assert [row["code"] for row in rows] == [str(code) for code in range(61, 80)]
    majors = read("majors.csv")
    tertiary = {row["code"][:2]: row["category"] for row in majors if row["code"][:1] in "2345"}
    for row in rows:
        assert tertiary[str(int(row["code"]) - 20)] == row["name"] == tertiary[str(int(row["code"]) - 40)], row


def test_catalogue_codes_never_collide() -> None:
    graduate = {row["code"] for row in read("graduate_disciplines.csv")}
    majors = {row["code"] for row in read("majors.csv")}
    assert not graduate & majors


def test_the_graduate_catalogue_loads_as_disciplines(store: GraphStore) -> None:
    rows = [row for row in load_reference().disciplines if row["level"].startswith("graduate_")]
    typed = []
    for row in rows:
        props, errors = validate_node(NODES["Discipline"], row)
        assert errors == {}, (row, errors)
        typed.append(props)
    store.upsert_nodes("Discipline", typed, SOURCE)
    assert store.count_nodes("Discipline", Compare("level", Op.EQ, "graduate_professional")) == PROFESSIONAL
    assert store.count_nodes("Discipline", Compare("level", Op.EQ, "graduate_academic")) == 107
    military = store.get_nodes("Discipline", ["1153"])["1153"].props
    assert (military["name"], military["category"], military["major_class"]) == ("军兵种作战指挥", "军事学", "专业学位类别")
