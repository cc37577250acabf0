"""Store round trips per GraphQL operation, pinned in `query_counts.json` (netbox's habit).

A count that grows fails the test: a resolver started calling the store per parent (N+1) or
fetching what the query did not ask for. If the growth is intended, regenerate the baseline:

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/api/test_query_counts.py -k embedded

and commit the changed `tests/api/query_counts.json` with a reason.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.api.conftest import Api, global_id
from tests.api.dataset import SMIC

BASELINE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
HOW_TO_UPDATE = "UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/api/test_query_counts.py -k embedded"

OPERATIONS: dict[str, str] = {
    "school_count": "{ schools { totalCount } }",
    "schools_with_district_and_supply": """{ schools(first: 10, where: {disciplines: {some: {chains: {some: {code: {eq: "IC"}}}}}}) {
        totalCount nodes { name district { name }
          disciplines(where: {year: {eq: 2023}}) { totalCount edges { rows { graduates } node { name chains { nodes { code } } } } } } } }""",
    "enterprise_neighbourhood": f'{{ node(id: "{global_id("Enterprise", SMIC)}") {{ ... on Enterprise {{ name'
    " chains { nodes { code } } demands { edges { rows { openings } node { code } } }"
    " mentors { totalCount nodes { name email phone } } alliances { nodes { name } } } } }",
    "alliance_members": "{ alliances { nodes { name members { totalCount edges { role node { id } } } } } }",
    "disciplines_both_directions": """{ disciplines { nodes { code schools { totalCount } enterprises { totalCount }
        chains { nodes { code segments { nodes { code } } } } } } }""",
    "nodes_by_id": "{ nodes(ids: %s) { id } }".replace("%s", json.dumps(
        [global_id("School", "1024810248"), global_id("School", "1024610246"), global_id("District", "310110")]
    )),
    "search": '{ search(text: "交通大学") { score node { id } } }',
    "paging_twice_same_field": "{ a: schools(first: 1) { nodes { code } } b: schools(first: 2) { totalCount } }",
}


def measure(api: Api, document: str) -> dict[str, int]:
    response = api.post(document)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    detail = response.headers["x-store-call-detail"]
    counts = dict(item.split("=") for item in detail.split(", ")) if detail else {}
    return {method: int(count) for method, count in sorted(counts.items())}


def test_store_round_trips_do_not_grow(api: Api) -> None:
    measured = {name: measure(api, document) for name, document in OPERATIONS.items()}
    if UPDATE:
        BASELINE.write_text(json.dumps({"update_with": HOW_TO_UPDATE, "operations": measured}, indent=2) + "\n")
        pytest.skip(f"wrote {BASELINE}")
    baseline = json.loads(BASELINE.read_text())["operations"]
    grown = {
        name: {"baseline": baseline.get(name), "now": counts}
        for name, counts in measured.items()
        if sum(counts.values()) > sum(baseline.get(name, {}).values())
        or any(count > baseline.get(name, {}).get(method, 0) for method, count in counts.items())
    }
    assert not grown, f"store round trips grew: {json.dumps(grown)}; if intended, run {HOW_TO_UPDATE}"


def test_a_root_field_is_one_tree_read_whatever_its_depth(api: Api) -> None:
    template = "{ schools(first: %d) { nodes { district { name } disciplines { totalCount nodes { code } } mentors { nodes { name } } } } }"
    assert measure(api, template % 1) == measure(api, template % 4) == {"read_tree": 1}


def test_resolver_round_trips_do_not_depend_on_the_number_of_parents(api: Api) -> None:
    """Alliance members may be schools or enterprises: a field the resolvers answer, batched per level."""
    template = "{ alliances(first: %d) { nodes { name members { totalCount nodes { id } } } } }"
    assert measure(api, template % 1) == measure(api, template % 4) == {"find_nodes": 1, "neighbour_batch": 1}
