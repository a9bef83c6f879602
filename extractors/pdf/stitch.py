"""Join tables that continue across a page break into one table.

A table continues the previous one when it is the first table on the next
page, the previous one was the last on its page, and their column edges line
up within a tolerance (columns may shift a few points between pages).  The
continuation's leading rows that repeat the table's opening context rows are
dropped; header rows there (a header repeated mid-grid, even re-wrapped) are
kept, as a new section of the same table; and a first row that carries on
the last row of the previous page (blank key column, or every cell opening
lower-case, or a date cut mid-phrase carrying on) is merged into it cell by
cell, so the split row is read whole.  Heading rows the source repeats on
every page (rows spanning the columns, or shaded where the split row is not)
may stand between the two halves; the half after them is joined.
"""
from __future__ import annotations

import re
from typing import Callable

from rapidfuzz import fuzz

from normalisers.dates import find_months

from ..interpret.headers import clean
from ..model import Row, Table
from .settings import DEFAULT

TOP_TOLERANCE = 15.0      # a continuation starts at the body's top margin, not under a heading
REPEAT_WINDOW = 6         # how many opening rows may be repeated on every page
REPEAT_SIMILARITY = 85.0  # a repeated cell read by OCR may differ from the first by a letter or two
DIGITS = re.compile(r"\d+")
SENTENCE_END = ".!?:;)"


def stitch_tables(tables: list[Table], is_header: Callable[[Row], bool] = lambda row: False) -> list[Table]:
    """``is_header`` tells a header row, which never continues a split row."""
    top_margin = min((t.bbox[1] for t in tables if t.bbox), default=0.0)
    placed = [t for t in tables if t.bbox and t.page is not None]    # DOCX tables have no pages
    first_on_page = {t.page: t for t in sorted(placed, key=lambda t: -t.bbox[1])}
    last_on_page = {t.page: t for t in sorted(placed, key=lambda t: t.bbox[3])}
    stitched: list[Table] = []
    last_part: Table | None = None       # the piece of the previous table on its last page
    for table in tables:
        if (last_part is not None and table.page is not None and last_part.page is not None
                and table.page == last_part.page + 1 and first_on_page.get(table.page) is table
                and last_on_page.get(last_part.page) is last_part
                and table.bbox[1] <= top_margin + TOP_TOLERANCE and _edges_match(last_part, table)):
            _append_continuation(stitched[-1], table, is_header)
        else:
            stitched.append(table)
        last_part = table
    for index, table in enumerate(stitched):
        table.index = index
    return stitched


def _edges(table: Table) -> list[float]:
    return sorted({round(c.bbox[0]) for r in table.rows for c in r.cells if c.bbox})


def _edges_match(a: Table, b: Table) -> bool:
    ea, eb = _edges(a), _edges(b)
    return len(ea) == len(eb) and all(abs(x - y) <= DEFAULT.carry_tolerance for x, y in zip(ea, eb))


def _append_continuation(previous: Table, table: Table, is_header: Callable[[Row], bool]) -> None:
    """Repeated context rows (``Outcome:``, ``Aim:``) go; repeated header rows stay,
    since a repeat and a new block's own header look alike and the interpreter
    reads either correctly; a split row after them joins the row it continues."""
    openings = [_key(r) for r in previous.rows[:REPEAT_WINDOW]]
    rows = list(table.rows)
    # leading repeats go, and headers even when worded or wrapped differently, unless
    # the page ended on a header: then the next header row is its second half
    ended_on_header = bool(previous.rows) and is_header(previous.rows[-1])
    repeated = 0
    while repeated < len(rows) and (any(_repeats(_key(rows[repeated]), o) for o in openings)
                                    or (is_header(rows[repeated]) and not ended_on_header)):
        repeated += 1
    kept, rest = [r for r in rows[:repeated] if is_header(r)], rows[repeated:]
    split = _split_rest(previous, rest, is_header)
    if split is not None:
        _merge_into(previous.rows[-1], rest.pop(split))
    previous.rows.extend(kept + rest)


def _split_rest(previous: Table, rest: list[Row], is_header: Callable[[Row], bool]) -> int | None:
    """Which of the continuation's rows carries on the previous page's last row: the
    first, or the first after heading rows the source repeats on every page (rows
    spanning the columns, or a band shaded where the split row is not), which come
    between the two halves of a split row."""
    if not rest or not previous.rows:
        return None
    last = previous.rows[-1]
    index = 0
    while (index < min(len(rest) - 1, REPEAT_WINDOW) and _is_heading(rest[index], last)
           and not _carries_on_sentences(last, rest[index])):
        index += 1
    if index and _is_heading(rest[index], last):
        return None          # a heading's own second line, not the split row's rest
    return index if _continues_row(last, rest[index], is_header) else None


def _is_heading(row: Row, last: Row) -> bool:
    """Every filled cell spans columns, or is shaded where the split row is not."""
    filled = [c for c in row.cells if c.text.strip()]
    if not filled:
        return False
    shaded = all(c.fill for c in filled) and not any(c.fill for c in last.cells if c.text.strip())
    return shaded or all(c.span > 1 for c in filled)


def _key(row: Row) -> list[str]:
    return [clean(c.text).lower() for c in row.cells]


def _repeats(key: list[str], opening: list[str]) -> bool:
    """The same row again, cell by cell, allowing an OCR slip or two in letters
    (``Deadiine``) but none in numbers (``Outcome 2`` is not ``Outcome 1``)."""
    return len(key) == len(opening) and all(
        a == b or (fuzz.ratio(a, b) >= REPEAT_SIMILARITY and DIGITS.findall(a) == DIGITS.findall(b))
        for a, b in zip(key, opening))


def _continues_row(last: Row, first: Row, is_header: Callable[[Row], bool]) -> bool:
    """A page that ends on a header row ends mid-header; otherwise a header
    row never carries on the row above it."""
    if is_header(last):
        return bool(first.cells) and not first.cells[0].text.strip()
    return not is_header(first) and _is_split_row(last, first)


def _is_split_row(last: Row, first: Row) -> bool:
    """The first row on the new page carries on the last row of the old one."""
    texts = [c.text.strip() for c in first.cells if c.text.strip()]
    if not texts:
        return False
    if _carries_on_sentences(last, first):
        return True          # every cell carries on a sentence, even a merged-down one beside the key
    if first.cells[0].text.strip():
        return False
    if texts[0][0].islower():
        return True
    # Otherwise a continuation fills fewer cells than the row it carries on, and
    # only cells that row filled: a new row has its own date, owner and so on.
    # A cell equal to the one above (a merged cell repeated) or a second full
    # date also mark a new row.
    pairs = [(a.text.strip(), b.text.strip()) for a, b in zip(last.cells, first.cells) if b.text.strip()]
    filled_before = sum(1 for c in last.cells if c.text.strip())
    return len(pairs) < filled_before and all(a and a != b and not (find_months(a) and find_months(b))
                                              for a, b in pairs)


def _carries_on_sentences(last: Row, first: Row) -> bool:
    """Every filled cell opens lower-case, or (past the key column) carries on a cell
    above cut mid-phrase without opening a capital (``June 2011 / March`` over
    ``2012``); at least one opens lower-case."""
    pairs = [(a.text.strip(), b.text.strip()) for a, b in zip(last.cells, first.cells) if b.text.strip()]
    key = first.cells[0].text.strip() if first.cells else ""
    if not pairs or len(pairs) < sum(1 for c in first.cells if c.text.strip()) or (key and not key[0].islower()):
        return False
    return any(b[0].islower() for _, b in pairs) and all(
        b[0].islower() or (a and not b[0].isupper() and a[-1] not in SENTENCE_END) for a, b in pairs)


def _merge_into(last: Row, first: Row) -> None:
    last.split_across_pages = True
    for cell, more in zip(last.cells, first.cells):
        if more.text.strip():
            cell.text = f"{cell.text}\n{more.text}".strip() if cell.text else more.text
