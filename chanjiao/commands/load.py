"""`chanjiao load PATH…`: load a dataset's tables into the store (DESIGN §3 and §5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from chanjiao.commands.options import JsonOption, StoreOption
from chanjiao.settings import DEFAULT_DATA_DIR, get_settings
from chanjiao.stores import open_configured
from graph.store import GraphStore
from loaders.readers import InputError, TableSource
from loaders.report import EXIT_UNUSABLE, LoadReport
from loaders.run import LoadOptions, LoadPlan, load, prepare

LOAD_HELP = """Load tables (CSV, JSON Lines, JSON, XLSX) into the store.

Each PATH is a folder holding one file per table, a workbook with one sheet per table, or a single
table file; a file's (or sheet's) name is its table: districts, schools, offers…

Every bad cell is printed on standard output as `FILE[:SHEET]:ROW:COLUMN: message` (ROW counts the
header as row 1), warnings likewise, followed by a summary table; the progress bar and fatal errors
go to standard error. By default bad rows are skipped and written to reject files (in --rejects,
by default ~/.local/share/chanjiao/rejects; same format as the input, with an `error` column)
that load once fixed.

Provenance: a folder's `provenance.csv` (written by `chanjiao generate`) says which tables are
synthetic and what each table's real source is; tables it does not name are real, with the file as
their source; a `synthetic` column overrides it row by row. A real row whose key names a synthetic
node of the store is rejected, unless --replace-synthetic makes that node real.

Exit status: 0 all rows loaded; 1 some rows rejected (or, with --strict, nothing written);
2 unusable input (missing file, unknown table, missing key column).
"""

PathsArgument = Annotated[list[Path], typer.Argument(help="Folders, workbooks or table files", metavar="PATH", show_default=False)]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Report errors and the counts it would write; write nothing")]
StrictOption = Annotated[bool, typer.Option("--strict", help="Write nothing if any row is bad")]
RejectsOption = Annotated[Path, typer.Option("--rejects", help="Folder for reject files (default mode only)")]
ReplaceSyntheticOption = Annotated[bool, typer.Option(
    "--replace-synthetic", help="Let real rows update synthetic nodes of the same key (and make them real)")]


def register(app: typer.Typer) -> None:
    app.command("load", help=LOAD_HELP)(load_command)


def load_command(
    paths: PathsArgument,
    store: StoreOption = None,
    dry_run: DryRunOption = False,
    strict: StrictOption = False,
    rejects: RejectsOption = DEFAULT_DATA_DIR / "rejects",
    replace_synthetic: ReplaceSyntheticOption = False,
    as_json: JsonOption = False,
) -> None:
    options = LoadOptions(dry_run, strict, rejects, get_settings().batch_size, replace_synthetic)
    try:
        plan = prepare(paths, options)
        graph = open_configured(store)
    except (InputError, ValueError) as error:
        _fail(str(error), as_json)
    try:
        graph.ensure_schema()
        report = _run(plan, graph, options, quiet=as_json)
    except InputError as error:
        _fail(str(error), as_json)
    finally:
        graph.close()
    _print_report(report, as_json)
    raise typer.Exit(report.exit_code)


def _fail(message: str, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"exit_code": EXIT_UNUSABLE, "error": message}, ensure_ascii=False))
    else:
        Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(EXIT_UNUSABLE)


def _run(plan: LoadPlan, graph: GraphStore, options: LoadOptions, quiet: bool) -> LoadReport:
    console = Console(stderr=True)
    progress = RichLoadProgress(console, plain=not console.is_terminal or quiet)
    with progress:
        return load(plan, graph, options, progress)


class RichLoadProgress:
    """A bar per table and kind on a terminal; elsewhere (logs, pipes) a line per written batch."""

    def __init__(self, console: Console, plain: bool) -> None:
        self._console, self._plain = console, plain
        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, disable=plain, transient=True,
        )
        self._tasks: dict[tuple[str, str], TaskID] = {}

    def __enter__(self) -> RichLoadProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def reading(self, source: TableSource, rows: int) -> None:
        self._update(source, "read", rows, None)

    def writing(self, source: TableSource, kind: str, done: int, total: int | None) -> None:
        if self._plain:
            of_total = f"/{total}" if total is not None else ""
            self._console.print(f"{source.where}: {kind} {done}{of_total} rows written", highlight=False)
        self._update(source, kind, done, total)

    def _update(self, source: TableSource, step: str, done: int, total: int | None) -> None:
        if self._plain:
            return
        key = (source.where, step)
        if key not in self._tasks:
            self._tasks[key] = self._bar.add_task(f"{source.source_name} {step}", total=total)
        self._bar.update(self._tasks[key], completed=done, total=total)


def _print_report(report: LoadReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    for line in [*(warning.line for warning in report.warnings), *(error.line for error in report.errors)]:
        typer.echo(line)
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # pipes and logs: room for the whole table
    console.print(_summary(report))


def _summary(report: LoadReport) -> Table:
    mode = "dry run: nothing written" if report.dry_run else "strict: nothing written" if not report.written else "written"
    table = Table("table", "kind", "created", "updated", "unchanged", "rejected", title=f"chanjiao load ({mode})")
    table.columns[0].overflow = "fold"
    for entry in report.tables:
        name, rejected = entry.source.source_name, str(entry.rejected)
        if not entry.counts:
            table.add_row(name, "", "", "", "", rejected)
        for kind, counts in entry.counts.items():
            table.add_row(name, kind, str(counts.created), str(counts.updated), str(counts.unchanged), rejected)
            name, rejected = "", ""
    totals = report.totals()
    table.add_row("total", "", str(totals.created), str(totals.updated), str(totals.unchanged), str(report.rejected))
    if report.load_run:
        table.caption = f"LoadRun {report.load_run}; reject files: " + (", ".join(
            entry.reject_file for entry in report.tables if entry.reject_file
        ) or "none")
    return table
