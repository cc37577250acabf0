"""Errors the API raises on purpose. Their messages are meant for the caller and stay visible
when internal errors are masked (the guardrails whitelist `UserInputError`)."""

from __future__ import annotations


class UserInputError(ValueError):
    """Bad arguments: the message says which argument, what was given and what is expected."""
