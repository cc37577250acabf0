"""`GET /report?year=2024&format=pdf|html|xlsx&lang=zh|en`: the annual report (`reports`) as a
download. Its arguments are checked before anything is read (400 naming the argument); the work
runs on the expensive-work threads under their time limit (503 beyond). The report holds no
personal data, so anonymous readers may take it, as they may query the graph; credentials that
do not check out are refused (401) by the guard in front of every path."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from api.expensive import TimeLimitExceeded
from graph.labels import Lang
from graph.store import GraphStore
from reports.charts import MissingFont
from reports.figures import AnnualReport
from reports.formats import MEDIA_TYPES, ReportFormat, check_format, file_name, render
from reports.gather import annual_report

router = APIRouter()


def check_year_text(text: str | None) -> int:
    if text is None or not text.strip():
        raise ValueError("year: missing; ask for one, e.g. /report?year=2024&format=pdf")
    if not text.strip().isdigit():
        raise ValueError(f"year {text!r} is not a year (a whole number such as 2024)")
    return int(text)


def check_lang(text: str) -> Lang:
    try:
        return Lang(text)
    except ValueError:
        raise ValueError(f"lang {text!r}: a report is written in {' or '.join(lang.value for lang in Lang)}") from None


def made(store: GraphStore, year: int, fmt: ReportFormat, lang: Lang) -> tuple[AnnualReport, bytes]:
    found = annual_report(store, year, lang)
    return found, render(found, fmt)


@router.get("/report", summary="The annual report of a year, as HTML, PDF or XLSX", tags=["reports"])
async def report(
    request: Request,
    year: Annotated[str | None, Query(description="The year reported on, e.g. 2024")] = None,
    format: Annotated[str, Query(description="html, pdf or xlsx")] = "pdf",
    lang: Annotated[str, Query(description="zh (the default) or en")] = "zh",
) -> Response:
    try:
        wanted, fmt, language = check_year_text(year), check_format(format), check_lang(lang)
    except ValueError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    store = request.app.state.store
    if store is None:
        raise HTTPException(status_code=503, detail="the store is not open yet")
    try:
        found, content = await request.app.state.expensive.run(made, store, wanted, fmt, language)
    except ValueError as error:  # a year out of range or without data
        raise HTTPException(status_code=400, detail=str(error)) from None
    except (TimeLimitExceeded, MissingFont) as error:
        raise HTTPException(status_code=503, detail=str(error)) from None
    return Response(content, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{file_name(wanted, fmt)}"',
        "X-Synthetic-Share": str(found.synthetic.share),
    })
