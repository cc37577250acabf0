"""Options shared by several subcommands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer

from chanjiao.stores import open_configured
from graph.store import GraphStore

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="embedded:PATH (default from CHANJIAO_STORE) or bolt://… / neo4j://…"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON")]


def fail(message: str) -> NoReturn:
    """Stop with exit status 2 (unusable input, DESIGN §5) and the reason on stderr."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@contextmanager
def opened_store(store: str | None) -> Iterator[GraphStore]:
    """The store named by `--store` (or the settings), closed afterwards; a bad URI fails cleanly."""
    try:
        graph = open_configured(store)
    except ValueError as error:
        fail(str(error))
    try:
        yield graph
    finally:
        graph.close()
