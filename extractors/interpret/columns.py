"""The column-role scorer: what each column of a table means, from its header
and from its cells together.  It is the one mechanism that says what a row
means; the row reader and the PDF table finders both ask it.

Every column is scored for every role.  A header that matches the synonym
table (``data/headers.toml [roles]``) is strong evidence, a header word
(``[header_words]``: ``Person leading this``) weaker evidence, a blank or
missing header none; the cells always vote too (share that read as dates or
timescales, owners, refs, codes, figures, RAG words; sentence length; verbs
that open actions).  Roles are then given jointly: best score first, one
column per role (one action column unless two headers name actions and both
hold actions), a column that wins nothing keeps ``None``.

Interface (stable; other branches call it):

- ``assign_roles(rows, lexicon=None, header=...) -> ColumnAssignment``:
  ``rows`` are `Row`s or lists of cell strings.  ``header`` is the header
  row when the caller knows it, ``None`` for "there is none", or left out to
  let the scorer decide whether the first row is a header.
- ``ColumnAssignment.columns``: one `ColumnRole` per logical column (grid
  column ``column`` spanning ``span``), with ``role``, ``score``,
  ``runner_up`` and ``runner_up_score``; ``roles()`` maps grid columns to
  roles; ``kind`` is ``"action"``, ``"kpi"``, ``"objective"`` or ``None``.
- ``reading_score(table) -> float`` in [0, 1]: how well the rows read as
  plan records (0 when no column reads as actions or measures).
- ``role_fit(rows, roles) -> float`` in [0, 1]: how well rows hold a given
  grid column -> role map by content (a headerless continuation of a table).

>>> rows = [["ITEM", "", "BY WHOM", "BY WHEN"],
...         ["21/2122", "Upload the safeguarding presentation to the drive", "Heather Poustie", "asap"],
...         ["24/2122", "Minutes to website", "Clerk", "asap"],
...         ["27a/2122", "Parent governors to review the website", "Ruth Shoare", "31/01/2022"]]
>>> a = assign_roles(rows)
>>> [c.role for c in a.columns], a.kind
(['ref', 'action', 'officer', 'due'], 'action')
>>> [c.role for c in assign_roles([["", "", "", ""]] + rows[1:]).columns]
['ref', 'action', 'officer', 'due']
>>> reading_score(rows) > 0.6
True
>>> reading_score([["Spend", "2024-25"], ["Staffing", "£1,200"], ["Premises", "£300"]])
0.0
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from statistics import mean

import tomllib

from ..model import Cell, Row, Table
from .cells import CellEvidence, evidence
from .headers import DATA, RATING_ROLES, RECORD_ROLES, Lexicon, classify_header, clean, load_lexicon, unwrap_header

SYNONYM_WEIGHT = 0.65       # a header in the synonym table
WORD_WEIGHT = 0.4           # a header word that hints at a role
MAX_FIGURE_COLUMNS = 2     # an action table with this many columns of figures is a table of figures
MIN_ROLE_SCORE = 0.45       # below this a column keeps no role (a header word alone is not enough)
LABEL_SHARE = 1 / 3         # a column this much of whose cells are labels ("Priority 3") is the label column
LONG_TEXT_WORDS = 45        # cells longer than this on average are prose (minutes, narrative)
# roles only one column may take (another column scoring for them takes its next best role)
SINGLE = {"action", "action_officer", "due_officer", "officer", "ref", "objective_ref", "due", "start", "division",
          "kpi_measure", "objective", "baseline"}
MEASURE_SOURCES = ("outcome", "objective", "action")   # what a measures table's text column was taken for
FIGURE_ROLES = {"baseline", "target"}
FIT_ROLES = {"ref", "action", "officer", "due", "start", "division"}
PLAN_EVIDENCE = {"due", "start", "officer", "due_officer", "action_officer", "division"}
WORD_SPLIT = re.compile(r"[a-z#]+")


@dataclass(frozen=True)
class ColumnRole:
    column: int                     # first grid column
    span: int                       # grid columns covered
    header_raw: str
    role: str | None
    score: float
    runner_up: str | None
    runner_up_score: float


@dataclass(frozen=True)
class ColumnAssignment:
    columns: tuple[ColumnRole, ...]
    kind: str | None
    score: float                    # reading score of the body under this assignment
    has_header: bool
    labelled: frozenset[int] = frozenset()   # objective-ref columns taken for their labels ("Priority 3")

    def roles(self) -> dict[int, str]:
        """Grid column -> role, for every grid column a logical column covers."""
        return {col: c.role for c in self.columns if c.role for col in range(c.column, c.column + c.span)}


@dataclass
class _Column:
    column: int
    span: int
    header: str
    cells: list[str]


# -- public ------------------------------------------------------------------

_UNSET = object()


def assign_roles(rows, lexicon: Lexicon | None = None, header=_UNSET) -> ColumnAssignment:
    lexicon = lexicon or load_lexicon()
    rows = [_as_row(r) for r in rows]
    if header is _UNSET:
        header, rows = (rows[0], rows[1:]) if rows and looks_like_header(rows[0], lexicon) else (None, rows)
    elif header is not None:
        header = _as_row(header)
    rows = [r for r in rows if not is_band(r) and any(c.text.strip() for c in r.cells)]
    columns = _columns(header, rows)
    scored = [(_score(c, lexicon, i == 0), c) for i, c in enumerate(columns)]
    chosen = _assign(scored)
    result = tuple(_column_role(c, scores, chosen.get(c.column)) for scores, c in scored)
    labelled = frozenset(c.column for scores, c in scored if chosen.get(c.column) == "objective_ref"
                         and _label_share(c.cells) >= LABEL_SHARE)
    kind = _kind(result, bool(labelled))
    return ColumnAssignment(result, kind, _reading(result, columns, kind, bool(labelled)), header is not None, labelled)


def reading_score(table) -> float:
    rows = table.rows if isinstance(table, Table) else table
    return assign_roles(rows).score


def role_fit(rows, roles: dict[int, str]) -> float:
    """How well the cells of ``rows`` hold the roles ``roles`` (grid column -> role)
    gives them, by content alone, averaged over the record roles given: a role
    no column holds, or a column left empty, counts 0.  For a table that
    continues another one's columns with no header of its own."""
    rows = [_as_row(r) for r in rows]
    wanted = sorted({r for r in roles.values() if r in FIT_ROLES})
    if not rows or not wanted:
        return 0.0
    fits = []
    for role in wanted:
        cells = ["\n".join(filter(None, (_cell_text(r, col, 1) for col in sorted(roles) if roles[col] == role)))
                 for r in rows]
        fits.append(_content_scores(cells, leftmost=False).get(role, 0.0) if any(cells) else 0.0)
    return round(sum(fits) / len(fits), 3)


def named_by_header(header: str, role: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a column's header says ``role`` (its synonym or its words); else the
    role came from the column's cells."""
    if not header.strip():
        return False
    named = {classify_header(header, lexicon), *_header_words(header)}
    return role in named or (role == "kpi_target" and bool(named & FIGURE_ROLES))


def is_band(row) -> bool:
    """A band across the table (a heading, a quotation), not a record: one cell
    with text, spanning at least half the columns."""
    row = _as_row(row)
    distinct = [c for c in row.cells if c.text.strip() and c.span > 0]
    return len(distinct) == 1 and distinct[0].span >= max(2, (len(row.cells) + 1) // 2)


def looks_like_header(row, lexicon: Lexicon | None = None) -> bool:
    """A first row is a header when its cells are words of column names: some
    name a role, none reads as a date, a ref or a long sentence."""
    lexicon = lexicon or load_lexicon()
    texts = [clean(c.text) for c in _as_row(row).cells if c.span > 0 and c.text.strip()]
    if not texts:
        return False
    if any(evidence(t).month or evidence(t).words > 12 or evidence(t).ref or evidence(t).number for t in texts):
        return False
    named = [t for t in texts if classify_header(t, lexicon) or _header_words(t)]
    return len(named) * 2 > len(texts)


# -- columns -----------------------------------------------------------------

def _as_row(row) -> Row:
    if isinstance(row, Row):
        return row
    return Row(cells=[Cell(text=t or "", col=i) for i, t in enumerate(row)])


def _columns(header: Row | None, rows: list[Row]) -> list[_Column]:
    """Logical columns: the header's cells (a header cell spanning several grid
    columns is one column), else the grid columns that hold text."""
    width = max([len(r.cells) for r in rows] + [len(header.cells) if header else 0] or [0])
    if header is not None:
        spans = [part for c in header.cells if c.span > 0
                 for part in _split_span(c.col, max(c.span, 1), unwrap_header(c.text), rows)]
    else:
        spans = [(col, 1, "") for col in range(width)]
    covered = {col for start, span, _ in spans for col in range(start, start + span)}
    spans += [(col, 1, "") for col in range(width) if col not in covered]
    columns = [_Column(start, span, text, [_cell_text(r, start, span) for r in rows])
               for start, span, text in sorted(spans)]
    return [c for c in columns if c.header or any(c.cells)]


def _split_span(start: int, span: int, header: str, rows: list[Row]) -> list[tuple[int, int, str]]:
    """One header over several columns that hold text side by side in most rows
    (``Equality Standard`` over an element and its actions) names each of them;
    columns that take turns (one reading's text cut at different places) stay one."""
    if span == 1:
        return [(start, span, header)]
    starts = sorted({c.col for r in rows for c in r.cells
                     if start <= c.col < start + span and c.span > 0 and c.text.strip()})
    filled = [{c.col for c in r.cells if c.col in starts and c.span > 0 and c.text.strip()} for r in rows]
    filled = [f for f in filled if f]
    if len(starts) < 2 or sum(len(f) > 1 for f in filled) * 2 < len(filled):
        return [(start, span, header)]
    ends = starts[1:] + [start + span]
    return [(a, b - a, header) for a, b in zip(starts, ends)]


def _cell_text(row: Row, start: int, span: int) -> str:
    parts = [c.text.strip() for c in row.cells if start <= c.col < start + span and c.span > 0 and c.text.strip()]
    return "\n".join(dict.fromkeys(parts))


# -- scores ------------------------------------------------------------------

def _score(column: _Column, lexicon: Lexicon, leftmost: bool) -> dict[str, float]:
    synonym = classify_header(column.header, lexicon) if column.header else None
    hinted = _header_words(column.header) if column.header and not synonym else {}
    content = _content_scores(column.cells, leftmost)
    if not ({synonym, *hinted} & FIGURE_ROLES):      # a column of figures is a result unless its header says target
        content = {role: value for role, value in content.items() if role not in FIGURE_ROLES}
    weight = SYNONYM_WEIGHT if synonym else WORD_WEIGHT if hinted else 0.0
    if hinted:      # header words the cells contradict take little from the other roles
        weight_elsewhere = weight * max(content.get(role, 0.0) for role in hinted)
        scores = {role: (1 - (weight if role in hinted else weight_elsewhere)) * value for role, value in content.items()}
    else:
        scores = {role: (1 - weight) * value for role, value in content.items()}
    if synonym:
        scores[synonym] = scores.get(synonym, 0.0) + weight
    labels = _label_share(column.cells)
    if labels >= LABEL_SHARE:       # labels printed on the rows name the column as a header would
        scores["objective_ref"] = max(scores.get("objective_ref", 0.0), SYNONYM_WEIGHT + (1 - SYNONYM_WEIGHT) * labels)
    for role, share in hinted.items():      # a header word counts in full only where the cells agree
        scores[role] = scores.get(role, 0.0) + weight * share * (0.5 + 0.5 * content.get(role, 0.0))
    return scores


@lru_cache(maxsize=None)
def _word_table() -> dict[str, frozenset[str]]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))["header_words"]
    return {role: frozenset(words) for role, words in data.items()}


def _header_words(header: str) -> dict[str, float]:
    """Roles hinted by the words of a header, each with its share of the hinting
    words; ``further``/``taken``/``evaluation`` beside ``action`` point to progress."""
    words = WORD_SPLIT.findall(header.lower())
    counts = {role: sum(w in table for w in words) for role, table in _word_table().items()}
    counts = {r: n for r, n in counts.items() if n}
    if "action" in counts and "progress" in counts:
        del counts["action"]
    total = sum(counts.values())
    hints = {r: n / total for r, n in counts.items()}
    for role, combined in (("action", "action_officer"), ("due", "due_officer")):   # cells tell which
        if role in hints:
            hints[combined] = hints[role]
    return hints


def _label_share(cells: list[str]) -> float:
    texts = [t for t in cells if t.strip()]
    return sum(evidence(t).label for t in texts) / len(texts) if texts else 0.0


def _content_scores(cells: list[str], leftmost: bool) -> dict[str, float]:
    texts = [t for t in cells if t.strip()]
    if not texts:
        return {}
    found = [evidence(t) for t in texts]
    share = lambda test: sum(map(test, found)) / len(found)   # noqa: E731
    fill = len(texts) / len(cells)
    words = mean(e.words for e in found)
    prose = share(lambda e: e.words >= 3 and not e.owner and not e.month)
    distinct = len(set(texts)) / len(texts)
    fit = 1.0 if words <= LONG_TEXT_WORDS else max(0.0, 1 - (words - LONG_TEXT_WORDS) / LONG_TEXT_WORDS)
    verbs = share(lambda e: e.verb_led)
    action = prose * fit * distinct * (0.6 + 0.4 * verbs) * (0.5 + 0.5 * fill)
    owners_after = share(lambda e: e.owner_after)
    repeats = sum(a == b for a, b in zip(texts, texts[1:])) / max(len(texts) - 1, 1)
    return {
        "action": action,
        "outcome": 0.6 * prose * fit * (1 - verbs / 2),
        # a grouping column: its text repeats down the rows it spans (merged cells filled down, so it is
        # filled); placeholders and status phrases repeat too but group nothing
        "objective": share(lambda e: e.words >= 2 and not (e.month or e.placeholder or e.status)) * fit
                     * (0.3 + 0.7 * repeats) * (1 - verbs / 2) * fill,
        "narrative": 1.0 if words > LONG_TEXT_WORDS * 1.5 else 0.0,
        # actions most of which close with their owner: the column holds both
        "action_officer": action * (1.02 if owners_after >= 0.5 else owners_after / 2),
        # "To be confirmed" stands where an owner (or a date) is still to come: it votes for neither
        "officer": share(lambda e: e.owner) / max(1 - share(lambda e: e.placeholder), 1 / len(found)),
        "due": share(lambda e: e.when and not e.dated_owner and not e.quantity) + 0.5 * share(lambda e: e.dated_owner),
        "due_officer": share(lambda e: e.dated_owner),
        "start": 0.9 * share(lambda e: e.month and not e.quantity),
        "ref": share(lambda e: e.ref and not e.number) * (1.0 if leftmost else 0.7)
               + share(lambda e: e.ref and e.number) * (0.9 if leftmost else 0.3),
        # a code that is also a post ("DCS") counts half: the rest of the column tells
        "division": share(lambda e: e.code and not e.owner) + 0.5 * share(lambda e: e.code and e.owner)
                    + share(lambda e: e.division_word and not e.code),
        "target": share(lambda e: e.quantity) * 0.8,        # "65.8% (2021/22)": a figure with its period
        "baseline": share(lambda e: e.quantity) * 0.8,      # the header tells the two apart
        "progress": max(share(lambda e: e.rag), share(lambda e: e.status)),
    }


# -- joint assignment --------------------------------------------------------

def _assign(scored: list[tuple[dict[str, float], _Column]]) -> dict[int, str]:
    """Best score first; a single-column role goes to one column only."""
    # best first; on a tie the record roles last (text that is as much an outcome as an action is not read),
    # then the left column (a plan's action comes before its notes on it)
    candidates = sorted(((s, r not in RECORD_ROLES, -c.column, r) for scores, c in scored for r, s in scores.items()
                         if s >= MIN_ROLE_SCORE), reverse=True)
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for score, _, left_first, role in candidates:
        column = -left_first
        if column in chosen or (role in SINGLE and role in taken and not _second_allowed(role, column, scored)):
            continue
        chosen[column] = role
        taken.add(role)
    _order_dates(chosen)
    _promote_action(chosen, scored)
    _promote_measure(chosen, scored)
    return chosen


def _promote_action(chosen: dict[int, str], scored) -> None:
    """Rows that say who and when something is due are records of something: where
    no column won the action, the text column with a blank header that reads most
    like actions holds them (``Head of service responsible for ...`` reads as much an
    outcome).  A header in other words keeps its column out: ``Key messages`` beside
    a visit's date and trustee is a note, not a plan's action."""
    present = set(chosen.values())
    if present & RECORD_ROLES or not present & (PLAN_EVIDENCE - {"division"}):
        return
    texts = [(scores.get("action", 0.0), c.column) for scores, c in scored
             if chosen.get(c.column) in (None, *MEASURE_SOURCES) and not c.header.strip()
             and scores.get("action", 0.0) >= MIN_ROLE_SCORE]
    if texts:
        chosen[max(texts)[1]] = "action"


def _second_allowed(role: str, column: int, scored) -> bool:
    """Two columns may share a role only when both headers name it (``Action`` twice)."""
    headed = [c.column for scores, c in scored if c.header and classify_header(c.header) == role]
    return column in headed and len(headed) > 1


def _promote_measure(chosen: dict[int, str], scored) -> None:
    """A table of figures (a baseline or target column) with no action column is a
    measures table: its text column is the measure.  So is a table of ratings (a
    column headed Status or RAG) with no action column and no who or when: text
    rated each quarter (``% of calls answered | GREEN``) is a measure's."""
    present = set(chosen.values())
    if present & {"action", "action_officer", "kpi_measure"} or not (
            present & {"baseline", "target"} or _rated(chosen, scored) and not present & PLAN_EVIDENCE):
        return
    texts = [(scores.get(chosen.get(c.column), 0.0), c.column) for scores, c in scored
             if chosen.get(c.column) in MEASURE_SOURCES]
    if texts:
        chosen[max(texts)[1]] = "kpi_measure"


def _rated(chosen: dict[int, str], scored) -> bool:
    return any(chosen.get(c.column) in RATING_ROLES and classify_header(c.header) in RATING_ROLES
               for _, c in scored if c.header)


def _order_dates(chosen: dict[int, str]) -> None:
    """Of two date columns the left one is the start."""
    start = [c for c, r in chosen.items() if r == "start"]
    due = [c for c, r in chosen.items() if r == "due"]
    if len(start) == 1 and len(due) == 1 and start[0] > due[0]:
        chosen[start[0]], chosen[due[0]] = "due", "start"


def _column_role(column: _Column, scores: dict[str, float], role: str | None) -> ColumnRole:
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if role == "kpi_measure" and role not in scores:     # promoted from the text role it won
        scores = {**scores, role: max(scores.get(r, 0.0) for r in MEASURE_SOURCES)}
    score = scores.get(role, 0.0) if role else (ranked[0][1] if ranked else 0.0)
    others = [(r, s) for r, s in ranked if r != role]
    runner, runner_score = others[0] if others else (None, 0.0)
    return ColumnRole(column.column, column.span, column.header, role, round(score, 3), runner, round(runner_score, 3))


def _kind(columns: tuple[ColumnRole, ...], labelled: bool = False) -> str | None:
    """Records beside an owner, a date or a division, or labelled with their objective
    (``Priority 3 | <activity>``), are a plan's."""
    present = {c.role for c in columns}
    if "kpi_measure" in present:
        return "kpi"
    if present & RECORD_ROLES and ((present - {"action_officer"}) & PLAN_EVIDENCE or labelled):
        return "action"
    if "objective" in present:
        return "objective"
    return None


def _reading(columns: tuple[ColumnRole, ...], logical: list[_Column], kind: str | None, labelled: bool) -> float:
    """How well the body reads as records: the record column's score times the
    share of rows that give a record with an owner, a date or an objective label beside it."""
    if kind not in ("action", "kpi"):
        return 0.0
    by_role = {}
    for role, column in zip((c.role for c in columns), logical):
        by_role.setdefault(role, []).append(column)
    record = next(r for r in ("action_officer", "action", "kpi_measure") if r in by_role)
    record_score = max(c.score for c in columns if c.role == record)
    support = [c for r in PLAN_EVIDENCE | {"kpi_target", "baseline", "target"} | ({"objective_ref"} if labelled else set())
               for c in by_role.get(r, [])]
    rows = sum(any(c.cells[i].strip() for c in logical) for i in range(len(logical[0].cells))) if logical else 0
    if not rows:
        return round(record_score / 2, 3)
    records = [i for i in range(rows) if any(evidence(c.cells[i]).words >= 2 for c in by_role[record])]
    backed = [i for i in records if any(c.cells[i].strip() for c in support)]
    narrative = "narrative" in {c.role for c in columns} or "narrative" in {c.runner_up for c in columns if not c.role}
    if kind == "action" and sum(map(_holds_figures, logical)) >= MAX_FIGURE_COLUMNS:
        return 0.0          # columns of figures: a budget, a risk register's scores, statistics
    return round(record_score * len(backed) / rows * (0.5 if narrative else 1.0), 3)


def _holds_figures(column: _Column) -> bool:
    texts = [t for t in column.cells if t.strip()]
    return len(texts) * 3 >= len(column.cells) and sum(evidence(t).number for t in texts) * 2 >= len(texts)
