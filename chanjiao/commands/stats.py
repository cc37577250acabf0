"""`chanjiao stats`: counts per kind and relationship (DESIGN §5), with how many are synthetic and
the years OFFERS and DEMANDS have data for (`queries.data_coverage`).

`--json` keeps DESIGN §5's `nodes` and `relationships` and adds `synthetic` (the same keys, synthetic
counts) and `years` (`{"OFFERS": {"2021": {"count": …, "synthetic": …}, …}, …}`)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from chanjiao.commands.options import JsonOption, StoreOption
from chanjiao.stores import open_configured
from queries.data_coverage import data_coverage


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)


def stats(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Count nodes per kind and relationships per type, the synthetic ones, and the years with data."""
    graph = open_configured(store)
    try:
        counts = graph.stats()
        coverage = data_coverage(graph)
    finally:
        graph.close()
    if as_json:
        typer.echo(json.dumps({**counts.as_json(), **coverage.as_json()}, ensure_ascii=False))
        return
    made_up = {kind.name: kind.synthetic for kind in [*coverage.nodes, *coverage.relationships]}
    table = Table("kind", "count", "synthetic", title="Chanjiao Graph")
    for name, count in [*counts.nodes.items(), *counts.relationships.items()]:
        table.add_row(name, str(count), str(made_up.get(name, 0)))
    console = Console()
    console.print(table)
    for rel in coverage.years:
        years = ", ".join(f"{y.year} ({y.total:,}, {y.synthetic:,} synthetic)" for y in rel.years) or "none"
        console.print(f"{rel.rel_type} years: {years}", markup=False)
    console.print(coverage.synthetic.describe(), markup=False)
