"""PDF -> SourceDocument with pdfium and pdfplumber.

A page screen on pdfium (`screen`) first picks the pages that can hold a
plan; only those become a `PageLayout` that the table finders read
(`readings` keeps the reading whose rows read best as plan records), and the
page after a read page whose table is the last thing on it is read too, when
that table is part of a plan.  A page's characters and paths come from
pdfium where it gives them as pdfplumber would (`pages`).  Every cell
keeps its page and bbox.  Title, council and date come from pdfium's text of
the opening pages, whichever pages are read.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from normalisers.dates import find_months

from ..errors import UnreadableFile
from ..interpret import TableColumns, interpret_tables, is_header_row
from ..interpret.headers import RECORD_ROLES, classify_header
from ..model import PDF_MEDIA_TYPE, SourceDocument, Table, TextBlock
from ..ocr import OcrSettings, Scans
from ..ocr.settings import timeout_pages
from .fills import shade_cells
from .layout import Line, PageLayout, layout_from_page
from .pages import PageSource
from .readings import read_page_tables
from .running import RunningLines
from .screen import ALL_PAGES, CONTINUES, rules as screen_rules, screen_pdf
from .settings import DEFAULT, FinderSettings
from .stitch import stitch_tables

META_PAGES = 3          # pages whose lines are kept for title/council/date
MAX_HEADING_LINES = 3   # a table's heading wraps over a few lines at most


@dataclass(frozen=True)
class PdfSettings:
    finder: FinderSettings = DEFAULT
    aligned: bool = True           # also read tables whose columns are implied by alignment
    ocr: OcrSettings = OcrSettings()   # pages with no usable text layer are read from their image
    screen: bool = True            # read only the pages the screen finds plan evidence on
    pdfium: bool = True            # characters and paths from pdfium; False: every page through pdfplumber

    @classmethod
    def default(cls) -> "PdfSettings":
        return cls()


class TooManyPages(UnreadableFile):
    def __init__(self, pages: int, limit: int) -> None:
        super().__init__(f"too many pages ({pages} > {limit}); raise --max-pages to read it")


def read_pdf(path: str, settings: PdfSettings | None = None, max_pages: int | None = None,
             on_pages: Callable[[int], None] | None = None) -> SourceDocument:
    """``on_pages`` hears the file's length as the timeout rule counts it, again each time
    a page turns out to need OCR."""
    settings = settings or PdfSettings.default()
    if max_pages:
        count = _page_count(path)
        if count > max_pages:
            raise TooManyPages(count, max_pages)
    screen = screen_pdf(str(path), meta_pages=META_PAGES)
    if settings.screen and screen.pages and not any(p.reason for p in screen.pages):
        # no page to read (most committee papers): no page's objects are built
        return SourceDocument(path=str(path), media_type=PDF_MEDIA_TYPE, pages=len(screen.pages),
                              blocks=list(screen.blocks), pages_read=[],
                              pages_screened_out=[p.page_number for p in screen.pages])
    with PageSource(str(path), settings.pdfium) as pages, Scans(str(path), settings.ocr) as scans:
        doc = SourceDocument(path=str(path), media_type=PDF_MEDIA_TYPE, pages=pages.count,
                             blocks=list(screen.blocks), pages_read=[], pages_screened_out=[])
        has_text = False
        running = RunningLines()
        continues = False
        for number in range(1, pages.count + 1):
            reason = ALL_PAGES if not settings.screen else screen.reason(number) or (
                CONTINUES if continues else None)
            if reason is None:
                doc.pages_screened_out.append(number)
                continue
            doc.pages_read.append(number)
            page = pages.page(number)
            layout = _read_page(page, doc, settings, scans, running)
            has_text = has_text or layout is not None
            continues = (settings.screen and number < pages.count and layout is not None
                         and screen.reason(number + 1) is None     # else it is read anyway
                         and _runs_to_foot(layout, doc) and _plan_at_foot(doc, number))
            if on_pages and number in doc.ocr_words:
                on_pages(timeout_pages(pages.count, len(doc.ocr_words)))
            pages.release(page)
    if doc.pages and not has_text and not doc.pages_screened_out:
        raise NoTextLayer(settings.ocr.enabled)
    doc.blocks.sort(key=lambda block: block.page or 0)     # OCR'd opening pages among pdfium's
    return doc


def _runs_to_foot(layout: PageLayout, doc: SourceDocument) -> bool:
    """A table of this page with at most a footer's lines below it may carry on overleaf.
    How low it ends says nothing: Word moves a row that does not fit to the next page
    whole, leaving the rest of the page blank."""
    limits = screen_rules().limits
    tables = [t for t in doc.tables if t.page == layout.page_number]
    if not tables:
        return False
    bottom = max(t.bbox[3] for t in tables)
    below = [line for line in layout.lines() if line.top > bottom]
    return len(below) <= limits.foot_lines


def _plan_at_foot(doc: SourceDocument, page_number: int) -> bool:
    """The table at the page's foot is part of a plan: it ends on a header row (its body
    is overleaf), or the tables read so far, stitched and interpreted as the whole
    document will be, give records from the table this page ends in or read it as
    actions or measures.  A budget or statistics grid that runs from page to page does
    neither, so the pages it runs on are not read for it (on the Kent committee papers
    this rule read 160 pages of budget templates and risk registers, now 29)."""
    on_page = [t for t in doc.tables if t.page == page_number]
    foot = max(on_page, key=lambda t: t.bbox[3])
    if foot.rows and is_header_row(foot.rows[-1]):
        return True
    tables = copy.deepcopy(doc.tables)        # stitching joins rows in place: the document's stay as read
    rows = {id(row) for row in tables[next(i for i, t in enumerate(doc.tables) if t is foot)].rows}
    stitched = stitch_tables(tables, is_header=is_header_row)
    found = interpret_tables(stitched)
    planned = {r.table_index for r in [*found.actions, *found.kpis]} | {
        block.table_index for block in found.columns if _reads_as_plan(block)}
    holding = [t for t in stitched if any(id(row) in rows for row in t.rows)]
    # a one-row piece merged into the row above it has left no row of its own: read on
    return not holding or any(t.index in planned for t in holding)


def _reads_as_plan(block: TableColumns) -> bool:
    """The interpreter reads the block's rows, or the column scorer reads it as actions or
    measures, or its header names an action or measure column (``Measure | Activity``),
    whatever the interpreter then keeps: the screen must not depend on today's reading
    of a plan.  Not a grid the interpreter vetoes (``£000s``, ``Residual risk``) nor
    one read as actions with no header and no owner and date columns: budget and
    statistics grids run from page to page, and their pages are not read for them."""
    assignment = block.assignment
    if block.read:
        return True
    if block.vetoed or not assignment.has_header:
        return False
    return assignment.kind in ("action", "kpi") or any(
        c.header_raw and classify_header(c.header_raw) in RECORD_ROLES for c in assignment.columns)


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
    def __init__(self, ocr_enabled: bool = False) -> None:
        super().__init__("no text on any page: nothing printed or drawn" if ocr_enabled
                         else "no text layer (scanned) — OCR not enabled")


def _read_page(page, doc: SourceDocument, settings: PdfSettings, scans: Scans,
               running: RunningLines) -> PageLayout | None:
    """A page whose text layer is missing or unusable is read from its image, when OCR is on."""
    layout = layout_from_page(page) if page.chars else None
    if scans.needs_ocr(page, [w.text for w in layout.words] if layout else []):
        layout = scans.layout(page)
        doc.ocr_words[layout.page_number] = layout.words
    if layout is None:
        return None
    if layout.page_number <= META_PAGES and not any(b.page == layout.page_number for b in doc.blocks):
        # pdfium gave no lines here (a scan, or a file it could not open): the layout's, for the metadata
        doc.blocks += [TextBlock(text=line.text, page=layout.page_number, size=line.size,
                                 top=line.top, bottom=line.bottom) for line in layout.lines()]
    add_page_tables(running.strip(layout), doc, settings)
    return layout


def add_page_tables(layout: PageLayout, doc: SourceDocument, settings: PdfSettings) -> None:
    """The tables of the page's best reading, each with the heading above it."""
    previous = doc.tables[-1] if doc.tables and doc.tables[-1].page == layout.page_number - 1 else None
    tables = [t for t in read_page_tables(layout, previous, settings.finder, align=settings.aligned) if t.rows]
    shade_cells(tables, layout.fills)
    for table in tables:
        table.index = len(doc.tables)
        table.preceding_text = _heading_above(layout, table.bbox[1])
        doc.tables.append(table)
    loose = [line for line in layout.lines() if find_months(line.text) and not _inside(line, tables)]
    if loose:
        doc.loose_dates[layout.page_number] = len(loose)


def _inside(line: Line, tables: list[Table]) -> bool:
    return any(t.bbox[1] - 1 <= line.top and line.bottom <= t.bbox[3] + 1 for t in tables)


def _heading_above(layout: PageLayout, top: float) -> str:
    """The lines just above a table, in one font size, one per line: its heading, if it has one."""
    lines = [line for line in layout.lines() if line.bottom <= top]
    block: list = []
    for line in reversed(lines):
        if block and (abs(line.size - block[-1].size) > 0.5 or block[-1].top - line.bottom > line.size):
            break
        block.append(line)
        if len(block) == MAX_HEADING_LINES:
            break
    return "\n".join(line.text for line in reversed(block))
