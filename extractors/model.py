"""Typed records passed between extraction stages.

A reader turns a file into a `SourceDocument`: text blocks and `Table`s whose
every `Cell` knows its page, bbox, table, row and column.  The interpreter
turns tables into `RawAction` / `RawKpi` records, still holding the text as
printed; normalisers work on those later.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


BBox = tuple[float, float, float, float]
PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Cell:
    text: str
    col: int
    span: int = 1                 # columns this logical cell covers
    merged_above: bool = False    # vertical continuation of the cell above
    bbox: BBox | None = None
    fill: str | None = None       # background colour "#RRGGBB" where the cell is shaded


@dataclass
class Row:
    cells: list[Cell]
    page: int | None = None
    bbox: BBox | None = None
    is_header: bool = False       # marked as a repeating header by the source
    split_across_pages: bool = False   # joined from the end of one page and the top of the next



@dataclass
class Table:
    rows: list[Row]
    index: int = 0
    page: int | None = None
    bbox: BBox | None = None
    preceding_text: str = ""      # the lines just before the table, one per line


@dataclass
class TextBlock:
    text: str
    page: int | None = None
    style: str | None = None      # DOCX paragraph style, e.g. "Heading 1"
    size: float | None = None     # PDF font size of the line
    top: float | None = None      # PDF line position, to tell a wrapped line from the next heading
    bottom: float | None = None


@dataclass
class SourceDocument:
    path: str
    media_type: str
    pages: int | None
    blocks: list[TextBlock] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    loose_dates: dict[int, int] = field(default_factory=dict)   # page -> date-like lines outside tables (PDF)
    ocr_words: dict[int, list] = field(default_factory=dict)   # OCR'd page -> its words, with confidences
    pages_read: list[int] | None = None          # PDF pages pdfplumber read (the page screen's choice)
    pages_screened_out: list[int] | None = None  # PDF pages the screen found no plan evidence on

    @property
    def ocr(self) -> bool:
        return bool(self.ocr_words)


@dataclass
class RawAction:
    action: str
    ref: str | None
    section: str | None
    objective_ref: str | None
    objective: str | None
    outcome: str | None
    progress: str | None
    start_raw: str | None
    due_raw: str | None
    officers_raw: str | None
    divisions_raw: str | None
    page: int | None
    table_index: int
    row_index: int
    bbox: BBox | None = None        # where the row sits on its page (PDF)
    has_start_column: bool = False
    officers_in_due: bool = False   # the due cell also names the owner (template "date and lead officer")
    sub_index: int = 0              # the lettered sub-item of its row (1, 2 ...), 0 for a whole row
    status_raw: str | None = None   # a status / RAG column's cell as printed
    status_fill: str | None = None  # the status (else progress) cell's fill colour
    split_across_pages: bool = False
    roles_from_content: tuple[str, ...] = ()   # roles of the row's columns decided from cells, not headers


@dataclass
class RawKpi:
    measure: str
    ref: str | None
    objective_ref: str | None
    targets: dict[str, str]          # period as printed in header -> cell text
    officers_raw: str | None
    page: int | None
    table_index: int
    row_index: int
    baseline_raw: str | None = None  # a Baseline cell
    target_raw: str | None = None    # a Target cell with no period in its header
    period_raw: str | None = None    # the row's By when cell: the target's period
    split_across_pages: bool = False
    roles_from_content: tuple[str, ...] = ()
    status_raw: str | None = None    # a Status / RAG cell, and its fill where shaded
    status_fill: str | None = None
    previous_status_raw: str | None = None     # the rating at the last report ("Previous")
    previous_status_fill: str | None = None


@dataclass
class DocumentMeta:
    council: str | None
    title: str | None
    report_date: date | None
