"""`chanjiao serve`, `chanjiao demo` and `chanjiao schema` (DESIGN §5): run the GraphQL API,
load the bundled Shanghai dataset and run it, print the schema's SDL."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from chanjiao.commands.options import StoreOption
from chanjiao.settings import Settings, get_settings
from loaders.bundled import SHANGHAI_DIR

DEMO_DATASET = SHANGHAI_DIR
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"  # the checked-in SDL (`--check`, in a checkout)

HostOption = Annotated[str, typer.Option("--host", help="Interface to listen on")]
PortOption = Annotated[int, typer.Option("--port", help="TCP port")]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)
    app.command("schema")(schema)


def _settings(store: str | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"store": store}) if store else settings


def serve(host: HostOption = "127.0.0.1", port: PortOption = 8000, store: StoreOption = None) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, /healthz, /readyz, /metrics)."""
    import uvicorn

    from api.app import create_app

    settings = _settings(store)
    typer.echo(f"Chanjiao Graph on http://{host}:{port}/graphql (store {settings.store})")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def demo(host: HostOption = "127.0.0.1", port: PortOption = 8000, store: StoreOption = None) -> None:
    """Load the bundled Shanghai dataset (data/shanghai) into the store, then serve it."""
    settings = _settings(store)
    load_demo_dataset(settings)
    serve(host=host, port=port, store=settings.store)


def load_demo_dataset(settings: Settings, dataset: Path = DEMO_DATASET) -> None:
    """Load `dataset` with the loaders (idempotent: a second demo changes nothing)."""
    from chanjiao.stores import open_configured
    from loaders.run import LoadOptions, load, prepare

    if not dataset.is_dir():
        raise typer.BadParameter(f"the bundled dataset is missing: {dataset} is not a directory")
    graph = open_configured(settings.store, settings)
    try:
        graph.ensure_schema()
        with tempfile.TemporaryDirectory(prefix="chanjiao-demo-rejects-") as rejects:
            options = LoadOptions(rejects_dir=Path(rejects), batch_size=settings.batch_size)
            report = load(prepare([dataset], options), graph, options)
    finally:
        graph.close()
    totals = report.totals()
    typer.echo(
        f"loaded {dataset} into {settings.store}: {totals.created} created, {totals.updated} updated, "
        f"{totals.unchanged} unchanged, {report.rejected} rows rejected"
    )
    for error in report.errors:
        typer.echo(error.line, err=True)


def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")] = None,
    check: Annotated[bool, typer.Option("--check", help=f"Exit 1 if {SCHEMA_FILE.name} differs from the code")] = False,
) -> None:
    """Print the GraphQL schema (SDL); `--output schema.graphql` regenerates the checked-in file."""
    from api.schema import schema_sdl

    sdl = schema_sdl()
    if check:
        if SCHEMA_FILE.read_text(encoding="utf-8") != sdl:
            typer.echo(f"{SCHEMA_FILE} is out of date: run `chanjiao schema --output {SCHEMA_FILE.name}`", err=True)
            raise typer.Exit(1)
        return
    if output is None:
        typer.echo(sdl, nl=False)
        return
    output.write_text(sdl, encoding="utf-8")
    typer.echo(f"wrote {output}")
