"""The image side of one PDF: which pages need OCR, and their layouts.

pypdfium2 opens the file only when a page needs looking at as an image, and
the imaging libraries load only when a page is OCR'd, so born-digital files
pay nothing for OCR being on.
"""
from __future__ import annotations

from .settings import OcrSettings
from .textlayer import needs_ocr


class Scans:
    def __init__(self, path: str, settings: OcrSettings) -> None:
        self.path = path
        self.settings = settings
        self.ocr_pages = 0
        self._pdf = None

    def __enter__(self) -> "Scans":
        return self

    def __exit__(self, *exc) -> None:
        if self._pdf is not None:
            self._pdf.close()

    def needs_ocr(self, page, words: list[str]) -> bool:
        return self.settings.enabled and needs_ocr(page, words, lambda: self._all_invisible(page.page_number))

    def layout(self, page):
        """The page's `PageLayout` read from its image."""
        from .page import ocr_layout
        self.ocr_pages += 1
        return ocr_layout(self._document(), page, self.settings)

    def _document(self):
        if self._pdf is None:
            import pypdfium2
            self._pdf = pypdfium2.PdfDocument(self.path)
        return self._pdf

    def _all_invisible(self, page_number: int) -> bool:
        import pypdfium2.raw as pdfium_c
        page = self._document()[page_number - 1]
        modes = [pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
                 for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,))]
        return bool(modes) and all(m == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE for m in modes)
