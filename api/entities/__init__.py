"""Entities (DESIGN §4): the `Node` interface, one type and connection per node kind, their
`where`/`orderBy` inputs and relationship fields, all generated from `graph.model`."""
