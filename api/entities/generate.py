"""Building Strawberry classes at import time from the model.

Generated classes are published as attributes of the module that builds them, so that
`LazyType` references between them (School → Discipline → School …) resolve when the schema is
assembled, whatever order they were built in.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from enum import Enum
from types import GenericAlias
from typing import Any

import strawberry
from strawberry import LazyType


def define(
    module: str,
    name: str,
    annotations: dict[str, Any],
    attributes: dict[str, Any],
    decorate: Callable[[type], Any],
    bases: tuple[type, ...] = (),
) -> Any:
    """A new class `name` in `module`, decorated (e.g. by `strawberry.type(...)`)."""
    namespace = {"__annotations__": annotations, "__module__": module, "__qualname__": name, **attributes}
    cls = decorate(type(name, bases, namespace))
    setattr(sys.modules[module], name, cls)
    return cls


def lazy(name: str, module: str) -> Any:
    """A reference to a class `define` builds (now or later) in `module`."""
    return LazyType(name, module)


def list_of(item: Any) -> Any:
    """`list[item]` for an item only known at run time."""
    return GenericAlias(list, (item,))


def enum(name: str, members: Mapping[str, str], description: str) -> Any:
    """A GraphQL enum whose values are the given Python strings."""
    functional_api: Any = Enum  # mypy insists on a literal name for the functional API
    values = functional_api(name, dict(members))
    return strawberry.enum(values, description=description)
