"""Table rows -> RawAction / RawKpi records, by what the headers mean.

The interpreter walks every row of every table with a small state: the
section heading in force, the objective in force, and the column map of the
last header row.  A header row is a row whose cells mostly name known column
roles (``headers.toml``); it may appear anywhere, any number of times, so
repeated headers and several plans in one table need no special case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .headers import (PLAN_ROLES, RECORD_ROLES, Lexicon, classify_wrapped_header, clean, load_lexicon,
                      matches_any, target_period)
from .model import RawAction, RawKpi, Row, Table
from normalisers.dates import find_months
from normalisers.officers import split_officers

MAX_HEADER_CHARS = 250
MAX_LEAD_CHARS = 80           # a lead officer cell beside a heading is a name or two
MIN_ACTION_WORDS = 2          # figures and codes in an action column are not actions
WORD = re.compile(r"[A-Za-z]{2,}")

ENUMERATOR = re.compile(r"^\s*(?:\(([a-z]|\d{1,2})\)|([a-z])[.)])\s+", re.IGNORECASE)
OBJECTIVE_REF = re.compile(r"^((?:[A-Z][A-Za-z&]*\s*)*Ob(?:jective)?\.?\s*\d+[a-z]?|\d+(?:\.\d+)*)[.:]?\s+(.*)$", re.S)
# Body cells begin with a ref or enumerator, or hold a date; header cells never do.
BODY_START = re.compile(r"^(\(?\d+[a-z]?[.)](\s|$)|[a-z][.)](\s|$)|\d+(\.\d+)+\b|\d+$|[A-Z&]+\s*Ob\.?\s*\d)")
TRAILING_BRACKETS = re.compile(r"\(([^()]*)\)\s*[.;]?\s*$")
# A bare owner name closing the action text: "... young people Akua Agyepong", "... schools. Ian McGuff"
_NAME_PART = r"[A-Z][a-z'’]+(?:\s*-\s*[A-Z][a-z'’]+)?"
TRAILING_NAME = re.compile(
    rf"(?<=[a-z.;,)])\s+((?:(?:Mrs?|Ms|Dr|Miss)\.?\s+)?(?:{_NAME_PART}|[A-Z]\.?)\s+(?:Mc\s?|Mac\s|O')?{_NAME_PART})\s*$")


@dataclass
class Columns:
    kind: str                                  # "action", "kpi" or "objective"
    roles: dict[int, str]
    periods: dict[int, str] = field(default_factory=dict)
    vetoed: bool = False
    headers: frozenset[str] = frozenset()     # the header texts, to recognise a repeat

    def cols(self, role: str) -> list[int]:
        return [c for c, r in self.roles.items() if r == role]


@dataclass
class State:
    section: str | None = None
    objective_ref: str | None = None
    objective: str | None = None
    columns: Columns | None = None
    leads: list[str] = field(default_factory=list)   # owners named beside headings and objectives


@dataclass
class Interpretation:
    actions: list[RawAction]
    kpis: list[RawKpi]
    leads: list[str]


def interpret_tables(tables: list[Table], lexicon: Lexicon | None = None) -> Interpretation:
    lexicon = lexicon or load_lexicon()
    actions: list[RawAction] = []
    kpis: list[RawKpi] = []
    state = State()
    for table in tables:
        state.columns = None
        rows = fill_down(table.rows)
        for row_index, row in enumerate(rows):
            _read_row(row, row_index, table, state, lexicon, actions, kpis)
    return Interpretation(actions, kpis, list(dict.fromkeys(state.leads)))


def fill_down(rows: list[Row]) -> list[Row]:
    """Give a vertically merged cell the text of the cell it continues."""
    previous: list[str] = []
    for row in rows:
        for cell in row.cells:
            if cell.merged_above and cell.col < len(previous):
                cell.text = previous[cell.col]
        previous = [c.text for c in row.cells]
    return rows


def _read_row(row, row_index, table, state, lexicon, actions, kpis) -> None:
    distinct = [c for c in row.cells if c.text.strip() and c.span > 0]
    if not distinct:
        return
    first = clean(distinct[0].text)
    if matches_any(first, lexicon.section) and _is_context_row(row, distinct):
        state.section, state.objective_ref, state.objective = first, None, None
        _note_lead(distinct, state)
        return
    columns = _header_columns(row, lexicon)
    if columns is not None:          # a header may begin with a skip word ("Lead officer | Action | ...")
        state.columns = columns
        return
    if matches_any(first, lexicon.skip):
        _note_lead(distinct, state)
        return
    columns = state.columns
    if columns is None or columns.vetoed or _is_full_width(row, distinct):
        return
    if columns.kind == "objective":
        _read_objective(row, columns, state)
        state.leads += [t for t in [_text(row, columns, "officer")] if t]
    elif columns.kind == "action":
        _read_objective(row, columns, state)
        action = _read_action(row, row_index, table, columns, state)
        if action is not None:
            actions.append(action)
    elif columns.kind == "kpi":
        kpi = _read_kpi(row, row_index, table, columns, state)
        if kpi is not None:
            kpis.append(kpi)


def _note_lead(distinct, state: State) -> None:
    """``Aim: ... | Cindy Peek``: a short cell beside a heading names the lead officer."""
    if len(distinct) == 2 and len(distinct[1].text) <= MAX_LEAD_CHARS:
        owners = split_officers(distinct[1].text)
        if owners and all(o.kind == "person" for o in owners):
            state.leads.append(clean(distinct[1].text))


def _is_full_width(row: Row, distinct) -> bool:
    return len(distinct) == 1 and distinct[0].span >= max(2, len(row.cells) - 1)


def _is_context_row(row: Row, distinct) -> bool:
    """Headings sit alone in their row, or beside a short label such as a lead officer."""
    return len(distinct) <= 2 or distinct[0].span > 1


# -- headers -----------------------------------------------------------------

def is_header_row(row: Row) -> bool:
    return _header_columns(row, load_lexicon()) is not None


def _header_columns(row: Row, lexicon: Lexicon) -> Columns | None:
    cells = [c for c in row.cells if c.span > 0]
    named = [(c, classify_wrapped_header(c.text, lexicon)) for c in cells if c.text.strip()]
    known = [(c, r) for c, r in named if r is not None]
    if len(known) < 2 or len(known) * 2 < len(named) or any(_looks_like_body(c.text) for c, _ in named):
        return None
    roles: dict[int, str] = {}
    periods: dict[int, str] = {}
    for cell, role in known:
        for col in range(cell.col, cell.col + cell.span):
            roles[col] = role
        if role == "kpi_target":
            periods[cell.col] = target_period(cell.text) or clean(cell.text)
    _resolve_spanned_objective(cells, roles)
    if row.cells and not row.cells[0].text.strip() and 0 not in roles:
        roles[0] = "ref"
    present = set(roles.values())
    if present & RECORD_ROLES and (present & PLAN_ROLES or "kpi_target" in present):
        kind = "kpi" if "kpi_measure" in present else "action"
    elif "objective" in present:
        kind = "objective"
    else:
        return None
    _ref_left_of_objective(roles, kind)
    vetoed = any(matches_any(c.text, lexicon.veto) for c in cells if c.text.strip())
    return Columns(kind=kind, roles=roles, periods=periods, vetoed=vetoed,
                   headers=frozenset(clean(c.text).lower() for c, _ in named))


def _looks_like_body(text: str) -> bool:
    text = clean(text)
    return bool(BODY_START.match(text)) or bool(find_months(text)) or len(text) > MAX_HEADER_CHARS


def _resolve_spanned_objective(cells, roles: dict[int, str]) -> None:
    """One header over an element and its sub-actions (``Equality Standard``
    spanning two columns): the last column holds the actions."""
    if any(r in RECORD_ROLES for r in roles.values()):
        return
    for cell in cells:
        if cell.span > 1 and roles.get(cell.col) == "objective":
            roles[cell.col + cell.span - 1] = "action"


def _ref_left_of_objective(roles: dict[int, str], kind: str) -> None:
    objective_cols = [c for c, r in roles.items() if r == "objective"]
    if not objective_cols:
        return
    for col, role in roles.items():
        if role == "ref" and (kind == "objective" or col < min(objective_cols)):
            roles[col] = "objective_ref"


# -- records -----------------------------------------------------------------

def _text(row: Row, columns: Columns, role: str) -> str | None:
    parts = [row.cells[c].text.strip() for c in sorted(columns.cols(role)) if c < len(row.cells)]
    parts = list(dict.fromkeys(p for p in parts if p))
    return "\n".join(parts) if parts else None


def _fill(row: Row, columns: Columns, role: str) -> str | None:
    return next((row.cells[c].fill for c in sorted(columns.cols(role)) if c < len(row.cells) and row.cells[c].fill), None)


def _read_objective(row: Row, columns: Columns, state: State) -> None:
    objective = _text(row, columns, "objective")
    ref = _text(row, columns, "objective_ref")
    if objective is None and ref is None:
        return
    if objective and ref is None:
        match = OBJECTIVE_REF.match(clean(objective))
        if match:
            ref, objective = match.group(1), match.group(2)
    state.objective_ref = clean(ref) if ref else None
    state.objective = clean(objective) if objective else None


def _read_action(row, row_index, table, columns: Columns, state: State) -> RawAction | None:
    combined = _text(row, columns, "action_officer")
    text = combined or _text(row, columns, "action")
    if not text or clean(text).lower() in columns.headers or len(WORD.findall(text)) < MIN_ACTION_WORDS:
        return None
    officers_raw = _text(row, columns, "officer")
    if combined:
        text, officers_raw = split_trailing_officer(text)
    due_officer = _text(row, columns, "due_officer")
    ref = _text(row, columns, "ref")
    text, ref = strip_enumerator(clean(text), clean_ref(ref))
    return RawAction(
        action=text, ref=ref, section=state.section or state.objective,
        objective_ref=state.objective_ref, objective=state.objective,
        outcome=_text(row, columns, "outcome"), progress=_text(row, columns, "progress"),
        start_raw=_text(row, columns, "start"),
        due_raw=due_officer or _text(row, columns, "due"),
        officers_raw=due_officer or officers_raw,
        divisions_raw=_text(row, columns, "division"),
        page=row.page, table_index=table.index, row_index=row_index, bbox=row.bbox,
        has_start_column=bool(columns.cols("start")),
        officers_in_due=due_officer is not None,
        status_raw=_text(row, columns, "status"),
        status_fill=_fill(row, columns, "status") or _fill(row, columns, "progress"),
        split_across_pages=row.split_across_pages,
    )


def _read_kpi(row, row_index, table, columns: Columns, state: State) -> RawKpi | None:
    measure = _text(row, columns, "kpi_measure")
    if not measure:
        return None
    targets = {period: clean(row.cells[col].text) for col, period in columns.periods.items()
               if col < len(row.cells) and row.cells[col].text.strip()}
    return RawKpi(measure=clean(measure), ref=clean_ref(_text(row, columns, "ref")),
                  objective_ref=state.objective_ref, targets=targets,
                  officers_raw=_text(row, columns, "officer"), page=row.page,
                  table_index=table.index, row_index=row_index, split_across_pages=row.split_across_pages)


def clean_ref(ref: str | None) -> str | None:
    """``1.`` -> ``1``, ``(1)`` -> ``1``, ``a.`` -> ``a``; blank -> None."""
    if not ref:
        return None
    ref = clean(ref).strip("()'’. ")
    return ref or None


def strip_enumerator(text: str, ref: str | None) -> tuple[str, str | None]:
    """Take a leading ``a.`` / ``(1)`` off the action; it is the ref when none is printed."""
    match = ENUMERATOR.match(text)
    if not match:
        return text, ref
    return text[match.end():].strip(), ref or (match.group(1) or match.group(2))


def split_trailing_officer(text: str) -> tuple[str, str | None]:
    """An owner named at the end of an action: ``... (Ian McGuff and HR team)`` or ``... . Ian McGuff``."""
    flat = clean(text)
    match = TRAILING_BRACKETS.search(flat)
    if match and match.start() > 0 and split_officers(match.group(1)):
        return flat[:match.start()].strip(), match.group(0).strip().rstrip(".;")
    match = TRAILING_NAME.search(flat)
    if match:
        return flat[:match.start()].strip(), match.group(1)
    return flat, None
