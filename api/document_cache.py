"""Skip re-validating documents this server has already found valid.

graphql-core validates a small query against this schema in several milliseconds, more than the
store takes to answer it, and front ends send the same few documents again and again. A
document's validity depends only on its text, the schema and the validation rules, which are
fixed per app (they come from the settings), so a valid verdict is remembered by a digest of
the text. Invalid documents are validated every time: their errors may be worded per caller.
Checks that depend on variables or on the caller run after validation and are never skipped.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterator

from strawberry.extensions import SchemaExtension

DEFAULT_ENTRIES = 512


class ValidDocuments:
    """A bounded set of digests of documents that validated without errors."""

    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        self.entries = entries
        self._digests: OrderedDict[bytes, None] = OrderedDict()

    @staticmethod
    def digest(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def __contains__(self, digest: bytes) -> bool:
        if digest in self._digests:
            self._digests.move_to_end(digest)
            return True
        return False

    def add(self, digest: bytes) -> None:
        self._digests[digest] = None
        if len(self._digests) > self.entries:
            self._digests.popitem(last=False)


def validation_cache(valid: ValidDocuments) -> Callable[[], SchemaExtension]:
    """An extension factory sharing `valid` (one per app) across requests."""
    return lambda: SkipKnownValidDocuments(valid)


class SkipKnownValidDocuments(SchemaExtension):
    def __init__(self, valid: ValidDocuments) -> None:
        self.valid = valid

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        digest = ValidDocuments.digest(context.query or "")
        known = context.query is not None and digest in self.valid
        if known:
            context.pre_execution_errors = []  # tells Strawberry validation already ran
        yield
        if not known and context.query is not None and context.pre_execution_errors == []:
            self.valid.add(digest)
