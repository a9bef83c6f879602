"""Warnings where something looked like a plan but gave few or no records.

A document that yields nothing is otherwise indistinguishable from a report
with no plan; these notes say where to look: a table whose header reads as a
plan but gave no rows, or a page full of dates that no table took in.
"""
from __future__ import annotations

from .interpret.headers import PLAN_ROLES, RECORD_ROLES, classify_header
from .interpret import Interpretation, is_header_row
from .model import Row, SourceDocument, Table

MIN_LOOSE_DATES = 5      # date-like lines outside tables on a page worth a note


def plan_warnings(doc: SourceDocument, tables: list[Table], found: Interpretation) -> list[str]:
    return _empty_plan_tables(tables, found) + _loose_dates(doc, found)


def _empty_plan_tables(tables: list[Table], found: Interpretation) -> list[str]:
    read = {r.table_index for r in [*found.actions, *found.kpis]}
    return [f"{_where(t)}: a table whose header reads as a plan gave 0 rows"
            for t in tables if t.index not in read and any(_plan_header(r) for r in t.rows)]


def _plan_header(row: Row) -> bool:
    roles = {classify_header(c.text) for c in row.cells if c.text.strip()}
    return bool(roles & RECORD_ROLES and roles & PLAN_ROLES) and is_header_row(row)


def _loose_dates(doc: SourceDocument, found: Interpretation) -> list[str]:
    pages = {r.page for r in found.actions}
    return [f"page {page}: {count} date-like lines outside any table"
            for page, count in sorted(doc.loose_dates.items()) if count >= MIN_LOOSE_DATES and page not in pages]


def _where(table: Table) -> str:
    return f"page {table.page}" if table.page is not None else f"table {table.index + 1}"
