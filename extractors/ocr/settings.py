"""How pages are OCR'd."""
from __future__ import annotations

from dataclasses import dataclass

DPI = 200       # measured on the scanned corpus: see the README's OCR section


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = True
    dpi: int = DPI
    engine: str = "tesseract"
