"""`chanjiao import KIND FILE`: official open data in the publishers' own layouts (loaders/official.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from chanjiao.commands.options import JsonOption, StoreOption, fail, opened_store
from graph.store import GraphStore
from loaders.official import (
    LISTED_LEVELS,
    ImportReport,
    import_employment,
    import_filings,
    import_integration_enterprises,
)
from loaders.readers import InputError

app = typer.Typer(help="Import official open data (major filings, employment reports, 产教融合型企业 lists).",
                  no_args_is_help=True)
FileArgument = Annotated[Path, typer.Argument(help="CSV (UTF-8 or GB18030) or XLSX file in the publisher's layout")]
YearOption = Annotated[int, typer.Option("--year", help="The year the figures are for")]


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="import")


@app.command("filings")
def filings(file: FileArgument, year: YearOption, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """The MoE's 本科/高职专科 major filing results → OFFERS for the year."""
    _run(lambda graph: import_filings(graph, file, year), store, as_json)


@app.command("employment")
def employment(file: FileArgument, year: YearOption, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Figures of schools' employment-quality reports → OFFERS.graduates for the year."""
    _run(lambda graph: import_employment(graph, file, year), store, as_json)


@app.command("integration")
def integration(
    file: FileArgument,
    level: Annotated[str, typer.Option("--level", help=f"The list's level: {', '.join(LISTED_LEVELS)}")],
    store: StoreOption = None, as_json: JsonOption = False,
) -> None:
    """A national or municipal list of 产教融合型企业 → the enterprises' integration_level."""
    _run(lambda graph: import_integration_enterprises(graph, file, level), store, as_json)


def _run(work: Callable[[GraphStore], ImportReport], store: str | None, as_json: bool) -> None:
    with opened_store(store) as graph:
        try:
            report = work(graph)
        except (InputError, ValueError) as problem:
            fail(str(problem))
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        for located in report.errors:
            typer.echo(located.line, err=True)
        written = report.written
        typer.echo(f"{report.source.where}: {report.rows} rows, {len(report.errors)} errors; "
                   f"written: {written.created} created, {written.updated} updated, {written.unchanged} unchanged")
    if report.errors:
        raise typer.Exit(1)
