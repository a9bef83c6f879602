"""Council, title and report date of a document, from its own text."""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path

from .model import DocumentMeta, SourceDocument

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


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    return tomllib.loads(COUNCILS.read_text(encoding="utf-8"))["councils"]


def read_metadata(doc: SourceDocument) -> DocumentMeta:
    head = [b.text for b in doc.blocks[:HEAD_BLOCKS]]
    return DocumentMeta(council=find_council(doc), title=find_title(doc), report_date=find_report_date(head))


def _all_text(doc: SourceDocument) -> str:
    cells = (c.text for t in doc.tables for r in t.rows for c in r.cells)
    return "\n".join([*(b.text for b in doc.blocks), *cells])


def find_council(doc: SourceDocument) -> str | None:
    text = _all_text(doc)
    named = Counter(" ".join(m.split()) for m in FULL_COUNCIL.findall(text))
    named = Counter({k: v for k, v in named.items() if k.split()[0] not in {"The", "County", "City", "Borough"}})
    lowered = text.lower()
    named.update({full: lowered.count(f"{place} council") for place, full in _gazetteer().items()
                  if f"{place} council" in lowered})
    if named:
        return named.most_common(1)[0][0]
    places = Counter({full: lowered.count(place) for place, full in _gazetteer().items()
                      if re.search(rf"\b{re.escape(place)}\b", lowered)})
    return places.most_common(1)[0][0] if places else None


def find_title(doc: SourceDocument) -> str | None:
    blocks = doc.blocks[:HEAD_BLOCKS]
    for block in blocks:
        match = SUBJECT.match(block.text)
        if match:
            return " ".join(match.group(1).split())
    if blocks and blocks[0].size is not None:
        sizes = [b for b in blocks if b.page == blocks[0].page and b.size]
        if sizes:
            biggest = max(b.size for b in sizes)
            lines = [b.text for b in sizes if b.size >= biggest - 0.5 and TITLE_WORDS.search(b.text)]
            if lines:
                return " ".join(lines[0].split())
    styled = [b.text for b in blocks if b.style and (b.style.startswith("Heading") or b.style == "Title")
              and TITLE_WORDS.search(b.text)]
    candidates = styled or [b.text for b in blocks if TITLE_WORDS.search(b.text) and len(b.text) < 200]
    return " ".join(candidates[0].split()) if candidates else None


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
