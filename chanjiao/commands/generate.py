"""`chanjiao generate`: write the bundled dataset (real reference tables plus a seeded synthetic
ecosystem) at any scale, for the demo (scale 1) or for benchmarks (scale 500 ≈ 1M nodes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from chanjiao.commands.options import JsonOption
from loaders.reference import PLAN_DIR, REFERENCE_DIR, ReferenceDataError
from loaders.synthetic import DEFAULT_SEED, SYNTHETIC_TABLES, GenerateReport, generate


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)


def generate_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the CSV tables to (created if missing)")],
    scale: Annotated[int, typer.Option(min=1, help="1 = demo size (~4k nodes); the synthetic part grows linearly")] = 1,
    seed: Annotated[int, typer.Option(min=0, help="Random seed; the same seed and scale give identical files")] = DEFAULT_SEED,
    reference: Annotated[Path, typer.Option(help="Folder of the real reference CSVs")] = REFERENCE_DIR,
    plan: Annotated[Path, typer.Option(help="Folder of the curated plan tables (chains, zones, chain_needs)")] = PLAN_DIR,
    as_json: JsonOption = False,
) -> None:
    """Generate the Shanghai dataset: reference tables plus synthetic records marked 【示例】."""
    console = Console(stderr=True)
    try:
        with console.status("generating…") as status:
            report = generate(out, scale, seed, reference, plan,
                              progress=lambda table, rows: status.update(f"wrote {table} ({rows:,} rows)…"))
    except (ReferenceDataError, ValueError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    _print_report(report)


def _print_report(report: GenerateReport) -> None:
    table = Table("table", "rows", "kind", title=f"{report.out_dir} (scale {report.scale}, seed {report.seed})")
    for name, rows in report.rows.items():
        table.add_row(name, f"{rows:,}", "synthetic" if name in SYNTHETIC_TABLES else "reference / plan")
    console = Console()
    console.print(table)
    console.print(f"{report.nodes:,} nodes, {report.relationships:,} relationships in {report.seconds:.1f} s")
