"""`chanjiao export --format csv` and `/export?format=csv`: `nodes.csv` and `edges.csv` for
spreadsheets (issue 14 item 7), read back with the csv module on both stores. Expected rows are
worked out by hand from the graph written in `sample`."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import httpx
import networkx as nx
import pytest
from typer.testing import CliRunner

from api.app import create_app
from chanjiao.cli import app
from chanjiao.neo4j_local import free_port
from chanjiao.settings import Settings
from graph.model import NODE_KINDS, REL_KINDS
from graph.projection import Selection
from graph.records import NodeRef
from graph.store import GraphStore
from queries.export_tables import edge_columns, node_columns
from queries.exports import export_lines, write_export
from tests.api.conftest import ServerThread
from tests.network_graphs import add_nodes, add_rels, alliance, discipline, enterprise, link, mentor, nid, school

BOM = b"\xef\xbb\xbf"
BASE = NodeRef("Base", "B1")


@pytest.fixture
def sample(store: GraphStore) -> GraphStore:
    """Chinese names, a comma and quotes, a would-be formula, a list, yes/no, numbers, two OFFERS
    of different years, a mentor with personal data and a discipline without relationships."""
    s1, e1, d1, a1, m1 = school(1), enterprise(1), discipline(1), alliance(1), mentor(1)
    add_nodes(store, s1, e1, d1, a1, m1, BASE, discipline(2), extra={
        s1.key: {"name": "上海交通大学", "name_en": "Shanghai Jiao Tong University", "double_first_class": True},
        a1.key: {"name": '联盟, "一"', "founded": 2021},
        e1.key: {"name": "=HYPERLINK(\"http://x\")"},
        m1.key: {"email": "m1@example.cn", "phone": "13800000000"},
        BASE.key: {"name": "实训基地", "type": "practice", "capacity": 120},
    })
    add_rels(
        store,
        link("OFFERS", s1, d1, {"year": 2023}, enrollment=90, graduates=80),
        link("OFFERS", s1, d1, {"year": 2024}, graduates=85),
        link("COOPERATES_WITH", s1, e1, since=2020, kinds=["internship", "joint_lab"]),
        link("MEMBER_OF", e1, a1, role="member"),
        link("EMPLOYED_BY", m1, e1),
        link("HOSTED_BY", BASE, e1),
    )
    return store


def read_table(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a table, after checking the byte order mark and CRLF line ends."""
    assert data.startswith(BOM) and not data.startswith(BOM + BOM)
    assert data.count(b"\r\n") == data.count(b"\n")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def check_tables(store: GraphStore, nodes: bytes, edges: bytes) -> None:
    node_header, node_rows = read_table(nodes)
    edge_header, edge_rows = read_table(edges)
    stats = store.stats()
    assert node_header == list(node_columns()) and edge_header == list(edge_columns())
    assert len(node_rows) == sum(stats.nodes.values()) == 7
    assert len(edge_rows) == sum(stats.relationships.values()) == 6
    for kind in NODE_KINDS:
        assert sum(row["node_kind"] == kind.label for row in node_rows) == stats.nodes[kind.label]
    for rel in REL_KINDS:
        assert sum(row["rel_type"] == rel.type for row in edge_rows) == stats.relationships[rel.type]
    by_id = {row["id"]: row for row in node_rows}
    sjtu = by_id[nid(school(1))]
    assert {name: value for name, value in sjtu.items() if value} == {
        "id": nid(school(1)), "node_kind": "School", "natural_key": school(1).key, "label": "上海交通大学",
        "name": "上海交通大学", "name_en": "Shanghai Jiao Tong University", "level": "undergraduate",
        "double_first_class": "true", "data_source": "tests", "loaded_at": "2025-01-01T00:00:00Z", "synthetic": "false"}
    assert by_id[nid(alliance(1))]["name"] == '联盟, "一"' and by_id[nid(alliance(1))]["founded"] == "2021"
    assert by_id[nid(enterprise(1))]["name"] == "'=HYPERLINK(\"http://x\")"  # shown as text, never run
    assert by_id[nid(BASE)]["capacity"] == "120"
    assert "email" not in node_header and "phone" not in node_header
    offers = sorted((row["key"], row["year"], row["enrollment"], row["graduates"]) for row in edge_rows if row["rel_type"] == "OFFERS")
    assert offers == [("OFFERS:2023", "2023", "90", "80"), ("OFFERS:2024", "2024", "", "85")]
    [cooperation] = [row for row in edge_rows if row["rel_type"] == "COOPERATES_WITH"]
    assert (cooperation["source"], cooperation["target"], cooperation["kinds"], cooperation["since"]) == (
        nid(school(1)), nid(enterprise(1)), "internship;joint_lab", "2020")
    assert {row["synthetic"] for row in edge_rows} == {"false"}


def test_the_csv_export_writes_a_node_and_an_edge_table(sample: GraphStore, tmp_path: Path) -> None:
    written = write_export(sample.projection().subgraph(Selection.of()), "csv", tmp_path / "tables")
    nodes, edges = ((tmp_path / "tables" / name).read_bytes() for name in ("nodes.csv", "edges.csv"))
    assert written == len(nodes) + len(edges)
    check_tables(sample, nodes, edges)


def test_chanjiao_export_csv(sample: GraphStore, store_uri: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--output", str(tmp_path / "out"), "--store", store_uri])
    assert result.exit_code == 0, result.output
    assert "wrote 7 nodes and 6 relationships" in result.stdout
    check_tables(sample, (tmp_path / "out" / "nodes.csv").read_bytes(), (tmp_path / "out" / "edges.csv").read_bytes())


def test_the_export_route_answers_a_zip_of_the_tables(sample: GraphStore, store_uri: str) -> None:
    settings = Settings.model_validate({"CHANJIAO_STORE": store_uri})
    with ServerThread(create_app(settings, store=sample), free_port()) as server:
        response = httpx.get(f"{server.url}/export", params={"format": "csv"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert 'filename="chanjiao-subgraph.zip"' in response.headers["content-disposition"]
    assert (response.headers["x-nodes"], response.headers["x-relationships"]) == ("7", "6")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes, edges = archive.read("nodes.csv"), archive.read("edges.csv")
    check_tables(sample, nodes, edges)
    assert b"m1@example.cn" not in nodes + edges and b"13800000000" not in nodes + edges


def test_a_selection_keeps_the_headers(sample: GraphStore, tmp_path: Path) -> None:
    write_export(sample.projection().subgraph(Selection.of(labels=["Discipline"])), "csv", tmp_path)
    header, rows = read_table((tmp_path / "nodes.csv").read_bytes())
    assert header == list(node_columns()) and sorted(row["id"] for row in rows) == sorted([nid(discipline(1)), nid(discipline(2))])
    assert read_table((tmp_path / "edges.csv").read_bytes()) == (list(edge_columns()), [])


def test_the_tables_are_no_single_text() -> None:
    with pytest.raises(ValueError, match=r"two tables \(nodes.csv and edges.csv\)"):
        list(export_lines(nx.MultiDiGraph(), "csv"))
