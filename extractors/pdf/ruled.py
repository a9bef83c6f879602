"""Tables drawn as grids: cells from the crossings of ruling segments.

pdfplumber's own grid functions build the cells from the page layout's
segments, so a grid found in an image (OCR) is read the same way as one
drawn in the PDF.  A cell's text is the words whose centre lies inside it.
A ``None`` cell in pdfplumber's rows is a merge: horizontal when the cell to
its left reaches over it, else vertical.
"""
from __future__ import annotations

import re

from pdfplumber.table import Table as GridTable
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import filter_edges

from ..model import Cell, Row, Table
from .layout import PageLayout, Segment, text_of
from .settings import DEFAULT, FinderSettings

WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-\n(?=[A-Za-z0-9])")
# a number broken over a narrow cell's lines: "1\n0." is 10.
WRAPPED_NUMBER = re.compile(r"^(\d)\n(\d\.?)(?=\n|$)")


def find_ruled(layout: PageLayout, settings: FinderSettings = DEFAULT) -> list[Table]:
    cells = segments_to_cells(layout, settings)
    return [grid_to_table(GridTable(None, group), layout) for group in cells_to_tables(cells)]


def segments_to_cells(layout: PageLayout, settings: FinderSettings) -> list[tuple]:
    edges = [_edge(s, "h") for s in layout.horizontals] + [_edge(s, "v") for s in layout.verticals]
    edges = merge_edges(edges, settings.snap, settings.snap, settings.snap, settings.snap)
    edges = filter_edges(edges, min_length=settings.min_rule)
    return intersections_to_cells(edges_to_intersections(edges, settings.snap, settings.snap))


def _edge(segment: Segment, orientation: str) -> dict:
    return {"x0": segment.x0, "x1": segment.x1, "top": segment.top, "bottom": segment.bottom,
            "width": segment.x1 - segment.x0, "height": segment.bottom - segment.top,
            "orientation": orientation}


def grid_to_table(grid: GridTable, layout: PageLayout) -> Table:
    col_x0 = sorted({round(bbox[0], 1) for row in grid.rows for bbox in row.cells if bbox})
    rows: list[Row] = []
    for row in grid.rows:
        cells: list[Cell] = []
        for col, bbox in enumerate(row.cells):
            if bbox is None:
                cells.append(_merged_cell(cells, col, col_x0))
            else:
                cells.append(Cell(text=unwrap(text_of(layout.words_in(*bbox))), col=col, bbox=bbox))
        if any(c.text for c in cells):
            rows.append(Row(cells=cells, page=layout.page_number, bbox=row.bbox))
    return Table(rows=rows, page=layout.page_number, bbox=grid.bbox)


def unwrap(text: str) -> str:
    """A word hyphenated at a line wrap is one word: ``cross-\\ndirectorate`` -> ``cross-directorate``;
    a cell opening with a number cut by the wrap keeps it whole: ``1\\n0.`` -> ``10.``."""
    return WRAPPED_NUMBER.sub(r"\1\2", WRAPPED_HYPHEN.sub("-", text.strip()))


def _merged_cell(cells: list[Cell], col: int, col_x0: list[float]) -> Cell:
    owner = next((c for c in reversed(cells) if c.bbox is not None), None)
    x0 = col_x0[col] if col < len(col_x0) else None
    if owner is not None and x0 is not None and owner.bbox[2] > x0 + 1:
        owner.span += 1
        return Cell(text="", col=col, span=0)
    return Cell(text="", col=col, merged_above=True)
