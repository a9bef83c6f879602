"""The one set of tolerances every PDF table finder reads.

Values are in points or in multiples of the text's own size, so they hold
for any page size and font; none is fitted to one document.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FinderSettings:
    snap: float = 3.0             # points: strokes this close are one rule (pdfplumber's default)
    min_rule: float = 3.0         # points: shorter joined strokes are not rules
    phrase_gap: float = 1.2       # font sizes: a wider gap between words separates phrases
    column_slack: float = 6.0     # points a word may start left of its column
    wrap_gap: float = 0.5         # font sizes: lines closer than this are one wrapped cell
    row_gap: float = 0.25         # font sizes: a gap this much wider than a wrapped line's starts a row
    table_end_gap: float = 4.0    # font sizes: a wider gap ends a table
    min_aligned_lines: int = 3    # lines that must share an edge for it to be a column edge
    edge_tolerance: float = 3.0   # points between edges that are one edge on a page
    carry_tolerance: float = 8.0  # points a table's columns may shift from one page to the next


DEFAULT = FinderSettings()
