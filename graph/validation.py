"""Validation derived from the model: value coercion, enumerations, ranges and key formats.

Every failure is a `ValueError` whose message names the value and the rule, ready to be prefixed
with a location (`FILE:ROW:COLUMN`) by the loaders or a field path by the API.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from graph.model import KeyRule, NodeKind, Prop, PropType

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "是", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "否", "f"})
LIST_SEPARATOR = ";"
# Text may hold tab, line feed and carriage return (XML 1.0 keeps them, and a CSV cell may span
# lines); no other control character (C0, DEL, C1), no lone surrogate and no U+FFFE/U+FFFF.
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 cannot hold at all, whatever the escaping: exports replace it (`xml_text`).
FORBIDDEN_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XML_REPLACEMENT = "\ufffd"
# Synthetic enterprises' credit codes start with registration-authority code 0, which GB 32100-2015
# never assigns (it assigns 1–9, A, N and Y), then 1 (enterprise): no real code can fall in this range.
SYNTHETIC_USCC_PREFIX = "01"

KEY_PATTERNS = {
    KeyRule.ADCODE: (re.compile(r"^\d{6}$"), "a 6-digit administrative division code"),
    KeyRule.SCHOOL_CODE: (re.compile(r"^\d{10}$"), "a 10-digit MoE institution code"),
    # 7 digits: the catalogue ran out of two-digit slots in 外国语言文学类 (e.g. 0502100T 语言学)
    KeyRule.DISCIPLINE_CODE: (re.compile(r"^\d{4}(\d{2,3}[A-Z]?[A-Z]?)?$"), "a 4-, 6- or 7-digit discipline code"),
    KeyRule.IDENTIFIER: (re.compile(r"^[\w.\-]{1,64}$"), "1–64 letters, digits, '_', '-' or '.'"),
}


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_synthetic_uscc(code: str) -> bool:
    """Whether a credit code lies in the reserved synthetic range (SYNTHETIC_USCC_PREFIX)."""
    return code.startswith(SYNTHETIC_USCC_PREFIX)


def check_uscc(code: str) -> str:
    if len(code) != 18:
        raise ValueError(f"credit code {code!r} must have 18 characters, not {len(code)}")
    bad = [char for char in code if char not in USCC_ALPHABET]
    if bad:
        raise ValueError(f"credit code {code!r} has characters outside GB 32100-2015's alphabet: {''.join(bad)!r}")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(f"credit code {code!r} fails the GB 32100-2015 checksum (check character should be {expected!r})")
    return code


def check_key(rule: KeyRule, raw: Any) -> str:
    """The key as a normalised string, or ValueError saying which format it breaks."""
    if raw is None or str(raw).strip() == "":
        raise ValueError("key is missing")
    key = _key_text(raw)
    if rule is KeyRule.USCC:
        return check_uscc(key.upper())
    pattern, wanted = KEY_PATTERNS[rule]
    if not pattern.match(key):
        raise ValueError(f"{key!r} is not {wanted}")
    return key


def _key_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # spreadsheets turn 310110 into 310110.0
    return str(raw).strip()


def same_value(stored: Any, new: Any) -> bool:
    """Value identity as both stores judge it: 1, 1.0 and True are equal in Python but are
    different stored values."""
    return type(stored) is type(new) and bool(stored == new)


def changes_nothing(stored: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    """Whether writing `row`'s properties over `stored` would leave every one as it is."""
    return all(name in stored and same_value(stored[name], value) for name, value in row.items())


def coerce(prop: Prop, raw: Any) -> Any:
    """`raw` (a cell, JSON value or GraphQL argument) as the property's type; None for blank."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if prop.required:
            raise ValueError(f"{prop.name} is required")
        return None
    value = _COERCERS[prop.type](raw)
    _check_choices(prop, value)
    _check_range(prop, value)
    return value


def _to_str(raw: Any) -> str:
    if isinstance(raw, bool | list | dict):
        raise ValueError(f"{raw!r} is not text")
    return check_text(_key_text(raw))


def check_text(text: str) -> str:
    """`text`, or ValueError naming its first control character (see FORBIDDEN_IN_TEXT)."""
    if text.isprintable():  # the common case, decided in C: no control character at all
        return text
    found = FORBIDDEN_IN_TEXT.search(text)
    if found:
        raise ValueError(
            f"text holds the control character U+{ord(found.group()):04X} at character {found.start() + 1}; "
            "only tab, line feed and carriage return are allowed"
        )
    return text


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can hold it: each character it forbids becomes U+FFFD."""
    return FORBIDDEN_IN_XML.sub(XML_REPLACEMENT, text)


def _to_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip().replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise ValueError(f"{raw!r} is not a whole number")


def _to_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    try:
        value = float(str(raw).strip().replace(",", "")) if not isinstance(raw, int | float) else float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is not a finite number")
    return value


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{raw!r} is not a yes/no value (是/否, true/false, 1/0)")


def _to_list(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw).split(LIST_SEPARATOR)
    return [text for text in (_to_str(item) for item in items) if text]


_COERCERS = {
    PropType.STR: _to_str,
    PropType.INT: _to_int,
    PropType.FLOAT: _to_float,
    PropType.BOOL: _to_bool,
    PropType.STR_LIST: _to_list,
}


def _check_choices(prop: Prop, value: Any) -> None:
    if prop.choices and value not in prop.choices:
        raise ValueError(f"{value!r} is not one of {', '.join(prop.choices)}")


def _check_range(prop: Prop, value: Any) -> None:
    if prop.minimum is not None and value < prop.minimum:
        raise ValueError(f"{value!r} is below the minimum {prop.minimum:g}")
    if prop.maximum is not None and value > prop.maximum:
        raise ValueError(f"{value!r} is above the maximum {prop.maximum:g}")


def validate_node(kind: NodeKind, row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The row's properties coerced, and an error message per bad column (empty when valid).
    Columns that are not properties of the kind are left to the caller."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for prop in kind.properties:
        try:
            value = check_key(kind.key_rule, row.get(prop.name)) if prop.name == kind.key else coerce(prop, row.get(prop.name))
        except ValueError as error:
            errors[prop.name] = str(error)
            continue
        if value is not None:
            clean[prop.name] = value
    return clean, errors
