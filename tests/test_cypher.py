"""The Neo4j store's Cypher builders (graph/neo4j/cypher/): exact query text and parameters, checks
that keep anything a caller sends out of the query text, and a few behaviours of the full-text
search on both stores (run through the `store` fixture)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from benchmarks import raw_cypher
from graph.filters import And, Compare, Not, Op, Or, Related
from graph.indicators import Measure
from graph.model import RELS
from graph.neo4j.cypher import reads as cypher_reads
from graph.neo4j.cypher import statements as cypher
from graph.neo4j.cypher.filters import Params, compile_filter, node_fields, order_clause, rel_fields
from graph.neo4j.cypher.indicators import indicators_query
from graph.neo4j.cypher.rows import node_rows, rel_groups
from graph.open import open_store
from graph.records import Direction, NodeRef, OrderBy, Provenance, RelRow
from graph.store import GraphStore

SEED = Provenance("seed.csv", "2025-01-01T00:00:00+08:00")

# -- schema --------------------------------------------------------------------------------------


def test_schema_has_a_constraint_per_key_indexes_and_the_cjk_fulltext_index() -> None:
    statements = cypher.schema_statements()
    # 11 kinds + LoadRun + _Meta constraints; 26 property indexes (name and every enumerated
    # property: 1+2+3+2+3+2+2+4+1+4+2 over the 11 kinds); OFFERS.year, DEMANDS.year; a TEXT index
    # on each kind's key (search by part of a key); a full-text index per kind.
    assert len(statements) == 13 + 26 + 2 + 11 + 11
    assert "CREATE TEXT INDEX mentor_id_text IF NOT EXISTS FOR (n:Mentor) ON (n.id)" in statements
    assert "CREATE CONSTRAINT enterprise_uscc_unique IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.uscc IS UNIQUE" in statements
    assert "CREATE CONSTRAINT load_run_id_unique IF NOT EXISTS FOR (n:LoadRun) REQUIRE n.id IS UNIQUE" in statements
    assert "CREATE INDEX base_program IF NOT EXISTS FOR (n:Base) ON (n.program)" in statements
    assert "CREATE INDEX offers_year IF NOT EXISTS FOR ()-[r:OFFERS]-() ON (r.year)" in statements
    assert "CREATE INDEX demands_year IF NOT EXISTS FOR ()-[r:DEMANDS]-() ON (r.year)" in statements
    assert (
        "CREATE FULLTEXT INDEX industry_chain_names_fulltext IF NOT EXISTS FOR (n:IndustryChain) "
        "ON EACH [n.name, n.name_en]\nOPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
    ) in statements
    assert all(" IF NOT EXISTS " in statement for statement in statements)


# -- writes --------------------------------------------------------------------------------------

OUTCOME = (
    "CASE WHEN {v}.loaded_at IS NULL THEN 0\n"
    "  WHEN all(k IN keys(r.props) WHERE coalesce({v}[k] = r.props[k], false)"
    " AND valueType({v}[k]) = valueType(r.props[k])) THEN 2\n"
    "  ELSE 1 END AS outcome\n"
    "FOREACH (_ IN CASE WHEN outcome < 2 THEN [1] ELSE [] END |\n"
    "  SET {v} += r.props, {v}.source = $source, {v}.loaded_at = $loaded_at)\n"
    "RETURN outcome, count(*) AS rows"
)


def test_upsert_nodes_query() -> None:
    assert cypher.upsert_nodes_query("District") == (
        "UNWIND $rows AS r\n"
        "MERGE (n:District {code: r.key})\n"
        "WITH n, r, " + OUTCOME.format(v="n")
    )
    assert "MERGE (n:LoadRun {id: r.key})" in cypher.upsert_nodes_query("LoadRun")
    # the sort keys of the names ride in the same statement, and a mutation gets the nodes back
    assert cypher.upsert_nodes_query("District", "FOREACH (s IN r.sort_names | X)", returning=True).endswith(
        "  SET n += r.props, n.source = $source, n.loaded_at = $loaded_at)\n"
        "FOREACH (s IN r.sort_names | X)\n"
        "RETURN outcome, count(*) AS rows, collect(properties(n)) AS written")
    with pytest.raises(ValueError, match="University"):
        cypher.upsert_nodes_query("University")


def test_upsert_rels_query_expands_between_locked_endpoints() -> None:
    lookup = "head([(a)-[y:OFFERS]->(b) WHERE y {.year} = r.key | y])"
    assert cypher.upsert_rels_query("OFFERS", "School", "Discipline") == (
        "UNWIND $rows AS r\n"
        "MATCH (a:School {code: r.source})\n"
        "MATCH (b:Discipline {code: r.target})\n"
        f"WITH a, b, r, {lookup} AS found\n"
        "FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END |\n"
        "  SET a.`_lock` = true, b.`_lock` = true REMOVE a.`_lock`, b.`_lock`)\n"
        f"WITH a, b, r, coalesce(found, {lookup}) AS found\n"
        "FOREACH (_ IN CASE WHEN found IS NULL THEN [1] ELSE [] END |\n"
        "  CREATE (a)-[:OFFERS {year: r.key.year}]->(b))\n"
        f"WITH r, coalesce(found, {lookup}) AS x\n"
        "WITH x, r, " + OUTCOME.format(v="x")
    )
    unkeyed = cypher.upsert_rels_query("SERVES", "Alliance", "IndustryChain")
    assert "MATCH (a:Alliance {id: r.source})\nMATCH (b:IndustryChain {code: r.target})\n" in unkeyed
    assert "head([(a)-[y:SERVES]->(b) | y])" in unkeyed and "CREATE (a)-[:SERVES]->(b))" in unkeyed
    with pytest.raises(ValueError, match="OFFERS joins School → Discipline, not Enterprise → Discipline"):
        cypher.upsert_rels_query("OFFERS", "Enterprise", "Discipline")


def test_delete_and_missing_key_queries() -> None:
    assert cypher.delete_nodes_query("Enterprise") == (
        "UNWIND $keys AS key\nMATCH (n:Enterprise {uscc: key})\nDETACH DELETE n\nRETURN count(*) AS deleted"
    )
    assert cypher.delete_rels_query("DEMANDS", "Enterprise", "Discipline") == (
        "UNWIND $rows AS r\n"
        "MATCH (a:Enterprise {uscc: r.source})\n"
        "MATCH (b:Discipline {code: r.target})\n"
        "WITH r, head([(a)-[y:DEMANDS]->(b) WHERE y {.year} = r.key | y]) AS x WHERE x IS NOT NULL\n"
        "DELETE x\n"
        "RETURN count(*) AS deleted"
    )
    assert cypher.missing_keys_query("Discipline") == (
        "UNWIND $keys AS key\nOPTIONAL MATCH (n:Discipline {code: key})\nWITH key WHERE n IS NULL\n"
        "RETURN collect(key) AS missing"
    )


def test_stats_reads_the_count_store_for_every_kind() -> None:
    query = cypher.stats_query()
    assert query.startswith("RETURN COUNT { (:District) } AS `District`,\n       COUNT { (:Zone) } AS `Zone`,")
    assert query.endswith("COUNT { ()-[:TEACHES]->() } AS `TEACHES`")
    assert query.count("COUNT {") == 11 + 22


def test_raw_baseline_queries() -> None:
    assert raw_cypher.raw_create_nodes_query("School") == (
        "UNWIND $rows AS row CREATE (n:School)\nSET n = row, n.source = $source, n.loaded_at = $loaded_at"
    )
    assert raw_cypher.raw_create_rels_query("OFFERS", "School", "Discipline") == (
        "UNWIND $rows AS row\nMATCH (a:School {code: row.source})\nMATCH (b:Discipline {code: row.target})\n"
        "CREATE (a)-[r:OFFERS]->(b)\nSET r = row.props, r += row.key, r.source = $source, r.loaded_at = $loaded_at"
    )


# -- write parameters ----------------------------------------------------------------------------


def test_node_rows_merge_duplicate_keys_and_drop_none_and_provenance() -> None:
    rows: list[tuple[str, dict[str, Any]]] = [("District", {"code": 310104, "name": "徐汇", "source": "x"}),
            ("District", {"code": "310104", "name": "徐汇区", "latitude": None}),
            ("School", {"code": "4131010248", "level": "undergraduate"})]
    assert node_rows(rows) == {
        "District": [{"key": "310104", "props": {"name": "徐汇区"}}],
        "School": [{"key": "4131010248", "props": {"level": "undergraduate"}}],
    }
    with pytest.raises(ValueError, match=r"District rows\[0\]: the key property 'code' is missing"):
        node_rows([("District", {"name": "徐汇区"})])
    with pytest.raises(ValueError, match=r"LoadRun rows\[0\].files: \['a', 1\] mixes types"):
        node_rows([("LoadRun", {"id": "run-1", "files": ["a", 1]})])


def test_rel_groups_coerce_keys_and_merge_repeats() -> None:
    school, discipline = NodeRef("School", "4131010248"), NodeRef("Discipline", "080901")
    rows = [RelRow("OFFERS", school, discipline, {"year": "2024"}, {"graduates": 300}),
            RelRow("OFFERS", school, discipline, {"year": 2024}, {"enrollment": 320, "graduates": None}),
            RelRow("OFFERS", school, discipline, {}, {"year": 2023})]
    (group,) = rel_groups(rows).values()
    assert list(group.rows.values()) == [
        {"source": "4131010248", "target": "080901", "key": {"year": 2024}, "props": {"graduates": 300, "enrollment": 320}},
        {"source": "4131010248", "target": "080901", "key": {"year": 2023}, "props": {}},
    ]
    assert list(group.origins.values()) == [0, 2]
    with pytest.raises(ValueError, match=r"OFFERS rows\[0\]: key property 'year': year is required"):
        rel_groups([RelRow("OFFERS", school, discipline)])


# -- filters -------------------------------------------------------------------------------------


def compiled(where: object, label: str = "School") -> tuple[str, dict[str, object]]:
    params = Params()
    return compile_filter(where, node_fields(label), "n", params), params.values  # type: ignore[arg-type]


def test_comparisons_become_parameters() -> None:
    assert compiled(Compare("level", Op.EQ, "undergraduate")) == ("n.level = $p0", {"p0": "undergraduate"})
    assert compiled(Compare("founded", Op.IN, (2015, 2021)), "Alliance") == ("n.founded IN $p0", {"p0": [2015, 2021]})
    assert compiled(Compare("founded", Op.LTE, 2018), "Alliance") == ("n.founded <= $p0", {"p0": 2018})
    assert compiled(Compare("name", Op.CONTAINS, 42)) == ("n.name CONTAINS $p0", {"p0": "42"})
    assert compiled(Compare("name_en", Op.STARTS_WITH, "Shanghai")) == ("n.name_en STARTS WITH $p0", {"p0": "Shanghai"})
    assert compiled(Compare("source", Op.EQ, "seed.csv")) == ("n.source = $p0", {"p0": "seed.csv"})


def test_not_makes_missing_properties_match() -> None:
    where = Or((Compare("level", Op.EQ, "technician"), Not(And((Compare("benchmark", Op.EQ, True),
                                                                 Not(Compare("name", Op.CONTAINS, "学院")))))))
    assert compiled(where) == (
        "(n.level = $p0 OR NOT ((coalesce(n.benchmark = $p1, false) AND NOT (n.name CONTAINS $p2))))",
        {"p0": "technician", "p1": True, "p2": "学院"},
    )


def test_related_filters_become_exists_subqueries() -> None:
    offers_0854 = Related("OFFERS", Direction.OUT, "Discipline", where=Compare("code", Op.EQ, "0854"),
                          rel_where=Compare("year", Op.EQ, 2024))
    where = And((Related("LOCATED_IN", Direction.IN, "School", where=offers_0854),
                 Related("COVERS", Direction.IN, "Zone", none=True)))
    assert compiled(where, "District") == (
        "(EXISTS { MATCH (n)<-[r1:LOCATED_IN]-(m1:School) "
        "MATCH (m1)-[r2:OFFERS]->(m2:Discipline) WHERE r2.year = $p0 AND m2.code = $p1 } AND "
        "NOT EXISTS { MATCH (n)<-[r3:COVERS]-(m3:Zone) })",
        {"p0": 2024, "p1": "0854"},
    )
    kinds = Related("COOPERATES_WITH", Direction.OUT, "Enterprise", rel_where=Compare("kinds", Op.CONTAINS, "internship"))
    assert compiled(kinds) == (
        "EXISTS { MATCH (n)-[r1:COOPERATES_WITH]->(m1:Enterprise) WHERE $p0 IN r1.kinds }", {"p0": "internship"})


@pytest.mark.parametrize(("where", "message"), [
    (Compare("name) DETACH DELETE n //", Op.EQ, 1), "School has no property 'name) DETACH DELETE n //'"),
    (Compare("founded", Op.EQ, 2000), "School has no property 'founded'"),
    (Compare("level", Op.IN, "undergraduate"), "'in' needs a list of values"),
    (Related("OFFERS", Direction.OUT, "School"), "OFFERS joins School → Discipline, not School → School"),
    (Related("OFFERS", Direction.OUT, "Discipline", rel_where=Related("TEACHES", Direction.IN, "Course")),
     "a relationship filter cannot follow relationships"),
])
def test_bad_filters_are_errors_and_never_reach_the_query(where: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        compiled(where)


def test_load_runs_accept_plain_property_names_only() -> None:
    assert compiled(Compare("files", Op.CONTAINS, "a.csv"), "LoadRun") == (
        "CASE WHEN n.`files` IS :: LIST<ANY> THEN $p0 IN n.`files` ELSE n.`files` CONTAINS $p1 END",
        {"p0": "a.csv", "p1": "a.csv"},
    )
    assert compiled(Compare("rows", Op.GT, 10), "LoadRun") == ("n.`rows` > $p0", {"p0": 10})
    with pytest.raises(ValueError, match="not a plain name"):
        compiled(Compare("files` = 1 OR true //", Op.EQ, 1), "LoadRun")


def test_order_puts_missing_values_last_then_orders_by_key() -> None:
    clause = order_clause("School", "code", [OrderBy("level"), OrderBy("name_en", descending=True)], "n")
    assert clause == "ORDER BY n.level, n.name_en IS NULL, n.name_en DESC, n.code"
    with pytest.raises(ValueError, match="School has no property 'rank'"):
        order_clause("School", "code", [OrderBy("rank")], "n")
    assert rel_fields(RELS["OFFERS"]).ref("r", "graduates") == "r.graduates"


def test_a_name_orders_by_its_sort_key_then_itself() -> None:
    key = "COLLECT { MATCH (sort_name:_SortName {name: n.name}) RETURN sort_name.key }[0]"
    assert order_clause("School", "code", [OrderBy("name")], "n") == f"ORDER BY {key}, n.name, n.code"
    assert order_clause("School", "code", [OrderBy("name", descending=True)], "n") == (
        f"ORDER BY {key} IS NULL, {key} DESC, n.name DESC, n.code")


# -- reads ---------------------------------------------------------------------------------------


def test_find_and_count_queries() -> None:
    where = And((Compare("level", Op.EQ, "undergraduate"), Not(Compare("name", Op.CONTAINS, "大学"))))
    assert cypher_reads.find_nodes_query("School", where, [OrderBy("name_en", True)], 10, 5) == (
        "MATCH (n:School)\n"
        "WHERE (n.level = $p0 AND NOT (coalesce(n.name CONTAINS $p1, false)))\n"
        "WITH n ORDER BY n.name_en IS NULL, n.name_en DESC, n.code\n"
        "SKIP $offset LIMIT $limit\n"
        "RETURN properties(n) AS props",
        {"p0": "undergraduate", "p1": "大学", "offset": 10, "limit": 5},
    )
    assert cypher_reads.count_nodes_query("Mentor", None) == ("MATCH (n:Mentor)\nRETURN count(n) AS total", {})
    assert cypher_reads.get_nodes_query("LoadRun", ["run-1"]) == (
        "MATCH (n:LoadRun)\nWHERE n.id IN $keys\nRETURN properties(n) AS props", {"keys": ["run-1"]})
    with pytest.raises(ValueError, match="offset and limit must be 0 or more"):
        cypher_reads.find_nodes_query("School", None, [], -1, None)


def test_neighbour_queries_batch_every_key_and_page_per_node() -> None:
    assert cypher_reads.neighbours_query("School", "OFFERS", Direction.OUT, Compare("year", Op.GTE, 2023), 0, 2) == (
        "UNWIND $keys AS key\n"
        "MATCH (n:School {code: key})\n"
        "CALL (n) {\n"
        "  MATCH (n)-[r:OFFERS]->(m)\n"
        "  WHERE r.year >= $p0\n"
        "  RETURN r, m ORDER BY m.code, r.year\n"
        "  SKIP $offset LIMIT $limit\n"
        "}\n"
        "RETURN key, properties(r) AS rel, labels(m) AS labels, properties(m) AS props",
        {"p0": 2023, "offset": 0, "limit": 2},
    )
    served, params = cypher_reads.neighbours_query("IndustryChain", "SERVES", Direction.IN, None, 1, None)
    assert "  MATCH (n)<-[r:SERVES]-(m)\n  RETURN r, m ORDER BY labels(m)[0], m.id\n  SKIP $offset\n}" in served
    assert params == {"offset": 1}
    assert cypher_reads.count_neighbours_query("Enterprise", "COOPERATES_WITH", Direction.IN, None) == (
        "UNWIND $keys AS key\nMATCH (n:Enterprise {uscc: key})\n"
        "RETURN key, COUNT { (n)<-[r:COOPERATES_WITH]-(m) } AS count",
        {},
    )


def test_distinct_neighbour_reads_page_nodes_and_read_their_relationships_again() -> None:
    """A distinct read (`NeighbourRead.distinct`) windows distinct nodes, then lists each one's
    relationships that the filter admits, in key order; its count counts distinct nodes."""
    lines, params = cypher_reads.neighbour_lines("School", "OFFERS", Direction.OUT, Compare("year", Op.GTE, 2023), 1, 2,
                                                 "b0_", "page", distinct=True)
    assert "\n".join(lines) == (
        "UNWIND $b0_keys AS key\n"
        "MATCH (n:School {code: key})\n"
        "CALL (n) {\n"
        "  MATCH (n)-[r:OFFERS]->(m)\n"
        "  WHERE r.year >= $b0_p0\n"
        "  WITH DISTINCT n, m ORDER BY m.code\n"
        "  SKIP $b0_offset LIMIT $b0_limit\n"
        "  RETURN collect([COLLECT { MATCH (n)-[r:OFFERS]->(m) WHERE r.year >= $b0_p0 RETURN properties(r) ORDER BY r.year },"
        " labels(m), properties(m)]) AS found\n"
        "}"
    )
    assert params == {"b0_p0": 2023, "b0_offset": 1, "b0_limit": 2}
    counted, _ = cypher_reads.neighbour_lines("Discipline", "OFFERS", Direction.IN, None, 0, 5, "", "counted", distinct=True)
    assert counted[-4:] == [
        "  WITH DISTINCT n, m ORDER BY m.code",
        "  WITH n, collect(m) AS matched",
        "  RETURN size(matched) AS total, [x IN matched[$offset..$offset + $limit] | [COLLECT { MATCH (n)<-[r:OFFERS]-(x)"
        " RETURN properties(r) ORDER BY r.year }, labels(x), properties(x)]] AS found",
        "}",
    ]
    assert cypher_reads.count_lines("School", "OFFERS", Direction.OUT, None, distinct=True)[1] == (
        "COUNT { MATCH (n)-[r:OFFERS]->(m) RETURN DISTINCT m }")


@pytest.mark.parametrize(("text", "expected"), [
    ("交通大学", "交通大学"),
    ("海", "*海*"),
    ("SMIC 中芯国际", "*smic* OR 中芯国际"),
    ("上海 大学", "上海 OR 大学 OR 上海大学"),
    ('C++ AND "x" OR NOT *:/', "*c* OR *and* OR *x* OR *or* OR *not* OR *ornot*"),
    ("Ｓｈａｎｇｈａｉ", "*shanghai*"),
    ("!!", ""),
])
def test_lucene_query_lets_only_words_through(text: str, expected: str) -> None:
    assert cypher_reads.lucene_query(text) == expected


def test_search_candidates_by_name_and_by_key() -> None:
    candidates = cypher_reads.search_candidates_query("0854", ["School", "Discipline"], 10)
    assert candidates is not None
    query, params = candidates
    assert query == (
        "CALL () {\n"
        "  CALL () {\n"
        "    CALL db.index.fulltext.queryNodes('school_names_fulltext', $query) YIELD node, score RETURN node, score\n"
        "    UNION ALL\n"
        "    CALL db.index.fulltext.queryNodes('discipline_names_fulltext', $query) YIELD node, score RETURN node, score\n"
        "  }\n"
        "  WITH node AS n, score, toLower(node.name) AS name\n"
        "  ORDER BY name CONTAINS $text DESC, name STARTS WITH $text DESC,\n"
        "    CASE WHEN name CONTAINS $text THEN [size(name), [[label IN labels(n) WHERE label IN $labels][0], n.code]] END,"
        " score DESC LIMIT 5000\n"
        "  RETURN n, n.code AS key\n"
        "  UNION\n"
        "  MATCH (n:School) WHERE n.code CONTAINS $text\n"
        "  WITH n ORDER BY n.code STARTS WITH $text DESC, size(n.code), n.code LIMIT $limit\n"
        "  RETURN n, n.code AS key\n"
        "  UNION\n"
        "  MATCH (n:Discipline) WHERE n.code CONTAINS $text\n"
        "  WITH n ORDER BY n.code STARTS WITH $text DESC, size(n.code), n.code LIMIT $limit\n"
        "  RETURN n, n.code AS key\n"
        "}\n"
        "RETURN collect([elementId(n), labels(n), n.name, n.name_en, key]) AS candidates"
    )
    assert params == {"labels": ["School", "Discipline"], "text": "0854", "limit": 10, "query": "*0854*"}
    # Digits have no case, so the key as stored (and its TEXT index) serves; letters need lowercasing.
    cased = cypher_reads.search_candidates_query("AL-1", ["Alliance"], 10)
    assert cased is not None and "  MATCH (n:Alliance) WHERE toLower(n.id) CONTAINS $text\n" in cased[0]
    assert cased[1]["text"] == "al-1"


def test_chinese_search_reads_bigram_matches_only_when_too_few_names_contain_the_text() -> None:
    query, params = cypher_reads.search_candidates_query("交通大学", ["School"], 10) or ("", {})
    assert params["phrase"] == '"交通大学"' and params["query"] == "交通大学"
    assert "WITH sure WHERE size(sure) < $limit\n" in query and query.endswith("RETURN sure + more AS candidates")
    for mixed in ("AI研究院", "交", "交通 大学"):
        found = cypher_reads.search_candidates_query(mixed, ["School"], 10)
        assert found is not None and "phrase" not in found[1]


def test_search_scans_only_keys_that_could_hold_the_text() -> None:
    # No school code holds a Chinese character; an alliance identifier might; nothing holds '!!'.
    candidates = cypher_reads.search_candidates_query("交通", ["School", "Alliance"], 10)
    assert candidates is not None
    assert "MATCH (n:School)" not in candidates[0]
    assert "MATCH (n:Alliance) WHERE n.id CONTAINS $text" in candidates[0]
    assert cypher_reads.search_candidates_query("!!", [], 10) is None


# -- search on both stores -----------------------------------------------------------------------

NAMES = [("4131010248", "上海交通大学"), ("4131010280", "上海大学"), ("4131010246", "复旦大学"),
         ("4131012345", "海事职业学院"), ("4131012346", "同济大学 Tongji")]


@pytest.fixture
def named(store: GraphStore) -> GraphStore:
    store.upsert_nodes("School", [{"code": code, "name": name, "level": "undergraduate"} for code, name in NAMES], SEED)
    return store


def test_a_single_chinese_character_finds_every_name_holding_it(named: GraphStore) -> None:
    # The CJK analyzer indexes bigrams, so a lone character must still find names holding it.
    # 海 starts 海事职业学院 (prefix: 0.7 + 0.2·1/6) and sits inside 上海大学 (0.5 + 0.2·1/4) and
    # 上海交通大学 (0.5 + 0.2·1/6).
    assert [node.key for node, _ in named.search("海", ["School"], 10)] == ["4131012345", "4131010280", "4131010248"]
    # 学 sits inside every name: the four-character ones first (复旦大学, 上海大学 by key), then
    # the six-character ones by key, then the eleven characters of '同济大学 tongji'.
    assert [node.key for node, _ in named.search("学", [], 10)] == [
        "4131010246", "4131010280", "4131010248", "4131012345", "4131012346"]


def test_search_text_with_query_syntax_is_plain_text(named: GraphStore) -> None:
    # Were `*:*` passed to Lucene it would match every name; as text it shares five of its
    # bigrams (to, on, ng, gj, ji) with '同济大学 tongji' and nothing with the others.
    assert [node.key for node, _ in named.search('tongji" OR *:*', ["School"], 5)] == ["4131012346"]
    assert [node.key for node, _ in named.search("TONGJI", ["School"], 5)] == ["4131012346"]
    assert named.search("   ", [], 5) == []


# -- concurrent writers on both stores -----------------------------------------------------------


def test_concurrent_upserts_of_the_same_new_relationships_create_each_once(store_uri: str) -> None:
    # Without MERGE's endpoint locks the two writers race and create most relationships twice.
    schools = [f"41310{i:05d}" for i in range(200)]
    disciplines = [f"08{i:04d}" for i in range(200)]
    first, second = open_store(store_uri), open_store(store_uri)
    try:
        first.ensure_schema()
        first.clear()
        first.upsert_nodes("School", [{"code": code, "name": code, "level": "undergraduate"} for code in schools], SEED)
        first.upsert_nodes("Discipline", [{"code": code, "name": code, "level": "undergraduate"} for code in disciplines], SEED)
        rows = [RelRow("OFFERS", NodeRef("School", s), NodeRef("Discipline", d), {"year": 2024}, {"graduates": 10})
                for s, d in zip(schools, disciplines, strict=True)]
        with ThreadPoolExecutor(2) as pool:
            counts = list(pool.map(lambda graph: graph.upsert_relationships(rows, SEED), [first, second]))
        # Whichever writer comes second to a relationship finds it with the same properties.
        assert (sum(c.created for c in counts), sum(c.unchanged for c in counts)) == (200, 200)
        assert first.stats().relationships["OFFERS"] == 200
    finally:
        first.close()
        second.close()


# -- indicators ----------------------------------------------------------------------------------

SYNTHETIC = "sum(CASE WHEN n.synthetic = true THEN 1 ELSE 0 END)"


def test_indicators_are_one_statement_counting_each_source_once_then_unwinding_its_chains() -> None:
    assert indicators_query([Measure("DEMANDS", ("chain", "year"), "openings"), Measure("Zone")]) == (
        "MATCH (s)-[n:DEMANDS]->(t) WHERE s:Enterprise\n"
        f"WITH s, toString(n.year) AS v1, count(*) AS c, {SYNTHETIC} AS y, sum(toFloat(coalesce(n.openings, 0))) AS a\n"
        "WITH *, COLLECT { MATCH (s)-[:IN_CHAIN]->(x:IndustryChain) RETURN DISTINCT [x.code, coalesce(x.name, x.code)] } AS p0\n"
        "UNWIND CASE WHEN size(p0) = 0 THEN [null] ELSE p0 END AS g0\n"
        "RETURN 0 AS measure, [g0, v1] AS grp, sum(c) AS count, sum(a) AS amount, sum(y) AS synthetic\n"
        "UNION ALL\n"
        "MATCH (s)-[n:DEMANDS]->(t) WHERE s:Enterprise\n"
        f"RETURN 0 AS measure, null AS grp, count(*) AS count, null AS amount, {SYNTHETIC} AS synthetic\n"
        "UNION ALL\n"
        "MATCH (n:Zone)\n"
        f"WITH count(*) AS c, {SYNTHETIC} AS y\n"
        "RETURN 1 AS measure, [] AS grp, sum(c) AS count, null AS amount, sum(y) AS synthetic\n"
        "UNION ALL\n"
        "MATCH (n:Zone)\n"
        f"RETURN 1 AS measure, null AS grp, count(*) AS count, null AS amount, {SYNTHETIC} AS synthetic"
    )


def test_indicators_reach_places_from_the_source_kinds_that_have_them_else_the_target() -> None:
    query = indicators_query([Measure("SERVES", ("district", "chain"))])
    district = "COLLECT { MATCH (s)-[:LOCATED_IN]->(x:District) RETURN DISTINCT [x.code, coalesce(x.name, x.code)] }"
    chain = "COLLECT { MATCH (s)-[:SERVES]->(x:IndustryChain) RETURN DISTINCT [x.code, coalesce(x.name, x.code)] }"
    assert f"WITH *, CASE WHEN s:Base THEN {district} ELSE [] END AS p0, {chain} AS p1\n" in query
    offers = indicators_query([Measure("OFFERS", ("zone", "chain"))])
    assert ("WITH *, COLLECT { MATCH (s)-[:LOCATED_IN]->()<-[:COVERS]-(x:Zone) RETURN DISTINCT [x.code, coalesce(x.name, x.code)] } AS p0, "
            "COLLECT { MATCH (t)<-[:NEEDS]-(x:IndustryChain) RETURN DISTINCT [x.code, coalesce(x.name, x.code)] } AS p1\n") in offers
    assert offers.startswith("MATCH (s)-[n:OFFERS]->(t) WHERE s:School\nWITH s, t, count(*)")
