"""Council, title and report date of a document, from its own text."""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path

from .interpret.headers import clean
from .model import DocumentMeta, SourceDocument, TextBlock

COUNCILS = Path(__file__).parent / "data" / "councils.toml"
FULL_COUNCIL = re.compile(
    r"\b((?:[A-Z][a-z]+\s+(?:of\s+)?){1,3}(?:County|Metropolitan Borough|Borough|City|District)\s+Council)\b")
TITLE_WORDS = re.compile(r"\b(plan|report|strategy|scheme|review|equality|diversity|policy|framework)\b", re.I)
SUBJECT = re.compile(r"^\s*subject\s*:\s*(.+)$", re.I | re.S)
DATE_LABEL = re.compile(r"^\s*(date|meeting date|date of meeting)\s*:", re.I)
DAY_DATE = re.compile(
    r"\b([0-3]?\d)(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\s+((?:19|20)\d\d)\b", re.I)
MONTH_NUMBER = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
HEAD_BLOCKS = 40
MAX_TITLE_CHARS = 160
NEXT_LABEL = re.compile(r"\s(?=[A-Z][a-z]+:\s)")   # "... Subject text Classification: ..." stops there
WRAP_GAP = 0.6          # a wrapped line starts within this many font sizes of the one above
ENUMERATED = re.compile(r"^\(?[a-z0-9]{1,3}[.)]\s")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Committee-paper front matter and generic section headings are never the title.
FRONT_MATTER = re.compile(
    r"^(report of|date|to|by|from|classification|agenda|item|purpose|summary|introduction|background|"
    r"recommendations?|contents|appendix|annex|contact|page)\b", re.I)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    return tomllib.loads(COUNCILS.read_text(encoding="utf-8"))["councils"]


def read_metadata(doc: SourceDocument, plan_table: int | None = None) -> DocumentMeta:
    """``plan_table``: index of the first table that gave records, whose heading may be the title."""
    head = [b.text for b in doc.blocks[:HEAD_BLOCKS]]
    return DocumentMeta(council=find_council(doc), title=find_title(doc, plan_table),
                        report_date=find_report_date(head))


def _all_text(doc: SourceDocument) -> str:
    cells = (c.text for t in doc.tables for r in t.rows for c in r.cells)
    return "\n".join([*(b.text for b in doc.blocks), *cells])


def find_council(doc: SourceDocument) -> str | None:
    text = _all_text(doc)
    named = Counter(clean(m) for m in FULL_COUNCIL.findall(text))
    named = Counter({k: v for k, v in named.items() if k.split()[0] not in {"The", "County", "City", "Borough"}})
    lowered = text.lower()
    named.update({full: lowered.count(f"{place} council") for place, full in _gazetteer().items()
                  if f"{place} council" in lowered})
    if named:
        return named.most_common(1)[0][0]
    places = Counter({full: lowered.count(place) for place, full in _gazetteer().items()
                      if re.search(rf"\b{re.escape(place)}\b", lowered)})
    return places.most_common(1)[0][0] if places else None


def find_title(doc: SourceDocument, plan_table: int | None = None) -> str | None:
    """The plan's own heading (printed just above its first table) when it reads
    like a title; otherwise the best title-like line among the opening ones."""
    if plan_table is not None and plan_table < len(doc.tables):
        for line in reversed(doc.tables[plan_table].preceding_text.splitlines()):
            if _title_like(line) and TITLE_WORDS.search(line) and YEAR.search(line):
                return clean(line)
    blocks = _join_wrapped(doc.blocks[:HEAD_BLOCKS])
    for block in blocks:
        match = SUBJECT.match(block.text)
        if match:
            return NEXT_LABEL.split(clean(match.group(1)))[0]
    biggest = max((b.size for b in blocks if b.size and b.page == blocks[0].page), default=None)
    scored = [(_title_score(b, biggest), -i, clean(b.text)) for i, b in enumerate(blocks) if _title_like(b.text)]
    best = max(scored, default=None)
    return best[2] if best and best[0] > 0 else None


def _join_wrapped(blocks: list[TextBlock]) -> list[TextBlock]:
    """PDF lines in one font size, each right under the last, are one wrapped block."""
    joined: list[TextBlock] = []
    for block in blocks:
        last = joined[-1] if joined else None
        if (last is not None and block.size and last.size and last.page == block.page
                and abs(last.size - block.size) < 0.5 and block.top - last.bottom < WRAP_GAP * block.size
                and not ENUMERATED.match(block.text)):
            joined[-1] = TextBlock(f"{last.text} {block.text}", last.page, last.style, last.size,
                                   last.top, block.bottom)
        else:
            joined.append(block)
    return joined


def _title_like(text: str) -> bool:
    text = clean(text)
    return (0 < len(text) <= MAX_TITLE_CHARS and not text.endswith(".") and not FRONT_MATTER.match(text)
            and not ENUMERATED.match(text) and not DAY_DATE.search(text))


def _title_score(block, biggest: float | None) -> int:
    styled = bool(block.style) and (block.style == "Title" or block.style.startswith("Heading"))
    largest = biggest is not None and block.size is not None and block.size >= biggest - 0.5
    return 2 * bool(TITLE_WORDS.search(block.text)) + 2 * bool(YEAR.search(block.text)) + (styled or largest)


def find_report_date(lines: list[str]) -> date | None:
    labelled = [l for l in lines if DATE_LABEL.match(l)]
    for line in labelled + lines:
        match = DAY_DATE.search(line)
        if match:
            day, month, year = match.groups()
            try:
                return date(int(year), MONTH_NUMBER[month.lower()], int(day))
            except ValueError:
                continue
    return None
