"""Headers printed on two rows: a group name spanning the columns it names.

``KPIs | RAG rating | DoT`` over ``| Latest | Previous |``: neither row says
what its columns hold (``Latest`` of what?), together they do (``RAG rating
Latest``).  The lower row is rewritten as the header the two rows make, so
the row reader sees one header row; the upper row stays, so every row keeps
its index (records point at the table's own rows).
"""
from __future__ import annotations

from dataclasses import replace

from ..model import Cell, Row
from .cells import evidence
from .headers import clean

MAX_NAME_WORDS = 4        # a sub-header under a group is a word or two (``Latest``, ``2024/25``)


def stack_header_rows(rows: list[Row]) -> list[Row]:
    """The rows, with each sub-header row under a spanning group header replaced
    by the header the two rows make together."""
    stacked = list(rows)
    for index in range(len(rows) - 1):
        if _groups(rows[index], rows[index + 1]):
            stacked[index + 1] = _combined(rows[index], rows[index + 1])
    return stacked


def _groups(upper: Row, lower: Row) -> bool:
    """``upper`` has a named cell spanning columns, and ``lower`` names at least two
    columns, all under ``upper``'s spans, in short names; elsewhere ``lower`` is
    blank or repeats ``upper`` (a cell merged down both rows)."""
    spans = [c for c in upper.cells if c.span > 1 and c.text.strip()]
    if not spans:
        return False
    under = 0
    for cell in (c for c in lower.cells if c.span > 0 and c.text.strip()):
        above = _covering(upper, cell.col)
        if above is not None and above.span > 1:
            under += 1
            if not _names_a_sub_column(cell.text):
                return False
        elif above is None or clean(above.text) != clean(cell.text):
            return False
    return under >= 2


def _covering(row: Row, col: int) -> Cell | None:
    return next((c for c in row.cells if c.span > 0 and c.col <= col < c.col + c.span), None)


def _names_a_sub_column(text: str) -> bool:
    found = evidence(clean(text))
    return 0 < len(text.split()) <= MAX_NAME_WORDS and not (found.number or found.verb_led or found.owner)


def _combined(upper: Row, lower: Row) -> Row:
    cells = []
    for cell in lower.cells:
        above = _covering(upper, cell.col)
        top = clean(above.text) if above is not None else ""
        bottom = clean(cell.text)
        text = f"{top} {bottom}".strip() if above is not None and above.span > 1 else (top or bottom)
        cells.append(replace(cell, text=text))
    return replace(lower, cells=cells, is_header=True)
