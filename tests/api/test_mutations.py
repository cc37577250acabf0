"""Mutations over real HTTP on both stores, as an editor: upsert and delete of nodes, connect and
disconnect of relationships, the loaders' validation rules, and all-or-nothing writes.

Expected values are worked out by hand from `tests/api/dataset.py`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from graph.records import Provenance
from graph.store import GraphStore
from tests.api.conftest import Api, global_id
from tests.api.dataset import FUDAN, SEIT, SJTU, SMIC, UNITED, USST
from tests.api.secured import EDITOR, errors, serve

SUFE = "1027210272"
UNKNOWN_ENTERPRISE = "91310000MA1FL8888Y"  # well-formed (its GB 32100 check character is Y) but not in the store
SOURCE = "api:key:xuhui-office"


@pytest.fixture
def api(loaded_store: GraphStore, store_uri: str) -> Iterator[Api]:
    with serve(loaded_store, store_uri) as client:
        yield client


def mutate(api: Api, document: str) -> dict[str, Any]:
    """`data` of a mutation that must succeed, sent with the editor's key."""
    response = api.post(document, **EDITOR)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def refused(api: Api, document: str) -> dict[str, str]:
    """The `fields` of the one BAD_USER_INPUT error a mutation must be refused with."""
    response = api.post(document, **EDITOR)
    assert response.status_code == 200 and response.json()["data"] is None, response.text
    [error] = errors(response)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("invalid input, nothing was written: ")
    fields: dict[str, str] = error["extensions"]["fields"]
    for where, what in fields.items():
        assert f"{where}: {what}" in error["message"]
    return fields


def total(api: Api, query: str) -> int:
    """The only `totalCount` in the answer to `query`."""
    data: Any = api.query(query)
    while "totalCount" not in data:
        [data] = data.values() if isinstance(data, dict) else data
    count: int = data["totalCount"]
    return count


SCHOOL_COUNT = "{ schools { totalCount } }"


def located_in(api: Api, district: str) -> int:
    return total(api, f'{{ districts(where: {{code: {{eq: "{district}"}}}}) {{ nodes {{ locatedHere {{ totalCount }} }} }} }}')


# ---- nodes -----------------------------------------------------------------------------------


def test_upsert_creates_a_node_with_its_references(api: Api) -> None:
    data = mutate(api, f"""mutation {{ upsertSchool(input: {{code: "{SUFE}", name: "上海财经大学", level: "undergraduate",
        doubleFirstClass: true, district: "310110"}}) {{
        node {{ id code name level doubleFirstClass district {{ code }} source loadedAt }}
        info {{ nodesCreated nodesUpdated relationshipsCreated relationshipsDeleted }} }} }}""")["upsertSchool"]
    node = data.pop("node")
    assert node.pop("loadedAt")[:2] == "20"
    assert node == {"id": global_id("School", SUFE), "code": SUFE, "name": "上海财经大学", "level": "undergraduate",
                    "doubleFirstClass": True, "district": {"code": "310110"}, "source": SOURCE}
    assert data["info"] == {"nodesCreated": 1, "nodesUpdated": 0, "relationshipsCreated": 1, "relationshipsDeleted": 0}
    assert total(api, SCHOOL_COUNT) == 5
    assert located_in(api, "310110") == 3  # Fudan, USST and the new one


def test_update_gives_only_what_changes(api: Api) -> None:
    document = f"""mutation {{ upsertSchool(input: {{code: "{USST}", nameEn: "University of Shanghai for Science and Technology"}}) {{
        node {{ name nameEn level source }} info {{ nodesUpdated nodesUnchanged }} }} }}"""
    first = mutate(api, document)["upsertSchool"]
    assert first == {"node": {"name": "上海理工大学", "nameEn": "University of Shanghai for Science and Technology",
                              "level": "undergraduate", "source": SOURCE}, "info": {"nodesUpdated": 1, "nodesUnchanged": 0}}
    assert mutate(api, document)["upsertSchool"]["info"] == {"nodesUpdated": 0, "nodesUnchanged": 1}


def test_an_upsert_reads_once_and_writes_once(api: Api) -> None:
    """The node in the payload is the one the write returned: no read after it."""
    response = api.post('mutation { upsertDistrict(input: {code: "310110", name: "杨浦区"}) { node { code name } } }', **EDITOR)
    assert response.json()["data"]["upsertDistrict"]["node"] == {"code": "310110", "name": "杨浦区"}
    assert response.headers["x-store-call-detail"] == "apply=1, get_nodes=1"


def test_a_single_reference_is_replaced(api: Api) -> None:
    data = mutate(api, f"""mutation {{ upsertSchool(input: {{code: "{USST}", district: "310104"}}) {{
        node {{ district {{ code }} }} info {{ relationshipsCreated relationshipsDeleted }} }} }}""")["upsertSchool"]
    assert data == {"node": {"district": {"code": "310104"}}, "info": {"relationshipsCreated": 1, "relationshipsDeleted": 1}}
    assert located_in(api, "310110") == 1  # only Fudan is left in Yangpu


def test_a_list_of_references_is_replaced(api: Api) -> None:
    def chains(keys: str) -> dict[str, Any]:
        result: dict[str, Any] = mutate(api, f"""mutation {{ upsertEnterprise(input: {{uscc: "{SMIC}", chains: {keys}}}) {{
            node {{ chains {{ nodes {{ code }} }} }} info {{ relationshipsCreated relationshipsUnchanged relationshipsDeleted }} }} }}""")
        return result["upsertEnterprise"]

    assert chains('["IC", "AI"]') == {"node": {"chains": {"nodes": [{"code": "AI"}, {"code": "IC"}]}},
                                      "info": {"relationshipsCreated": 1, "relationshipsUnchanged": 1, "relationshipsDeleted": 0}}
    assert chains('["AI"]') == {"node": {"chains": {"nodes": [{"code": "AI"}]}},
                                "info": {"relationshipsCreated": 0, "relationshipsUnchanged": 1, "relationshipsDeleted": 1}}
    assert chains("[]") == {"node": {"chains": {"nodes": []}},
                            "info": {"relationshipsCreated": 0, "relationshipsUnchanged": 0, "relationshipsDeleted": 1}}


def test_invalid_properties_are_all_named_and_nothing_is_written(api: Api) -> None:
    fields = refused(api, 'mutation { upsertSchool(input: {code: "1099910999", level: "college", ownership: "state"}) { node { id } } }')
    assert fields == {
        "input.name": "name is required",
        "input.level": "'college' is not one of undergraduate, higher_vocational, vocational_undergraduate, "
                       "secondary_vocational, technician, open_university",
        "input.ownership": "'state' is not one of public, private, sino_foreign",
    }
    assert refused(api, 'mutation { upsertSchool(input: {code: "12345", name: "x"}) { node { id } } }') == {
        "input.code": "'12345' is not a 10-digit MoE institution code"}
    assert refused(api, f'mutation {{ upsertEnterprise(input: {{uscc: "{SMIC[:-1]}6", name: "x"}}) {{ node {{ id }} }} }}') == {
        "input.uscc": f"credit code '{SMIC[:-1]}6' fails the GB 32100-2015 checksum (check character should be '5')"}
    assert refused(api, 'mutation { upsertBase(input: {key: "B1", name: "基地", type: "teaching", capacity: -5}) { node { id } } }') == {
        "input.capacity": "-5 is below the minimum 0"}
    assert total(api, SCHOOL_COUNT) == 4 and total(api, "{ bases { totalCount } }") == 0


def test_a_bad_reference_writes_nothing(api: Api) -> None:
    fields = refused(api, f"""mutation {{ upsertSchool(input: {{code: "{SUFE}", name: "上海财经大学", level: "undergraduate",
        district: "310999"}}) {{ node {{ id }} }} }}""")
    assert fields == {"input.district": "District '310999' does not exist (create it first)"}
    fields = refused(api, f"""mutation {{ upsertProject(input: {{key: "P-1", name: "集成电路订单班", type: "order_training",
        leadSchool: "{SJTU}", enterprises: ["{SMIC}", "{UNKNOWN_ENTERPRISE}"], chains: ["IC", "NOPE"]}}) {{ node {{ id }} }} }}""")
    assert fields == {"input.enterprises": f"Enterprise '{UNKNOWN_ENTERPRISE}' does not exist (create it first)",
                      "input.chains": "IndustryChain 'NOPE' does not exist (create it first)"}
    assert api.query(f'{{ node(id: "{global_id("School", SUFE)}") {{ id }} }}') == {"node": None}
    assert total(api, "{ projects { totalCount } }") == 0
    assert total(api, f'{{ schools(where: {{code: {{eq: "{SJTU}"}}}}) {{ nodes {{ projects {{ totalCount }} }} }} }}') == 0
    bad_format = refused(api, f'mutation {{ upsertEnterprise(input: {{uscc: "{SMIC}", chains: ["IC", "bad key!"]}}) {{ node {{ id }} }} }}')
    assert bad_format == {"input.chains[1]": "'bad key!' is not 1–64 letters, digits, '_', '-' or '.'"}


def test_delete_takes_the_relationships_along(api: Api) -> None:
    school_offers = '{ disciplines(where: {code: {eq: "080901"}}) { nodes { schools { totalCount } } } }'
    assert total(api, school_offers) == 3  # SJTU (2022 and 2023), Fudan, USST: schools, counted once each
    document = f'mutation {{ deleteSchool(key: "{USST}") {{ id deleted info {{ nodesDeleted }} }} }}'
    assert mutate(api, document)["deleteSchool"] == {"id": global_id("School", USST), "deleted": True, "info": {"nodesDeleted": 1}}
    assert total(api, SCHOOL_COUNT) == 3 and total(api, school_offers) == 2
    assert mutate(api, document)["deleteSchool"] == {"id": global_id("School", USST), "deleted": False, "info": {"nodesDeleted": 0}}
    response = api.post('mutation { deleteSchool(key: "12") { deleted } }', **EDITOR)
    assert errors(response)[0]["extensions"]["fields"] == {"key": "'12' is not a 10-digit MoE institution code"}


# ---- relationships ---------------------------------------------------------------------------


def test_connect_update_and_disconnect_a_relationship_with_a_key(api: Api) -> None:
    def connect(props: str) -> dict[str, Any]:
        result: dict[str, Any] = mutate(api, f"""mutation {{ connectOffers(input: {{from: "{SEIT}", to: "080901", year: 2024, {props}}}) {{
            from {{ id }} to {{ id }} info {{ relationshipsCreated relationshipsUpdated }} }} }}""")
        return result["connectOffers"]

    ends = {"from": {"id": global_id("School", SEIT)}, "to": {"id": global_id("Discipline", "080901")}}
    assert connect("enrollment: 50, graduates: 45") == {**ends, "info": {"relationshipsCreated": 1, "relationshipsUpdated": 0}}
    assert connect("graduates: 48") == {**ends, "info": {"relationshipsCreated": 0, "relationshipsUpdated": 1}}
    edges = api.query(f"""{{ schools(where: {{code: {{eq: "{SEIT}"}}}}) {{ nodes {{ disciplines(where: {{year: {{eq: 2024}}}}) {{
        edges {{ rows {{ year enrollment graduates source }} node {{ code }} }} }} }} }} }}""")["schools"]["nodes"][0]["disciplines"]["edges"]
    assert edges == [{"rows": [{"year": 2024, "enrollment": 50, "graduates": 48, "source": SOURCE}], "node": {"code": "080901"}}]
    disconnect = f"""mutation {{ disconnectOffers(input: {{from: "{SEIT}", to: "080901", year: 2024}}) {{
        from {{ id }} to {{ id }} info {{ relationshipsDeleted }} }} }}"""
    assert mutate(api, disconnect)["disconnectOffers"] == {**ends, "info": {"relationshipsDeleted": 1}}
    assert mutate(api, disconnect)["disconnectOffers"] == {**ends, "info": {"relationshipsDeleted": 0}}
    assert total(api, f'{{ schools(where: {{code: {{eq: "{SEIT}"}}}}) {{ nodes {{ disciplines {{ totalCount }} }} }} }}') == 1


def test_connect_from_one_of_several_kinds(api: Api) -> None:
    located = f'mutation {{ connectLocatedIn(input: {{from: "{UNITED}", fromKind: ENTERPRISE, to: "310104"}}) {{ info {{ relationshipsCreated }} }} }}'
    assert mutate(api, located) == {"connectLocatedIn": {"info": {"relationshipsCreated": 1}}}
    assert api.query(f'{{ enterprises(where: {{uscc: {{eq: "{UNITED}"}}}}) {{ nodes {{ district {{ code }} }} }} }}') == {
        "enterprises": {"nodes": [{"district": {"code": "310104"}}]}}
    member = f'mutation {{ connectMemberOf(input: {{from: "{FUDAN}", fromKind: SCHOOL, to: "A-IC", role: "member"}}) {{ to {{ id }} }} }}'
    assert mutate(api, member) == {"connectMemberOf": {"to": {"id": global_id("Alliance", "A-IC")}}}
    assert total(api, '{ alliances(where: {key: {eq: "A-IC"}}) { nodes { members { totalCount } } } }') == 3


def test_connect_checks_endpoints_and_properties(api: Api) -> None:
    assert refused(api, f'mutation {{ connectOffers(input: {{from: "{SEIT}", to: "999999", year: 2024}}) {{ info {{ relationshipsCreated }} }} }}') == {
        "input.to": "Discipline '999999' does not exist (create it first)"}
    assert refused(api, 'mutation { connectOffers(input: {from: "123", to: "080901", year: 1800, graduates: -1}) { to { id } } }') == {
        "input.from": "School key: '123' is not a 10-digit MoE institution code",
        "input.year": "1800 is below the minimum 1900",
        "input.graduates": "-1 is below the minimum 0",
    }
    assert refused(api, f'mutation {{ connectMemberOf(input: {{from: "{SMIC}", fromKind: ENTERPRISE, to: "A-BIO", role: "boss"}}) {{ to {{ id }} }} }}') == {
        "input.role": "'boss' is not one of lead, member"}
    assert refused(api, 'mutation { connectNeeds(input: {from: "AI", to: "080704", weight: 1.5}) { to { id } } }') == {
        "input.weight": "1.5 is above the maximum 1"}
    assert total(api, f'{{ schools(where: {{code: {{eq: "{SEIT}"}}}}) {{ nodes {{ disciplines {{ totalCount }} }} }} }}') == 1
    assert total(api, '{ alliances(where: {key: {eq: "A-BIO"}}) { nodes { members { totalCount } } } }') == 1
    assert total(api, '{ industryChains(where: {code: {eq: "AI"}}) { nodes { disciplines { totalCount } } } }') == 1


def test_a_relationship_between_nodes_of_one_kind(api: Api) -> None:
    again = 'mutation { connectPartOf(input: {from: "IC-DESIGN", to: "IC"}) { info { relationshipsCreated relationshipsUnchanged } } }'
    assert mutate(api, again) == {"connectPartOf": {"info": {"relationshipsCreated": 0, "relationshipsUnchanged": 1}}}
    new = 'mutation { connectPartOf(input: {from: "AI", to: "IC"}) { from { id } to { id } } }'
    assert mutate(api, new) == {"connectPartOf": {"from": {"id": global_id("IndustryChain", "AI")}, "to": {"id": global_id("IndustryChain", "IC")}}}
    assert total(api, '{ industryChains(where: {code: {eq: "IC"}}) { nodes { segments { totalCount } } } }') == 2


def test_mutations_are_refused_over_get(api: Api) -> None:
    response = api.client.get("/graphql", params={"query": f'mutation {{ deleteSchool(key: "{USST}") {{ deleted }} }}'}, headers=EDITOR)
    assert response.status_code == 405
    assert total(api, SCHOOL_COUNT) == 4


def test_an_edit_never_merges_onto_a_synthetic_node(api: Api, loaded_store: GraphStore) -> None:
    made_up = Provenance("synthetic (chanjiao generate, seed 2021, scale 1)", "2025-01-01T00:00:00Z", synthetic=True)
    loaded_store.upsert_nodes("School", [{"code": SUFE, "name": "【示例】上海财经大学", "level": "undergraduate"}], made_up)
    document = f"""mutation {{ upsertSchool(input: {{code: "{SUFE}", name: "上海财经大学"}}{{replace}}) {{
        node {{ name provenance {{ source synthetic }} }} }} }}"""
    fields = refused(api, document.replace("{replace}", ""))
    assert "is a synthetic node" in fields["input.code"] and "replaceSynthetic" in fields["input.code"]
    replaced = mutate(api, document.replace("{replace}", ", replaceSynthetic: true"))["upsertSchool"]["node"]
    assert replaced == {"name": "上海财经大学", "provenance": {"source": SOURCE, "synthetic": False}}
