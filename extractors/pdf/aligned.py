"""Tables whose columns are implied by alignment: no vertical rules.

A table starts at a header: one to three lines whose phrases (runs of words
with word-sized gaps), read column by column, mostly name plan columns.
Its column starts are the header phrases' starts, refined by the body:
left edges shared by many lines, or the left end of a run of right-aligned
figures, where no word crosses (a gutter), become columns too, so a header
spanning sub-columns spans them.  Rows are split at row breaks (horizontal
rules, edges of shaded bands), at a gap wider than the text's own line
spacing, and where a line starts a new entry (a ref or an enumerator at the
start of a cell).  The table ends at a gap much wider than a row, a line
that runs across the gutters as prose does, another header, or the page end.

Lines at the top of a page that line up with the columns of the previous
page's last table are read as its continuation, with no header.

Words are never cut: a column boundary only ever falls between words.  Once
the columns are known, a phrase is cut where a word opens at a column start
after more than a word space, so a cell set close to the next one stays two.
"""
from __future__ import annotations

import re
from collections import defaultdict
from statistics import median

from normalisers.dates import find_months

from ..interpret.headers import RECORD_ROLES, classify_header
from .ruled import unwrap
from ..model import Cell, Row, Table
from .layout import Line, PageLayout, Word
from .settings import DEFAULT, FinderSettings

MIN_HEADER_PHRASES = 3      # a header names at least three columns
MAX_HEADER_LINES = 6        # a header cell wraps over a few lines
MAX_SPANNING_LINES = 3      # full-width lines (a heading row) inside a table
FOOT_LINES = 2              # lines below a table that are its page's footer, not prose after it
# a header naming the records, or an objective spanning the columns that hold them
HEADING_ROLES = RECORD_ROLES | {"objective"}
# the first word of a cell that starts a new entry: 1, 1.2, 3a, (4), a., b)
ENTRY = re.compile(r"^(\(?\d{1,2}(\.\d{1,2})*[a-z]?[.)]?|\(?[a-z][.)])$")
MAX_LEAD_LINES = 3          # running-header lines above a continued table


def find_aligned(layout: PageLayout, settings: FinderSettings = DEFAULT, use_rules: bool = True,
                 carry: list[float] | None = None) -> list[Table]:
    """``use_rules``: rows also split at horizontal rules (else only at shaded
    bands, spacing and new entries); ``carry``: the previous page's columns."""
    lines = layout.lines()
    breaks = row_breaks(layout, use_rules)
    tables: list[Table] = []
    i = 0
    if carry:
        body, i = continued_lines(lines, carry, breaks, settings)
        if body:
            # it opens the page: only running or repeated context lines stand above it
            tables.append(lines_to_table(layout, [], body, carry, breaks, settings, top=layout.origin[1]))
    while i < len(lines):
        header_end, starts = header_at(lines, i, breaks, settings)
        if starts is None:
            i += 1
            continue
        header = lines[i:header_end]
        repeated = carry is not None and not tables and _matches(starts, carry, settings)
        if repeated:
            starts = carry            # the previous page's table, its header repeated
        body, i = body_lines(lines, header_end, starts, breaks, settings)
        if body:
            if not repeated:
                starts = refine_columns(starts, body, settings)
            # prose below the table may cross only the columns the body revealed
            body, i = body_lines(lines, header_end, starts, breaks, settings)
            tables.append(lines_to_table(layout, header, body, starts, breaks, settings))
        elif len(lines) - header_end <= FOOT_LINES:
            # the page ends on the header, a footer aside: its body is overleaf, and the
            # rows there continue this table, not the one above it
            tables.append(lines_to_table(layout, header, [], starts, breaks, settings))
    return tables


def _matches(starts: list[float], carry: list[float], settings: FinderSettings) -> bool:
    """Every header column starts at one of the previous page's columns."""
    return all(any(abs(x - c) <= settings.carry_tolerance for c in carry) for x in starts)


# -- rows of words -------------------------------------------------------------

def row_breaks(layout: PageLayout, use_rules: bool) -> list[float]:
    bands = [y for f in layout.fills for y in (f.top, f.bottom)]
    rules = [s.top for s in layout.horizontals] if use_rules else []
    return sorted({round(y, 1) for y in bands + rules})


def phrases(line: Line, settings: FinderSettings) -> list[list[Word]]:
    found: list[list[Word]] = []
    for word in line.words:
        if found and word.x0 - found[-1][-1].x1 < settings.phrase_gap * line.size:
            found[-1].append(word)
        else:
            found.append([word])
    return found


def cell_phrases(line: Line, starts: list[float], settings: FinderSettings) -> list[list[Word]]:
    """Phrases, also cut where a word opens at a column start after more than a word
    space: a cell's text set close to the next column's (``through the  April 2011``)
    is two cells, however narrow the gutter."""
    found: list[list[Word]] = []
    for phrase in phrases(line, settings):
        found.append([phrase[0]])
        for before, word in zip(phrase, phrase[1:]):
            if (word.x0 - before.x1 > settings.wrap_gap * line.size
                    and any(-settings.column_slack <= word.x0 - s <= settings.edge_tolerance for s in starts[1:])):
                found.append([word])
            else:
                found[-1].append(word)
    return found


def column_of(x0: float, starts: list[float], settings: FinderSettings) -> int:
    return max((j for j, s in enumerate(starts) if x0 >= s - settings.column_slack), default=0)


# -- header --------------------------------------------------------------------

def header_at(lines: list[Line], i: int, breaks: list[float],
              settings: FinderSettings) -> tuple[int, list[float] | None]:
    """Where the header starting at line ``i`` ends, and its column starts, if it is one.
    A header cell wraps over lines set closer than rows, with no break between."""
    first = phrases(lines[i], settings)
    if len(first) < MIN_HEADER_PHRASES:
        return i, None
    starts = [p[0].x0 for p in first]
    end = i + 1
    while (end < len(lines) and end - i < MAX_HEADER_LINES
           and lines[end].top - lines[end - 1].bottom < settings.wrap_gap * lines[i].size
           and not _is_break(lines[end - 1], lines[end], breaks)
           and not _reads_as_body(lines[end]) and not _crosses(lines[end], starts, settings)):
        end += 1
    texts = _column_texts(lines[i:end], starts, settings)
    roles = [classify_header(t) for t in texts]
    known = [r for r in roles if r is not None]
    if len(known) * 3 < len(texts) * 2 or not HEADING_ROLES & set(known):
        return i, None
    return end, starts


def _reads_as_body(line: Line) -> bool:
    return bool(ENTRY.match(line.words[0].text)) or bool(find_months(line.text))


def _column_texts(lines: list[Line], starts: list[float], settings: FinderSettings) -> list[str]:
    texts: list[list[str]] = [[] for _ in starts]
    for line in lines:
        for word in line.words:
            texts[column_of(word.x0, starts, settings)].append(word.text)
    return [" ".join(t) for t in texts]


def _crosses(line: Line, starts: list[float], settings: FinderSettings) -> bool:
    """A run of words at word spacing across a column start, as a paragraph's."""
    return any(p[0].x0 < start - settings.column_slack and p[-1].x1 > start
               for p in cell_phrases(line, starts, settings) for start in starts[1:])


# -- body ----------------------------------------------------------------------

def body_lines(lines: list[Line], start: int, starts: list[float], breaks: list[float],
               settings: FinderSettings) -> tuple[list[Line], int]:
    """The lines after a header (or from ``start``, at a page top) that belong to its table."""
    body: list[Line] = []
    i = start
    while i < len(lines):
        line = lines[i]
        previous = body[-1] if body else (lines[start - 1] if start else None)
        gap = line.top - previous.bottom if previous is not None else line.size
        # a header opens a row: a line wrapped inside one never starts a new table
        if (gap > settings.table_end_gap * line.size
                or (gap >= settings.wrap_gap * line.size and header_at(lines, i, breaks, settings)[1] is not None)):
            break
        if _crosses(line, starts, settings):
            spanning = _spanning_lines(lines, i, starts, breaks, settings)
            if not spanning:
                break
            body += spanning
            i += len(spanning)
            continue
        body.append(line)
        i += 1
    return body, i


def _spanning_lines(lines: list[Line], i: int, starts: list[float], breaks: list[float],
                    settings: FinderSettings) -> list[Line]:
    """A few lines across the gutters followed closely by an aligned row are a
    heading row inside the table (``Priority outcome 5: ...``); else prose ends it."""
    j = i
    while j < len(lines) and j - i < MAX_SPANNING_LINES and _crosses(lines[j], starts, settings):
        j += 1
    if j == len(lines) or j == i or lines[j].top - lines[j - 1].bottom > settings.table_end_gap * lines[j].size:
        return []
    if _crosses(lines[j], starts, settings) or header_at(lines, j, breaks, settings)[1] is not None:
        return []
    columns = {column_of(p[0].x0, starts, settings) for p in cell_phrases(lines[j], starts, settings)}
    return lines[i:j] if len(columns) > 1 else []


def continued_lines(lines: list[Line], starts: list[float], breaks: list[float],
                    settings: FinderSettings) -> tuple[list[Line], int]:
    """Lines at the top of the page that carry on the previous page's columns,
    under at most a few running-header lines: one of them starts a phrase at
    one of those column starts (past the first), and none runs across a gutter."""
    for lead in range(min(MAX_LEAD_LINES + 1, len(lines))):
        if header_at(lines, lead, breaks, settings)[1] is not None:
            break                     # a page that opens with a header starts its own table
        body, end = body_lines(lines, lead, starts, breaks, settings)
        if any(abs(p[0].x0 - s) <= settings.carry_tolerance
               for line in body for p in cell_phrases(line, starts, settings) for s in starts[1:]):
            return body, end
    return [], 0


def refine_columns(starts: list[float], body: list[Line], settings: FinderSettings) -> list[float]:
    """Header starts plus edges many body lines share where no word crosses."""
    found = list(starts)
    for edge in _left_edges(body, settings) + _right_aligned_edges(body, settings) + _ref_edges(starts, body, settings):
        if all(abs(edge - s) > settings.column_slack for s in found) and not _crossed(edge, body, settings):
            found.append(edge)
    return sorted(found)


def _left_edges(body: list[Line], settings: FinderSettings) -> list[float]:
    return _clusters([p[0].x0 for line in body for p in phrases(line, settings)], settings)


def _ref_edges(starts: list[float], body: list[Line], settings: FinderSettings) -> list[float]:
    """A phrase left of the header's first column, set apart from it, is a column
    with no header (refs): one row is enough, as nothing else can stand there."""
    return [p[0].x0 for line in body for p in phrases(line, settings)[:1]
            if p[-1].x1 < starts[0] - settings.column_slack]


def _right_aligned_edges(body: list[Line], settings: FinderSettings) -> list[float]:
    """Figures set flush right share a right edge; their column starts where the widest begins."""
    ends: dict[float, list[float]] = defaultdict(list)
    for line in body:
        for p in phrases(line, settings):
            ends[round(p[-1].x1)].append(p[0].x0)
    edges = []
    for right in _clusters([p[-1].x1 for line in body for p in phrases(line, settings)], settings):
        lefts = [x for r, xs in ends.items() if abs(r - right) <= settings.edge_tolerance for x in xs]
        if len({round(x) for x in lefts}) > 1:
            edges.append(min(lefts))
    return edges


def _clusters(values: list[float], settings: FinderSettings) -> list[float]:
    """Values shared (within the edge tolerance) by at least ``min_aligned_lines`` items."""
    clusters: list[list[float]] = []
    for value in sorted(values):
        if clusters and value - clusters[-1][-1] <= settings.edge_tolerance:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [min(c) for c in clusters if len(c) >= settings.min_aligned_lines]


def _crossed(edge: float, body: list[Line], settings: FinderSettings) -> bool:
    """Words run across the edge on more than a tenth of the lines (a footer or a
    heading row may; text reaching a little into a cell's padding does not count)."""
    crossing = sum(any(w.x0 < edge - settings.edge_tolerance and w.x1 > edge + settings.edge_tolerance
                       for w in line.words) for line in body)
    return crossing > len(body) // 10


# -- rows ----------------------------------------------------------------------

def lines_to_table(layout: PageLayout, header: list[Line], body: list[Line], starts: list[float],
                   breaks: list[float], settings: FinderSettings, top: float | None = None) -> Table:
    right = max([layout.width] + [line.x1 for line in header + body])
    rows = [lines_to_row(header, starts, right, layout.page_number, settings)] if header else []
    rows += [lines_to_row(group, starts, right, layout.page_number, settings)
             for group in group_rows(body, starts, breaks, settings)]
    top = (header or body)[0].top if top is None else top
    return Table(rows=rows, page=layout.page_number, bbox=(starts[0], top, right, rows[-1].bbox[3]))


def group_rows(body: list[Line], starts: list[float], breaks: list[float], settings: FinderSettings) -> list[list[Line]]:
    if not body:
        return []
    pairs = list(zip(body, body[1:]))
    gaps = sorted(b.top - a.bottom for a, b in pairs)
    wrap = gaps[len(gaps) // 4] if gaps else 0.0        # most lines are a cell's wrapped lines
    wide = [b.top - a.bottom > wrap + settings.row_gap * a.size for a, b in pairs]
    broken = [_is_break(a, b, breaks) for a, b in pairs]
    # rows are ruled when a break opens most lines that start with a ref; a shaded
    # heading band alone is no reason to stop reading rows from spacing and entries,
    # so an entry right under a heading row (a line across the gutters) does not count
    entries = [i for i, (a, b) in enumerate(pairs)
               if ENTRY.match(b.words[0].text) and not _crosses(a, starts, settings)]
    ruled = any(broken) and 2 * sum(broken[i] for i in entries) > len(entries)
    groups: list[list[Line]] = [[body[0]]]
    for i, (previous, line) in enumerate(pairs):
        entry = not ruled and _starts_entry(line, groups[-1], starts, settings)
        if broken[i] or (wide[i] and not ruled) or entry:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _is_break(above: Line, below: Line, breaks: list[float]) -> bool:
    return any(above.bottom - 1 <= y <= below.top + 1 for y in breaks)


def _starts_entry(line: Line, group: list[Line], starts: list[float], settings: FinderSettings) -> bool:
    """Where no rules mark the rows, a ref or enumerator opening the line's
    first cell, where the row so far already has that column's text, starts
    a new row."""
    first = line.words[0]
    if not ENTRY.match(first.text):
        return False
    column = column_of(first.x0, starts, settings)
    before = [w.text for g in group for w in g.words if column_of(w.x0, starts, settings) == column]
    if before and before[-1].endswith("-"):
        return False          # "16-" over "19 year olds": a hyphenated wrap
    # "1" over "0." is the ref 10 wrapped in a narrow column, not two entries
    return bool(before) and not (len(before) == 1 and before[0].isdigit() and first.text[0].isdigit())


def lines_to_row(lines: list[Line], starts: list[float], right: float, page_number: int,
                 settings: FinderSettings) -> Row:
    texts: list[list[str]] = [[] for _ in starts]
    reach = [0.0] * len(starts)
    for line in lines:
        for p in cell_phrases(line, starts, settings):
            column = column_of(p[0].x0, starts, settings)
            texts[column].append(" ".join(w.text for w in p))
            reach[column] = max(reach[column], p[-1].x1)
    top, bottom = min(l.top for l in lines), max(l.bottom for l in lines)
    edges = starts + [right]
    cells = [Cell(text=unwrap("\n".join(t)), col=j, bbox=(edges[j], top, edges[j + 1], bottom))
             for j, t in enumerate(texts)]
    _span(cells, reach, edges)
    x0 = min(w.x0 for line in lines for w in line.words)
    x1 = max(w.x1 for line in lines for w in line.words)
    return Row(cells=cells, page=page_number, bbox=(x0, top, x1, bottom))


def _span(cells: list[Cell], reach: list[float], edges: list[float]) -> None:
    """A cell reaching over the next columns' starts, with them blank, spans them:
    a header over sub-columns, a heading row across the table."""
    for j, cell in enumerate(cells):
        if not cell.text or cell.span == 0:
            continue
        k = j + 1
        while k < len(cells) and not cells[k].text and reach[j] > edges[k]:
            cells[k].span, cell.span = 0, cell.span + 1
            k += 1
