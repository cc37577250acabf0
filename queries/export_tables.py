"""The `csv` export: a subgraph as two tables for spreadsheets, `nodes.csv` and `edges.csv`.

- `nodes.csv`: one row per node: `id` (`Label:key`), `node_kind`, `natural_key`, `label` (the
  name), then one column per property of the model (every kind's, in model order, each once;
  empty where a kind has no such property or a node no value), then the provenance columns
  `data_source`, `loaded_at` and `synthetic`.
- `edges.csv`: one row per relationship: `source` and `target` (node ids), `key` (`TYPE` or
  `TYPE:key values`, e.g. `OFFERS:2024`), `rel_type`, one column per relationship property, then
  the same provenance columns.

Two tables rather than one per kind keep a selection's export two files whatever it holds, and
`node_kind`/`rel_type` filter them in a spreadsheet. The columns come from the model, not from the
data, so every export has the same headers. The values are those of the other formats
(`queries.exports.export_graph`, which hands this module its flat graph: lists `;`-joined, personal data never included); yes/no is
written `true`/`false`. Files are UTF-8 with a byte order mark, so Excel opens Chinese correctly,
with CRLF line ends. A text that a spreadsheet would run as a formula (starting with `=`, `+`,
`-`, `@`, tab or carriage return) is written with a leading `'`, which Excel shows as text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

import networkx as nx

from graph.model import NODE_KINDS, PROVENANCE, REL_KINDS, Prop

RENAMED: Final = {"source": "data_source"}  # provenance `source` in every export format (node-link reserves `source`)
NODES_FILE: Final = "nodes.csv"
EDGES_FILE: Final = "edges.csv"
BOM: Final = "\ufeff"
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
PROVENANCE_COLUMNS: Final = tuple(RENAMED.get(name, name) for name in PROVENANCE)


def _property_columns(props: Iterable[Prop]) -> list[str]:
    return list(dict.fromkeys(prop.name for prop in props if not prop.personal and prop.name not in PROVENANCE))


@cache
def node_columns() -> tuple[str, ...]:
    props = [prop for kind in NODE_KINDS for prop in kind.properties if prop.name != kind.key]
    return ("id", "node_kind", "natural_key", "label", *_property_columns(props), *PROVENANCE_COLUMNS)


@cache
def edge_columns() -> tuple[str, ...]:
    props = [prop for kind in REL_KINDS for prop in kind.properties]
    return ("source", "target", "key", "rel_type", *_property_columns(props), *PROVENANCE_COLUMNS)


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_lines(columns: tuple[str, ...], rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The table as CSV text chunks: the byte order mark and the header, then a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell(value) for value in values])
        return buffer.getvalue()

    yield BOM + line(columns)
    for row in rows:
        yield line(row.get(column) for column in columns)


def tables(graph: nx.MultiDiGraph) -> dict[str, Iterator[str]]:
    """File name → its CSV text chunks, from the flat graph of `export_graph`."""
    nodes = ({"id": nid, **data} for nid, data in graph.nodes(data=True))
    edges = ({"source": source, "target": target, "key": key, **data}
             for source, target, key, data in graph.edges(keys=True, data=True))
    return {NODES_FILE: table_lines(node_columns(), nodes), EDGES_FILE: table_lines(edge_columns(), edges)}


def write_tables(graph: nx.MultiDiGraph, directory: Path) -> int:
    """Writes `nodes.csv` and `edges.csv` into `directory` (created if missing); returns the bytes written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, lines in tables(graph).items():
        with (directory / name).open("w", encoding="utf-8", newline="") as out:
            for chunk in lines:
                written += len(chunk.encode())
                out.write(chunk)
    return written


def tables_zip(graph: nx.MultiDiGraph) -> bytes:
    """Both tables in one zip archive (what `/export?format=csv` answers)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, lines in tables(graph).items():
            with zipped.open(name, "w") as member:
                for chunk in lines:
                    member.write(chunk.encode())
    return archive.getvalue()
