"""Exports round-trip through networkx with one call each, on both stores."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.model import NODE_KINDS, REL_KINDS
from graph.projection import Selection
from graph.records import NodeRef
from graph.store import GraphStore
from queries.exports import export_graph, export_lines, python_literal, write_export
from tests.network_graphs import (
    add_nodes,
    add_rels,
    alliance,
    discipline,
    enterprise,
    link,
    mentor,
    nid,
    school,
)

READERS: dict[str, Callable[[Path], nx.Graph]] = {
    "graphml": lambda path: nx.read_graphml(path, force_multigraph=True),
    "gexf": nx.read_gexf,
    "json": lambda path: nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges"),
    "edgelist": lambda path: nx.read_edgelist(path, delimiter=",", create_using=nx.MultiDiGraph),
}  # every format but `csv`, the tables for spreadsheets (tests/test_export_tables.py)
BASE = NodeRef("Base", "B1")


@pytest.fixture
def sample(store: GraphStore) -> GraphStore:
    """Chinese names, a '#' and quotes in values, a list, booleans, ints, floats, parallel
    relationships (OFFERS of two years), a mentor's personal data and an isolated node."""
    s1, e1, d1, a1, m1 = school(1), enterprise(1), discipline(1), alliance(1), mentor(1)
    add_nodes(
        store, s1, e1, d1, a1, m1, BASE, discipline(2),
        extra={
            s1.key: {"name": "上海交通大学", "double_first_class": True},
            a1.key: {"name": 'Alliance #1, "quoted"', "founded": 2021},
            m1.key: {"email": "m1@example.cn", "phone": "13800000000"},
            BASE.key: {"name": "实训基地", "type": "practice", "capacity": 120},
        },
    )
    add_rels(
        store,
        link("OFFERS", s1, d1, {"year": 2023}, enrollment=90, graduates=80),
        link("OFFERS", s1, d1, {"year": 2024}, graduates=85),
        link("COOPERATES_WITH", s1, e1, since=2020, kinds=["internship", "joint#lab"]),
        link("MEMBER_OF", e1, a1, role="member"),
        link("EMPLOYED_BY", m1, e1),
        link("HOSTED_BY", BASE, e1),
    )
    return store


def canonical_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict[str, Any]]]:
    """Edges with their attributes; the `id` the XML readers add is not ours."""
    edges = [(u, v, {k: val for k, val in data.items() if k != "id"}) for u, v, data in graph.edges(data=True)]
    return sorted(edges, key=repr)


@pytest.mark.parametrize("fmt", READERS)
def test_export_round_trips_through_networkx(sample: GraphStore, tmp_path: Path, fmt: str) -> None:
    projection = sample.projection().subgraph(Selection.of())
    path = tmp_path / f"graph.{fmt}"
    write_export(projection, fmt, path)
    back = READERS[fmt](path)
    written = export_graph(projection, lists=fmt == "json")
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_edges() == written.number_of_edges() == 6
    assert canonical_edges(back) == canonical_edges(written)
    assert set(back.edges(keys=True)) == set(written.edges(keys=True))
    if fmt == "edgelist":  # no isolated nodes, no node attributes
        assert set(back) == set(written) - {nid(discipline(2))}
        return
    assert back.number_of_nodes() == written.number_of_nodes() == 7
    assert dict(back.nodes(data=True)) == dict(written.nodes(data=True))


def test_exported_attributes(sample: GraphStore) -> None:
    graph = export_graph(sample.projection().subgraph(Selection.of()))
    assert graph.nodes[nid(school(1))] == {
        "node_kind": "School", "natural_key": school(1).key, "label": "上海交通大学", "name": "上海交通大学",
        "level": "undergraduate", "double_first_class": True, "data_source": "tests", "loaded_at": "2025-01-01T00:00:00Z",
        "synthetic": False,  # provenance: every exported node and relationship says whether it is made up
    }
    assert graph.edges[nid(school(1)), nid(enterprise(1)), "COOPERATES_WITH"]["kinds"] == "internship;joint#lab"
    assert graph.edges[nid(school(1)), nid(discipline(1)), "OFFERS:2023"]["enrollment"] == 90
    # Personal data never leaves the store.
    assert "email" not in graph.nodes[nid(mentor(1))] and "phone" not in graph.nodes[nid(mentor(1))]
    as_json = export_graph(sample.projection().subgraph(Selection.of()), lists=True)
    assert as_json.edges[nid(school(1)), nid(enterprise(1)), "COOPERATES_WITH"]["kinds"] == ["internship", "joint#lab"]


def test_export_of_a_selection(sample: GraphStore) -> None:
    projection = sample.projection().subgraph(Selection.of(labels=["School", "Discipline"]))
    text = "".join(export_lines(projection, "json"))
    back = nx.node_link_graph(json.loads(text), edges="edges")
    assert set(back) == {nid(school(1)), nid(discipline(1)), nid(discipline(2))}
    assert sorted(key for _, _, key in back.edges(keys=True)) == ["OFFERS:2023", "OFFERS:2024"]


def test_csv_literal_hides_comment_marks() -> None:
    literal = python_literal({"role": "a#b\\#c", "n": 1})
    assert "#" not in literal
    line = f"A:1,B:2,{literal}"
    back = nx.parse_edgelist([line], delimiter=",", create_using=nx.MultiDiGraph)
    assert back.edges["A:1", "B:2", 0] == {"role": "a#b\\#c", "n": 1}


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format 'xlsx'; expected one of graphml, gexf, json, csv, edgelist"):
        list(export_lines(nx.MultiDiGraph(), "xlsx"))


def test_export_names_do_not_clash_with_the_model() -> None:
    """The attributes exports add, and those the formats reserve, are no property of the model;
    a property name has one type across kinds, so a GraphML key has one type."""
    reserved = {"node_kind", "natural_key", "label", "rel_type", "data_source", "key", "source", "target"}
    node_props = {prop.name: prop.type for kind in NODE_KINDS for prop in kind.properties if prop.name != kind.key}
    rel_props = {prop.name: prop.type for kind in REL_KINDS for prop in kind.properties}
    assert not reserved & (set(node_props) | set(rel_props))
    for kinds in (NODE_KINDS, REL_KINDS):
        types: dict[str, set[Any]] = {}
        for kind in kinds:
            for prop in kind.properties:
                types.setdefault(prop.name, set()).add(prop.type)
        assert all(len(found) == 1 for found in types.values())


def chanjiao(*args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("chanjiao")
    return subprocess.run([str(command), *args], capture_output=True, text=True, timeout=300)


def test_cli_export_and_analyze(sample: GraphStore, store_uri: str, tmp_path: Path) -> None:
    output = tmp_path / "schools.gexf"
    done = chanjiao("export", "--store", store_uri, "--format", "gexf", "--output", str(output),
                    "--labels", "School,Discipline", "--relationships", "OFFERS")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote 3 nodes and 2 relationships")
    assert nx.read_gexf(output).number_of_edges() == 2
    done = chanjiao("analyze", "degree", "--store", store_uri, "--json", "-n", "1")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # Enterprise 1 touches school 1, alliance 1, mentor 1 and the base: 4 of the 6 others.
    assert report["rows"] == [{"node": {"id": nid(enterprise(1)), "label": "Enterprise", "key": enterprise(1).key,
                                        "name": f"Enterprise {enterprise(1).key}"}, "score": pytest.approx(4 / 6)}]
    assert report["computed"]["data_version"] == sample.data_version()
    bad = chanjiao("analyze", "fame", "--store", store_uri)
    assert bad.returncode == 2 and "unknown algorithm 'fame'" in bad.stderr
