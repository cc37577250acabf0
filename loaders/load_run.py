"""The `LoadRun` node: which files a load read (with their sha256), what it wrote per table, and
when it started and finished. Every node and relationship the load wrote carries the same
`loaded_at` as the run's `started_at`."""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from graph.model import LOAD_RUN_LABEL
from graph.records import Provenance
from graph.store import GraphStore
from loaders.report import LoadReport

LOAD_RUN_SOURCE = "chanjiao load"


def new_run_id(started: datetime) -> str:
    """Sortable by start time, unique even for runs started in the same millisecond."""
    return f"run-{started:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"


def load_run_props(run_id: str, report: LoadReport) -> dict[str, object]:
    files = {str(table.source.path): table.source.sha256 for table in report.tables}
    totals = report.totals()
    return {
        "id": run_id,
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "mode": "strict" if report.strict else "default",
        "files": list(files),
        "checksums": [f"sha256:{digest}" for digest in files.values()],
        "tables": [table.source.table for table in report.tables],
        "counts": json.dumps([table.as_json() for table in report.tables], ensure_ascii=False),
        "rows_read": sum(table.rows for table in report.tables),
        "rows_rejected": report.rejected,
        "created": totals.created,
        "updated": totals.updated,
        "unchanged": totals.unchanged,
    }


def record_load_run(store: GraphStore, run_id: str, report: LoadReport) -> str:
    """Write the run's `LoadRun` node and return its id."""
    store.upsert_nodes(LOAD_RUN_LABEL, [load_run_props(run_id, report)], Provenance(LOAD_RUN_SOURCE, report.started_at))
    return run_id
