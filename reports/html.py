"""The report as one self-contained HTML page: styles inline, charts as inline SVG (their text
stays text), no script and no reference to anything outside the page."""

from __future__ import annotations

from html import escape

from graph.labels import Lang
from reports import charts
from reports.figures import AnnualReport
from reports.sections import Block, Cell, Paragraph, Table, h, is_number, number_text, sections

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       color: #1b2631; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { font-size: 1.7rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #d6eaf8; }
h3 { font-size: 1rem; color: #1a5276; margin: 1.2rem 0 .3rem; }
p.warning { color: #922b21; font-weight: bold; border: 1px solid #e6b0aa; padding: .6rem .8rem; background: #fdedec; }
table { border-collapse: collapse; margin: .3rem 0 1rem; font-size: .85rem; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid #e5e8e8; text-align: left; vertical-align: top; }
th { background: #eaf2f8; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure svg { width: 100%; height: auto; }
nav a { margin-right: 1rem; }
"""


def render_html(report: AnnualReport) -> bytes:
    family = charts.cjk_family()  # text stays text, so without the font only the layout is approximate
    parts = sections(report)
    links = " ".join(f'<a href="#{section.key}">{escape(section.title)}</a>' for section in parts)
    body = [f"<nav>{links}</nav>"]
    for number, section in enumerate(parts):
        tag = "h1" if number == 0 else "h2"
        body.append(f'<section id="{section.key}"><{tag}>{escape(section.title)}</{tag}>')
        body += [block_html(block, report, family) for block in section.blocks]
        body.append("</section>")
    lang = "zh-CN" if report.lang is Lang.ZH else "en"
    title = escape(f"{h(report, 'Annual report')} {report.year}")
    page = (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n")
    return page.encode("utf-8")


def block_html(block: Block, report: AnnualReport, family: str | None) -> str:
    if isinstance(block, Paragraph):
        if block.style == "subheading":
            return f"<h3>{escape(block.text)}</h3>"
        return f'<p class="{block.style}">{escape(block.text)}</p>'
    if isinstance(block, Table):
        return table_html(block)
    return f'<figure data-chart="{block.name}">{charts.svg(block, report, family)}</figure>'


def table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(title)}</th>" for title in table.header)
    rows = "".join(f"<tr>{''.join(cell_html(cell) for cell in row)}</tr>" for row in table.rows)
    return f"<h3>{escape(table.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def cell_html(cell: Cell) -> str:
    if cell is None:
        return "<td>—</td>"
    if not is_number(cell):
        return f"<td>{escape(str(cell))}</td>"
    return f'<td class="number">{number_text(cell)}</td>'
