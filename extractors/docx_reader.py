"""DOCX -> SourceDocument with python-docx.

Paragraphs and tables are read in document order; merged cells are expanded
so every grid position exists but each logical cell carries its text once:
a horizontal span keeps the text in its first column (``span`` > 1), a
vertical continuation (vMerge) is marked ``merged_above`` with empty text.
"""
from __future__ import annotations

import docx
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .model import DOCX_MEDIA_TYPE, Cell, Row, SourceDocument, Table, TextBlock

PRECEDING_PARAGRAPHS = 3    # kept before each table: its heading is among them
RENDERED_BREAK = qn("w:lastRenderedPageBreak")
TEXT = qn("w:t")


def read_docx(path: str) -> SourceDocument:
    document = docx.Document(path)
    doc = SourceDocument(path=str(path), media_type=DOCX_MEDIA_TYPE, pages=None)
    pages = PageCounter.of(document.element.body)
    recent: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            page = pages.advance([item._p])
            text = item.text.strip()
            if text:
                doc.blocks.append(TextBlock(text=text, style=item.style.name if item.style else None, page=page))
                recent = [*recent, text][-PRECEDING_PARAGRAPHS:]
        elif isinstance(item, DocxTable):
            doc.tables.append(_read_table(item, len(doc.tables), "\n".join(recent), pages))
    return doc


class PageCounter:
    """Pages from the breaks Word stored: ``w:lastRenderedPageBreak`` where Word laid
    the document out (it also marks the page after a hard break, so then it alone
    counts), else hard ``w:br w:type="page"`` breaks.  Neither: no pages (``None``)."""

    def __init__(self, tag: str | None) -> None:
        self.tag, self.page = tag, 1

    @classmethod
    def of(cls, body) -> "PageCounter":
        if next(body.iter(RENDERED_BREAK), None) is not None:
            return cls(RENDERED_BREAK)
        has_hard = any(br.get(qn("w:type")) == "page" for br in body.iter(qn("w:br")))
        return cls(qn("w:br") if has_hard else None)

    def advance(self, parts: list) -> int | None:
        """The page where the first of ``parts`` (side by side, e.g. a row's cells)
        starts; then move past the most breaks any one of them holds."""
        if self.tag is None:
            return None
        counts = [self._breaks(part) for part in parts]
        with_text = [before for before, _, has_text in counts if has_text] or [0]
        start = self.page + min(with_text)
        self.page += max((total for _, total, _ in counts), default=0)
        return start

    def _breaks(self, element) -> tuple[int, int, bool]:
        """(breaks before the first text, all breaks, whether it has text)."""
        before = total = 0
        seen_text = False
        for node in element.iter(self.tag, TEXT):
            if node.tag == TEXT:
                seen_text = seen_text or bool((node.text or "").strip())
            elif self.tag != qn("w:br") or node.get(qn("w:type")) == "page":
                total += 1
                before += not seen_text
        return before, total, seen_text


def _read_table(table: DocxTable, index: int, preceding: str, pages: PageCounter) -> Table:
    rows: list[Row] = []
    above: list[object] = []
    for row in table.rows:
        page = pages.advance(list(row._tr.tc_lst))
        cells = list(row.cells)
        logical: list[Cell] = []
        owner: Cell | None = None
        previous_tc = None
        for col, cell in enumerate(cells):
            tc = cell._tc
            if tc is previous_tc and owner is not None:    # horizontal span: already emitted
                owner.span += 1
                logical.append(Cell(text="", col=col, span=0, merged_above=owner.merged_above))
                continue
            previous_tc = tc
            merged = col < len(above) and above[col] is tc
            owner = Cell(text="" if merged else _cell_text(cell), col=col, merged_above=merged, fill=_shading(tc))
            logical.append(owner)
        above = [c._tc for c in cells]
        rows.append(Row(cells=logical, page=page, is_header=_is_repeating_header(row)))
    return Table(rows=rows, index=index, preceding_text=preceding, page=rows[0].page if rows else None)


def _cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs).strip()


def _shading(tc) -> str | None:
    """The cell's background fill (``w:shd w:fill``), ``#RRGGBB``; ``auto`` is none."""
    shd = tc.tcPr.find(qn("w:shd")) if tc.tcPr is not None else None
    fill = shd.get(qn("w:fill")) if shd is not None else None
    return f"#{fill.upper()}" if fill and len(fill) == 6 and fill.lower() != "auto" else None


def _is_repeating_header(row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
