"""Month-year dates from council plan cells.

Every function is pure and returns a `DateResult` holding the value and the
evidence (the text that decided it).  What cannot be read gives ``None`` and
a reason, never a guess: a bare year or a month with no year is not a month.

Council shapes are read by our own patterns first (two-digit years after a
month name, UK financial years and quarters, ranges, "ongoing"); dateparser is
called only for what is left, and only accepted when it found a month and a
year in the text.

>>> normalise_due("Sept 07").due
datetime.date(2007, 9, 1)
>>> normalise_due("2007/08").due
datetime.date(2008, 3, 1)
>>> r = normalise_due("April 2011/March 2012"); (r.start, r.due)
(datetime.date(2011, 4, 1), datetime.date(2012, 3, 1))
>>> normalise_due("Sept 07 - ongoing").status
'ongoing'
>>> normalise_due("Refer to targets in the plan").reason
'no month and year'
>>> normalise_due("Funded to March ’25").due
datetime.date(2025, 3, 1)
>>> normalise_due("By Summer 2020").reason
'a term or season, not a month: Summer 2020'
>>> normalise_due("asap").reason
'a timescale, not a date: as soon as possible (asap)'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .lexicon import load_table

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Two-digit years may follow an apostrophe, straight or typographic: ``March '25``, ``March ’25``.
APOSTROPHES = "'’‘`´"
_YEAR = rf"(?P<year>(?:19|20)\d\d|[{APOSTROPHES}]?\d\d)(?!\d|st|nd|rd|th)"
_DAY = r"(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?[\s-]+(?:of\s+)?)?"
DATE_PATTERNS = (
    re.compile(rf"\b{_DAY}{_MONTH}[\s,-]*{_YEAR}", re.IGNORECASE),
    re.compile(r"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d|\d\d)\b"),
    re.compile(r"(?<![\d/])(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),           # ISO 2025-03-31
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),   # 31.03.2025
)
FINANCIAL_YEAR = re.compile(r"(?<![\d/])((?:19|20)\d\d)\s*[/-]\s*(\d\d|(?:19|20)\d\d)(?![\d/])")
QUARTER = re.compile(r"\bQ([1-4])\s*((?:19|20)\d\d)\s*/\s*(\d\d)\b", re.IGNORECASE)
ONGOING = re.compile(r"\b(on\s*-?\s*going|continuous|continuing|rolling)\b", re.IGNORECASE)
BARE_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
RANGE_JOINER = re.compile(r"^\s*(/|-|–|—|to|until)\s*$", re.IGNORECASE)
OPEN_RANGE_LEAD = re.compile(r"(commenc\w*|from|starting|since)\s*$", re.IGNORECASE)
FINAL_LABEL = re.compile(r"final\s+deadline\s*:?\s*$|deadline\s*:\s*$", re.IGNORECASE)
ACADEMIC_YEAR = re.compile(r"\b(?:academic|school)\s+year\b|\bAY\s*(?:19|20)\d\d", re.IGNORECASE)
DATEPARSER_HINT = re.compile(r"[a-z]{3,}.*\b(?:19|20)\d\d\b", re.IGNORECASE | re.S)


@dataclass(frozen=True)
class Mention:
    month: date
    start: int
    end: int


@dataclass(frozen=True)
class DateResult:
    start: date | None = None
    due: date | None = None
    status: str | None = None        # "ongoing" or None
    evidence: str | None = None      # the text that gave the value
    reason: str | None = None        # why nothing was read


def _year(text: str) -> int:
    text = text.lstrip(APOSTROPHES)
    return int(text) if len(text) == 4 else 2000 + int(text)


def find_months(text: str) -> list[Mention]:
    """Every month-year mention in ``text``, in reading order, without overlaps."""
    found: list[Mention] = []
    taken: list[range] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() in r or (m.end() - 1) in r for r in taken):
                continue
            month = m.group("month")
            number = MONTHS.get(month.lower().rstrip(".")) if not month.isdigit() else int(month)
            if not number or not 1 <= number <= 12:
                continue
            found.append(Mention(date(_year(m.group("year")), number, 1), m.start(), m.end()))
            taken.append(range(m.start(), m.end()))
    return sorted(found, key=lambda m: m.start)


def month_of(text: str | None) -> DateResult:
    """A single month from a start cell: the first month-year printed."""
    if not text or not text.strip():
        return DateResult(reason="blank")
    months = find_months(text) or _dateparser_months(text)
    if not months:
        return DateResult(reason="no month and year")
    first = months[0]
    return DateResult(start=first.month, due=first.month, evidence=text[first.start:first.end])


def normalise_due(text: str | None, allow_range: bool = True) -> DateResult:
    """Due month, status and (for ranges in tables with no start column) start month."""
    if not text or not text.strip():
        return DateResult(reason="blank")
    text = " ".join(text.split())
    ongoing = ONGOING.search(text)
    months = find_months(text)
    season = _academic_or_term(text)        # a year range beside "academic year" or a term is not a financial year
    if not months and not season:
        months = _financial(text) or ([] if _timescale(text) else _dateparser_months(text))
    status = "ongoing" if ongoing else None
    if not months:
        return DateResult(status=status, evidence=ongoing.group(0) if ongoing else None,
                          reason=None if ongoing else no_month_reason(text) or "no month and year")
    if ongoing:
        return _with_ongoing(text, months, ongoing)
    final = _labelled_final(text, months)
    if final is not None:
        return DateResult(due=final.month, evidence=text[final.start:final.end])
    if allow_range and len(months) == 2 and RANGE_JOINER.match(text[months[0].end:months[1].start]):
        return DateResult(start=months[0].month, due=months[1].month,
                          evidence=text[months[0].start:months[1].end])
    latest = max(months, key=lambda m: m.month)
    return DateResult(due=latest.month, evidence=text[latest.start:latest.end])


def no_month_reason(text: str) -> str | None:
    """Why a cell that names a time names no month: an academic year, a term or
    season, a timescale (``asap``, ``As necessary``, ``Termly``).  None when it
    is none of these (it may still hold a month or a financial year)."""
    year = BARE_YEAR.search(text)
    return _academic_or_term(text) or _timescale(text) or (f"a year with no month: {year.group(0)}" if year else None)


def _academic_or_term(text: str) -> str | None:
    academic = ACADEMIC_YEAR.search(text)
    if academic:
        year = FINANCIAL_YEAR.search(text) or BARE_YEAR.search(text)
        return f"an academic year, not a month: {year.group(0) if year else academic.group(0)}"
    term = _timescales().term.search(text)
    return f"a term or season, not a month: {term.group(0)}" if term else None


def _timescale(text: str) -> str | None:
    plain = text.replace(".", "")           # "A.S.A.P." reads as "asap"
    for kind, pattern in _timescales().kinds:
        found = pattern.search(plain)
        if found:
            printed = found.group(0)
            return f"a timescale, not a date: {kind}" + (f" ({printed})" if printed.lower() != kind else "")
    return None


def reads_as_timescale(text: str | None) -> bool:
    """True when a cell reads as a date or a timescale (a month, a financial year,
    ``ongoing``, a term, ``asap``): evidence that a column holds when things are due."""
    if not text or not text.strip():
        return False
    return bool(find_months(text) or _financial(text) or ONGOING.search(text) or no_month_reason(text))


def timescale_patterns() -> tuple[re.Pattern, ...]:
    """Patterns for terms and timescale words, for cells that hold a timescale beside other text."""
    tables = _timescales()
    return (tables.term, *(pattern for _, pattern in tables.kinds))


@dataclass(frozen=True)
class _Timescales:
    term: re.Pattern
    kinds: tuple[tuple[str, re.Pattern], ...]


@lru_cache(maxsize=1)
def _timescales() -> _Timescales:
    data = load_table("dates.toml")
    words = "|".join(sorted(data["terms"], key=len, reverse=True))
    year = r"(?:19|20)\d\d(?:\s*[/-]\s*\d\d(?:\d\d)?)?"
    # ``Summer term``, ``Autumn 2`` (a half term), ``Spring Term 2022``, ``Summer 2020``: a season alone is not enough
    term = re.compile(rf"\b(?:{words})\b(?=\s+(?:half\s+)?term\b|\s+[12]\b|\s+{year})"
                      rf"(?:\s+(?:half\s+)?term\b)?(?:\s+[12]\b)?(?:\s+{year})?", re.IGNORECASE)
    kinds = tuple((kind, re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b",
                                    re.IGNORECASE))
                  for kind, phrases in data["timescales"].items())
    return _Timescales(term, kinds)


def _with_ongoing(text: str, months: list[Mention], ongoing: re.Match) -> DateResult:
    before = [m for m in months if m.end <= ongoing.start()]
    after = [m for m in months if m.start >= ongoing.end()]
    if before and (RANGE_JOINER.match(text[before[-1].end:ongoing.start()])
                   or OPEN_RANGE_LEAD.search(text[:before[-1].start])):
        return DateResult(start=before[-1].month, status="ongoing",
                          evidence=text[before[-1].start:ongoing.end()])
    chosen = max(after or before, key=lambda m: m.month)
    return DateResult(due=chosen.month, status="ongoing", evidence=text[chosen.start:chosen.end])


def _labelled_final(text: str, months: list[Mention]) -> Mention | None:
    for mention in months:
        if FINAL_LABEL.search(text[:mention.start]):
            return mention
    return None


def _financial(text: str) -> list[Mention]:
    """``2007/08`` -> March 2008 (end of the UK financial year); ``Q3 2011/12`` -> December 2011."""
    quarter = QUARTER.search(text)
    if quarter:
        q, first = int(quarter.group(1)), int(quarter.group(2))
        end_month = {1: (first, 6), 2: (first, 9), 3: (first, 12), 4: (first + 1, 3)}[q]
        return [Mention(date(end_month[0], end_month[1], 1), quarter.start(), quarter.end())]
    found = []
    for m in FINANCIAL_YEAR.finditer(text):
        first, second = int(m.group(1)), m.group(2)
        second_year = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if second_year == first + 1:
            found.append(Mention(date(second_year, 3, 1), m.start(), m.end()))
    return found


def _dateparser_months(text: str) -> list[Mention]:
    """Last resort for wordings our patterns do not know; never trusted without a month and a year."""
    if not DATEPARSER_HINT.search(text):
        return []
    try:
        parsed = _dateparser().parse(text, settings={
            "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["month", "year"], "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:   # dateparser raises a zoo of errors on odd text; any of them means "no date"
        return []
    if parsed is None:
        return []
    return [Mention(date(parsed.year, parsed.month, 1), 0, len(text))]


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser   # slow to import; only paid when our own patterns fail
    return dateparser
