"""`chanjiao template`: empty data templates with headers and column descriptions from the model."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from chanjiao.commands.options import LangOption
from chanjiao.settings import DEFAULT_DATA_DIR
from graph.labels import Lang
from loaders.template import write_csv_templates, write_xlsx_template


class TemplateFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def register(app: typer.Typer) -> None:
    app.command("template")(template)


def template(
    file_format: Annotated[TemplateFormat, typer.Option("--format", help="csv: a file per table plus README.md; xlsx: one workbook")] = TemplateFormat.CSV,
    output: Annotated[Path, typer.Option("--output", help="Folder to write the templates to")] = DEFAULT_DATA_DIR / "templates",
    lang: LangOption = Lang.EN,
) -> None:
    """Write empty templates for every table: CSV files with a README.md of column descriptions, or a
    workbook whose header cells carry the descriptions as comments (`--lang zh`: in Chinese; the
    headers stay the column names the loader reads)."""
    paths = write_csv_templates(output, lang) if file_format is TemplateFormat.CSV else [write_xlsx_template(output, lang)]
    for path in paths:
        typer.echo(str(path))
