"""`GET /export`: a selected subgraph as GraphML, GEXF, node-link JSON or a CSV edge list,
streamed, or as a zip of the `nodes.csv` and `edges.csv` tables (`format=csv`), and refused (413)
above `CHANJIAO_EXPORT_MAX_ELEMENTS` nodes + relationships.

    /export?format=graphml&labels=School,Enterprise&relationships=COOPERATES_WITH
    /export?format=json&chain=IC&districts=310112

The formats and how networkx reads them back are described in `queries.exports`. Exports hold
no personal data, so anonymous readers may take them, as they may query the graph.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from typing import Annotated, Final

import networkx as nx
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from api.expensive import TimeLimitExceeded
from graph.projection import Selection, SubgraphTooLarge
from queries.exports import FORMATS, MEDIA_TYPES, TABLES, check_format, export_lines, export_share, export_zip

router = APIRouter()
CHUNK_BYTES: Final = 64 * 1024

ListQuery = Annotated[list[str] | None, Query(description="Comma-separated or repeated")]


def chunked(lines: Iterable[str], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """UTF-8 chunks of about `size` bytes: one write per chunk rather than per line."""
    buffer: list[bytes] = []
    filled = 0
    for line in lines:
        data = line.encode()
        buffer.append(data)
        filled += len(data)
        if filled >= size:
            yield b"".join(buffer)
            buffer, filled = [], 0
    if buffer:
        yield b"".join(buffer)


@router.get("/export", summary="Export a subgraph for networkx, Gephi or Cytoscape", tags=["exports"])
async def export(
    request: Request,
    format: Annotated[str, Query(description=f"One of {', '.join(FORMATS)}")] = "graphml",
    labels: ListQuery = None,
    relationships: ListQuery = None,
    chain: Annotated[str | None, Query(description="Industry chain code")] = None,
    districts: ListQuery = None,
) -> Response:
    try:
        fmt = check_format(format)
        selection = Selection.parse(labels, relationships, chain, districts)
    except ValueError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    projection = await _project(request, selection)
    share = export_share(projection)
    headers = {
        "Content-Disposition": f'attachment; filename="chanjiao-subgraph.{"zip" if fmt == TABLES else fmt}"',
        "X-Nodes": str(projection.number_of_nodes()),
        "X-Relationships": str(projection.number_of_edges()),
        "X-Synthetic": str(share.synthetic),
        "X-Synthetic-Share": str(share.share),
    }
    if fmt == TABLES:  # two files: a zip, built whole off the event loop (the export is bounded by the element limit)
        return Response(await asyncio.to_thread(export_zip, projection), media_type=MEDIA_TYPES[fmt], headers=headers)
    return StreamingResponse(chunked(export_lines(projection, fmt)), media_type=MEDIA_TYPES[fmt], headers=headers)


async def _project(request: Request, selection: Selection) -> nx.MultiDiGraph:
    store = request.app.state.store
    if store is None:
        raise HTTPException(status_code=503, detail="the store is not open yet")
    limit = request.app.state.settings.export_max_elements
    try:
        projected: nx.MultiDiGraph = await request.app.state.expensive.run(store.projection().subgraph, selection, limit)
    except TimeLimitExceeded as error:
        raise HTTPException(status_code=503, detail=error.message) from None
    except SubgraphTooLarge as error:
        raise HTTPException(status_code=413, detail=str(error)) from None
    except ValueError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    return projected
