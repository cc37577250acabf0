"""Probes and metrics: `/healthz` (the process answers), `/readyz` (the store answers),
`/metrics` (Prometheus)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

READY_TIMEOUT_SECONDS = 5.0

log = logging.getLogger(__name__)
router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Ready when the store counts districts within the timeout; 503 otherwise."""
    store = getattr(request.app.state, "store", None)
    if store is None:
        return JSONResponse({"status": "starting"}, status_code=503)
    try:
        districts = await asyncio.wait_for(asyncio.to_thread(store.count_nodes, "District"), READY_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means "not ready"; the log has the details
        log.warning("readiness check failed: %s", error)
        return JSONResponse({"status": "unavailable", "reason": type(error).__name__}, status_code=503)
    return JSONResponse({"status": "ready", "districts": districts})


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
