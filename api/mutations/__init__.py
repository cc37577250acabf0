"""Mutations for editors (issue 4): upsert and delete of each node kind, connect and disconnect of
each relationship kind, generated from `graph.model` and validated by the loaders' rules."""

from __future__ import annotations

from api.mutations.schema import EntityMutation

__all__ = ["EntityMutation"]
