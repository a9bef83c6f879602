"""OCR of PDF pages that carry no usable text layer.

A page is rendered (`raster`), straightened (`deskew`), searched for ruling
lines (`rules`) and read by an engine (`engine`, Tesseract by default), with
the ink the engine passed over read again (`unread`).  `page` turns the
result into the same `PageLayout` a born-digital page gives, so every table
finder reads both alike.  `textlayer` decides which pages need this, `scans`
does it for one file.  Importing this package loads no imaging library.
"""
from .scans import Scans
from .settings import OcrSettings

__all__ = ["OcrSettings", "Scans"]
