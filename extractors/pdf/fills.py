"""Cell background colours on a PDF page: the smallest filled rectangle under each
cell's centre.  A RAG cell is often only a colour, so the colour is kept."""
from __future__ import annotations

from normalisers.progress import rgb_hex

from ..model import Table
from .layout import FilledRect


def shade_cells(tables: list[Table], fills: list[FilledRect]) -> None:
    if not fills:
        return
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.bbox is not None:
                    cell.fill = _fill_under(cell.bbox, fills)


def _fill_under(bbox, fills: list[FilledRect]) -> str | None:
    x = (bbox[0] + bbox[2]) / 2
    y = (bbox[1] + bbox[3]) / 2
    under = [r for r in fills if r.x0 <= x <= r.x1 and r.top <= y <= r.bottom]
    if not under:
        return None
    smallest = min(under, key=lambda r: (r.x1 - r.x0) * (r.bottom - r.top))
    return rgb_hex(smallest.fill)
