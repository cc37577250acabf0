"""The `GraphStore` contract: one suite, run unchanged against every store implementation."""
