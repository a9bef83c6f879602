"""Ruling lines drawn in a page image, as pixel strokes.

Morphological opening with a long thin kernel keeps only ink that runs
straight for at least the kernel's length: rules survive, letters do not.
Horizontal rules must be longer than any run of ink in text.  Vertical
ones may be as short as one row of a table, which is close to the height of
a tall letter's stem, so a short vertical stroke counts only where it meets
a horizontal rule, as a table's column rule does.  A stroke thicker than a
rule is a filled band (a shaded header); its two long edges are rules, as
the edges of a filled rectangle are in a born-digital PDF.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

MIN_HORIZONTAL = 20.0       # points: text has no straight horizontal ink this long
MIN_VERTICAL = 8.0          # points: shortest vertical stroke examined
LONG_VERTICAL = 25.0        # points: longer than any letter's stem, a rule wherever it stands
MAX_THICKNESS = 4.0         # points: a thicker stroke is a filled band, not a rule
MEET = 3.0                  # points: a stroke this close to a rule meets it


@dataclass(frozen=True)
class Stroke:
    """A straight ruling stroke in pixels: horizontal when ``y0 == y1``, vertical when ``x0 == x1``."""
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Rules:
    horizontals: list[Stroke]
    verticals: list[Stroke]
    mask: np.ndarray            # True on the rules' own pixels: erased before OCR, which reads them as ``|``


def find_rules(ink: np.ndarray, dpi: int) -> Rules:
    """The ruling strokes in a binary ink image."""
    px = dpi / 72
    binary = ink.astype(np.uint8)
    horizontals, h_mask = _strokes(binary, round(MIN_HORIZONTAL * px), MAX_THICKNESS * px, horizontal=True,
                                   keep=lambda stroke: True)
    verticals, v_mask = _strokes(binary, round(MIN_VERTICAL * px), MAX_THICKNESS * px, horizontal=False,
                                 keep=lambda v: v.y1 - v.y0 >= LONG_VERTICAL * px
                                 or _meets_rule(v, horizontals, MEET * px))
    return Rules(horizontals, verticals, h_mask | v_mask)


def _strokes(binary: np.ndarray, length: int, max_thickness: float, horizontal: bool,
             keep: Callable[[Stroke], bool]) -> tuple[list[Stroke], np.ndarray]:
    shape = (length, 1) if horizontal else (1, length)        # cv2 kernels are (width, height)
    opened = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    strokes: list[Stroke] = []
    kept = np.zeros(count, dtype=bool)
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label, :4])
        found = _edges(x, y, w, h, max_thickness, horizontal)
        if keep(found[0]):
            strokes += found
            kept[label] = True
    return strokes, kept[labels]


def _edges(x: int, y: int, w: int, h: int, max_thickness: float, horizontal: bool) -> list[Stroke]:
    """A thin component is one rule along its middle; a thick one is a band ruled on both long sides."""
    if horizontal:
        return [Stroke(x, e, x + w, e) for e in ([y + h / 2] if h <= max_thickness else [y, y + h])]
    return [Stroke(e, y, e, y + h) for e in ([x + w / 2] if w <= max_thickness else [x, x + w])]


def _meets_rule(vertical: Stroke, horizontals: list[Stroke], reach: float) -> bool:
    return any(h.x0 - reach <= vertical.x0 <= h.x1 + reach
               and (abs(h.y0 - vertical.y0) <= reach or abs(h.y0 - vertical.y1) <= reach)
               for h in horizontals)
