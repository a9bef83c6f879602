"""An image-only PDF page -> the `PageLayout` the table finders read.

The page is rendered, straightened, searched for ruling lines and OCR'd;
pixel positions become PDF points in the page's own coordinates, so rows
found on an OCR'd page carry boxes comparable with a born-digital page's.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..pdf.layout import PageLayout, Segment, Word
from .deskew import rotate, skew_degrees
from .engine import ImageWord, engine
from .raster import ink_mask, render_gray
from .rules import Stroke, find_rules
from .settings import OcrSettings
from .slips import mend
from .unread import regions, unread_ink

JUNK_CONFIDENCE = 60.0      # a mark with no letter or digit is kept only when read this surely
REREAD_CONFIDENCE = 70.0    # ink the page reading passed over is often a bullet or a speck: keep sure reads only


def ocr_layout(pdf, page, settings: OcrSettings = OcrSettings()) -> PageLayout:
    """``pdf`` is the pypdfium2 document, ``page`` the same page in pdfplumber (its
    number, size and origin)."""
    gray = render_gray(pdf, page.page_number - 1, settings.dpi)
    gray = rotate(gray, skew_degrees(ink_mask(gray)))
    ink = ink_mask(gray)
    rules = find_rules(ink, settings.dpi)
    words = _read(ink & ~_grown(rules.mask), settings)
    to_points = _Points(settings.dpi, page.bbox[0], page.bbox[1])
    return PageLayout(
        page_number=page.page_number, width=page.width, height=page.height,
        words=[to_points.word(w) for w in words if _is_word(w)],
        horizontals=[to_points.segment(s) for s in rules.horizontals],
        verticals=[to_points.segment(s) for s in rules.verticals],
        origin=(page.bbox[0], page.bbox[1]),
    )


def _read(ink: np.ndarray, settings: OcrSettings) -> list[ImageWord]:
    """The page read whole, then the ink it left unread read again line by line.
    The engine sees black ink on white: its own thresholding of a small cell
    misreads speckled paper as strokes."""
    reader = engine(settings.engine)
    words = reader.read_page(_image(ink), settings.dpi)
    left = unread_ink(ink, words)
    found = reader.read_lines(_image(left), settings.dpi, regions(left, settings.dpi))
    return words + [w for w in found if w.confidence >= REREAD_CONFIDENCE]


def _image(ink: np.ndarray) -> Image.Image:
    return Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))


def _grown(mask: np.ndarray) -> np.ndarray:
    """A rule's anti-aliased fringe too: the engine reads a rule beside text as ``|``."""
    return cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0


def _is_word(word: ImageWord) -> bool:
    """Rules and specks read as ``|`` or ``_`` carry no letter or digit."""
    return any(ch.isalnum() for ch in word.text) or word.confidence >= JUNK_CONFIDENCE


@dataclass(frozen=True)
class _Points:
    dpi: int
    x: float        # the page box's top-left, in points
    y: float

    def _x(self, px: float) -> float:
        return float(self.x + px * 72 / self.dpi)

    def _y(self, px: float) -> float:
        return float(self.y + px * 72 / self.dpi)

    def word(self, w: ImageWord) -> Word:
        return Word(mend(w.text), self._x(w.x0), self._y(w.line_top), self._x(w.x1), self._y(w.line_bottom),
                    w.confidence)

    def segment(self, s: Stroke) -> Segment:
        return Segment(self._x(s.x0), self._y(s.y0), self._x(s.x1), self._y(s.y1))
