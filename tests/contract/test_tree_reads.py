"""Tree reads (`GraphStore.read_tree`): the total of a filtered page, whether the page is full
(the database counts) or not (the page tells), the same on both stores."""

from __future__ import annotations

import pytest

from graph.filters import Compare, Op
from graph.records import Provenance
from graph.store import GraphStore
from graph.trees import TreeRead

SEED = Provenance("seed.csv", "2025-01-01T00:00:00+08:00")
# Seven districts, five of them with a code starting 31011.
CODES = ["310101", "310104", "310110", "310112", "310113", "310114", "310115"]


@pytest.mark.parametrize(("offset", "limit", "codes", "total"), [
    (0, 10, ["310110", "310112", "310113", "310114", "310115"], 5),  # not full: the page tells
    (0, 2, ["310110", "310112"], 5),  # full: counted
    (4, 2, ["310115"], 5),  # the last page, not full
    (8, 2, [], 5),  # past the end: counted
])
def test_a_filtered_page_reports_every_match(store: GraphStore, offset: int, limit: int, codes: list[str], total: int) -> None:
    store.upsert_nodes("District", [{"code": code, "name": f"区{code}"} for code in CODES], SEED)
    tree = TreeRead("District", Compare("code", Op.STARTS_WITH, "31011"), (), offset, limit, True)
    found, items = store.read_tree(tree)
    assert found == total
    assert [item[1]["code"] for item in items[:limit]] == codes
