"""Personal data (the model's `personal=True` properties, e.g. mentors' `email` and `phone`).

Every GraphQL path that reaches such a property resolves it here, so the rule for who may see
it lives in this one function.
"""

from __future__ import annotations

from typing import Any

from strawberry import Info

from api.auth import may_see_personal_data
from graph.records import Node


def personal_field(info: Info, record: Node, prop_name: str) -> Any:
    """The value of a personal property of `record` for the caller of this request: null below editor."""
    return record.props.get(prop_name) if may_see_personal_data(info) else None
