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

from .model import Cell, Row, SourceDocument, Table, TextBlock

PRECEDING_PARAGRAPHS = 3    # kept before each table: its heading is among them
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(path: str) -> SourceDocument:
    document = docx.Document(path)
    doc = SourceDocument(path=str(path), media_type=DOCX_MEDIA_TYPE, pages=None)
    recent: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if text:
                doc.blocks.append(TextBlock(text=text, style=item.style.name if item.style else None))
                recent = [*recent, text][-PRECEDING_PARAGRAPHS:]
        elif isinstance(item, DocxTable):
            doc.tables.append(_read_table(item, len(doc.tables), "\n".join(recent)))
    return doc


def _read_table(table: DocxTable, index: int, preceding: str) -> Table:
    rows: list[Row] = []
    above: list[object] = []
    for row in table.rows:
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
        rows.append(Row(cells=logical, is_header=_is_repeating_header(row)))
    return Table(rows=rows, index=index, preceding_text=preceding)


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
