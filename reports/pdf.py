"""The report as a PDF: A4 pages drawn with matplotlib, Chinese set in a CJK font from Debian's
fonts-noto-cjk (embedded as a subset), charts drawn on the page. The first page states the
synthetic share; every page's footer repeats it."""

from __future__ import annotations

import io

from matplotlib.backends.backend_pdf import PdfPages

from reports import charts
from reports.figures import AnnualReport
from reports.layout import Cell, Pages
from reports.sections import Block, Paragraph, Table, h, is_number, number_text, sections

STYLES = {"text": (8.5, "#1b2631"), "warning": (11, "#922b21"), "subheading": (10, "#1a5276")}


def render_pdf(report: AnnualReport) -> bytes:
    """MissingFont when no Chinese font is installed: a PDF with boxes for characters helps no one."""
    family = charts.require_cjk_family()
    buffer = io.BytesIO()
    footer = f"{h(report, 'Annual report')} {report.year} · {h(report, 'Synthetic share')} {report.synthetic.share:.1%}"
    metadata = {"Title": f"{h(report, 'Annual report')} {report.year}", "Creator": "chanjiao report", "CreationDate": None}
    with charts.report_style(family), PdfPages(buffer, metadata=metadata) as pdf:
        pages = Pages(pdf, footer)
        for number, section in enumerate(sections(report)):
            pages.finish_page()  # each section on its own pages, the first page for the title and the synthetic share
            pages.heading(section.title, size=18 if number == 0 else 14)
            for block in section.blocks:
                write_block(pages, block, report)
        pages.finish_page()
    return buffer.getvalue()


def write_block(pages: Pages, block: Block, report: AnnualReport) -> None:
    if isinstance(block, Paragraph):
        size, color = STYLES[block.style]
        pages.paragraph(block.text, size=size, color=color)
    elif isinstance(block, Table):
        pages.paragraph(block.title, *STYLES["subheading"])
        numeric = [any(is_number(row[i]) for row in block.rows) for i in range(len(block.header))]
        pages.table(block.header, [[shown(cell) for cell in row] for row in block.rows], block.widths, numeric)
    else:
        pages.chart(block.height, lambda ax: block.draw(ax, report), left=block.left, bottom=block.bottom)


def shown(cell: Cell) -> Cell:
    return number_text(cell) if is_number(cell) else cell
