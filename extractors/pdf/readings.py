"""Several readings of a page, the one whose rows read best as plan records kept.

Each finder gives its own reading of a page: the grid of ruling segments,
columns by alignment with rows at rules, and columns by alignment with rows
by spacing alone.  Each reading is interpreted after the table the previous
page ended on (a continuation reads only with its header), and scored by the
column-role scorer.  On a tie the earlier finder wins, so a page the grid
reads well is never read another way.
"""
from __future__ import annotations

import copy

from ..interpret import interpret_tables
from ..interpret.cells import evidence
from ..interpret.headers import looks_like_plan_header
from ..model import RawAction, Table
from .aligned import find_aligned
from .layout import PageLayout, text_of
from .ruled import find_ruled
from .settings import FinderSettings
from .stitch import stitch_tables

GRID_SHARE = 0.8     # of a page's words inside ruled tables: the grid is the page's table


def read_page_tables(layout: PageLayout, previous: Table | None, settings: FinderSettings,
                     align: bool = True) -> list[Table]:
    """The best reading of one page; ``previous`` is the last table of the page before.
    Alignment is read where the grid reads no records, where the page names plan
    columns, or where the previous page's table may carry on; readings are only
    scored when there is a choice to make."""
    ruled = find_ruled(layout, settings)
    carry = column_starts(previous)
    if not align or not layout.words or _grid_holds_page(ruled, layout):
        return ruled
    context = [previous] if previous is not None else []
    ruled_score = None
    if ruled and not (carry or looks_like_plan_header(text_of(layout.words))):
        ruled_score = _records_score(context + ruled)
        if ruled_score > (_records_score(context) if context else 0.0):
            return ruled             # the grid reads records and nothing asks for another look
    readings = _distinct([find_aligned(layout, settings, use_rules=True, carry=carry),
                          find_aligned(layout, settings, use_rules=False, carry=carry)])
    if not readings:
        return ruled
    if ruled_score is None:
        ruled_score = _records_score(context + ruled) if ruled else (_records_score(context) if context else 0.0)
    scores = [_records_score(context + tables) for tables in readings]
    best = max(range(len(readings)), key=scores.__getitem__)
    return readings[best] if scores[best] > ruled_score else ruled


def _grid_holds_page(tables: list[Table], layout: PageLayout) -> bool:
    """The grid holds nearly every word: there is nothing left for alignment to read."""
    inside = sum(any(t.bbox[0] <= (w.x0 + w.x1) / 2 <= t.bbox[2] and t.bbox[1] <= (w.top + w.bottom) / 2 <= t.bbox[3]
                     for t in tables) for w in layout.words)
    return inside >= GRID_SHARE * len(layout.words)


def _distinct(readings: list[list[Table]]) -> list[list[Table]]:
    """Non-empty readings, each once: both alignment readings often agree."""
    seen, kept = set(), []
    for tables in readings:
        key = tuple(tuple(c.text for c in row.cells) for t in tables for row in t.rows)
        if tables and key not in seen:
            seen.add(key)
            kept.append(tables)
    return kept


def column_starts(table: Table | None) -> list[float] | None:
    """Where the columns of a table's last row start, to look for them on the next page."""
    if table is None or not table.rows:
        return None
    starts = sorted({c.bbox[0] for c in table.rows[-1].cells if c.bbox})
    return starts if len(starts) > 1 else None


def reading_score(previous: Table | None, tables: list[Table]) -> float:
    """How well a reading's rows read as plan records, after the previous page's table.

    The records are the interpreter's (roles from the column-role scorer); each
    scores the share of its plan cells that the scorer's cell evidence reads as
    their role (a ref, a date or timescale, owners and little else), so rows cut
    from a header or a paragraph add nothing and rows run together read as one
    poor record; minus what the previous table alone gives.  (The scorer's
    per-table ``reading_score`` assumes one header on top; plan tables here
    hold several, so records are scored instead.)"""
    context = [previous] if previous is not None else []
    return _records_score(context + tables) - (_records_score(context) if context else 0.0)


def _records_score(tables: list[Table]) -> float:
    found = interpret_tables(stitch_tables(copy.deepcopy(tables)))
    return sum(map(_action_score, found.actions)) + sum(bool(k.targets) for k in found.kpis)


def _action_score(action: RawAction) -> float:
    """The share of a record's ref, date and owner cells that the scorer's cell
    evidence reads as one value of that role.  One cell may hold both the date and
    the owner (``March 2012 Mike Galikowski``), and an owner may close a sentence
    (``Ongoing - discussed at team meetings Ruth Tykiff``): each counts for its role."""
    due, owner = evidence(action.due_raw or ""), evidence(action.officers_raw or "")
    checks = [evidence(action.ref or "").ref, due.when or due.dated_owner,
              owner.owner or owner.dated_owner or owner.owner_after]
    return sum(checks) / len(checks)
