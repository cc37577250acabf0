"""Loading tables into both stores: every format, located errors, reject files, idempotence,
dry runs and strict mode. The dataset is the hand-written `tests/fixtures/loaders/basic`; other
formats are written from the same cells; expected counts are counted by hand from those files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph.records import Direction, NodeRef
from graph.store import GraphStore
from loaders.readers import InputError
from loaders.report import LoadReport
from loaders.run import LoadOptions, load, prepare

BASIC = Path(__file__).parent / "fixtures" / "loaders" / "basic"
INT_COLUMNS = {"year", "enrollment", "graduates"}  # written as numbers in JSON and XLSX
LIST_COLUMNS = {"chains"}  # written as arrays in JSON

# Counted by hand from the fixture files: 3 districts, 2 disciplines, 2 chains (IC-DESIGN PART_OF
# IC), 2 schools (each LOCATED_IN one district), 2 enterprises (LOCATED_IN; IN_CHAIN 1 + 2), 2 offers.
BASIC_NODES = {"District": 3, "Discipline": 2, "IndustryChain": 2, "School": 2, "Enterprise": 2}
BASIC_RELS = {"PART_OF": 1, "LOCATED_IN": 4, "IN_CHAIN": 3, "OFFERS": 2}


# -- writing the same cells in every format ----------------------------------------------------------


def read_csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as file:
        return list(csv.DictReader(file))


def basic_tables() -> dict[str, list[dict[str, Any]]]:
    return {path.stem: read_csv_rows(path) for path in sorted(BASIC.glob("*.csv"))}


def typed(row: dict[str, Any], arrays: bool) -> dict[str, Any]:
    """Cells as a JSON or XLSX producer would type them: counts as numbers, lists as arrays."""
    out: dict[str, Any] = {}
    for name, value in row.items():
        if name in INT_COLUMNS and str(value).isdigit():
            value = int(value)
        elif arrays and name in LIST_COLUMNS and value:
            value = str(value).split(";")
        out[name] = value
    return out


def write_table(path: Path, rows: list[dict[str, Any]], file_format: str, encoding: str = "utf-8") -> None:
    header = list(rows[0]) if rows else []
    if file_format == "csv":
        with path.open("w", encoding=encoding, newline="") as file:
            writer = csv.writer(file)
            writer.writerow(header)
            writer.writerows([[row.get(name, "") for name in header] for row in rows])
    elif file_format == "jsonl":
        path.write_text("".join(json.dumps(typed(row, True), ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    elif file_format == "json":
        path.write_text(json.dumps([typed(row, True) for row in rows], ensure_ascii=False), encoding="utf-8")
    else:
        raise ValueError(file_format)


def write_workbook(path: Path, tables: dict[str, list[dict[str, Any]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in tables.items():
        sheet = workbook.create_sheet(name)
        header = list(rows[0])
        sheet.append(header)
        for row in rows:
            sheet.append([typed(row, False).get(column) or None for column in header])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as Excel keeps it
    workbook.save(path)


def write_dataset(folder: Path, tables: dict[str, list[dict[str, Any]]], file_format: str, encoding: str = "utf-8") -> Path:
    """The tables in `folder` (a workbook in it for xlsx); returns the path to load."""
    folder.mkdir(parents=True, exist_ok=True)
    if file_format == "xlsx":
        write_workbook(folder / "dataset.xlsx", tables)
        return folder / "dataset.xlsx"
    for name, rows in tables.items():
        write_table(folder / f"{name}.{file_format}", rows, file_format, encoding)
    return folder


def run(paths: list[Path], store: GraphStore, **options: Any) -> LoadReport:
    settings = LoadOptions(**options)
    return load(prepare(paths, settings), store, settings)


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {name: count for name, count in counts.items() if count}


def counts_of(report: LoadReport) -> dict[str, dict[str, tuple[int, int, int]]]:
    return {
        table.source.where: {kind: (c.created, c.updated, c.unchanged) for kind, c in table.counts.items()}
        for table in report.tables
    }


# -- every format loads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_format", "encoding"),
    [("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gb18030"), ("jsonl", "utf-8"), ("json", "utf-8"), ("xlsx", "")],
)
def test_each_format_loads(store: GraphStore, tmp_path: Path, file_format: str, encoding: str) -> None:
    path = write_dataset(tmp_path / "data", basic_tables(), file_format, encoding)
    report = run([path], store, rejects_dir=tmp_path / "rejects")
    assert [error.line for error in report.errors] == []
    assert report.exit_code == 0
    stats = store.stats()
    assert nonzero(stats.nodes) == BASIC_NODES
    assert nonzero(stats.relationships) == BASIC_RELS
    fudan = store.get_nodes("School", ["4131010246"])["4131010246"]
    assert fudan.props["name"] == "复旦大学"
    assert fudan.props["double_first_class"] is True
    expected_source = "dataset.xlsx:schools" if file_format == "xlsx" else f"schools.{file_format}"
    assert fudan.props["source"] == expected_source
    assert fudan.props["loaded_at"] == report.started_at


def test_gb18030_file_is_really_not_utf8(tmp_path: Path) -> None:
    # Guards the test above: the GB18030 file must not also be valid UTF-8.
    write_dataset(tmp_path, {"districts": basic_tables()["districts"]}, "csv", "gb18030")
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "districts.csv").read_bytes().decode("utf-8")


def test_reference_columns_become_relationships(store: GraphStore, tmp_path: Path) -> None:
    run([BASIC], store, rejects_dir=tmp_path)
    zhangjiang = NodeRef("Enterprise", "91310115MA1H000011")
    yangpu = NodeRef("Enterprise", "91310110MA1G000029")
    chains = store.neighbours([zhangjiang, yangpu], "IN_CHAIN", Direction.OUT)
    assert [n.node.key for n in chains[zhangjiang]] == ["IC-DESIGN"]
    assert [n.node.key for n in chains[yangpu]] == ["IC", "IC-DESIGN"]
    offers = store.neighbours([NodeRef("School", "4131010246")], "OFFERS", Direction.OUT)
    (offer,) = offers[NodeRef("School", "4131010246")]
    assert (offer.node.key, offer.rel.props["year"], offer.rel.props["graduates"]) == ("080901", 2024, 110)


# -- bad cells, located, rejected and reloaded -----------------------------------------------------------

SCHOOLS_HEADER = "code,name,level,district,double_first_class"
BAD_SCHOOLS = [  # one bad cell per row, each of a different kind, except row 7 (good)
    "413101024,复旦大学,undergraduate,310110,是",  # row 2: key format
    "4131010248,,undergraduate,310104,true",  # row 3: required value missing
    "4131010249,=cmd|' /C calc'!A0,college,310104,是",  # row 4: not a choice (and a formula-like name)
    "4131010250,同济大学,undergraduate,310104,maybe",  # row 5: not a yes/no value
    "4131010251,上海大学,undergraduate,310199,否",  # row 6: dangling reference
    "4131010252,上海理工大学,undergraduate,310110,否",  # row 7: good
    "4131010252,上海理工大学,undergraduate,310110,否",  # row 8: duplicate key
]
FIXES = {  # original key → fixed cells, for the reject file
    "413101024": {"code": "4131010247"},
    "4131010248": {"name": "上海交通大学"},
    "4131010249": {"level": "undergraduate"},
    "4131010250": {"double_first_class": "否"},
    "4131010251": {"district": "310115"},
    "4131010252": {"code": "4131010253"},
}


def bad_school_rows() -> list[dict[str, Any]]:
    header = SCHOOLS_HEADER.split(",")
    return [dict(zip(header, next(csv.reader([line])), strict=True)) for line in BAD_SCHOOLS]


def expected_lines(where: str, shift: int = 0) -> list[str]:
    """The error lines of BAD_SCHOOLS; `shift` -1 for JSON Lines, whose first row is line 1."""
    levels = "undergraduate, higher_vocational, vocational_undergraduate, secondary_vocational, technician, open_university"
    return [
        f"{where}:{2 + shift}:code: '413101024' is not a 10-digit MoE institution code",
        f"{where}:{3 + shift}:name: name is required",
        f"{where}:{4 + shift}:level: 'college' is not one of {levels}",
        f"{where}:{5 + shift}:double_first_class: 'maybe' is not a yes/no value (是/否, true/false, 1/0)",
        f"{where}:{6 + shift}:district: District '310199' is neither in the store nor in this load",
        f"{where}:{8 + shift}:code: School '4131010252' is also in {where}:{7 + shift}",
    ]


def read_rejects(path: Path, file_format: str) -> list[dict[str, Any]]:
    """A reject file's rows, read with the standard tools rather than the loader."""
    if file_format == "csv":
        return read_csv_rows(path)
    if file_format == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    sheet = openpyxl.load_workbook(path)["schools"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("file_format", ["csv", "jsonl", "xlsx"])
def test_bad_cells_are_located_rejected_and_reload_once_fixed(store: GraphStore, tmp_path: Path, file_format: str) -> None:
    tables = {"districts": basic_tables()["districts"], "schools": bad_school_rows()}
    path = write_dataset(tmp_path / "in", tables, file_format)
    where = f"{path}:schools" if file_format == "xlsx" else str(path / f"schools.{file_format}")

    report = run([path], store, rejects_dir=tmp_path / "rejects")

    assert [error.line for error in report.errors] == expected_lines(where, -1 if file_format == "jsonl" else 0)
    assert report.exit_code == 1
    assert nonzero(store.stats().nodes) == {"District": 3, "School": 1}
    reject_name = "dataset.xlsx" if file_format == "xlsx" else f"schools.{file_format}"
    rejects = read_rejects(tmp_path / "rejects" / reject_name, file_format)
    assert [row["code"] for row in rejects] == ["413101024", "4131010248", "4131010249", "4131010250", "4131010251", "4131010252"]
    assert rejects[0]["error"] == "code: '413101024' is not a 10-digit MoE institution code"
    escaped = "'=cmd|' /C calc'!A0" if file_format != "jsonl" else "=cmd|' /C calc'!A0"
    assert rejects[2]["name"] == escaped

    fixed = [{**row, **FIXES[str(row["code"])]} for row in rejects]
    fixed_path = write_dataset(tmp_path / "fixed", {"schools": fixed}, file_format)
    again = run([fixed_path], store, rejects_dir=tmp_path / "rejects2")
    assert [error.line for error in again.errors] == []
    assert counts_of(again)[str(again.tables[0].source.where)] == {"School": (6, 0, 0), "LOCATED_IN": (6, 0, 0)}
    assert store.count_nodes("School") == 7
    assert store.get_nodes("School", ["4131010249"])["4131010249"].props["name"] == "=cmd|' /C calc'!A0"


def test_a_dangling_reference_rejects_its_row_and_rows_naming_it(store: GraphStore, tmp_path: Path) -> None:
    write_table(tmp_path / "industry_chains.csv", [
        {"code": "AUTO", "name": "汽车", "tier": "key_cluster", "parent": ""},
        {"code": "EV", "name": "新能源汽车", "tier": "segment", "parent": "NOPE"},
        {"code": "EV-BATTERY", "name": "动力电池", "tier": "segment", "parent": "EV"},
    ], "csv")
    report = run([tmp_path / "industry_chains.csv"], store, rejects_dir=tmp_path / "rejects")
    where = tmp_path / "industry_chains.csv"
    assert [error.line for error in report.errors] == [
        f"{where}:3:parent: IndustryChain 'NOPE' is neither in the store nor in this load",
        f"{where}:4:parent: IndustryChain 'EV' is rejected in this load ({where}:3)",
    ]
    assert store.count_nodes("IndustryChain") == 1


def test_a_reference_may_name_a_node_already_in_the_store(store: GraphStore, tmp_path: Path) -> None:
    run([BASIC / "districts.csv"], store, rejects_dir=tmp_path)
    report = run([BASIC / "schools.csv"], store, rejects_dir=tmp_path)
    assert report.errors == []
    assert store.stats().relationships["LOCATED_IN"] == 2


def test_a_membership_member_is_a_school_or_an_enterprise_by_its_code(store: GraphStore, tmp_path: Path) -> None:
    run([BASIC], store, rejects_dir=tmp_path / "r1")
    write_table(tmp_path / "alliances.csv", [{"id": "ALLIANCE-IC", "name": "集成电路产教融合联盟", "chains": "IC"}], "csv")
    write_table(tmp_path / "memberships.csv", [
        {"alliance": "ALLIANCE-IC", "member": "4131010246", "role": "lead"},
        {"alliance": "ALLIANCE-IC", "member": "91310115MA1H000011", "role": "member"},
        {"alliance": "ALLIANCE-IC", "member": "91310115MA1H000012", "role": "member"},
    ], "csv")
    report = run([tmp_path / "alliances.csv", tmp_path / "memberships.csv"], store, rejects_dir=tmp_path / "r2")
    assert [error.line for error in report.errors] == [
        f"{tmp_path / 'memberships.csv'}:4:member: credit code '91310115MA1H000012' fails the GB 32100-2015 checksum "
        "(check character should be '1')",
    ]
    members = store.neighbours([NodeRef("Alliance", "ALLIANCE-IC")], "MEMBER_OF", Direction.IN)[NodeRef("Alliance", "ALLIANCE-IC")]
    assert sorted((m.node.label, m.node.key, m.rel.props["role"]) for m in members) == [
        ("Enterprise", "91310115MA1H000011", "member"),
        ("School", "4131010246", "lead"),
    ]


# -- idempotence, dry runs, strict mode ------------------------------------------------------------------


def test_the_same_load_twice_writes_nothing_but_its_load_run(store: GraphStore, tmp_path: Path) -> None:
    first = run([BASIC], store, rejects_dir=tmp_path)
    stats = store.stats()
    second = run([BASIC], store, rejects_dir=tmp_path)
    assert store.stats() == stats
    assert (second.totals().created, second.totals().updated, second.totals().unchanged) == (0, 0, 21)
    assert store.count_nodes("LoadRun") == 2
    school = store.get_nodes("School", ["4131010246"])["4131010246"]
    assert school.props["loaded_at"] == first.started_at  # the second run stamped nothing


def test_the_load_run_records_files_checksums_counts_and_times(store: GraphStore, tmp_path: Path) -> None:
    import hashlib

    report = run([BASIC / "districts.csv"], store, rejects_dir=tmp_path)
    assert report.load_run is not None
    props = store.get_nodes("LoadRun", [report.load_run])[report.load_run].props
    assert props["files"] == [str(BASIC / "districts.csv")]
    assert props["checksums"] == ["sha256:" + hashlib.sha256((BASIC / "districts.csv").read_bytes()).hexdigest()]
    assert (props["started_at"], props["finished_at"]) == (report.started_at, report.finished_at)
    assert (props["created"], props["rows_rejected"]) == (3, 0)
    assert json.loads(props["counts"])[0]["counts"] == {"District": {"created": 3, "updated": 0, "unchanged": 0}}


def test_a_dry_run_writes_nothing_and_predicts_the_real_run(store: GraphStore, tmp_path: Path) -> None:
    dry = run([BASIC], store, dry_run=True)
    assert nonzero(store.stats().nodes) == {} and store.count_nodes("LoadRun") == 0
    real = run([BASIC], store, rejects_dir=tmp_path / "r1")
    assert counts_of(dry) == counts_of(real)
    assert real.totals().created == 21

    # Change one school's name, one offer's graduates, and add a district: 1 updated, 1 created.
    tables = basic_tables()
    tables["schools"][0]["name"] = "复旦大学（邯郸校区）"
    tables["offers"][1]["graduates"] = "86"
    tables["districts"].append({"code": "310112", "name": "闵行区"})
    changed = write_dataset(tmp_path / "changed", tables, "csv")
    dry = run([changed], store, dry_run=True)
    real = run([changed], store, rejects_dir=tmp_path / "r2")
    assert counts_of(dry) == counts_of(real)
    by_table = {table.source.table: table.counts for table in real.tables}
    assert (by_table["schools"]["School"].updated, by_table["schools"]["School"].unchanged) == (1, 1)
    assert (by_table["offers"]["OFFERS"].updated, by_table["offers"]["OFFERS"].unchanged) == (1, 1)
    assert (by_table["districts"]["District"].created, by_table["districts"]["District"].unchanged) == (1, 3)


def test_a_dry_run_reports_the_same_errors(store: GraphStore, tmp_path: Path) -> None:
    path = write_dataset(tmp_path / "in", {"districts": basic_tables()["districts"], "schools": bad_school_rows()}, "csv")
    dry = run([path], store, dry_run=True, rejects_dir=tmp_path / "rejects")
    assert [error.line for error in dry.errors] == expected_lines(str(path / "schools.csv"))
    assert not (tmp_path / "rejects").exists()
    assert nonzero(store.stats().nodes) == {}


def test_strict_writes_nothing_when_any_row_is_bad(store: GraphStore, tmp_path: Path) -> None:
    tables = basic_tables()
    tables["offers"].append({"school": "4131010246", "discipline": "080999", "year": "2024", "enrollment": "1", "graduates": "1"})
    path = write_dataset(tmp_path / "in", tables, "csv")
    report = run([path], store, strict=True, rejects_dir=tmp_path / "rejects")
    assert [error.line for error in report.errors] == [
        f"{path / 'offers.csv'}:4:discipline: Discipline '080999' is neither in the store nor in this load",
    ]
    assert report.exit_code == 1 and not report.written
    assert nonzero(store.stats().nodes) == {} and store.count_nodes("LoadRun") == 0
    assert not (tmp_path / "rejects").exists()


def test_strict_writes_everything_when_all_rows_are_good(store: GraphStore, tmp_path: Path) -> None:
    report = run([BASIC], store, strict=True)
    assert report.exit_code == 0 and report.written
    assert nonzero(store.stats().relationships) == BASIC_RELS


# -- unusable input ----------------------------------------------------------------------------------------


def test_a_missing_key_column_fails_fast_with_the_expected_header(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text("name,level\n复旦大学,undergraduate\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prepare([tmp_path / "schools.csv"], LoadOptions())
    assert str(caught.value) == (
        f"{tmp_path / 'schools.csv'}:1: missing required column code; the expected header of schools is: "
        "code,name,name_en,level,ownership,authority,double_first_class,benchmark,district"
    )


def test_a_relationship_table_needs_both_endpoint_columns(tmp_path: Path) -> None:
    (tmp_path / "offers.csv").write_text("school,year\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing required column discipline; the expected header of offers is: "
                       "school,discipline,year,enrollment,graduates"):
        prepare([tmp_path / "offers.csv"], LoadOptions())


def write_offers_broken_deep_inside(folder: Path, file_format: str) -> Path:
    """The basic dataset whose offers table has 1,200 readable rows (past the 1,000 rows that
    `prepare` samples, and past the first chunk the file is decoded in), then undecodable text."""
    tables = basic_tables()
    offers = [
        {"school": tables["schools"][i % 2]["code"], "discipline": tables["disciplines"][i // 2 % 2]["code"],
         "year": str(1900 + i // 4 % 201), "enrollment": "10", "graduates": "9"}
        for i in range(1200)
    ]
    del tables["offers"]
    write_dataset(folder, tables, "csv")
    if file_format == "jsonl":  # a byte that is no UTF-8 at all
        text = "".join(json.dumps(row) + "\n" for row in offers).encode("utf-8") + b'{"school": "\xff"}\n'
    else:  # UTF-16 with a high surrogate that no low surrogate follows
        lines = ["school,discipline,year,enrollment,graduates", *(",".join(row.values()) for row in offers)]
        text = ("\n".join(lines) + "\n").encode("utf-16") + b"\x00\xd8A\x00"
    (folder / f"offers.{file_format}").write_bytes(text)
    return folder


def test_unusable_text_deep_inside_a_relationship_table_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    path = write_offers_broken_deep_inside(tmp_path / "in", "csv")
    settings = LoadOptions(rejects_dir=tmp_path / "rejects")
    # a UTF-16 CSV is checked whole when it is found
    with pytest.raises(InputError, match=r"offers\.csv: starts like UTF-16 text but is not"):
        load(prepare([path], settings), store, settings)
    assert nonzero(store.stats().nodes) == {} and nonzero(store.stats().relationships) == {}
    assert store.count_nodes("LoadRun") == 0
    assert not (tmp_path / "rejects").exists()


@pytest.mark.parametrize("strict", [False, True])
def test_a_json_line_that_is_no_utf8_deep_inside_rejects_only_itself(store: GraphStore, tmp_path: Path, strict: bool) -> None:
    """JSON Lines are records a line each: a line that is no UTF-8 is a bad row (located by row and
    byte), found after the header sample; the good lines load, or nothing does under --strict."""
    path = write_offers_broken_deep_inside(tmp_path / "in", "jsonl")
    report = run([path], store, strict=strict, rejects_dir=tmp_path / "rejects")
    row_errors = [error.line for error in report.errors if error.column == "*"]  # the others: repeated rows
    assert row_errors == [f"{path / 'offers.jsonl'}:1201:*: not UTF-8 text at byte 13 of the line"]
    assert store.stats().relationships["OFFERS"] == (0 if strict else 804)  # the distinct good rows
    assert (tmp_path / "rejects").exists() is not strict


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("school.csv", "code\n", "unknown table 'school'; a file name must be one of: "),
        ("schools.txt", "code\n", "unsupported file type '.txt'"),
        ("schools.json", '{"code": "1"}', "a .json table must be an array of objects, not dict"),
    ],
)
def test_unusable_files_are_refused(tmp_path: Path, name: str, content: str, message: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(".", r"\.")):
        prepare([tmp_path / name], LoadOptions())


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        prepare([tmp_path / "nowhere"], LoadOptions())


def test_unknown_columns_are_warned_about(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "districts.csv").write_text("code,name,mayor\n310104,徐汇区,someone\n", encoding="utf-8")
    report = run([tmp_path / "districts.csv"], store, rejects_dir=tmp_path / "r")
    assert [warning.line for warning in report.warnings] == [f"{tmp_path / 'districts.csv'}:1:mayor: warning: unknown column, ignored"]
    assert report.exit_code == 0
    assert "mayor" not in store.get_nodes("District", ["310104"])["310104"].props


# -- reject files and odd rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_format", "encoding"), [("csv", "gb18030"), ("csv", "utf-8-sig"), ("json", "utf-8")])
def test_reject_files_keep_the_input_format_and_encoding(store: GraphStore, tmp_path: Path, file_format: str, encoding: str) -> None:
    rows = [{"code": "310104", "name": "徐汇区"}, {"code": "31010", "name": "黄浦区"}]
    write_dataset(tmp_path / "in", {"districts": rows}, file_format, encoding)
    run([tmp_path / "in"], store, rejects_dir=tmp_path / "rejects")
    raw = (tmp_path / "rejects" / f"districts.{file_format}").read_bytes()
    expected = [{"code": "31010", "name": "黄浦区", "error": "code: '31010' is not a 6-digit administrative division code"}]
    if file_format == "json":
        assert json.loads(raw.decode("utf-8")) == expected
        return
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    with (tmp_path / "rejects" / "districts.csv").open(encoding=encoding, newline="") as file:
        assert list(csv.DictReader(file)) == expected


def test_rows_that_are_no_records_are_row_errors(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "districts.csv").write_text("code,name\n310104,徐汇区,extra\n310110,杨浦区\n", encoding="utf-8")
    (tmp_path / "disciplines.jsonl").write_text(
        '{"code": "080901", "name": "计算机科学与技术", "level": "undergraduate"}\n{"code": "0809\n', encoding="utf-8"
    )
    report = run([tmp_path], store, rejects_dir=tmp_path / "rejects")
    assert [error.line for error in report.errors] == [
        f"{tmp_path / 'districts.csv'}:2:*: the row has 3 cells but the header names 2 columns",
        f"{tmp_path / 'disciplines.jsonl'}:2:*: not valid JSON at column 10: Unterminated string starting at",
    ]
    assert nonzero(store.stats().nodes) == {"District": 1, "Discipline": 1}
    rejected = json.loads((tmp_path / "rejects" / "disciplines.jsonl").read_text(encoding="utf-8"))
    assert rejected["raw"] == '{"code": "0809'


def test_a_code_that_lost_its_leading_zero_in_a_spreadsheet_is_explained(store: GraphStore, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "disciplines"
    sheet.append(["code", "name", "level"])
    sheet.append([80901, "计算机科学与技术", "undergraduate"])  # Excel turned 080901 into a number
    workbook.save(tmp_path / "book.xlsx")
    report = run([tmp_path / "book.xlsx"], store, rejects_dir=tmp_path / "rejects")
    (line,) = [error.line for error in report.errors]
    # the rule's wording belongs to graph.validation; the location and the hint are the loader's
    assert line.startswith(f"{tmp_path / 'book.xlsx'}:disciplines:2:code: '80901' is not a ")
    assert line.endswith("discipline code (a spreadsheet may have dropped leading zeros: format the column as text)")
