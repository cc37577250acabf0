"""Control characters: refused wherever text is written (loaded cells, GraphQL mutations), and
harmless in XML exports even when a store written around the validation holds one (NUL made
GraphML and GEXF unreadable for everyone). Tab, line feed and carriage return are text."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.projection import Selection
from graph.store import GraphStore
from queries.exports import write_export
from tests.api.conftest import Api
from tests.api.secured import EDITOR, errors, serve
from tests.network_graphs import add_nodes, add_rels, discipline, enterprise, link, nid, school
from tests.test_exports import READERS
from tests.test_loaders import nonzero, run

NUL_NAME = "上海\x00交通大学\x1b"
SHOWN = "上海\ufffd交通大学\ufffd"  # what XML exports write instead


@pytest.fixture
def dirty(store: GraphStore) -> GraphStore:
    """NUL and ESC in a node's name, a control character in a list and in an edge's text, all
    written straight through the store: what validation refuses may still come from elsewhere."""
    s1, e1, d1 = school(1), enterprise(1), discipline(1)
    add_nodes(store, s1, e1, d1, extra={s1.key: {"name": NUL_NAME, "name_en": "tab\there\nnew line"}})
    add_rels(store, link("COOPERATES_WITH", s1, e1, since=2020, kinds=["intern\x01ship"]), link("OFFERS", s1, d1, {"year": 2024}))
    return store


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_of_a_store_holding_control_characters_are_valid(dirty: GraphStore, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    write_export(dirty.projection().subgraph(Selection.of()), fmt, path)
    ElementTree.parse(path)  # a strict XML 1.0 parser: raises on any forbidden character
    back = READERS[fmt](path)
    school_node = back.nodes[nid(school(1))]
    assert school_node["name"] == school_node["label"] == SHOWN
    assert school_node["name_en"] == "tab\there\nnew line"  # allowed characters stay
    assert [kinds for _, _, kinds in back.edges(data="kinds") if kinds] == ["intern\ufffdship"]
    assert back.number_of_edges() == 2


def test_node_link_json_keeps_the_characters_escaped(dirty: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    write_export(dirty.projection().subgraph(Selection.of()), "json", path)
    assert READERS["json"](path).nodes[nid(school(1))]["name"] == NUL_NAME  # JSON can hold them: nothing lost


def test_the_export_command_writes_valid_xml(dirty: GraphStore, store_uri: str, tmp_path: Path) -> None:
    output = tmp_path / "graph.graphml"
    command = Path(sys.executable).with_name("chanjiao")
    done = subprocess.run([str(command), "export", "--store", store_uri, "--format", "graphml", "--output", str(output)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert nx.read_graphml(output, force_multigraph=True).nodes[nid(school(1))]["name"] == SHOWN


# ---- refused on write ------------------------------------------------------------------------------


def test_loading_a_control_character_is_a_located_cell_error(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "districts.csv").write_text(
        'code,name\n310104,徐汇\x00区\n310110,"杨浦\r\n区"\n310101,黄浦\x7f区\n310105,长宁\t区\n', encoding="utf-8")
    (tmp_path / "zones.jsonl").write_text(json.dumps({"code": "LG", "name": "临港\u0085新片区", "kind": "new_area"}) + "\n", encoding="utf-8")
    report = run([tmp_path], store, rejects_dir=tmp_path / "rejects")
    allowed = "only tab, line feed and carriage return are allowed"
    assert [error.line for error in report.errors] == [
        f"{tmp_path / 'districts.csv'}:2:name: text holds the control character U+0000 at character 3; {allowed}",
        f"{tmp_path / 'districts.csv'}:4:name: text holds the control character U+007F at character 3; {allowed}",
        f"{tmp_path / 'zones.jsonl'}:1:name: text holds the control character U+0085 at character 3; {allowed}",
    ]
    assert nonzero(store.stats().nodes) == {"District": 2}
    assert store.get_nodes("District", ["310110"])["310110"].props["name"] == "杨浦\r\n区"


@pytest.fixture
def api(store: GraphStore, store_uri: str) -> Iterator[Api]:
    with serve(store, store_uri) as client:
        yield client


UPSERT = "mutation($name: String) { upsertDistrict(input: {code: \"310101\", name: $name}) { node { name } } }"


@pytest.mark.parametrize("name", ["黄浦\x00区", "黄浦\x1b区", "黄浦\ud800区"], ids=["NUL", "ESC", "lone surrogate"])
def test_a_mutation_with_a_control_character_is_refused(api: Api, name: str) -> None:
    body = json.dumps({"query": UPSERT, "variables": {"name": name}})  # ASCII: "\ud800" escaped as JSON allows
    response = api.client.post("/graphql", content=body, headers={"content-type": "application/json", **EDITOR})
    [error] = errors(response)
    assert "name: text holds the control character U+" in error["message"], error
    assert api.query("{ districts { totalCount } }") == {"districts": {"totalCount": 0}}
    literal = api.post('mutation { upsertDistrict(input: {code: "310101", name: "黄浦\\u0000区"}) { node { name } } }', **EDITOR)
    assert "text holds the control character U+0000 at character 3" in errors(literal)[0]["message"]
    kept = api.post(UPSERT, {"name": "黄浦\t区"}, **EDITOR)
    assert kept.json()["data"]["upsertDistrict"]["node"]["name"] == "黄浦\t区"
