"""Font descents as pdfminer takes them, for characters pdfium boxes.

pdfminer stands a character on the descent its font descriptor states, 0
where it states none; pdfium falls back on the font file's own metrics there
(generated PDFs often write ``/Descent 0``), which would box the same words a
few points lower than pdfplumber does.  The descriptors are read with
pdfminer's parser, which interprets no page content: a page's fonts when a
font of that page is first met.
"""
from __future__ import annotations

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import num_value, resolve1


class FontDescents:
    def __init__(self, path: str) -> None:
        self.path = path
        self._handle = None
        self._pages = None          # pdfminer's pages, walked as far as a read page
        self._walked: list = []
        self._by_name: dict[str, float] = {}
        self._read: set[int] = set()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def get(self, name: str, page_number: int) -> float | None:
        """The base font's descent for a one-point size (negative), if the descriptor of
        a font of that name states it; page ``page_number``'s fonts are read for it
        unless they have been."""
        name = unsubset(name)
        if name not in self._by_name and page_number not in self._read:
            self._read_page(page_number)
        return self._by_name.get(name)

    def _read_page(self, page_number: int) -> None:
        self._read.add(page_number)
        try:
            page = self._page(page_number)
            fonts = resolve1(page.resources.get("Font")) if page is not None else None
            for spec in map(resolve1, (fonts or {}).values()):
                descriptor = _descriptor(spec)
                if descriptor is not None:
                    name = resolve1(spec.get("BaseFont"))
                    self._by_name[unsubset(getattr(name, "name", str(name)))] = -abs(
                        num_value(resolve1(descriptor.get("Descent", 0)))) / 1000
        except Exception:       # a file pdfminer cannot parse: pdfium's metrics stand
            self._pages = iter(())

    def _page(self, page_number: int):
        if self._pages is None:
            self._handle = open(self.path, "rb")
            self._pages = PDFPage.create_pages(PDFDocument(PDFParser(self._handle)))
        while len(self._walked) < page_number:
            page = next(self._pages, None)
            if page is None:
                return None
            self._walked.append(page)
        return self._walked[page_number - 1]


def _descriptor(spec) -> dict | None:
    if not isinstance(spec, dict):
        return None
    if "DescendantFonts" in spec:
        descendants = resolve1(spec["DescendantFonts"])
        spec = resolve1(descendants[0]) if descendants else {}
    descriptor = resolve1(spec.get("FontDescriptor")) if isinstance(spec, dict) else None
    return descriptor if isinstance(descriptor, dict) else None


def unsubset(name: str) -> str:
    """``ABCDEF+Arial`` and ``Arial`` are one font: the prefix names a subset."""
    prefix, plus, rest = name.partition("+")
    return rest if plus and len(prefix) == 6 else name
