"""The report as a workbook: one sheet per section, each table under its title with its header,
numbers as numbers (shares as fractions formatted as percentages), so that they can be summed
and charted again in a spreadsheet."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from reports.figures import AnnualReport
from reports.sections import Paragraph, Percent, Section, Table, sections

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EAF2F8")
WARNING = Font(bold=True, color="922B21")
WIDTHS = (28, 14, 14, 14, 14, 14, 14, 14, 14)  # characters, first column widest


def render_xlsx(report: AnnualReport) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for section in sections(report):
        write_section(book.create_sheet(sheet_name(section, book.sheetnames)), section)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_name(section: Section, taken: list[str]) -> str:
    name = SHEET_NAME.sub(" ", section.title)[:MAX_SHEET_NAME]
    return name if name not in taken else f"{name[: MAX_SHEET_NAME - 3]} {len(taken)}"


def write_section(sheet: Worksheet, section: Section) -> None:
    sheet.append([section.title])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            sheet.append([block.text])
            sheet.cell(sheet.max_row, 1).font = WARNING if block.style == "warning" else BOLD if block.style == "subheading" else Font()
        elif isinstance(block, Table):
            write_table(sheet, block)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = width


def write_table(sheet: Worksheet, table: Table) -> None:
    sheet.append([])
    sheet.append([table.title])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append(table.header)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in table.rows:
        sheet.append([float(value) if isinstance(value, Percent) else value for value in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Percent):
                cell.number_format = "0.0%"
