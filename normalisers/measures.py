"""Measure sentences and cells -> baseline and target.

Pure and table-driven (``data/measures.toml``).  A KPI's baseline and target
may sit in their own cells (``Baseline | Target | By when``) or inside the
measure sentence; `parse_measure` reads both, a cell winning over the
sentence.  Each `Quantity` keeps the text it read, its number, its unit and
the period printed beside it; nothing is guessed, so a number the sentence
does not mark as a baseline or a target is left alone.

>>> m = parse_measure("The percentage of pupils at the expected standard will have improved "
...                   "from 65.8% in 2021/22 to at least 70%")
>>> (m.baseline.value, m.baseline.unit, m.baseline.period)
(65.8, '%', '2021/22')
>>> (m.target.raw, m.target.value, m.target.unit, m.target.qualifier)
('at least 70%', 70.0, '%', 'at least')
>>> m = parse_measure("Reduce average days to process a claim", baseline="24 days (2022/23)", target="18 days",
...                   period="March 2025")
>>> (m.baseline.value, m.baseline.period, m.target.value, m.target.unit, m.target.period)
(24.0, '2022/23', 18.0, 'day', 'March 2025')
>>> parse_quantity("£1.2m").value
1200000.0
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .dates import BARE_YEAR, DATE_PATTERNS, FINANCIAL_YEAR, QUARTER
from .lexicon import load_table


@dataclass(frozen=True)
class Quantity:
    raw: str                        # as printed: the cell, or the words of the sentence that gave it
    value: float | None             # None when the text holds no number ("Maintain", "TBC")
    unit: str | None = None         # "%", "pp", "£", "day", ... or None for a count
    period: str | None = None       # as printed: "2021/22", "March 2025"
    qualifier: str | None = None    # "at least", "no more than", ...


@dataclass(frozen=True)
class MeasureReading:
    text: str
    baseline: Quantity | None
    target: Quantity | None

    @property
    def period(self) -> str | None:
        """The target's period (the contract's ``period``)."""
        return self.target.period if self.target else None


@dataclass(frozen=True)
class _Found:
    quantity: Quantity
    start: int
    end: int


def parse_measure(text: str | None, baseline: str | None = None, target: str | None = None,
                  period: str | None = None) -> MeasureReading:
    """A measure with its baseline and target, from its sentence and any cells beside it."""
    text = " ".join((text or "").split())
    read_base, read_target = _from_sentence(text)
    base = parse_quantity(baseline) if _filled(baseline) else read_base
    goal = parse_quantity(target) if _filled(target) else read_target
    if goal is not None and goal.period is None and _filled(period):
        goal = replace(goal, period=" ".join(period.split()))
    return MeasureReading(text, base, goal)


def parse_quantity(cell: str | None) -> Quantity | None:
    """One cell (``65.8% (2021/22)``, ``at least 70%``, ``£1.2m``) -> a Quantity; blank -> None."""
    if not _filled(cell):
        return None
    cell = " ".join(cell.split())
    periods = _periods(cell)
    numbers = _numbers(cell, periods)
    if not numbers:
        return Quantity(cell, None, period=periods[0][2] if periods else None)
    first = numbers[0]
    return replace(first.quantity, raw=cell, qualifier=_qualifier_before(cell, first.start),
                   period=_period_after(cell, first.end, periods) or (periods[0][2] if periods else None))


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _from_sentence(text: str) -> tuple[Quantity | None, Quantity | None]:
    periods = _periods(text)
    numbers = _numbers(text, periods)
    tables = _tables()
    for first, second in zip(numbers, numbers[1:]):     # "from 65.8% ... to at least 70%"
        between = text[first.end:second.start]
        if tables.from_cue.search(text[:first.start]) and tables.to_cue.search(between):
            return _sentence_quantity(text, first, periods, second.start), _sentence_quantity(text, second, periods)
    base = next((n for n in numbers if tables.baseline_cue.search(text[:n.start])), None)
    goals = [n for n in numbers if n is not base and (
        tables.target_cue.search(text[:n.start])
        or (tables.target_link.search(text[:n.start]) and tables.target_verb.search(text[:n.start])))]
    return (_sentence_quantity(text, base, periods) if base else None,
            _sentence_quantity(text, goals[-1], periods) if goals else None)


def _sentence_quantity(text: str, found: _Found, periods, limit: int | None = None) -> Quantity:
    qualifier = _qualifier_before(text, found.start)
    start = found.start - len(qualifier) - 1 if qualifier else found.start
    return replace(found.quantity, raw=text[start:found.end].strip(), qualifier=qualifier,
                   period=_period_after(text[:limit] if limit else text, found.end, periods))


def _qualifier_before(text: str, start: int) -> str | None:
    match = _tables().qualifier_end.search(text[:start])
    return match.group(1).lower() if match else None


def _period_after(text: str, end: int, periods) -> str | None:
    """The period printed just after a number, perhaps after a word or two:
    ``in 2021/22``, ``(2021/22)``, ``by March 2025``, ``households (Q2 2022/23)``."""
    link = _tables().period_link
    return next((printed for start, _, printed in periods
                 if end <= start < len(text) and link.fullmatch(text, end, start)), None)


def _periods(text: str) -> list[tuple[int, int, str]]:
    """Financial years, quarters, months and years, in reading order, without overlaps."""
    found: list[tuple[int, int, str]] = []
    for pattern in (QUARTER, *DATE_PATTERNS, FINANCIAL_YEAR, BARE_YEAR):
        for m in pattern.finditer(text):
            if pattern is BARE_YEAR and _is_amount(text, m.start(), m.end()):
                continue
            if not any(m.start() < e and s < m.end() for s, e, _ in found):
                found.append((m.start(), m.end(), m.group(0)))
    return sorted(found)


AMOUNT_AFTER = re.compile(r"[.,]\d|\s?(?:%|per\s*cent|percent)", re.IGNORECASE)


def _is_amount(text: str, start: int, end: int) -> bool:
    """``1900.5``, ``2000%``, ``£2020``: a number that merely looks like a year."""
    return bool(AMOUNT_AFTER.match(text, end)) or text[:start].rstrip().endswith("£")


def _numbers(text: str, periods) -> list[_Found]:
    found = []
    for m in _tables().number.finditer(text):
        if any(m.start() < e and s < m.end() for s, e, _ in periods):
            continue
        value = float(m.group("num").replace(",", ""))
        multiplier = _tables().multipliers.get((m.group("mult") or "").lower(), 1.0)
        unit = "£" if m.group("cur") else _tables().units.get(" ".join((m.group("unit") or "").lower().split()))
        found.append(_Found(Quantity(m.group(0).strip(), value * multiplier, unit), m.start(), m.end()))
    return found


@dataclass(frozen=True)
class _Tables:
    number: re.Pattern
    units: dict
    multipliers: dict
    qualifier_end: re.Pattern
    from_cue: re.Pattern
    to_cue: re.Pattern
    baseline_cue: re.Pattern
    target_cue: re.Pattern
    target_link: re.Pattern
    target_verb: re.Pattern
    period_link: re.Pattern


def _alternatives(phrases) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    data = load_table("measures.toml")
    units = {spelling: unit for unit, spellings in data["units"].items() for spelling in spellings}
    word_units = _alternatives(u for u in units if u[0].isalpha())
    symbol_units = _alternatives(u for u in units if not u[0].isalpha())
    number = re.compile(
        r"(?<![\w.,/])(?P<cur>£)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d/])"
        rf"(?:\s?(?P<mult>{_alternatives(data['multipliers'])})\b)?"
        rf"(?:\s?(?P<unit>{symbol_units}|(?:{word_units})\b))?", re.IGNORECASE)
    qualifiers = _alternatives(data["qualifiers"])
    optional_qualifier = rf"(?:(?:{qualifiers})\s+)?"
    return _Tables(
        number=number, units=units, multipliers={k.lower(): float(v) for k, v in data["multipliers"].items()},
        qualifier_end=re.compile(rf"\b({qualifiers})\s*$", re.IGNORECASE),
        from_cue=re.compile(r"\bfrom\s+(?:a\s+baseline\s+of\s+)?$", re.IGNORECASE),
        to_cue=re.compile(rf"\bto\s+{optional_qualifier}$", re.IGNORECASE),
        baseline_cue=re.compile(rf"\b(?:{_alternatives(data['baseline_cues'])})\s*(?:of\s+)?$", re.IGNORECASE),
        target_cue=re.compile(rf"(?:\b(?:{_alternatives(data['target_cues'])})\s+{optional_qualifier}|"
                              rf"\b(?:{qualifiers})\s+)$", re.IGNORECASE),
        target_link=re.compile(rf"\b(?:{_alternatives(data['target_links'])})\s+{optional_qualifier}$", re.IGNORECASE),
        target_verb=re.compile(rf"\b(?:{_alternatives(data['target_verbs'])})\b", re.IGNORECASE),
        period_link=re.compile(rf"(?:\s+[a-z]+){{0,2}}\s*[(,]?\s*(?:(?:{_alternatives(data['period_links'])})\s+)?",
                               re.IGNORECASE),
    )
