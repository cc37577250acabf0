"""`chanjiao export` and `chanjiao analyze`: subgraphs for researchers' own tools, and graph
analyses on them (DESIGN §5). Both take the same selection options."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from chanjiao.commands.options import JsonOption, StoreOption, fail, opened_store
from graph.projection import Selection, parse_node_id, split_values
from graph.store import GraphStore
from queries import analytics
from queries.exports import FORMATS, export_share, write_export

EXPORT_HELP = """Write the whole graph, or the subgraph the selection options choose, for networkx,
Gephi, Cytoscape or a spreadsheet. Read it back in Python with one call:

  graphml   nx.read_graphml(PATH, force_multigraph=True)
  gexf      nx.read_gexf(PATH)
  json      nx.node_link_graph(json.load(open(PATH)), edges="edges")
  edgelist  nx.read_edgelist(PATH, delimiter=",", create_using=nx.MultiDiGraph)

csv writes the folder PATH with two tables for Excel (UTF-8 with BOM): nodes.csv (a row per
node, a column per property of the model, provenance last) and edges.csv (a row per
relationship). Node ids are `Label:key`; nodes carry node_kind, natural_key, label (the name)
and their properties; edges carry rel_type and theirs. Lists are `;`-joined except in json. Personal data
(mentors' e-mail and phone) is never exported. Exit status 2 on bad options.
"""

ANALYZE_HELP = f"""Run a graph analysis on the whole graph or on the selected subgraph.

ALGORITHM is one of: {", ".join(a.replace("_", "-") for a in analytics.ALGORITHMS)}.
degree, betweenness, pagerank: centrality; louvain, leiden: communities; kcore: the k-core;
projection: school–enterprise pairs weighted by shared disciplines and alliances;
adamic-adar, resource-allocation, common-neighbours: link prediction over pairs not yet linked
(partner recommendations); jaccard: node similarity. The report says when and on which data
version it was computed.
"""


LabelsOption = Annotated[list[str] | None, typer.Option("--labels", help="Node kinds to keep, e.g. School,Enterprise (all when omitted)")]
RelationshipsOption = Annotated[list[str] | None, typer.Option("--relationships", help="Relationship kinds to keep, e.g. OFFERS,DEMANDS")]
ChainOption = Annotated[str | None, typer.Option("--chain", help="Only enterprises of this industry chain (and its segments) and their neighbours")]
DistrictsOption = Annotated[list[str] | None, typer.Option("--districts", help="Only schools, enterprises and bases in these districts (adcodes)")]


def register(app: typer.Typer) -> None:
    app.command("export", help=EXPORT_HELP)(export_command)
    app.command("analyze", help=ANALYZE_HELP)(analyze_command)


def _selection(labels: list[str] | None, relationships: list[str] | None, chain: str | None, districts: list[str] | None) -> Selection:
    try:
        return Selection.parse(labels, relationships, chain, districts)
    except ValueError as error:
        fail(str(error))


def export_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (csv: the folder for nodes.csv and edges.csv)")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}")] = "graphml",
    labels: LabelsOption = None,
    relationships: RelationshipsOption = None,
    chain: ChainOption = None,
    districts: DistrictsOption = None,
    store: StoreOption = None,
) -> None:
    if fmt not in FORMATS:
        fail(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    selection = _selection(labels, relationships, chain, districts)
    console = Console(stderr=True)
    with opened_store(store) as graph, console.status(f"projecting {selection.describe()}…"):
        try:
            projection = graph.projection().subgraph(selection)
        except ValueError as error:
            fail(str(error))
        written = write_export(projection, fmt, output)
    typer.echo(
        f"wrote {projection.number_of_nodes()} nodes and {projection.number_of_edges()} relationships "
        f"to {output} ({fmt}, {written} bytes); {export_share(projection).describe()}"
    )


def analyze_command(
    algorithm: Annotated[str, typer.Argument(help="The analysis to run (see above)", show_default=False)],
    labels: LabelsOption = None,
    relationships: RelationshipsOption = None,
    chain: ChainOption = None,
    districts: DistrictsOption = None,
    first: Annotated[int, typer.Option("--first", "-n", help="How many rows (communities for louvain/leiden)")] = 20,
    resolution: Annotated[float, typer.Option(help="Community resolution (1 = modularity)")] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed of Louvain and Leiden")] = 0,
    k: Annotated[int | None, typer.Option("--k", help="k of the k-core (the largest when omitted)")] = None,
    cutoff: Annotated[int | None, typer.Option(help="Betweenness over paths of at most this many hops")] = None,
    sample: Annotated[int | None, typer.Option(help="Betweenness estimated from this many random sources")] = None,
    between: Annotated[str, typer.Option(help="The two node kinds paired by link prediction and projection")] = "School,Enterprise",
    node: Annotated[str | None, typer.Option(help="jaccard: nodes most like this one, written Label:key")] = None,
    kind: Annotated[str | None, typer.Option(help="jaccard: compare nodes of this kind")] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    name = algorithm.replace("-", "_")
    if name not in analytics.ALGORITHMS:
        fail(f"unknown algorithm {algorithm!r}; expected one of {', '.join(a.replace('_', '-') for a in analytics.ALGORITHMS)}")
    selection = _selection(labels, relationships, chain, districts)
    options = {"first": first, "resolution": resolution, "seed": seed, "k": k, "cutoff": cutoff, "sample": sample,
               "between": between, "node": node, "kind": kind}
    with opened_store(store) as graph, Console(stderr=True).status(f"{algorithm} on {selection.describe()}…"):
        try:
            result = _run(name, graph, selection, options)
        except (ValueError, KeyError) as error:
            fail(str(error.args[0]) if isinstance(error, KeyError) else str(error))
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False))
    else:
        _print(result)


def _pair(text: str) -> tuple[str, str]:
    parts = split_values([text])
    if len(parts) != 2:
        raise ValueError(f"--between takes two node kinds, e.g. School,Enterprise, not {text!r}")
    return parts[0], parts[1]


def _run(name: str, graph: GraphStore, selection: Selection, options: dict[str, Any]) -> Any:
    first = options["first"]
    runners: dict[str, Callable[[], Any]] = {
        "louvain": lambda: analytics.communities(graph, selection, name, options["resolution"], options["seed"], first),
        "kcore": lambda: analytics.k_core(graph, selection, options["k"], first),
        "projection": lambda: analytics.school_enterprise_projection(graph, selection, _pair(options["between"]), first),
        "jaccard": lambda: analytics.similarity(
            graph, selection, parse_node_id(options["node"]) if options["node"] else None, options["kind"], first
        ),
    }
    runners["leiden"] = runners["louvain"]
    if name in analytics.CENTRALITY:
        return analytics.centrality(graph, selection, name, first, options["cutoff"], sample=options["sample"])
    if name in analytics.LINK_METHODS:
        return analytics.link_prediction(graph, selection, name, _pair(options["between"]), first)
    return runners[name]()


def _print(result: Any) -> None:
    console = Console()
    computed: analytics.Computed = result.computed
    if isinstance(result, analytics.Communities):
        table = Table("community", "size", "best connected members", title=f"modularity {result.modularity:.4f}, {result.count} communities")
        for community in result.communities:
            table.add_row(str(community.id), str(community.size), ", ".join(_name(m) for m in community.members[:5]))
    elif isinstance(result, analytics.PairRanking):
        table = Table("source", "target", "score", "shared")
        for pair in result.rows:
            table.add_row(_name(pair.source), _name(pair.target), f"{pair.score:.4g}", str(pair.shared))
    else:
        title = f"{result.size} nodes in the {result.k}-core (max {result.max_core})" if isinstance(result, analytics.KCore) else None
        table = Table("node", "kind", "score", title=title)
        for row in result.rows:
            table.add_row(_name(row.node), row.node.label, f"{row.score:.4g}")
    console.print(table)
    console.print(
        f"{computed.algorithm} ({computed.engine}) on {computed.nodes} nodes and {computed.relationships} relationships "
        f"({computed.selection}), data version {computed.data_version}, computed {computed.computed_at}"
        + (" (cached)" if computed.cached else ""),
        markup=False,
    )


def _name(node: analytics.NodeInfo) -> str:
    return f"{node.name or node.key} ({node.id})"
