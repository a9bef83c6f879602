"""Running headers and footers: lines repeated at one place on page after page.

A footer such as ``Equality Strategy - draft action plan   7`` sits just
below a table and lines up with its columns, so a finder would read it as a
row.  A line whose text (page numbers aside) was seen at the same height on
earlier pages is dropped from the page's layout before the finders run,
if it lies above or below every line that reads as a table row (three
phrases or more) and the lines wrapped onto the last of them: a header
repeated on every page, and the lines it wraps onto, are the table's own.
A page number alone on a line at the foot of the page, below that band or
beside a footer in another size, is
dropped on any page: it sits under a table that runs to the page foot,
where a finder would read it as a last row (and a row split by the page
break would not be joined to the row it carries on).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .aligned import MIN_HEADER_PHRASES, phrases
from .layout import Line, PageLayout
from .settings import DEFAULT

DIGITS = re.compile(r"\d+")
# a page number: never four digits alone, which is a year wrapped onto a date cell's last line
FOLIO = re.compile(r"^(page\s+)?[-–]?\s*\d{1,3}\s*[-–]?(\s+of\s+\d{1,4})?$", re.IGNORECASE)
SEEN_BEFORE = 2        # earlier pages a line must repeat on to be a running line
HEIGHT_STEP = 4.0      # points: tops within one step are one place


@dataclass
class RunningLines:
    seen: Counter = field(default_factory=Counter)

    def strip(self, layout: PageLayout) -> PageLayout:
        lines = layout.lines()
        keys = {id(line): _key(line) for line in lines}
        top, bottom = _table_band(lines)
        running = [line for line in lines if self.seen[keys[id(line)]] >= SEEN_BEFORE
                   and (line.bottom < top or line.top > bottom)]
        running += [line for line in lines if _is_folio(line, lines) and (line.top > bottom or _beside(line, lines))]
        self.seen.update(set(keys.values()))
        if not running:
            return layout
        dropped = {id(w) for line in running for w in line.words}
        return replace(layout, words=[w for w in layout.words if id(w) not in dropped])


def _is_folio(line: Line, lines: list[Line]) -> bool:
    """A page number with no line wholly below it (a footer beside it may share its baseline)."""
    return bool(FOLIO.match(line.text.strip())) and not any(other.top > line.bottom for other in lines)


def _beside(line: Line, lines: list[Line]) -> bool:
    """Another line (a footer in another size) shares some of its height: a cell's own
    wrapped lines never overlap."""
    return any(other is not line and other.top < line.bottom and other.bottom > line.top for other in lines)


def _key(line: Line) -> tuple[int, str]:
    return round(line.top / HEIGHT_STEP), DIGITS.sub("#", line.text.lower())


def _table_band(lines: list[Line]) -> tuple[float, float]:
    """From the first to the last line that reads as a table row (three phrases or
    more), widened by the lines wrapped closely onto the last one."""
    tabular = [i for i, line in enumerate(lines) if len(phrases(line, DEFAULT)) >= MIN_HEADER_PHRASES]
    if not tabular:
        return float("inf"), float("-inf")
    last = tabular[-1]
    while last + 1 < len(lines) and lines[last + 1].top - lines[last].bottom < DEFAULT.wrap_gap * lines[last].size:
        last += 1
    return lines[tabular[0]].top, lines[last].bottom
