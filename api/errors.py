"""Errors the API raises on purpose. Their messages are meant for the caller and stay visible
when internal errors are masked (the guardrails whitelist `UserInputError`)."""

from __future__ import annotations

import json


class UserInputError(ValueError):
    """Bad arguments: the message says which argument, what was given and what is expected."""


def error_body(message: str, code: str) -> bytes:
    """A refusal in the GraphQL response shape (`errors` only), so clients show it like any other error."""
    return json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}, ensure_ascii=False).encode()
