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

from dataclasses import dataclass
from statistics import median

from .interpret.headers import RECORD_ROLES, classify_header
from .model import Cell, Row, Table

LINE_TOLERANCE = 3.0        # points: words whose tops differ by less share a line
PHRASE_GAP = 1.2            # font sizes: a wider gap between words separates phrases
COLUMN_SLACK = 6.0          # points a word may start left of its column's header
ROW_GAP = 1.4               # line spacings: a wider gap starts a new row
TABLE_END_GAP = 4.0         # font sizes: a wider gap ends the table


@dataclass
class Line:
    words: list[dict]

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def size(self) -> float:
        return median(w["bottom"] - w["top"] for w in self.words)


def find_tables(page, page_number: int, first_index: int) -> list[Table]:
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    lines = _lines(words)
    rules = sorted({round(e["top"], 1) for e in page.horizontal_edges})
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
            tables.append(Table(rows=rows, index=first_index + len(tables), page=page_number,
                                bbox=(starts[0], rows[0].bbox[1], page.width, rows[-1].bbox[3])))
    return tables


def _lines(words: list[dict]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1].words[0]["top"] - word["top"]) < LINE_TOLERANCE:
            lines[-1].words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _phrases(line: Line) -> list[list[dict]]:
    phrases: list[list[dict]] = []
    for word in line.words:
        if phrases and word["x0"] - phrases[-1][-1]["x1"] < PHRASE_GAP * line.size:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def _header_starts(line: Line) -> list[float] | None:
    """Column starts when this line is a plan header: most phrases name a column
    role, and one of them the action or measure."""
    phrases = _phrases(line)
    roles = [classify_header(" ".join(w["text"] for w in p)) for p in phrases]
    known = [r for r in roles if r is not None]
    if len(phrases) < 3 or len(known) * 3 < len(phrases) * 2 or not RECORD_ROLES & set(known):
        return None
    return [p[0]["x0"] for p in phrases]


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
    return any(p[0]["x0"] < start - COLUMN_SLACK and p[-1]["x1"] > start
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
            column = max((j for j, s in enumerate(starts) if word["x0"] >= s - COLUMN_SLACK), default=0)
            texts[column].append(word["text"])
    x0 = min(w["x0"] for line in lines for w in line.words)
    x1 = max(w["x1"] for line in lines for w in line.words)
    cells = [Cell(text=" ".join(t), col=j) for j, t in enumerate(texts)]
    return Row(cells=cells, page=page_number, bbox=(x0, lines[0].top, x1, lines[-1].bottom))
