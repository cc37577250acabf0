"""`chanjiao stats`: counts per kind and relationship (DESIGN §5)."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

from chanjiao.commands.options import JsonOption, StoreOption
from chanjiao.stores import open_configured


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)


def stats(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Count nodes per kind and relationships per type."""
    graph = open_configured(store)
    try:
        counts = graph.stats()
    finally:
        graph.close()
    if as_json:
        typer.echo(json.dumps(counts.as_json(), ensure_ascii=False))
        return
    table = Table("kind", "count", title="Chanjiao Graph")
    for name, count in [*counts.nodes.items(), *counts.relationships.items()]:
        table.add_row(name, str(count))
    Console().print(table)
