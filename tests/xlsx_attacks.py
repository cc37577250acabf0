"""Hostile workbooks built by hand, part by part, as an attacker would: small archives that stay
under the zip-bomb guards (each part compressed at most 200:1) yet hold millions of cells or
shared strings. Each part is written from a repeated block, so building one takes about a second."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
BLOCK_ITEMS = 4096  # items per repeated block: longer than deflate's 32 KiB window, so ratios stay honest


def _package(sheets: list[str]) -> dict[str, bytes]:
    """Every part of a workbook but its sheets' data and shared strings."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{TYPES}.worksheet+xml"/>' for i in range(1, len(sheets) + 1)
    )
    sheet_list = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1))
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1)
    )
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/></Types>'
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>{sheet_list}</sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">{sheet_rels}'
            f'<Relationship Id="rIdS" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ).encode(),
    }


def _repeated(head: bytes, items: Iterable[bytes], times: int, tail: bytes) -> Iterator[bytes]:
    block = b"".join(items)
    yield head
    for _ in range(times):
        yield block
    yield tail


def write_workbook(path: Path, sheets: dict[str, Iterator[bytes]], strings: Iterator[bytes] | None = None) -> Path:
    """A workbook whose sheets' XML (and shared strings table) are streamed from the chunks given."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in _package(list(sheets)).items():
            archive.writestr(name, data)
        parts = {f"xl/worksheets/sheet{i}.xml": chunks for i, chunks in enumerate(sheets.values(), start=1)}
        parts["xl/sharedStrings.xml"] = strings or iter([f'<sst xmlns="{MAIN}"/>'.encode()])
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    return path


def header_sheet(extra_rows: Iterable[bytes] = ()) -> Iterator[bytes]:
    yield (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>').encode()
    yield from extra_rows
    yield b"</sheetData></worksheet>"


def tiny_shared_strings(count: int, seed: int = 11) -> Iterator[bytes]:
    """`count` one-letter shared strings; one in twelve varies, which keeps deflate near 170:1."""
    rng = random.Random(seed)
    items = [b"<si><t>%s</t></si>" % (rng.choice(b"ab").to_bytes(1, "big") if i % 12 == 0 else b"a") for i in range(BLOCK_ITEMS)]
    return _repeated(f'<sst xmlns="{MAIN}">'.encode(), items, count // BLOCK_ITEMS, b"</sst>")


def repeated_cells(rows: int, width: int, seed: int = 7) -> Iterator[bytes]:
    """`rows` rows (from row 2) of `width` one-digit number cells, one in twelve varying, written
    without row and cell references (the reader counts them) so that each block repeats exactly."""
    rng = random.Random(seed)
    digits = [b"%d" % rng.randrange(10) if i % 12 == 0 else b"1" for i in range(BLOCK_ITEMS)]
    row_items = [b"<row>" + b"".join(b"<c><v>%s</v></c>" % digit for digit in digits[i : i + width]) + b"</row>"
                 for i in range(0, BLOCK_ITEMS - width + 1, width)]
    return _repeated(b"", row_items, rows // len(row_items), b"")


def far_right_cells(rows: int) -> Iterator[bytes]:
    """Rows 2… each holding one cell in Excel's last column (XFD): a reader filling rows with
    blanks yields 16,384 cells for each."""
    yield b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (row, row) for row in range(2, rows + 2))


def declared_dimension(last_row: int) -> Iterator[bytes]:
    """A sheet claiming the largest dimension there is, with its one data row far below."""
    yield (f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD{last_row}"/><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
           f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>310104</t></is></c>'
           f'<c r="B{last_row}" t="inlineStr"><is><t>徐汇区</t></is></c></row></sheetData></worksheet>').encode()
