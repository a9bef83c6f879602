"""A PDF page's characters and painted paths read by pdfium, shaped as pdfplumber's objects.

pdfplumber takes a page's objects from pdfminer, whose content-stream
interpreter is pure Python: some 70 ms a page, most of the time a plan page
costs.  pdfium (C++, installed with pdfplumber) gives the same characters and
paths in a few milliseconds.  A `PdfiumPage` offers what `layout_from_page`
and the OCR check read of a pdfplumber page (``chars``, ``edges``, ``rects``,
``images``, ``extract_words``, its box and number), built as pdfminer builds
them, so the table finders see the same page:

- an upright character is as wide as its advance and one font size high,
  standing on its font's descent (`font_descents`); a turned one is boxed by
  its ink;
- every painted path is split into subpaths, each a line (two points), a rect
  (four points, axis-aligned, closed) or a curve (the end points of its
  segments), as pdfminer's ``paint_path`` classes them, and pdfplumber's own
  functions turn them into edges.

A page pdfium cannot give as pdfplumber would (turned by /Rotate, or with most
of its characters turned: a sideways table) is `None`: the reader then asks
pdfplumber.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

import pypdfium2
import pypdfium2.raw as pdfium_c
import pypdfium2_raw.bindings
from pdfplumber.utils import curve_to_edges, extract_words, line_to_edge, rect_to_edges

from .font_descents import FontDescents

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
GENERATED_BREAKS = frozenset("\r\n")
LINE_END_HYPHEN = "\x02"      # pdfium's mark for a hyphen that ends a line
EMPTY_TEXT = 2                # bytes: FPDFTextObj_GetText's length of no text, its terminator


def _address_of(name: str, *argtypes):
    """A pdfium function returning a handle, as a plain address: comparing the typed
    pointers pypdfium2 returns costs a cast a character."""
    function = pypdfium2_raw.bindings._libs["pdfium"][name]
    function.argtypes, function.restype = list(argtypes), ctypes.c_void_p
    return function


_text_object_address = _address_of("FPDFText_GetTextObject", pdfium_c.FPDF_TEXTPAGE, ctypes.c_int)
_font_address = _address_of("FPDFTextObj_GetFont", pdfium_c.FPDF_PAGEOBJECT)


@dataclass
class PdfiumPage:
    page_number: int
    bbox: tuple[float, float, float, float]     # pdfplumber's: x0, top, x1, bottom
    chars: list[dict]
    lines: list[dict] = field(default_factory=list)
    rects: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @cached_property
    def edges(self) -> list[dict]:
        """pdfplumber's ``Page.edges``, in its order."""
        return [*map(line_to_edge, self.lines), *chain.from_iterable(map(rect_to_edges, self.rects)),
                *chain.from_iterable(map(curve_to_edges, self.curves))]

    def extract_words(self, **options) -> list[dict]:
        return extract_words(self.chars, **options)


class PdfiumPages:
    """A PDF's pages as `PdfiumPage`s."""

    def __init__(self, path: str) -> None:
        self.document = pypdfium2.PdfDocument(path)
        self._descents = FontDescents(path)
        self._by_font: dict[int, float] = {}
        self._page_number = 0       # the page being read: its fonts' descriptors hold the descents

    def __enter__(self) -> "PdfiumPages":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.document.close()
        self._descents.close()

    def page(self, page_number: int) -> PdfiumPage | None:
        """Page ``page_number`` (from 1), or None where pdfplumber must read it."""
        page = self.document[page_number - 1]
        try:
            if page.get_rotation() % 360:
                return None
            self._page_number = page_number
            left, bottom, right, top = page.get_mediabox()
            # pdfplumber measures down from the media box's height, whatever its origin
            flip = top - bottom
            textpage = page.get_textpage()
            try:
                chars, starts = _chars(textpage, flip, self.descent)
                if chars is None:
                    return None
                result = PdfiumPage(page_number, (left, -bottom, right, flip - bottom), chars)
                walk = _Walk(result, textpage.raw, self.descent, starts)
                walk.objects(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, IDENTITY)
                walk.place_spaces()
                return result
            finally:
                textpage.close()
        finally:
            page.close()

    def descent(self, text_object) -> float:
        """The text object's font's descent for a one-point size (negative), as pdfminer takes it."""
        font = _font_address(text_object)
        if font not in self._by_font:
            self._by_font[font] = self._font_descent(pdfium_c.FPDFTextObj_GetFont(text_object))
        return self._by_font[font]

    def _font_descent(self, font) -> float:
        name = ctypes.create_string_buffer(256)
        pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
        found = self._descents.get(name.value.decode("latin-1"), self._page_number)
        if found is not None:
            return found
        own = ctypes.c_float()
        return own.value if pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), own) else 0.0


# -- characters ----------------------------------------------------------------

def _chars(textpage, height: float, descent_of) -> tuple[list[dict] | None, dict[int, int]]:
    """The page's characters, or None when most of them are turned (a sideways table,
    which pdfplumber's boxes of turned characters read best); and where each text
    object's characters start among them."""
    reader = _Characters(textpage.raw, height, descent_of)
    chars = reader.read()
    return (None if 2 * reader.turned > len(chars) else chars), reader.starts


class _Characters:
    def __init__(self, raw, height: float, descent_of) -> None:
        self.raw, self.height, self.descent_of = raw, height, descent_of
        self.box, self.x, self.y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        self.chars: list[dict] = []
        self.starts: dict[int, int] = {}
        self.turned = 0
        self._run = None            # the text object of the character last read
        self._font = None           # its `_run_font`
        self._run_end = -1          # the index in `chars` of the last upright character

    def read(self) -> list[dict]:
        raw = self.raw
        for index, unit in enumerate(_text(raw, pdfium_c.FPDFText_CountChars(raw))):
            if unit in GENERATED_BREAKS:
                continue        # pdfium's own line breaks: pdfplumber finds lines by position
            if unit.isspace() and pdfium_c.FPDFText_IsGenerated(raw, index):
                self._space(index)
                continue
            run = _text_object_address(raw, index)
            if run != self._run:
                self._run = run
                self.starts.setdefault(run, len(self.chars))
                self._font = _run_font(raw, index, self.descent_of)
            if pdfium_c.FPDFText_HasUnicodeMapError(raw, index):
                unit = "\ufffd"
            elif unit == LINE_END_HYPHEN and pdfium_c.FPDFText_IsHyphen(raw, index):
                unit = "-"
            if self._font is None:
                self.turned += 1
                self.chars.append(_turned_char(raw, index, unit, self.height))
            else:
                self._upright(index, unit)
        return self.chars

    def _space(self, index: int) -> None:
        """pdfium puts a space of its own where it sees a gap between words, and in place
        of a space glyph, which ends a word however closely it is kerned.  Both end the
        word here; pdfplumber would join two words less than its tolerance apart that
        no glyph separates (``0.0`` and ``Adults`` in neighbouring cells)."""
        if self._run_end >= 0:
            before = self.chars[self._run_end]
            self.chars.append({**before, "text": " ", "x0": before["x1"], "width": 0.0})

    def _upright(self, index: int, unit: str) -> None:
        """pdfminer's box: from the origin (or, slanted, the box's foot) to the end of
        the advance, from the descent one font size up.  pdfium's loose box ends at the
        advance or at the glyph's ink, whichever is further; where the ink overhangs
        (an italic "f"), the next character of the run starts where the advance ends."""
        size, descent, slant = self._font
        pdfium_c.FPDFText_GetLooseCharBox(self.raw, index, self.box)
        pdfium_c.FPDFText_GetCharOrigin(self.raw, index, self.x, self.y)
        origin, y0 = self.x.value, self.y.value + descent
        if self._run_end >= 0 and self.starts[self._run] <= self._run_end:
            before = self.chars[self._run_end]
            end = origin + slant * (descent + size)
            if before["x0"] < end < before["x1"]:
                before["x1"], before["width"] = end, end - before["x0"]
        self._run_end = len(self.chars)
        self.chars.append(_char(unit, origin + slant * descent, y0, self.box.right, y0 + size, self.height, True))


def _char(text: str, x0: float, y0: float, x1: float, y1: float, height: float, upright: bool) -> dict:
    return {**_object("char", x0, y0, x1, y1, height), "text": text, "upright": upright}


def _object(kind: str, x0: float, y0: float, x1: float, y1: float, height: float) -> dict:
    """pdfplumber's box keys for a box given in PDF space (y up), on a page ``height`` high."""
    return {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "top": height - y1,
            "bottom": height - y0, "doctop": height - y1, "width": x1 - x0, "height": y1 - y0}


def _turned_char(raw, index: int, text: str, height: float) -> dict:
    """A character turned on the page, boxed as pdfium boxes it (its advance along the
    text, its font's height across): words of a few turned characters (a label up a
    margin) stay apart from the page's upright words."""
    box, m = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
    pdfium_c.FPDFText_GetMatrix(raw, index, m)
    return {**_char(text, box.left, box.bottom, box.right, box.top, height, False),
            "matrix": (m.a, m.b, m.c, m.d, m.e, m.f)}


def _run_font(raw, index: int, descent_of) -> tuple[float, float, float] | None:
    """A text object's characters' height, descent and slant on the page, as pdfminer
    boxes them (the font size through the text and page matrices; the font's descent
    below the baseline; the shear of an oblique font), or None when its characters
    are turned."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(raw, index, m)
    if m.b or m.a <= 0 or m.d <= 0:
        return None
    size = pdfium_c.FPDFText_GetFontSize(raw, index) * m.d
    return size, descent_of(pdfium_c.FPDFText_GetTextObject(raw, index)) * size, m.c / m.d


def _text(raw, count: int) -> str:
    """Character by character: pdfium's text of a range drops or marks some (a hyphen
    that ends a line), which would shift every character after it off its box."""
    get = pdfium_c.FPDFText_GetUnicode
    return "".join([chr(get(raw, index)) for index in range(count)])


# -- paths and images ----------------------------------------------------------

@dataclass
class _Walk:
    """Every path and image of a page, and the spaces pdfium's text leaves out, in page space."""
    page: PdfiumPage
    textpage: object
    descent_of: object
    starts: dict[int, int]                  # a text object's first character's index
    _pending: list[dict] = field(default_factory=list)
    _spaces: list[tuple[int, dict]] = field(default_factory=list)

    def place_spaces(self) -> None:
        """Each space before the text that follows it in the content: pdfplumber orders
        characters that start at one point by content, and a space ends the word only
        when it comes first."""
        self._spaces += [(len(self.page.chars), space) for space in self._pending]
        for at, space in sorted(self._spaces, key=lambda placed: placed[0], reverse=True):
            self.page.chars.insert(at, space)       # from the end: earlier places stay put

    def objects(self, parent, count, get, matrix: Matrix) -> None:
        """The page's or a form's objects, in content order."""
        for index in range(count(parent)):
            obj = get(parent, index)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                _path(obj, _compose(_matrix(obj), matrix), self.page)
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                self.text(obj, matrix)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                self.page.images.append({"object_type": "image"})
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                self.objects(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                             _compose(_matrix(obj), matrix))

    def text(self, obj, matrix: Matrix) -> None:
        """A text object none of whose characters is in pdfium's text is a space on its
        own (Word writes a list number, its space and the item's text as three): pdfium
        leaves it out, and pdfminer's space glyph would end the word before it."""
        if pdfium_c.FPDFTextObj_GetText(obj, self.textpage, None, 0) > EMPTY_TEXT:
            at = self.starts.get(ctypes.cast(obj, ctypes.c_void_p).value)
            if at is not None:
                self._spaces += [(at, space) for space in self._pending]
                self._pending = []
            return
        a, b, c, d, e, f = _compose(_matrix(obj), matrix)
        size, left, right = ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        ignored = ctypes.c_float()
        if (b or c or a <= 0 or d <= 0 or not pdfium_c.FPDFTextObj_GetFontSize(obj, size)
                or not pdfium_c.FPDFPageObj_GetBounds(obj, left, ignored, right, ignored)):
            return
        size = size.value * d
        if right.value - left.value > size:
            return      # wider than a space: text pdfium dropped as a duplicate, not a gap
        y0 = f + self.descent_of(obj) * size
        self._pending.append(_char(" ", e, y0, max(right.value, e), y0 + size, self.page.height, True))


def _matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _path(obj, matrix: Matrix, page: PdfiumPage) -> None:
    """pdfminer paints a path that is stroked or filled; each subpath becomes an object."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    fill = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE
    if not (fill or stroke.value):
        return
    colour = _fill_colour(obj) if fill else None
    for shape, points in _subpaths(obj, matrix):
        _classify(shape, points, fill, colour, page)


def _subpaths(obj, matrix: Matrix):
    """Each subpath as pdfminer spells it (``m``, ``l``, ``c``, ``h``) with one point per
    operator, a curve's end point, in page space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    shape, points = "", []
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO and shape:
            yield shape, points
            shape, points = "", []
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier = (bezier + 1) % 3
            if bezier:
                continue        # a control point: pdfminer keeps only where the curve ends
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        shape += {pdfium_c.FPDF_SEGMENT_MOVETO: "m", pdfium_c.FPDF_SEGMENT_LINETO: "l"}.get(kind, "c")
        points.append((a * x.value + c * y.value + e, b * x.value + d * y.value + f))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            shape += "h"
            points.append(points[0])
    if shape:
        yield shape, points


def _classify(shape: str, points: list[tuple[float, float]], fill: bool, colour, page: PdfiumPage) -> None:
    """pdfminer's ``paint_path`` for one subpath."""
    if not shape.startswith("m"):
        return
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape = shape[:-2] + "h"
        points = points[:-1]
    if shape in ("mlh", "ml"):
        page.lines.append(_box(points[:2], page.height, "line"))
    elif shape in ("mlllh", "mllll") and points[0] == points[4] and _square(points):
        rect = _box(points, page.height, "rect")
        rect.update(fill=fill, non_stroking_color=colour)
        page.rects.append(rect)
    else:
        curve = _box(points, page.height, "curve")
        curve["pts"] = [(px, page.height - py) for px, py in points]
        page.curves.append(curve)


def _square(points) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _box(points, height: float, kind: str) -> dict:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return _object(kind, min(xs), min(ys), max(xs), max(ys), height)


def _fill_colour(obj) -> tuple[float, float, float] | None:
    """pdfium gives every colour as RGB, 0-255."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)
