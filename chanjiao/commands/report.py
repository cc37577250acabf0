"""`chanjiao report`: the annual report of one year as HTML, PDF or XLSX (`reports`), written
whole or not at all (to a temporary file beside the target, then renamed)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from chanjiao.commands.options import StoreOption, fail, opened_store
from graph.labels import Lang
from reports.charts import MissingFont
from reports.formats import ReportFormat, file_name, render
from reports.gather import annual_report


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    year: Annotated[int, typer.Option("--year", help="The year reported on: one the store holds OFFERS or DEMANDS of")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="html (charts inline), pdf (A4) or xlsx (a sheet per section)")] = ReportFormat.PDF,
    output: Annotated[Path | None, typer.Option("--output", help="File (or folder) to write; default ./chanjiao-report-YEAR.FORMAT")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language: zh (中文, the default) or en")] = Lang.ZH,
    store: StoreOption = None,
) -> None:
    """Write the annual report: the ecosystem that year, talent gaps per chain, 百千万 plan targets,
    coverage gaps, networks and communities, method and sources; its first page states how much
    of the data is synthetic. Every figure is the GraphQL API's answer for the same year."""
    target = target_path(output, year, fmt)
    started = time.perf_counter()
    with opened_store(store) as graph:
        try:
            content = render(annual_report(graph, year, lang), fmt)
        except (ValueError, MissingFont) as error:
            fail(str(error))
    write_whole(target, content)
    typer.echo(f"{target} ({len(content):,} bytes, {time.perf_counter() - started:.1f} s)")


def target_path(output: Path | None, year: int, fmt: ReportFormat) -> Path:
    if output is None:
        return Path.cwd() / file_name(year, fmt)
    if output.is_dir():
        return output / file_name(year, fmt)
    if not output.parent.is_dir():
        fail(f"--output {output}: the folder {output.parent} does not exist")
    return output


def write_whole(target: Path, content: bytes) -> None:
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_bytes(content)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        fail(f"--output {target}: {error.strerror or error}")
