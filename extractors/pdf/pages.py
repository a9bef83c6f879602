"""A PDF's pages for the reader: from pdfium where it gives them as pdfplumber would.

pdfium builds a page's characters and paths in a few milliseconds
(`pdfium_page`); a page it cannot give as pdfplumber would (turned, offset,
with characters not upright), or a file it cannot open, is read by pdfplumber,
which opens the file only then.
"""
from __future__ import annotations

import pdfplumber
import pypdfium2

from .objects import parse_objects
from .pdfium_page import PdfiumPage, PdfiumPages


class PageSource:
    def __init__(self, path: str, fast: bool = True) -> None:
        """``fast``: pdfium's objects where it can; False reads every page with pdfplumber."""
        self.path = path
        self._pdfium = _open_pdfium(path) if fast else None
        self._plumber = None
        self.count = len(self._pdfium.document) if self._pdfium else len(self._plumber_pdf().pages)

    def __enter__(self) -> "PageSource":
        return self

    def __exit__(self, *exc) -> None:
        if self._pdfium is not None:
            self._pdfium.close()
        if self._plumber is not None:
            self._plumber.close()

    def page(self, page_number: int):
        """A `PdfiumPage`, or a pdfplumber page with its objects parsed."""
        found = self._pdfium_page(page_number)
        if found is None:
            found = self._plumber_pdf().pages[page_number - 1]
            parse_objects(found)
        return found

    @staticmethod
    def release(page) -> None:
        """Drops pdfminer's per-page caches: long files stay flat in memory."""
        if not isinstance(page, PdfiumPage):
            page.close()

    def _pdfium_page(self, page_number: int) -> PdfiumPage | None:
        if self._pdfium is None:
            return None
        try:
            return self._pdfium.page(page_number)
        except pypdfium2.PdfiumError:
            return None

    def _plumber_pdf(self):
        if self._plumber is None:
            self._plumber = pdfplumber.open(self.path)
        return self._plumber


def _open_pdfium(path: str) -> PdfiumPages | None:
    try:
        return PdfiumPages(path)
    except pypdfium2.PdfiumError:
        return None     # pdfplumber reads it, or gives its own, more precise, error
