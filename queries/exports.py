"""Exports of a projected subgraph that a networkx user reads back with one call:

| format    | read it back with                                                               |
|-----------|---------------------------------------------------------------------------------|
| `graphml` | `nx.read_graphml(path)`                                                         |
| `gexf`    | `nx.read_gexf(path)`                                                            |
| `json`    | `nx.node_link_graph(json.load(open(path)), edges="edges")` (node-link data)      |
| `edgelist`| `nx.read_edgelist(path, delimiter=",", create_using=nx.MultiDiGraph)`          |
| `csv`     | two tables for spreadsheets, `nodes.csv` and `edges.csv` (`queries.export_tables`) |

Every format holds a directed multigraph whose node ids are `"Label:key"`. Node attributes:
`node_kind` (the label), `natural_key`, `label` (the name to display, as Gephi expects) and the
model's properties except the key; edge attributes: `rel_type` and the relationship's properties.
Provenance `source` is written `data_source` (node-link reserves `source`); `synthetic` says
whether the node or relationship is made up (`export_share` counts them). Edge keys are
`TYPE` or `TYPE:key values` (e.g. `OFFERS:2024`). GraphML, GEXF and the CSV formats cannot hold lists, so a
list (`COOPERATES_WITH.kinds`) is written `;`-joined there; node-link JSON keeps it a list.
In GraphML and GEXF, a character that XML 1.0 cannot hold (a control character other than tab,
line feed and carriage return) is written U+FFFD; writes refuse such characters, so only data
written around the validation can hold one.

The `csv` export is a folder (or, over HTTP, a zip) of two tables rather than one text, so
`write_export` writes it and `export_lines` refuses it. The `edgelist` is networkx's own edge-list format with `,` as delimiter: `source,target,` then
the edge's attributes as a Python dict literal (a `#` inside a value is written `\\x23`, since
the reader treats `#` as a comment). It has no isolated nodes and no node attributes: use it for
tools that want edges only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import networkx as nx

from graph.model import NODES, RELS, Prop, PropType
from graph.validation import xml_text
from queries.export_tables import RENAMED, tables_zip, write_tables
from queries.synthetic import SyntheticShare, share_of

TABLES: Final = "csv"  # the one format that is several files: `nodes.csv` and `edges.csv`
FORMATS: Final = ("graphml", "gexf", "json", TABLES, "edgelist")
XML_FORMATS: Final = ("graphml", "gexf")
MEDIA_TYPES: Final = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
    TABLES: "application/zip",
    "edgelist": "text/csv",
}
LIST_SEPARATOR: Final = ";"


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def _typed(prop: Prop | None, value: Any, lists: bool) -> Any:
    """The value as its model type (an int weight stays a float), lists joined unless kept."""
    if isinstance(value, list):
        return list(value) if lists else LIST_SEPARATOR.join(str(item) for item in value)
    if prop is not None and prop.type is PropType.FLOAT and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _same(value: Any) -> Any:
    return value


def _xml_value(value: Any) -> Any:
    """Text as XML 1.0 can hold it: the write path refuses control characters, but a store
    written by other means may hold some, and one would make the whole document unreadable."""
    return xml_text(value) if isinstance(value, str) else value


def _attributes(props: dict[str, Any], props_of: dict[str, Prop], lists: bool, text: Callable[[Any], Any], skip: str = "") -> dict[str, Any]:
    return {
        RENAMED.get(name, name): text(_typed(props_of.get(name), value, lists))
        for name, value in props.items()
        if name != skip and value is not None
    }


def export_graph(projection: nx.MultiDiGraph, lists: bool = False, xml: bool = False) -> nx.MultiDiGraph:
    """The projection with the flat attributes every format writes (see the module docstring);
    `xml` replaces what XML 1.0 forbids in any text (ids, keys, values) by U+FFFD."""
    text = _xml_value if xml else _same
    graph = nx.MultiDiGraph()
    for nid, data in projection.nodes(data=True):
        kind = NODES[data["label"]]
        props = {prop.name: prop for prop in kind.properties}
        attributes = _attributes(data["properties"], props, lists, text, skip=kind.key)
        display = data["properties"].get("name") or data["key"]
        graph.add_node(text(nid), node_kind=kind.label, natural_key=text(data["key"]), label=text(display), **attributes)
    for source, target, key, data in projection.edges(keys=True, data=True):
        props = {prop.name: prop for prop in RELS[data["type"]].properties}
        attributes = _attributes(data["properties"], props, lists, text)
        graph.add_edge(text(source), text(target), key=text(key), rel_type=data["type"], **attributes)
    return graph


def export_share(projection: nx.MultiDiGraph) -> SyntheticShare:
    """How many of the exported nodes and relationships are synthetic (each also carries its own
    `synthetic` attribute)."""
    items = [*(data["properties"] for _, data in projection.nodes(data=True)),
             *(data["properties"] for _, _, data in projection.edges(data=True))]
    return share_of(items, "nodes and relationships exported")


def export_lines(projection: nx.MultiDiGraph, fmt: str) -> Iterator[str]:
    """The export as text chunks (each ending in a newline), ready to stream or write; the
    tables of `csv` are files of their own (`write_export`, `export_zip`)."""
    check_format(fmt)
    if fmt == TABLES:
        raise ValueError("the csv export is two tables (nodes.csv and edges.csv): write it to a folder or take it as a zip")
    graph = export_graph(projection, lists=fmt == "json", xml=fmt in XML_FORMATS)
    if fmt == "graphml":
        yield from (f"{line}\n" for line in nx.generate_graphml(graph))
    elif fmt == "gexf":
        yield from (f"{line}\n" for line in nx.generate_gexf(graph))
    elif fmt == "json":
        yield from node_link_lines(graph)
    else:
        yield from edge_list_lines(graph)


def write_export(projection: nx.MultiDiGraph, fmt: str, path: Path) -> int:
    """Writes the export to `path` (UTF-8; for `csv`, the folder of its tables); returns the bytes written."""
    if check_format(fmt) == TABLES:
        return write_tables(export_graph(projection), path)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        for chunk in export_lines(projection, fmt):
            written += len(chunk.encode())
            out.write(chunk)
    return written


def export_zip(projection: nx.MultiDiGraph) -> bytes:
    """The `csv` tables in one zip archive."""
    return tables_zip(export_graph(projection))


def node_link_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    """`nx.node_link_data(graph, edges="edges")` as JSON, one node or edge per line."""
    yield '{"directed": true, "multigraph": true, "graph": {},\n"nodes": [\n'
    for i, (nid, data) in enumerate(graph.nodes(data=True)):
        yield ("," if i else "") + json.dumps({**data, "id": nid}, ensure_ascii=False) + "\n"
    yield '],\n"edges": [\n'
    for i, (source, target, key, data) in enumerate(graph.edges(keys=True, data=True)):
        edge = {**data, "source": source, "target": target, "key": key}
        yield ("," if i else "") + json.dumps(edge, ensure_ascii=False) + "\n"
    yield "]}\n"


def edge_list_lines(graph: nx.MultiDiGraph) -> Iterator[str]:
    yield "# source,target,attributes (networkx edge list: nx.read_edgelist(path, delimiter=','))\n"
    for source, target, key, data in graph.edges(keys=True, data=True):
        # networkx passes the dict to `add_edge(u, v, **data)`, so "key" becomes the edge key.
        yield f"{source},{target},{python_literal({'key': key, **data})}\n"


def python_literal(data: dict[str, Any]) -> str:
    """`data` as a dict literal `ast.literal_eval` reads back, with no `#` in it: inside repr's
    string literals `#` is never part of an escape, so `\\x23` stands for it exactly."""
    return repr(data).replace("#", "\\x23")
