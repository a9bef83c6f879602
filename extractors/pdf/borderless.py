"""Tables with no vertical rules: columns anchored on a header line.

A line whose phrases (runs of words with word-sized gaps) mostly read as plan
column headers fixes the columns: each column starts where its header phrase
starts.  Every word below is put in the column whose start is the nearest to
its left.  Lines become rows where a horizontal rule or a gap wider than the
text's own line spacing separates them; lines closer than that are one
wrapped row.  The table ends at a gap much wider than a row, a line that
runs across the columns' gutters as prose does, or the page end.

Words are never cut: a column boundary only ever falls between words.
"""
from __future__ import annotations

from statistics import median

from ..headers import RECORD_ROLES, classify_header
from ..model import Cell, Row, Table
from .layout import Line, PageLayout, Word

PHRASE_GAP = 1.2            # font sizes: a wider gap between words separates phrases
COLUMN_SLACK = 6.0          # points a word may start left of its column's header
ROW_GAP = 1.4               # line spacings: a wider gap starts a new row
TABLE_END_GAP = 4.0         # font sizes: a wider gap ends the table


def find_tables(layout: PageLayout) -> list[Table]:
    page_number = layout.page_number
    lines = layout.lines()
    rules = sorted({round(s.top, 1) for s in layout.horizontals})
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        header, starts = lines[i], _header_starts(lines[i])
        if starts is None:
            i += 1
            continue
        body, i = _body(lines, i + 1, starts)
        rows = [_row([header], starts, page_number), *[_row(group, starts, page_number) for group in _group_rows(body, rules)]]
        if len(rows) > 1:
            tables.append(Table(rows=rows, page=page_number,
                                bbox=(starts[0], rows[0].bbox[1], layout.width, rows[-1].bbox[3])))
    return tables


def _phrases(line: Line) -> list[list[Word]]:
    phrases: list[list[Word]] = []
    for word in line.words:
        if phrases and word.x0 - phrases[-1][-1].x1 < PHRASE_GAP * line.size:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def _header_starts(line: Line) -> list[float] | None:
    """Column starts when this line is a plan header: most phrases name a column
    role, and one of them the action or measure."""
    phrases = _phrases(line)
    roles = [classify_header(" ".join(w.text for w in p)) for p in phrases]
    known = [r for r in roles if r is not None]
    if len(phrases) < 3 or len(known) * 3 < len(phrases) * 2 or not RECORD_ROLES & set(known):
        return None
    return [p[0].x0 for p in phrases]


def _body(lines: list[Line], start: int, starts: list[float]) -> tuple[list[Line], int]:
    header = lines[start - 1]
    body: list[Line] = []
    i = start
    while i < len(lines):
        line = lines[i]
        gap = line.top - (body[-1] if body else header).bottom
        if gap > TABLE_END_GAP * header.size or _header_starts(line) is not None or _is_prose(line, starts):
            break
        body.append(line)
        i += 1
    return body, i


def _is_prose(line: Line, starts: list[float]) -> bool:
    """A line with a run of words at word spacing across a column start, as a paragraph's."""
    return any(p[0].x0 < start - COLUMN_SLACK and p[-1].x1 > start
               for p in _phrases(line) for start in starts[1:])


def _group_rows(body: list[Line], rules: list[float]) -> list[list[Line]]:
    if not body:
        return []
    spacing = median([b.top - a.top for a, b in zip(body, body[1:])] or [body[0].size * 2])
    groups: list[list[Line]] = [[body[0]]]
    for previous, line in zip(body, body[1:]):
        ruled = any(previous.bottom <= r <= line.top for r in rules)
        if ruled or (not rules and line.top - previous.top > ROW_GAP * min(spacing, previous.size * 1.6)):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _row(lines: list[Line], starts: list[float], page_number: int) -> Row:
    texts: list[list[str]] = [[] for _ in starts]
    for line in lines:
        for word in line.words:
            column = max((j for j, s in enumerate(starts) if word.x0 >= s - COLUMN_SLACK), default=0)
            texts[column].append(word.text)
    x0 = min(w.x0 for line in lines for w in line.words)
    x1 = max(w.x1 for line in lines for w in line.words)
    cells = [Cell(text=" ".join(t), col=j) for j, t in enumerate(texts)]
    return Row(cells=cells, page=page_number, bbox=(x0, lines[0].top, x1, lines[-1].bottom))
