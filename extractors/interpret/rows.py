"""Table rows -> RawAction / RawKpi records, by what the headers mean.

The interpreter walks every row of every table with a small state: the
section heading in force, the objective in force, and the column map of the
last header row.  A header row is a row whose cells mostly name known column
roles (``headers.toml``); it may appear anywhere, any number of times, so
repeated headers and several plans in one table need no special case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .headers import (PLAN_ROLES, RATING_ROLES, RECORD_ROLES, Lexicon, classify_header, classify_wrapped_header,
                      clean, load_lexicon, matches_any, target_period)
from ..model import RawAction, RawKpi, Row, Table
from .stacked import stack_header_rows
from .subitems import next_letter, split_lettered
from .cells import captioned_as_aims, evidence, objective_label, split_trailing_officer
from .columns import ColumnAssignment, assign_roles, is_band, looks_like_header, named_by_header, role_fit
from normalisers.dates import find_months, reads_as_timescale
from normalisers.officers import split_officers

MAX_HEADER_CHARS = 250
VETO_ROWS = 2                 # the opening rows of a headerless table looked at for veto words
MIN_HEADER_CELLS = 3          # a header known only by its shape names at least this many columns
MAX_SHORT_NAME_WORDS = 6
MAX_NAME_WORDS = 10          # a column name unknown to the synonym table is a short phrase
MIN_CONTENT_READING = 0.5     # rows with no header are read only when they read this well as records
WHO_ROLES = {"officer", "action_officer", "due_officer"}
WHEN_ROLES = {"due", "start", "due_officer"}
KPI_FIGURES = {"kpi_target", "baseline", "target"}
READ_ROLES = {"ref", "objective_ref", "objective", "action", "action_officer", "due_officer", "officer", "due",
              "start", "division", "status", "previous_status", "progress", "outcome", "kpi_measure", "kpi_target",
              "support", "ignore", "baseline", "target"}
MAX_LEAD_CHARS = 80           # a lead officer cell beside a heading is a name or two
MIN_ACTION_WORDS = 2          # figures and codes in an action column are not actions
WORD = re.compile(r"[A-Za-z]{2,}")

ENUMERATOR = re.compile(r"^\s*(?:\(([a-z]|\d{1,2})\)|([a-z])[.)])\s+", re.IGNORECASE)
OBJECTIVE_REF = re.compile(r"^((?:[A-Z][A-Za-z&]*\s*)*Ob(?:jective)?\.?\s*\d+[a-z]?|\d+(?:\.\d+)*)[.:]?\s+(.*)$", re.S)
# Body cells begin with a ref or enumerator, or hold a date; header cells never do.
BODY_START = re.compile(r"^(\(?\d+[a-z]?[.)](\s|$)|[a-z][.)](\s|$)|\d+(\.\d+)+\b|\d+$|[A-Z&]+\s*Ob\.?\s*\d)")
@dataclass
class Columns:
    kind: str                                  # "action", "kpi" or "objective"
    roles: dict[int, str]
    periods: dict[int, str] = field(default_factory=dict)
    vetoed: bool = False
    headers: frozenset[str] = frozenset()     # the header texts, to recognise a repeat
    from_content: frozenset[str] = frozenset()  # roles whose column's header does not name them
    labelled: frozenset[int] = frozenset()    # objective-ref columns of labels ("Priority 3")

    def cols(self, role: str) -> list[int]:
        return [c for c, r in self.roles.items() if r == role]


@dataclass
class State:
    section: str | None = None
    objective_ref: str | None = None
    objective: str | None = None
    columns: Columns | None = None
    leads: list[str] = field(default_factory=list)   # owners named beside headings and objectives
    last_action: tuple[RawAction, str | None] | None = None   # with its sub-item letter
    continued: Continued | None = None       # the plan table a headerless table may continue


@dataclass(frozen=True)
class Continued:
    """A plan table's columns, by position, for a headerless table that continues it."""
    columns: Columns
    spans: list[tuple[float, float, str]]      # x0, x1, role of each header cell
    page: int


@dataclass(frozen=True)
class TableColumns:
    """The roles given to one block of a table (its rows from a header, or with none)."""
    page: int | None
    table_index: int
    row_index: int                   # the header row, or the first row of a block with none
    assignment: ColumnAssignment
    read: bool = False               # the interpreter reads the block's rows as records
    vetoed: bool = False             # its header or opening rows name a budget's or risk register's columns


@dataclass
class Interpretation:
    actions: list[RawAction]
    kpis: list[RawKpi]
    leads: list[str]
    columns: list[TableColumns]      # the roles chosen for every block of every table, and why


def interpret_tables(tables: list[Table], lexicon: Lexicon | None = None) -> Interpretation:
    lexicon = lexicon or load_lexicon()
    found = Interpretation([], [], [], [])
    state = State()
    for table in tables:
        state.columns = None
        rows = stack_header_rows(fill_down(table.rows))
        plan = _column_plan(rows, table, lexicon, found.columns, state.continued)
        state.continued = _last_plan_header(plan, rows, table, state.continued)
        first = len(found.actions)
        for row_index, row in enumerate(rows):
            if row_index in plan:
                state.columns, is_header = plan[row_index]
                if is_header:       # a header may begin with a skip word ("Lead officer | Action | ...")
                    continue
            _read_row(row, row_index, table, state, lexicon, found.actions, found.kpis)
        if not any(map(_says_which_who_or_when, found.actions[first:])):
            del found.actions[first:]
    found.leads[:] = list(dict.fromkeys(state.leads))
    return found


def _says_which_who_or_when(action: RawAction) -> bool:
    """A plan table's records carry a ref, an owner, a date or an objective label
    (``Priority 3``) somewhere; rows that carry none (a summary grid's wrapped header
    words, a count table) are not a plan."""
    return bool(action.ref or action.officers_raw or reads_as_timescale(action.due_raw)
                or reads_as_timescale(action.start_raw) or objective_label(action.objective_ref))


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
    labelled = state.columns is not None and distinct[0].col in state.columns.labelled    # "Priority 3 | <activity>"
    if matches_any(first, lexicon.section) and _is_context_row(row, distinct) and not labelled:
        state.section, state.objective_ref, state.objective = first, None, None
        _note_lead(distinct, state)
        return
    if matches_any(first, lexicon.skip):
        _note_lead(distinct, state)
        return
    columns = state.columns
    if columns is None or columns.vetoed or is_band(row):
        return
    if columns.kind == "objective":
        _read_objective(row, columns, state)
        state.leads += [t for t in [_text(row, columns, "officer")] if t]
    elif columns.kind == "action":
        if _off_label(row, columns):
            return
        _read_objective(row, columns, state)
        actions += _read_actions(row, row_index, table, columns, state)
    elif columns.kind == "kpi":
        kpi = _read_kpi(row, row_index, table, columns, state)
        if kpi is not None:
            kpis.append(kpi)


def _off_label(row: Row, columns: Columns) -> bool:
    """In a table whose rows are labelled with their objective (``Priority 3``), a row
    labelled otherwise (``Barriers to learning``, ``Projected spending``) is a note on them."""
    return any(col < len(row.cells) and row.cells[col].text.strip() and not objective_label(row.cells[col].text)
               for col in columns.labelled)


def _note_lead(distinct, state: State) -> None:
    """``Aim: ... | Cindy Peek``: a short cell beside a heading names the lead officer."""
    if len(distinct) == 2 and len(distinct[1].text) <= MAX_LEAD_CHARS:
        owners = split_officers(distinct[1].text)
        if owners and all(o.kind == "person" for o in owners):
            state.leads.append(clean(distinct[1].text))


def _is_context_row(row: Row, distinct) -> bool:
    """Headings sit alone in their row, or beside a short label such as a lead officer."""
    return len(distinct) <= 2 or distinct[0].span > 1


# -- headers and column plans -------------------------------------------------

def is_header_row(row: Row) -> bool:
    return _names_columns(row, load_lexicon())


def _names_columns(row: Row, lexicon: Lexicon) -> bool:
    """A header row by the synonym table: most of its cells name known roles,
    none reads as body text.  It may sit anywhere in a table, any number of times."""
    named = [c for c in row.cells if c.span > 0 and c.text.strip()]
    roles = {classify_wrapped_header(c.text, lexicon) for c in named} - {None}
    known = [c for c in named if classify_wrapped_header(c.text, lexicon) is not None]
    if len(known) < 2 or len(known) * 2 < len(named) or any(_looks_like_body(c.text) for c in named):
        return False
    if any(c not in known and _reads_as_body(c.text) for c in named):     # "4f | ... actions ... | Ongoing"
        return False
    # long header cells must name the record column; short ones may name any (ITEM | | BY WHOM | BY WHEN)
    names_a_plan = bool(roles & (RECORD_ROLES | {"objective"}))
    return names_a_plan or not any(_not_a_name(c.text) or clean(c.text)[:1].isdigit() for c in named)


def _column_plan(rows: list[Row], table: Table, lexicon: Lexicon, log: list,
                 continued: Continued | None) -> dict[int, tuple[Columns | None, bool]]:
    """Row index -> (columns from there on, whether that row is the header).
    Each header starts a block read with the roles the scorer gives its header
    and the block's cells.  Rows before any header continue the plan table
    above them when they sit under its columns and hold what those columns
    held; else they are read by their cells alone, and only when they read
    well as plan records."""
    if not rows:
        return {}
    heads = [i for i, row in enumerate(rows) if _is_header(rows, i, lexicon)]
    # a blank row across the table is where a header was left blank: the rows below start afresh
    starts = sorted({0, *heads, *(i for i, row in enumerate(rows) if i and _is_blank(row))})
    plan: dict[int, tuple[Columns | None, bool]] = {}
    for start, end in zip(starts, starts[1:] + [len(rows)]):
        if start in heads and end == start + 1 and end in heads:
            plan[start] = (None, True)      # a group header over the header row below it
            continue
        if start in heads:
            assignment = assign_roles(rows[start + 1:end], lexicon, header=rows[start])
            readable = ((assignment.kind not in ("action", "kpi") or _record_named(assignment, lexicon)
                         or _names_columns(rows[start], lexicon) or _reads_by_content(assignment))
                        and not _states_aims(assignment, table))
            columns = _columns(assignment, rows[start], lexicon) if readable else None
            plan[start] = (columns, True)
            log.append(TableColumns(rows[start].page or table.page, table.index, start, assignment,
                                    read=columns is not None and not columns.vetoed,
                                    vetoed=_vetoed(rows[start:start + 1], lexicon)))
            continue
        block = rows[start:end]
        inherited = _continuation(block, table, continued) if start == 0 else None
        assignment = assign_roles(block, lexicon, header=None)
        vetoed = _vetoed(block[:VETO_ROWS], lexicon)
        readable = assignment.kind == "action" and _reads_by_content(assignment) and not vetoed
        columns = inherited or (_columns(assignment, None, lexicon) if readable else None)
        plan[start] = (columns, False)
        log.append(TableColumns(rows[start].page or table.page, table.index, start, assignment,
                                read=columns is not None, vetoed=vetoed))
    return plan


def _continuation(rows: list[Row], table: Table, continued: Continued | None) -> Columns | None:
    """The columns of the plan table just above (same or previous page), mapped
    by position onto this headerless table, when its cells fit those roles."""
    if continued is None or table.page is None or not 0 <= table.page - continued.page <= 1:
        return None
    roles = {}
    for col in range(max((len(r.cells) for r in rows), default=0)):
        centres = [(c.bbox[0] + c.bbox[2]) / 2 for r in rows for c in r.cells[col:col + 1] if c.bbox and c.span > 0]
        if centres:
            centre = sorted(centres)[len(centres) // 2]
            role = next((role for x0, x1, role in continued.spans if x0 <= centre <= x1), None)
            if role:
                roles[col] = role
    if role_fit(rows, roles) < MIN_CONTENT_READING:
        return None
    return replace(continued.columns, roles=roles, periods={})


def _last_plan_header(plan, rows: list[Row], table: Table, continued: Continued | None) -> Continued | None:
    """What a headerless table on this or the next page may continue."""
    page = rows[-1].page if rows and rows[-1].page is not None else table.page
    for start in sorted(plan, reverse=True):
        columns, is_header = plan[start]
        if columns is None or columns.kind != "action":
            return None
        if is_header:
            spans = [(c.bbox[0], c.bbox[2], columns.roles.get(col)) for c in rows[start].cells if c.bbox and c.span > 0
                     for col in [c.col]]
            return Continued(columns, [s for s in spans if s[2]], page) if page is not None else None
        if continued is not None:
            return replace(continued, page=page)
    return None


def _reads_by_content(assignment: ColumnAssignment) -> bool:
    """Rows no header vouches for are records only when they read well and say both
    who and when (an action log, a plan), not just one of them (forms, questionnaires)."""
    roles = {c.role for c in assignment.columns}
    return (assignment.score >= MIN_CONTENT_READING and bool(roles & WHO_ROLES)
            and bool(roles & WHEN_ROLES))


def _states_aims(assignment: ColumnAssignment, table: Table) -> bool:
    """Rows known only by their objective labels, with no owner or date, under a caption
    that says the table states aims (``Strategy aims``), are the aims, not actions."""
    roles = {c.role for c in assignment.columns}
    return bool(assignment.labelled) and not roles & (WHO_ROLES | WHEN_ROLES) and captioned_as_aims(table.preceding_text)


def _is_blank(row: Row) -> bool:
    cells = [c for c in row.cells if c.span > 0]
    return len(cells) >= MIN_HEADER_CELLS and not any(c.text.strip() for c in cells)


def _vetoed(rows: list[Row], lexicon: Lexicon) -> bool:
    """A table whose opening rows name what budgets and risk registers name
    (``Risk Title``, ``Likelihood``, ``Budget``) is not read as a plan by its cells."""
    for row in rows:
        texts = [c.text for c in row.cells if c.span > 0 and c.text.strip()]
        names = all(not (_looks_like_body(t) or evidence(t).ref or evidence(t).number) for t in texts)
        if names and any(matches_any(t, lexicon.veto) for t in texts):
            return True
    return False


def _reads_as_body(text: str) -> bool:
    found = evidence(text)     # a bare period ("2006/07") may be a header cut by a page break
    return (found.ref and not found.month) or found.number or (found.when and found.words > 0)


def _record_named(assignment: ColumnAssignment, lexicon: Lexicon) -> bool:
    """The header itself names the action or measure column (else the header must name
    other plan columns, or the cells must read well)."""
    return any(c.role in RECORD_ROLES and classify_header(c.header_raw, lexicon) == c.role for c in assignment.columns)


def _is_header(rows: list[Row], index: int, lexicon: Lexicon) -> bool:
    row = rows[index]
    distinct = [c for c in row.cells if c.text.strip() and c.span > 0]
    if not distinct or (matches_any(clean(distinct[0].text), lexicon.section) and _is_context_row(row, distinct)):
        return False
    if _names_columns(row, lexicon):
        return True
    if any(_looks_like_body(c.text) or _not_a_name(c.text) for c in distinct):
        return False
    if row.is_header or _shaped_like_header(rows, index, distinct):
        return True
    if index > 0:
        return False
    # the first row, in words no synonym knows: a header when the table reads better with it as one
    if looks_like_header(row, lexicon):
        return True
    with_header = assign_roles(rows[1:], lexicon, header=row).score
    return with_header > 0 and with_header >= assign_roles(rows, lexicon, header=None).score


def _shaped_like_header(rows: list[Row], index: int, distinct) -> bool:
    """Names over most columns, every one a short phrase, above a row that is not
    all short phrases: a header in words no synonym knows, anywhere in a table."""
    width = len([c for c in rows[index].cells if c.span > 0])
    if (len(distinct) < max(MIN_HEADER_CELLS, (width + 1) // 2)
            or not all(_reads_as_column_name(c.text) for c in distinct)):
        return False
    below = next((r for r in rows[index + 1:] if any(c.text.strip() for c in r.cells)), None)
    return below is not None and not all(_reads_as_column_name(c.text)
                                         for c in below.cells if c.text.strip() and c.span > 0)


def _reads_as_column_name(text: str) -> bool:
    text = clean(text)
    found = evidence(text)
    return (len(text.split()) <= MAX_SHORT_NAME_WORDS and not _looks_like_body(text)
            and not (found.ref or found.number or found.quantity or found.verb_led or found.rag
                     or found.when and not found.month)
            and not any(m.kind == "person" for m in split_officers(text)))     # a person's name is body


def _not_a_name(text: str) -> bool:
    """Column names are short and start a phrase; a lower-case start carries on text from above."""
    text = clean(text)
    return len(text.split()) > MAX_NAME_WORDS or text[:1].islower()


def _columns(assignment: ColumnAssignment, header: Row | None, lexicon: Lexicon) -> Columns | None:
    roles = {col: role for col, role in assignment.roles().items() if role in READ_ROLES}
    cells = [c for c in header.cells if c.span > 0] if header else []
    named = [c for c in cells if c.text.strip()]
    for cell in named:          # "Figure we aim for 2008/09": one target column of several, by period
        if roles.get(cell.col) == "target" and target_period(cell.text):
            roles[cell.col] = "kpi_target"
    _resolve_spanned_objective(cells, roles)
    present = set(roles.values())
    labelled = frozenset(col for col in assignment.labelled if roles.get(col) == "objective_ref")
    rated = "kpi_measure" in present and bool(present & RATING_ROLES)
    if present & RECORD_ROLES and ((present - {"action_officer"}) & PLAN_ROLES or present & KPI_FIGURES or labelled
                                   or rated):
        kind = "kpi" if "kpi_measure" in present else "action"
    elif "objective" in present:
        kind = "objective"
    else:
        return None
    _ref_left_of_objective(roles, kind)
    periods = {c.col: target_period(c.text) or clean(c.text) for c in named if roles.get(c.col) == "kpi_target"}
    vetoed = any(matches_any(c.text, lexicon.veto) for c in named)
    from_content = frozenset(c.role for c in assignment.columns
                             if roles.get(c.column) and not named_by_header(c.header_raw, roles[c.column], lexicon))
    return Columns(kind=kind, roles=roles, periods=periods, vetoed=vetoed,
                   headers=frozenset(clean(c.text).lower() for c in named), from_content=from_content,
                   labelled=labelled)


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
    return next((row.cells[c].fill for c in sorted(columns.cols(role)) if c < len(row.cells) and row.cells[c].fill),
                None)


def _content_roles(row: Row, columns: Columns) -> tuple[str, ...]:
    """The roles this row was read from whose columns got them from their cells."""
    return tuple(sorted(r for r in columns.from_content if _text(row, columns, r)))


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


def _read_actions(row, row_index, table, columns: Columns, state: State) -> list[RawAction]:
    """One action per row, or one per lettered sub-item of the row."""
    combined = _text(row, columns, "action_officer")
    text = combined or _text(row, columns, "action")
    if not text or clean(text).lower() in columns.headers or len(WORD.findall(text)) < MIN_ACTION_WORDS:
        return []
    officers_raw = _text(row, columns, "officer")
    if combined:
        text, officers_raw = split_trailing_officer(text)
    due_officer = _text(row, columns, "due_officer")
    due_raw = due_officer or _text(row, columns, "due")
    officers_raw = due_officer or officers_raw
    ref = clean_ref(_text(row, columns, "ref"))
    base = RawAction(
        action=text, ref=ref, section=state.section or state.objective,
        objective_ref=state.objective_ref, objective=state.objective,
        outcome=_text(row, columns, "outcome"), progress=_text(row, columns, "progress"),
        start_raw=_text(row, columns, "start"), due_raw=due_raw, officers_raw=officers_raw,
        divisions_raw=_text(row, columns, "division"),
        page=row.page, table_index=table.index, row_index=row_index, bbox=row.bbox,
        has_start_column=bool(columns.cols("start")),
        officers_in_due=due_officer is not None,
        status_raw=_text(row, columns, "status"),
        status_fill=_fill(row, columns, "status") or _fill(row, columns, "progress"),
        split_across_pages=row.split_across_pages, roles_from_content=_content_roles(row, columns),
    )
    items = split_lettered(text, officers_raw, due_raw)
    if items:
        return [replace(base, action=i.action, ref=ref or i.letter, officers_raw=i.owner, due_raw=i.due, sub_index=n)
                for n, i in enumerate(items, start=1)]
    action, letter = strip_enumerator(clean(text), None)
    action = replace(base, action=action, ref=ref or letter)
    previous = state.last_action
    if (letter and previous is not None and next_letter(previous[1], letter) and not officers_raw and not due_raw
            and previous[0].table_index == table.index):
        # "b." on its own row under "a.": the owner and date cells beside "a." cover both
        action = replace(action, ref=ref or previous[0].ref, officers_raw=previous[0].officers_raw,
                         due_raw=previous[0].due_raw, officers_in_due=previous[0].officers_in_due)
    state.last_action = (action, letter)
    return [action]


def _read_kpi(row, row_index, table, columns: Columns, state: State) -> RawKpi | None:
    measure = _text(row, columns, "kpi_measure")
    if not measure:
        return None
    targets = {period: clean(row.cells[col].text) for col, period in columns.periods.items()
               if col < len(row.cells) and row.cells[col].text.strip()}
    return RawKpi(measure=clean(measure), ref=clean_ref(_text(row, columns, "ref")),
                  objective_ref=state.objective_ref, targets=targets,
                  officers_raw=_text(row, columns, "officer"), page=row.page,
                  table_index=table.index, row_index=row_index, baseline_raw=_text(row, columns, "baseline"),
                  target_raw=_text(row, columns, "target"), period_raw=_text(row, columns, "due"),
                  status_raw=_text(row, columns, "status"), status_fill=_fill(row, columns, "status"),
                  previous_status_raw=_text(row, columns, "previous_status"),
                  previous_status_fill=_fill(row, columns, "previous_status"),
                  split_across_pages=row.split_across_pages, roles_from_content=_content_roles(row, columns))


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
