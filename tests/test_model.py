"""The model in graph/model.py against the contract tables of DESIGN §2 (docs/DESIGN.md, a copy
of the shared design): the same kinds, keys, properties and relationship endpoints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.model import NODES, PROVENANCE, RELS, check_endpoints

DESIGN = (Path(__file__).parent.parent / "docs" / "DESIGN.md").read_text(encoding="utf-8")


def table_rows(first_header: str) -> list[list[str]]:
    """The body rows of the markdown table whose header starts with `first_header`."""
    lines = DESIGN[DESIGN.index(f"| {first_header}") :].splitlines()
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def backticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


NODE_ROWS = table_rows("kind (label)")
REL_ROWS = table_rows("relationship")


def test_the_model_has_exactly_the_designed_node_kinds() -> None:
    assert {backticked(row[0])[0] for row in NODE_ROWS} == set(NODES)


@pytest.mark.parametrize("row", NODE_ROWS, ids=lambda row: backticked(row[0])[0])
def test_node_kind_key_and_properties(row: list[str]) -> None:
    kind = NODES[backticked(row[0])[0]]
    assert backticked(row[1])[0] == kind.key
    designed = {name for name in backticked(row[2]) if re.fullmatch(r"[a-z_]+", name)}
    enum_values = {value for prop in kind.properties for value in prop.choices}
    assert designed - enum_values <= set(kind.prop_names)


def test_the_model_has_exactly_the_designed_relationship_kinds() -> None:
    assert {backticked(row[0])[0] for row in REL_ROWS} == set(RELS)


@pytest.mark.parametrize("row", REL_ROWS, ids=lambda row: backticked(row[0])[0])
def test_relationship_endpoints_key_and_properties(row: list[str]) -> None:
    kind = RELS[backticked(row[0])[0]]
    sources, target = (part.strip() for part in row[1].split("→"))
    assert tuple(source.strip() for source in sources.split(",")) == kind.sources
    assert target == kind.target
    assert tuple(backticked(row[2])) == kind.key
    assert set(backticked(row[3])) <= set(kind.prop_names)


def test_enumerations_match_the_design() -> None:
    level = NODES["School"].prop("level")
    assert level.choices == (
        "undergraduate", "higher_vocational", "vocational_undergraduate",
        "secondary_vocational", "technician", "open_university",
    )
    assert NODES["Base"].prop("type").choices == ("employment", "teaching", "practice")


def test_provenance_names_are_not_model_properties() -> None:
    for kind in NODES.values():
        assert not set(PROVENANCE) & set(kind.prop_names)


def test_check_endpoints_rejects_a_wrong_pair() -> None:
    assert check_endpoints("OFFERS", "School", "Discipline").key == ("year",)
    with pytest.raises(ValueError, match="OFFERS joins School → Discipline, not Enterprise → Discipline"):
        check_endpoints("OFFERS", "Enterprise", "Discipline")
