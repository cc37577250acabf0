"""Arguments and input fields as the caller sent them."""

from __future__ import annotations

from typing import Any

from strawberry import UNSET


def given(value: Any) -> Any:
    """None when the caller omitted the argument (UNSET) or sent null; else the value.

    Optional arguments default to UNSET rather than None so the SDL does not print `= null`."""
    return None if value is UNSET else value
