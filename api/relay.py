"""Relay conventions: global node IDs, opaque offset cursors, page windows and `PageInfo`.

A global ID is base64 of `Label:key` (the label from the model, the natural key); a cursor is
base64 of `offset:N`, the position of the item in its ordered list.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from functools import lru_cache

import strawberry
from strawberry.types.unset import UnsetType

from api.arguments import given
from api.errors import UserInputError
from graph.model import NODES
from graph.records import NodeRef

DEFAULT_PAGE_SIZE = 20
CURSOR_PREFIX = "offset:"
# ASCII digits only (str.isdigit also takes '²' and other scripts' digits), and few enough that
# offset + page size stays within the stores' 64-bit SKIP/OFFSET.
MAX_CURSOR_DIGITS = 15
CURSOR_DIGITS = re.compile(rf"[0-9]{{1,{MAX_CURSOR_DIGITS}}}")


def to_global_id(label: str, key: str) -> str:
    return base64.b64encode(f"{label}:{key}".encode()).decode("ascii")


def from_global_id(global_id: str) -> NodeRef:
    """The node a global ID names; UserInputError when it is not one of ours."""
    text = _unbase64(global_id, "node id")
    label, separator, key = text.partition(":")
    if not separator or not key:
        raise UserInputError(f"node id {global_id!r} decodes to {text!r}, not 'Label:key'")
    if label not in NODES:
        raise UserInputError(f"node id {global_id!r} names unknown kind {label!r}; expected one of {', '.join(NODES)}")
    return NodeRef(label, key)


@lru_cache(maxsize=4096)  # every edge of every page gets one; pages start near 0
def offset_cursor(offset: int) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode("ascii")


def cursor_offset(cursor: str) -> int:
    """The offset a cursor from `offset_cursor` stands for."""
    text = _unbase64(cursor, "cursor")
    digits = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not CURSOR_DIGITS.fullmatch(digits):
        raise UserInputError(
            f"cursor {_shown(cursor)} is not a cursor this API handed out (after: takes an endCursor, "
            f"base64 of '{CURSOR_PREFIX}' and at most {MAX_CURSOR_DIGITS} digits)"
        )
    return int(digits)


def _shown(text: str, limit: int = 80) -> str:
    """`text` quoted for a message, cut short: a hostile value must not make the error huge."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text)} characters)"


def _unbase64(text: str, what: str) -> str:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        raise UserInputError(f"{what} {_shown(text)} is not valid base64") from None


@dataclass(frozen=True)
class Window:
    """Which slice of an ordered list a connection field returns."""

    offset: int
    limit: int


def page_window(first: int | None, after: str | UnsetType | None, default: int = DEFAULT_PAGE_SIZE) -> Window:
    """`first`/`after` as an offset and limit; `first` defaults to `default` so every list is bounded."""
    first, after = given(first), given(after)
    limit = default if first is None else first
    if limit < 0:
        raise UserInputError(f"first must be 0 or more, not {limit}")
    offset = cursor_offset(str(after)) + 1 if after else 0
    return Window(offset, limit)


@strawberry.type(description="Where a page sits in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page")
    has_previous_page: bool = strawberry.field(description="Items precede this page")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item of the page")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after`")


def page_info(offset: int, count: int, has_next: bool) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=offset > 0,
        start_cursor=offset_cursor(offset) if count else None,
        end_cursor=offset_cursor(offset + count - 1) if count else None,
    )
