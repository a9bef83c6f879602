"""How pages are OCR'd."""
from __future__ import annotations

from dataclasses import dataclass

DPI = 200       # measured on the scanned corpus: see the README's OCR section


@dataclass(frozen=True)
class OcrSettings:
    enabled: bool = True
    dpi: int = DPI
    engine: str = "tesseract"


OCR_PAGE_WEIGHT = 8     # an OCR'd page counts as this many pages in the per-file time allowance:
# it takes about 0.8 s of one core here against well under 0.1 s for a born-digital page


def timeout_pages(pages: int, ocr_pages: int) -> int:
    """Pages as the per-file timeout rule counts them, OCR'd pages weighted."""
    return pages + (OCR_PAGE_WEIGHT - 1) * ocr_pages
