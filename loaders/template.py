"""Empty templates for data providers, generated from the model: one CSV file per table (header only)
with a README.md describing every column, or one workbook with a sheet per table whose header
cells carry the descriptions as comments. Both load as they are (no rows, no errors)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from graph.model import NODES_BY_TABLE, REL_TABLES_BY_NAME
from loaders.tables import TableSpec, table_names, table_spec

WORKBOOK_NAME = "chanjiao-template.xlsx"
COMMENT_AUTHOR = "chanjiao"


def write_csv_templates(directory: Path) -> list[Path]:
    """`TABLE.csv` (UTF-8 with BOM, which Excel needs to show Chinese) for every table, and README.md."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in table_names():
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            csv.writer(file).writerow(table_spec(name).column_names)
        written.append(path)
    readme = directory / "README.md"
    readme.write_text(templates_readme(), encoding="utf-8")
    return [*written, readme]


def write_xlsx_template(directory: Path) -> Path:
    """One workbook, a sheet per table, each header cell commented with its column's description."""
    directory.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in table_names():
        sheet = workbook.create_sheet(name)
        for index, column in enumerate(table_spec(name).columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.name)
            cell.comment = Comment(column.help, COMMENT_AUTHOR, width=320, height=120)
            cell.font = Font(bold=column.required)
        sheet.freeze_panes = "A2"
    path = directory / WORKBOOK_NAME
    workbook.save(path)
    return path


def templates_readme() -> str:
    lines = [
        "# Chanjiao Graph data templates",
        "",
        "One file per table; the file name is the table. Fill one row per record under the header and",
        "load with `chanjiao load FOLDER`. Lists are `;`-separated. Required columns must be present and",
        "filled; references must name records that exist in the store or in the same load.",
        "Save CSV as UTF-8 (with or without BOM) or GB18030.",
    ]
    for name in table_names():
        lines += ["", *_table_section(table_spec(name))]
    return "\n".join(lines) + "\n"


def _table_section(spec: TableSpec) -> list[str]:
    if spec.is_node_table:
        kind = NODES_BY_TABLE[spec.name]
        title = f"{kind.description}: one row per {kind.label}, keyed by `{kind.key}`"
    else:
        title = f"{REL_TABLES_BY_NAME[spec.name].rel_type} relationships, one per row"
    lines = [f"## {spec.name}", "", title + ".", "", "| column | required | type | description |", "|---|---|---|---|"]
    for column in spec.columns:
        described = column.description + (f" (one of: {', '.join(column.choices)})" if column.choices else "")
        lines.append(f"| `{column.name}` | {'yes' if column.required else ''} | {column.type} | {described} |")
    return lines
