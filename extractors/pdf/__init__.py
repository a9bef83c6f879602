"""PDF pages -> tables: a page layout (words, rules, fills), table finders over it,
and the stitching of tables continued across pages."""
from .reader import PDF_MEDIA_TYPE, NoTextLayer, PdfSettings, TooManyPages, read_pdf

__all__ = ["PDF_MEDIA_TYPE", "NoTextLayer", "PdfSettings", "TooManyPages", "read_pdf"]
