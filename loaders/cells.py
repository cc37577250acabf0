"""Cell coercion prepared once per column: the rules of `graph.validation`, without re-deciding
them for every one of a big table's millions of cells.

Tables repeat the same few cell texts over and over (years, counts, choices, the codes of the
same schools and disciplines), so a column remembers what each text it has seen became, and a
load remembers each key text it has checked. Results and messages are exactly those of
`graph.validation.coerce` and `check_key`; only the repeated work goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.model import KeyRule, Prop, PropType
from graph.validation import check_key, coerce

Coercer = Callable[[Any], Any]
MEMO_LIMIT = 10_000  # distinct texts a column remembers; names and other free text never repeat enough


def column_coercer(prop: Prop) -> Coercer:
    """A function from a cell to the property's value (None for a blank), raising ValueError as
    `coerce` does."""
    if prop.type is PropType.STR and not prop.choices and prop.minimum is None and prop.maximum is None:
        return _plain_text(prop)
    if prop.type is PropType.STR_LIST:  # lists are mutable: never share one between rows
        return lambda raw: coerce(prop, raw)
    return _remembering(prop)


def _plain_text(prop: Prop) -> Coercer:
    def text(raw: Any) -> Any:
        if type(raw) is str:
            stripped = raw.strip()
            if stripped and stripped.isprintable():
                return stripped  # what `coerce` returns for non-blank text without choices, range or control characters
        return coerce(prop, raw)

    return text


def _remembering(prop: Prop) -> Coercer:
    """`coerce` memoised on the cell's text; its values (numbers, yes/no, choices) are immutable."""
    memo: dict[str, tuple[Any, str | None]] = {}

    def remembered(raw: Any) -> Any:
        if type(raw) is not str:
            return coerce(prop, raw)
        outcome = memo.get(raw)
        if outcome is None:
            outcome = _outcome(lambda: coerce(prop, raw))
            if len(memo) < MEMO_LIMIT:
                memo[raw] = outcome
        value, message = outcome
        if message is not None:
            raise ValueError(message)
        return value

    return remembered


def _outcome(work: Callable[[], Any]) -> tuple[Any, str | None]:
    try:
        return work(), None
    except ValueError as error:
        return None, str(error)


class KeyChecker:
    """`check_key` remembered for text cells over one load: relationship tables name the same
    codes thousands of times, and a credit code's checksum is not free."""

    def __init__(self) -> None:
        self._memo: dict[KeyRule, dict[str, tuple[Any, str | None]]] = {rule: {} for rule in KeyRule}

    def check(self, rule: KeyRule, raw: Any) -> str:
        if type(raw) is not str:
            return check_key(rule, raw)
        memo = self._memo[rule]
        outcome = memo.get(raw)
        if outcome is None:
            outcome = memo[raw] = _outcome(lambda: check_key(rule, raw))
        key, message = outcome
        if message is not None:
            raise ValueError(message)
        return str(key)
