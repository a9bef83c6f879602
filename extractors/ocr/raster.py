"""A PDF page as a grey image, and its ink."""
from __future__ import annotations

import cv2
import numpy as np


def render_gray(pdf, index: int, dpi: int) -> np.ndarray:
    """Page ``index`` of a pypdfium2 document, rendered at ``dpi`` in 8-bit grey
    (the page's /Rotate applied, as pdfplumber applies it to coordinates)."""
    bitmap = pdf[index].render(scale=dpi / 72, grayscale=True)
    return np.array(bitmap.to_pil().convert("L"))


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """True where the page is dark: Otsu's threshold splits ink from paper (and from light
    shading, which is background to text)."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary > 0
