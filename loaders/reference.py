"""The bundled dataset's real and curated tables, as rows of the model's tables (DESIGN §3).

Two kinds of input, both checked in under `data/` (found by `loaders.bundled`):
- `data/reference/`: real public facts (schools, districts, the major catalogue) in their source
  layout and wording; this module maps them onto the model (see `data/reference/README.md`).
- `data/plan/`: tables curated from the 2021–2025 action plan (industry chains, zones and the
  chain → discipline crosswalk), already in the model's layout and meant to be edited by hand.

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
# Schools missing from the packaged MoE code list get 99310000NN, NN numbering them in file order.
PROVISIONAL_SCHOOL_PREFIX = "99310000"
# Two English names in the source are wrong (a Chinese name; a pre-2023 name); corrected here.
NAME_EN_FIXES = {
    "华东政法大学": "East China University of Political Science and Law",
    "上海体育大学": "Shanghai University of Sport",
}
YES_NO = {"是": "true", "否": "false"}

SCHOOL_COLUMNS = ("moe_code", "name", "name_en", "authority", "level", "ownership", "double_first_class",
                  "main_campus_district")
MAJOR_COLUMNS = ("code", "name", "level", "category", "major_class")
DISTRICT_COLUMNS = ("adcode", "name", "longitude", "latitude")


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

    TABLES = ("districts", "schools", "disciplines", "industry_chains", "zones", "chain_needs")

    def table(self, name: str) -> list[Row]:
        rows: list[Row] = getattr(self, name)
        return rows


def load_reference(reference_dir: Path = REFERENCE_DIR, plan_dir: Path = PLAN_DIR) -> ReferenceData:
    """Read, map and check every reference and plan table; ReferenceDataError on the first problem."""
    districts = district_rows(reference_dir / "shanghai_districts.csv")
    schools = school_rows(reference_dir / "shanghai_schools.csv", {row["name"]: row["code"] for row in districts})
    disciplines = discipline_rows(reference_dir / "majors.csv")
    district_codes = {row["code"] for row in districts}
    chains = chain_rows(plan_dir / "industry_chains.csv")
    zones = zone_rows(plan_dir / "zones.csv", district_codes)
    needs = chain_need_rows(plan_dir / "chain_needs.csv", {row["code"] for row in chains},
                            {row["code"] for row in disciplines})
    return ReferenceData(districts, schools, disciplines, chains, zones, needs)


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


def school_rows(path: Path, district_codes: dict[str, str]) -> list[Row]:
    """`schools` rows: MoE code or a provisional key, levels and flags in the model's words."""
    rows: list[Row] = []
    provisional = 0
    for number, source in read_csv(path, SCHOOL_COLUMNS):
        code = source["moe_code"]
        if not code:
            provisional += 1
            code = f"{PROVISIONAL_SCHOOL_PREFIX}{provisional:02d}"
        rows.append(_checked(path, number, "schools", _school(path, number, source, code, district_codes)))
    _check_unique(path, rows, "code")
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
        "code": code, "name": name, "name_en": NAME_EN_FIXES.get(name, source["name_en"]), "level": level,
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
