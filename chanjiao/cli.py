"""The `chanjiao` command. Each group of subcommands lives in `chanjiao.commands.<name>` and
registers itself on `app`; this module only assembles them."""

from __future__ import annotations

import typer

from chanjiao.commands import analysis, generate, insights, load, neo4j, official, report, serve, stats, template
from chanjiao.settings import ConfigurationError

app = typer.Typer(help="Chanjiao Graph (产教图谱): Shanghai's industry–education knowledge graph.", no_args_is_help=True)

stats.register(app)
analysis.register(app)
insights.register(app)
load.register(app)
official.register(app)
template.register(app)
report.register(app)
generate.register(app)
serve.register(app)
app.add_typer(neo4j.app, name="neo4j")


def main() -> None:
    try:
        app()
    except ConfigurationError as error:  # the environment, not the program, is wrong: no traceback
        typer.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
