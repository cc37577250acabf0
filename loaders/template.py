"""Empty templates for data providers, generated from the model: one CSV file per table (header only)
with a README.md describing every column, or one workbook with a sheet per table whose header
cells carry the descriptions as comments. Both load as they are (no rows, no errors)."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from graph.labels import Lang, column_label, heading, kind_label, relationship_label, value_label
from graph.model import NODES_BY_TABLE, REL_TABLES_BY_NAME
from loaders.tables import Column, TableSpec, table_names, table_spec

WORKBOOK_NAME = "chanjiao-template.xlsx"
COMMENT_AUTHOR = "chanjiao"


def write_csv_templates(directory: Path, lang: Lang = Lang.EN) -> list[Path]:
    """`TABLE.csv` (UTF-8 with BOM, which Excel needs to show Chinese) for every table, and README.md."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in table_names():
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            csv.writer(file).writerow(table_spec(name).column_names)
        written.append(path)
    readme = directory / "README.md"
    readme.write_text(templates_readme(lang), encoding="utf-8")
    return [*written, readme]


def write_xlsx_template(directory: Path, lang: Lang = Lang.EN) -> Path:
    """One workbook, a sheet per table, each header cell commented with its column's description."""
    directory.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in table_names():
        sheet = workbook.create_sheet(name)
        for index, column in enumerate(table_spec(name).columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.name)
            cell.comment = Comment(column_help(column, lang), COMMENT_AUTHOR, width=320, height=120)
            cell.font = Font(bold=column.required)
        sheet.freeze_panes = "A2"
    path = directory / WORKBOOK_NAME
    workbook.save(path)
    return path


def column_help(column: Column, lang: Lang) -> str:
    """One line for README files and cell comments; in Chinese, the column's name, type and the
    names of its coded values come from `graph.labels` (the model's descriptions are English)."""
    if lang is Lang.EN:
        return column.help
    parts = [f"{column_label(column.name, lang)}（{column.name}）", f"{heading('type', lang)}：{heading(column.type, lang)}"]
    if column.required:
        parts.append(heading("required", lang))
    if column.choices:
        parts.append(_choices_zh(column))
    return "；".join(parts)


def _choices_zh(column: Column) -> str:
    return f"{heading('one of', Lang.ZH)}：" + "、".join(f"{code} {value_label(code, Lang.ZH)}" for code in column.choices)


def templates_readme(lang: Lang = Lang.EN) -> str:
    if lang is Lang.ZH:
        return _readme_zh()
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


def _readme_zh() -> str:
    lines = [
        "# 产教图谱数据模板",
        "",
        "每个表一个文件，文件名即表名。在表头下每行填写一条记录，用 `chanjiao load 文件夹` 导入。",
        "表头保持英文列名（导入时按列名识别）；列表以“;”分隔；必填列必须存在且有值；引用的记录须已在库中或在同一次导入中。",
        "CSV 请保存为 UTF-8（可带 BOM）或 GB18030。",
    ]
    for name in table_names():
        spec = table_spec(name)
        if spec.is_node_table:
            kind = NODES_BY_TABLE[name]
            title = f"{kind_label(kind.label, Lang.ZH)}：每行一个 {kind.label}，以 `{kind.key}` 为键"
        else:
            rel_type = REL_TABLES_BY_NAME[name].rel_type
            title = f"{relationship_label(rel_type, Lang.ZH)}（{rel_type}）关系，每行一条"
        lines += ["", f"## {name}", "", title + "。", "", "| 列 | 中文名 | 必填 | 类型 | 说明 |", "|---|---|---|---|---|"]
        for column in spec.columns:
            values = _choices_zh(column) if column.choices else ""
            lines.append(f"| `{column.name}` | {column_label(column.name, Lang.ZH)} | {'是' if column.required else ''} | "
                         f"{heading(column.type, Lang.ZH)} | {values} |")
    return "\n".join(lines) + "\n"
