"""Running headers and footers: lines repeated at one place on page after page.

A footer such as ``Equality Strategy - draft action plan   7`` sits just
below a table and lines up with its columns, so a finder would read it as a
row.  A line whose text (page numbers aside) was seen at the same height on
earlier pages is dropped from the page's layout before the finders run,
unless it has a table header's phrases: a header repeated on every page is
the table's own.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .aligned import MIN_HEADER_PHRASES, phrases
from .layout import Line, PageLayout
from .settings import DEFAULT

DIGITS = re.compile(r"\d+")
SEEN_BEFORE = 2        # earlier pages a line must repeat on to be a running line
HEIGHT_STEP = 4.0      # points: tops within one step are one place


@dataclass
class RunningLines:
    seen: Counter = field(default_factory=Counter)

    def strip(self, layout: PageLayout) -> PageLayout:
        lines = layout.lines()
        keys = {id(line): _key(line) for line in lines}
        running = [line for line in lines if self.seen[keys[id(line)]] >= SEEN_BEFORE
                   and len(phrases(line, DEFAULT)) < MIN_HEADER_PHRASES]
        self.seen.update(set(keys.values()))
        if not running:
            return layout
        dropped = {id(w) for line in running for w in line.words}
        return replace(layout, words=[w for w in layout.words if id(w) not in dropped])


def _key(line: Line) -> tuple[int, str]:
    return round(line.top / HEIGHT_STEP), DIGITS.sub("#", line.text.lower())
