"""The report's formats: what each is rendered by, its media type and its file name. The
renderers are imported when used, so that the CLI and the API start without matplotlib."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from reports.figures import AnnualReport


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    XLSX = "xlsx"


MEDIA_TYPES: Final = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def check_format(text: str) -> ReportFormat:
    """ValueError naming the format and the ones there are."""
    try:
        return ReportFormat(text)
    except ValueError:
        raise ValueError(f"format {text!r}: a report is made as {', '.join(f.value for f in ReportFormat)}") from None


def file_name(year: int, fmt: ReportFormat) -> str:
    return f"chanjiao-report-{year}.{fmt.value}"


def render(report: AnnualReport, fmt: ReportFormat) -> bytes:
    """The report's file; `charts.MissingFont` when a PDF is asked for and no Chinese font is installed."""
    if fmt is ReportFormat.HTML:
        from reports.html import render_html

        return render_html(report)
    if fmt is ReportFormat.PDF:
        from reports.pdf import render_pdf

        return render_pdf(report)
    from reports.xlsx import render_xlsx

    return render_xlsx(report)
