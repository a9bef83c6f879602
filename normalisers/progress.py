"""Progress, status and RAG cells -> one ``progress_status``, driven by ``data/progress.toml``.

The printed words decide; a cell with no status words but a coloured fill (a
RAG cell that is only a colour) is read from its hue.
"""
from __future__ import annotations

import colorsys
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "progress.toml"
UNKNOWN = "unknown"
STATUSES = ("complete", "on_track", "at_risk", "off_track", "not_started", UNKNOWN)
MAX_WRAPS = 4          # line breaks in a cell short enough to be a wrapped status word
HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class ProgressRules:
    order: tuple[str, ...]
    lead_words: int
    label: re.Pattern
    statuses: dict[str, tuple[re.Pattern, ...]]
    problems: tuple[re.Pattern, ...]
    min_saturation: float
    min_value: float
    hues: dict[str, tuple[tuple[float, float], ...]]


def _compile(patterns: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@lru_cache(maxsize=None)
def load_rules(path: Path = DATA) -> ProgressRules:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    colours = data["colours"]
    return ProgressRules(
        order=tuple(data["order"]), lead_words=data["lead_words"],
        label=re.compile(data["label"], re.IGNORECASE),
        statuses={s: _compile(p) for s, p in data["statuses"].items()},
        problems=_compile(data["problems"]["at_risk"]),
        min_saturation=colours["min_saturation"], min_value=colours["min_value"],
        hues={s: tuple(tuple(r) for r in colours[s]) for s in data["order"] if s in colours},
    )


def progress_status(text: str | None, fill: str | None = None, rules: ProgressRules | None = None) -> str:
    """The status a progress/status/RAG cell states, else its fill colour's, else ``unknown``.

    >>> progress_status("Amber - awaiting data")
    'at_risk'
    >>> progress_status("", "#00B050")
    'on_track'
    """
    rules = rules or load_rules()
    status = status_from_text(text, rules)
    if status == UNKNOWN and fill:
        status = status_from_fill(fill, rules)
    return status


def status_from_text(text: str | None, rules: ProgressRules | None = None) -> str:
    """A narrow column wraps inside words (``Not\\nstart\\ned``): each way of reading
    a short cell's line breaks, as a space or as nothing, is tried."""
    rules = rules or load_rules()
    for reading in _readings(text or ""):
        status = _status_of(reading, rules)
        if status != UNKNOWN:
            return status
    return UNKNOWN


def _readings(text: str) -> list[str]:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not 1 < len(lines) <= MAX_WRAPS + 1:
        return [text]
    readings = [lines[0]]
    for line in lines[1:]:
        readings = [r + joiner + line for r in readings for joiner in (" ", "")]
    return readings


def _status_of(text: str, rules: ProgressRules) -> str:
    flat = " ".join(text.split())
    flat = rules.label.sub("", flat.lstrip("•-–*· ")).strip(" .;:")
    if not flat:
        return UNKNOWN
    lead = " ".join(flat.split()[:rules.lead_words])
    for status in rules.order:
        if any(p.search(lead) for p in rules.statuses[status]):
            if status == "on_track" and any(p.search(flat) for p in rules.problems):
                return "at_risk"
            return status
    return UNKNOWN


def status_from_fill(fill: str, rules: ProgressRules | None = None) -> str:
    """``#RRGGBB`` -> the RAG status its hue stands for; greys and dark fills are none."""
    rules = rules or load_rules()
    match = HEX.match(fill.strip())
    if not match:
        return UNKNOWN
    rgb = [int(match.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    hue, saturation, value = colorsys.rgb_to_hsv(*rgb)
    if saturation < rules.min_saturation or value < rules.min_value:
        return UNKNOWN
    degrees = hue * 360
    for status, ranges in rules.hues.items():
        if any(low <= degrees < high for low, high in ranges):
            return status
    return UNKNOWN


def rgb_hex(colour) -> str | None:
    """A PDF fill colour (grey, RGB or CMYK components in 0..1) as ``#RRGGBB``."""
    if not isinstance(colour, (tuple, list)) or not all(isinstance(c, (int, float)) for c in colour):
        return None
    if len(colour) == 1:
        rgb = [colour[0]] * 3
    elif len(colour) == 3:
        rgb = list(colour)
    elif len(colour) == 4:
        c, m, y, k = colour
        rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    else:
        return None
    return "#" + "".join(f"{round(max(0.0, min(1.0, v)) * 255):02X}" for v in rgb)
