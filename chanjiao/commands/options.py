"""Options shared by several subcommands."""

from __future__ import annotations

from typing import Annotated

import typer

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="embedded:PATH (default from CHANJIAO_STORE) or bolt://… / neo4j://…"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as JSON")]
