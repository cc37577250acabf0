"""The report's charts, drawn once with matplotlib onto any axes: the PDF places them on its
pages, the HTML page inlines them as SVG whose text stays text. Each chart draws figures of the
report and nothing else; titles and legends come from the labels table (`graph.labels`)."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from graph.labels import heading
from reports.figures import AnnualReport

# Fonts with Chinese glyphs, best first; Debian's fonts-noto-cjk gives the first
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")
LATIN_FAMILY = "DejaVu Sans"  # matplotlib's own, always there
DEMAND, SUPPLY, ACCENT, MUTED = "#c0392b", "#2e86c1", "#7d3c98", "#95a5a6"
SVG_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
SVG_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


class MissingFont(RuntimeError):
    """No font with Chinese glyphs is installed."""


CJK_FILES = re.compile(r"NotoSansCJK|SourceHanSans|wqy-zenhei|DroidSansFallback", re.IGNORECASE)


def cjk_family() -> str | None:
    """The best installed CJK family; fonts installed after matplotlib cached its list are found
    by scanning the system's font folders once more."""
    found = _installed_cjk()
    if found is None:
        for path in font_manager.findSystemFonts():
            if CJK_FILES.search(path):
                font_manager.fontManager.addfont(path)
        found = _installed_cjk()
    return found


def _installed_cjk() -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)


def require_cjk_family() -> str:
    family = cjk_family()
    if family is None:
        raise MissingFont("no font with Chinese glyphs is installed (looked for "
                          f"{', '.join(CJK_FAMILIES)}): install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)")
    return family


# rc_context swaps matplotlib's global settings and puts them back: two reports drawn at once on
# the API's worker threads would restore each other's, so drawings take turns
DRAWING = threading.Lock()


@contextmanager
def report_style(family: str | None) -> Iterator[None]:
    """matplotlib settings of the report's drawings, for this block only (never left behind)."""
    families = [family, LATIN_FAMILY] if family else [LATIN_FAMILY]
    with DRAWING, rc_context({"font.family": families, "font.size": 8, "axes.titlesize": 10, "svg.fonttype": "none",
                     "axes.spines.top": False, "axes.spines.right": False, "pdf.fonttype": 3}):
        yield


@dataclass(frozen=True)
class Chart:
    name: str
    height: float  # inches, at the page's width
    draw: Callable[[Axes, AnnualReport], None]
    left: float = 0.8  # inches kept for the y tick labels on a PDF page
    bottom: float = 0.45  # and for the x tick labels


def _h(report: AnnualReport, word: str) -> str:
    return heading(word, report.lang)


def chain_gaps(ax: Axes, report: AnnualReport) -> None:
    chains = report.chains
    names = [chain.name for chain in chains]
    rows = range(len(chains))
    ax.barh([r + 0.2 for r in rows], [c.demand for c in chains], height=0.4, color=DEMAND, label=_h(report, "demand"))
    ax.barh([r - 0.2 for r in rows], [c.supply for c in chains], height=0.4, color=SUPPLY, label=_h(report, "supply"))
    ax.set_yticks(list(rows), names)
    ax.invert_yaxis()
    ax.set_title(f"{_h(report, 'Talent gaps by chain')} · {report.year}")
    ax.legend(loc="lower right", frameon=False)


def trend(ax: Axes, report: AnnualReport) -> None:
    years = [item.year for item in report.trend]
    ax.plot(years, [item.demand for item in report.trend], marker="o", color=DEMAND, label=_h(report, "demand"))
    ax.plot(years, [item.supply for item in report.trend], marker="o", color=SUPPLY, label=_h(report, "supply"))
    ax.set_xticks(years, [str(year) for year in years])
    ax.set_ylim(bottom=0)
    ax.set_title(f"{_h(report, 'Trend')} · {_h(report, 'All chains')}")
    ax.legend(frameon=False)


def plan_progress(ax: Axes, report: AnnualReport) -> None:
    found = report.plan.targets
    percents = [round(target.progress * 100, 1) for target in found]
    bars = ax.bar([f"{t.label}\n{t.basis_label}" for t in found], percents, color=ACCENT, width=0.5)
    ax.bar_label(bars, [f"{p:g}%" for p in percents], padding=2)
    ax.axhline(100, color=MUTED, linestyle="--", linewidth=1)
    ax.set_ylabel(f"{_h(report, 'progress')} %")
    ax.set_title(f"{_h(report, 'Plan targets')} · {report.plan.from_year}–{report.plan.to_year}")


def coverage_by_chain(ax: Axes, report: AnnualReport) -> None:
    """Per chain, the kinds of empty cells that belong to a chain's own entities."""
    shown = [0, 2, 4]  # needed disciplines, unmentored schools, lone enterprises
    chains = report.coverage.by_chain
    width = 0.8 / len(shown)
    for position, index in enumerate(shown):
        ax.bar([c + position * width for c in range(len(chains))], [chain.counts[index] for chain in chains], width=width,
               label=report.coverage.sections[index].label)
    ax.set_xticks([c + width for c in range(len(chains))], [chain.name for chain in chains], rotation=30, ha="right")
    ax.set_title(f"{_h(report, 'Coverage gaps')} · {report.year}")
    ax.legend(frameon=False)


def communities(ax: Axes, report: AnnualReport) -> None:
    found = report.network.communities
    ax.bar([str(c.id) for c in found], [c.size for c in found], color=ACCENT)
    ax.set_xlabel(_h(report, "community"))
    ax.set_ylabel(_h(report, "size"))
    ax.set_title(f"{_h(report, 'Networks and communities')} · {_h(report, 'modularity')} {report.network.modularity:.3f}")


CHAIN_GAPS = Chart("chain-gaps", 3.6, chain_gaps, left=1.1)
TREND = Chart("trend", 2.6, trend)
PLAN = Chart("plan-targets", 2.6, plan_progress)
COVERAGE = Chart("coverage", 3.2, coverage_by_chain, bottom=0.9)
COMMUNITIES = Chart("communities", 2.4, communities)


def svg(chart: Chart, report: AnnualReport, family: str | None, width: float = 7.0) -> str:
    """The chart as an `<svg>` element to inline in HTML: no prologue, no namespace URLs (the
    HTML parser puts it in the SVG namespace by itself), text as text. Margins are the chart's
    own (a layout engine would measure every label twice)."""
    with report_style(family):
        figure = Figure(figsize=(width, chart.height))
        figure.subplots_adjust(left=chart.left / width, right=0.98, bottom=chart.bottom / chart.height,
                               top=1 - 0.3 / chart.height)
        chart.draw(figure.add_subplot(), report)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=_NO_METADATA)
    return SVG_NAMESPACES.sub("", SVG_PROLOGUE.sub("", buffer.getvalue()), count=0)


_NO_METADATA: dict[str, Any] = {"Creator": None, "Date": None, "Format": None, "Type": None}
