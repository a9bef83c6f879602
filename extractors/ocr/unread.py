"""Ink the page reading left unread.

An engine's page layout analysis drops text it takes for noise, most often
a short item alone in a narrow cell: a row number (``7.``), a ref (``2.1``).
The ink no recognised word covers is grouped into line-sized regions, and
each region is read again, as one line, from an image holding only that ink,
so no neighbouring word's glyphs stray into it.
"""
from __future__ import annotations

import cv2
import numpy as np

from .engine import ImageWord, PixelBox

MIN_HEIGHT = 4.0        # points: shorter ink is a speck, a dot or a stray mark
MAX_HEIGHT = 30.0       # points: taller is a picture or a logo, not a line of text
WORD_GAP = 4.0          # points: ink closer than this across is one region
MARGIN = 3.0            # points of paper round a region: engines misread a glyph that touches the edge


def unread_ink(ink: np.ndarray, words: list[ImageWord]) -> np.ndarray:
    left = ink.copy()
    for w in words:
        left[w.top:w.bottom + 1, w.x0:w.x1 + 1] = False
    return left


def regions(ink: np.ndarray, dpi: int) -> list[PixelBox]:
    """Boxes round runs of ink a line high, with a margin of paper."""
    px = dpi / 72
    joined = cv2.dilate(ink.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (round(WORD_GAP * px), 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    height, width = ink.shape
    margin = round(MARGIN * px)
    return [(max(0, x - margin), max(0, y - margin), min(width, x + w + margin), min(height, y + h + margin))
            for x, y, w, h in (stats[i, :4].tolist() for i in range(1, count))
            if MIN_HEIGHT * px <= h <= MAX_HEIGHT * px]
