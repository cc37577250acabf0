"""A4 pages for the PDF, written top to bottom with matplotlib: headings, wrapped paragraphs,
tables that continue on the next page with their header, and charts. Text widths are estimated
per character (a Chinese character is one em wide, Latin about half), which is what wrapping and
column fitting need."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from reports.sections import Cell

PAGE_WIDTH, PAGE_HEIGHT = 8.27, 11.69  # inches, A4 portrait
MARGIN = 0.7
BODY = PAGE_WIDTH - 2 * MARGIN
POINTS = 72
LINE = 1.45  # line height, in font sizes
LINE_SPACING = 1.24  # matplotlib's multiple of a line's own height giving LINE
TOKENS = re.compile(r"[A-Za-z0-9_.,;:!?()'\"`%+\-–/×=<>@#&*\[\]{}·]+\s*|\s+|.")
RULE_COLOR, HEADER_COLOR, TEXT_COLOR, FAINT = "#7f8c8d", "#eaf2f8", "#1b2631", "#566573"


def text_width(text: str, size: float) -> float:
    """Estimated width in inches of `text` at `size` points."""
    ems = sum(1.0 if unicodedata.east_asian_width(char) in "WF" else 0.48 for char in text)
    return ems * size / POINTS


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of at most `width` inches: Latin words whole, Chinese characters one at a time."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in TOKENS.findall(paragraph):
            if line and text_width(line + token.rstrip(), size) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


def fit(text: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis to `width` inches."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def cell_text(value: Cell) -> str:
    if value is None:
        return "—"
    return str(value)  # numbers come formatted (reports.sections.number_text)


@dataclass(frozen=True)
class Column:
    left: float  # inches from the page's left edge
    width: float
    numeric: bool  # right-aligned


class Pages:
    """The document being written: a cursor (inches from the top) on the current page."""

    def __init__(self, pdf: PdfPages, footer: str) -> None:
        self.pdf = pdf
        self.footer = footer
        self.count = 0
        self.figure: Figure | None = None
        self.y = 0.0

    def _page(self) -> Figure:
        if self.figure is None:
            self.figure = Figure(figsize=(PAGE_WIDTH, PAGE_HEIGHT))
            self.count += 1
            self.y = MARGIN
        return self.figure

    def _room(self, height: float) -> Figure:
        """The page with `height` inches left at the cursor (a new page when this one is full)."""
        if self.figure is not None and self.y + height > PAGE_HEIGHT - MARGIN:
            self.finish_page()
        return self._page()

    def finish_page(self) -> None:
        if self.figure is None:
            return
        self.figure.text(0.5, 0.4 / PAGE_HEIGHT, f"{self.footer} · {self.count}", ha="center", va="bottom",
                         fontsize=7, color=FAINT)
        self.pdf.savefig(self.figure)
        self.figure = None

    def _text(self, x: float, text: str, size: float, **style: object) -> None:
        figure = self._page()
        figure.text(x / PAGE_WIDTH, 1 - self.y / PAGE_HEIGHT, text, fontsize=size, va="top", **{"color": TEXT_COLOR, **style})  # type: ignore[arg-type]

    def heading(self, text: str, size: float = 14) -> None:
        self._room(size * LINE * 3 / POINTS)  # a heading never ends a page
        self.y += size * 0.6 / POINTS
        self._text(MARGIN, text, size, fontweight="bold")
        self.y += size * LINE / POINTS

    def paragraph(self, text: str, size: float = 9, color: str = TEXT_COLOR) -> None:
        for line in wrap(text, size, BODY):
            self._room(size * LINE / POINTS)
            self._text(MARGIN, line, size, color=color)
            self.y += size * LINE / POINTS
        self.y += size * 0.5 / POINTS

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
              numeric: Sequence[bool], size: float = 7.5) -> None:
        """Columns of `widths` (fractions of the body), the `numeric` ones right-aligned. Each
        column of a page is one text of many lines (a text per cell would take most of the time)."""
        height = size * LINE / POINTS
        columns = [Column(MARGIN + BODY * sum(widths[:i]), BODY * widths[i] - 0.08, numeric[i]) for i in range(len(widths))]
        self._room(height * 3)
        left = list(rows)
        while True:
            self._lines([header], columns, size, bold=True)
            fits = max(1, int((PAGE_HEIGHT - MARGIN - self.y) / height))
            self._lines(left[:fits], columns, size)
            left = left[fits:]
            if not left:
                break
            self.finish_page()
        self.y += height * 0.6

    def _lines(self, rows: Sequence[Sequence[Cell]], columns: Sequence[Column], size: float, bold: bool = False) -> None:
        if not rows:
            return
        figure = self._page()
        height = size * LINE / POINTS
        if bold:
            figure.patches.append(_band(figure, self.y, height))
        for index, column in enumerate(columns):
            text = "\n".join(fit(cell_text(row[index]), size, column.width) for row in rows)
            align = "right" if column.numeric else "left"
            self._text(column.left + (column.width if column.numeric else 0), text, size, ha=align, multialignment=align,
                       linespacing=LINE_SPACING, fontweight="bold" if bold else "normal")
        self.y += height * len(rows)

    def chart(self, height: float, draw: Callable[[Axes], None], left: float = 1.8, bottom: float = 0.45) -> None:
        """A chart `height` inches tall; `left` and `bottom` inches of it are kept for tick labels."""
        figure = self._room(height + 0.1)
        base = 1 - (self.y + height) / PAGE_HEIGHT
        ax = figure.add_axes(((MARGIN + left) / PAGE_WIDTH, base + bottom / PAGE_HEIGHT, (BODY - left - 0.1) / PAGE_WIDTH,
                              (height - bottom - 0.3) / PAGE_HEIGHT))
        draw(ax)
        self.y += height + 0.1


def _band(figure: Figure, y: float, height: float) -> Rectangle:
    return Rectangle((MARGIN / PAGE_WIDTH, 1 - (y + height * 0.85) / PAGE_HEIGHT), BODY / PAGE_WIDTH, height / PAGE_HEIGHT,
                     transform=figure.transFigure, facecolor=HEADER_COLOR, edgecolor="none", zorder=-1)
