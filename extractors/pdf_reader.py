"""PDF -> SourceDocument with pdfplumber.

Ruled tables come from the page's lines.  A page with no ruled table but
text that reads like a plan header is read by `borderless`: columns anchored
on the header line, rows from horizontal rules or line spacing.
Every cell keeps its page and bbox; a ``None`` cell from pdfplumber is a
merge, horizontal when the cell to its left reaches over it, else vertical.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pdfplumber

from . import borderless
from .errors import UnreadableFile
from .fills import shade_cells
from .headers import looks_like_plan_header
from .model import Cell, Row, SourceDocument, Table, TextBlock

PDF_MEDIA_TYPE = "application/pdf"
META_PAGES = 3          # pages whose lines are kept for title/council/date
MAX_HEADING_LINES = 3   # a table's heading wraps over a few lines at most
WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z])-\n(?=[A-Za-z])")


@dataclass(frozen=True)
class PdfSettings:
    ruled: dict
    borderless: bool = True        # look for header-anchored tables where no ruled table is found

    @classmethod
    def default(cls) -> "PdfSettings":
        return cls(ruled={"vertical_strategy": "lines", "horizontal_strategy": "lines"})


class TooManyPages(UnreadableFile):
    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"too many pages ({pages} > {limit}); raise --max-pages to read it")


def read_pdf(path: str, settings: PdfSettings | None = None, max_pages: int | None = None) -> SourceDocument:
    settings = settings or PdfSettings.default()
    if max_pages:
        count = _page_count(path)
        if count > max_pages:
            raise TooManyPages(count, max_pages)
    with pdfplumber.open(path) as pdf:
        doc = SourceDocument(path=str(path), media_type=PDF_MEDIA_TYPE, pages=len(pdf.pages))
        has_text = False
        for page in pdf.pages:
            has_text = _read_page(page, doc, settings) or has_text
            page.close()     # drop pdfminer's per-page caches: long files stay flat in memory
    if doc.pages and not has_text:
        raise NoTextLayer()
    return doc


def _page_count(path: str) -> int:
    """pdfium counts pages from the page tree without building them, unlike pdfminer."""
    import pypdfium2
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return 0            # let pdfplumber give its own, more precise, error
    try:
        return len(document)
    finally:
        document.close()


class NoTextLayer(UnreadableFile):
    def __init__(self) -> None:
        super().__init__("no text layer (scanned) — OCR not enabled")


def _read_page(page, doc: SourceDocument, settings: PdfSettings) -> bool:
    number = page.page_number
    if not page.chars:
        return False
    if number <= META_PAGES:
        for line in page.extract_text_lines():
            size = max((c["size"] for c in line["chars"]), default=None)
            doc.blocks.append(TextBlock(text=line["text"], page=number, size=size,
                                        top=line["top"], bottom=line["bottom"]))
    tables = [_to_table(found, number, len(doc.tables) + i) for i, found in enumerate(page.find_tables(settings.ruled))]
    if not tables and settings.borderless and looks_like_plan_header(page.extract_text()):
        tables = borderless.find_tables(page, number, len(doc.tables))
    shade_cells(tables, page.rects)
    for table in tables:
        if table.rows:
            table.index = len(doc.tables)
            table.preceding_text = _heading_above(page, table.bbox[1])
            doc.tables.append(table)
    return True


def _heading_above(page, top: float) -> str:
    """The lines just above a table, in one font size, one per line: its heading, if it has one."""
    x0, page_top, x1, _ = page.bbox          # not always at (0, 0): a cropped or offset page
    if top <= page_top + 1:
        return ""
    lines = page.crop((x0, page_top, x1, top)).extract_text_lines()
    block: list[dict] = []
    for line in reversed(lines):
        size = max((c["size"] for c in line["chars"]), default=0)
        if block and (abs(size - block[-1]["size"]) > 0.5 or block[-1]["top"] - line["bottom"] > size):
            break
        block.append({"text": line["text"], "size": size, "top": line["top"]})
        if len(block) == MAX_HEADING_LINES:
            break
    return "\n".join(b["text"] for b in reversed(block))


def _to_table(found, page_number: int, index: int) -> Table:
    texts = found.extract()
    col_x0 = sorted({round(bbox[0], 1) for row in found.rows for bbox in row.cells if bbox})
    rows: list[Row] = []
    for row, row_texts in zip(found.rows, texts):
        cells: list[Cell] = []
        for col, (bbox, text) in enumerate(zip(row.cells, row_texts)):
            if bbox is None:
                cells.append(_merged_cell(cells, col, col_x0))
            else:
                cells.append(Cell(text=_unwrap((text or "").strip()), col=col, bbox=bbox))
        if any(c.text for c in cells):
            rows.append(Row(cells=cells, page=page_number, bbox=row.bbox))
    return Table(rows=rows, index=index, page=page_number, bbox=found.bbox)


def _unwrap(text: str) -> str:
    """A word hyphenated at a line wrap is one word: ``cross-\ndirectorate`` -> ``cross-directorate``."""
    return WRAPPED_HYPHEN.sub("-", text)


def _merged_cell(cells: list[Cell], col: int, col_x0: list[float]) -> Cell:
    owner = next((c for c in reversed(cells) if c.bbox is not None), None)
    x0 = col_x0[col] if col < len(col_x0) else None
    if owner is not None and x0 is not None and owner.bbox[2] > x0 + 1:
        owner.span += 1
        return Cell(text="", col=col, span=0)
    return Cell(text="", col=col, merged_above=True)
