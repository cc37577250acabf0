"""`chanjiao neo4j start|stop`: a real local Neo4j 5.26 Community server without Docker (DESIGN §6)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from chanjiao import neo4j_local
from chanjiao.settings import DEFAULT_DATA_DIR

app = typer.Typer(help="Run a local Neo4j server fetched from Maven Central (no Docker needed).", no_args_is_help=True)

DataDirOption = Annotated[Path, typer.Option("--data-dir", help="Where the server keeps its files")]
DEFAULT_DIR = DEFAULT_DATA_DIR / "neo4j"


@app.command()
def start(
    data_dir: DataDirOption = DEFAULT_DIR,
    port: Annotated[int, typer.Option(help="Bolt port on 127.0.0.1")] = 7687,
    heap: Annotated[str, typer.Option(help="JVM heap, e.g. 1g")] = "1g",
) -> None:
    """Start Neo4j on 127.0.0.1 and wait until it answers."""
    server = neo4j_local.start(data_dir, port=port, heap=heap)
    typer.echo(f"Neo4j is ready at {server.uri} (pid {server.pid}); export CHANJIAO_STORE={server.uri}")


@app.command()
def stop(data_dir: DataDirOption = DEFAULT_DIR) -> None:
    """Stop the local Neo4j started from this data directory."""
    stopped = neo4j_local.stop(data_dir)
    typer.echo("Neo4j stopped" if stopped else f"no Neo4j running from {data_dir}")
