"""The label table (`graph.labels`) against the model: every kind, relationship, coded value and
column has a Chinese and an English name, and the table names nothing the model lacks."""

from __future__ import annotations

import re

import pytest

from graph import labels
from graph.model import NODE_KINDS, REL_KINDS
from loaders.tables import table_names, table_spec

HAN = re.compile(r"[\u4e00-\u9fff]")


def _choices() -> set[str]:
    props = [prop for kind in NODE_KINDS for prop in kind.properties] + [prop for rel in REL_KINDS for prop in rel.properties]
    return {choice for prop in props for choice in prop.choices}


def _columns() -> set[str]:
    return {column for name in table_names() for column in table_spec(name).column_names}


MODEL = {
    "kind": {kind.label for kind in NODE_KINDS},
    "relationship": {rel.type for rel in REL_KINDS},
    "value": _choices(),
    "column": _columns(),
}


@pytest.mark.parametrize("table", list(MODEL))
def test_the_table_names_exactly_what_the_model_has(table: str) -> None:
    named = set(labels.TABLES[table])
    assert MODEL[table] - named == set(), f"{table}s without labels"
    assert named - MODEL[table] == set(), f"{table} labels for what the model does not have"


@pytest.mark.parametrize("table", [*MODEL, "heading"])
def test_every_label_has_chinese_and_english(table: str) -> None:
    for code, (zh, en) in labels.TABLES[table].items():
        assert HAN.search(zh), f"{table} {code}: {zh!r} is not Chinese"
        assert re.match(r"[A-Za-z(']", en), f"{table} {code}: {en!r} is not English"  # may quote 是/否 as accepted values


def test_lookups_pick_the_language_and_keep_unknown_codes() -> None:
    assert labels.value_label("national", labels.Lang.ZH) == "国家级"
    assert labels.value_label("national", labels.Lang.EN) == "National"
    assert labels.kind_label("School", labels.Lang.ZH) == "学校"
    assert labels.kind_or_relationship_label("OFFERS", labels.Lang.EN) == "Offers (supply)"
    assert labels.value_label("free text", labels.Lang.ZH) == "free text"
