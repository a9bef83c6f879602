"""What a page shows, independent of where it came from.

A `PageLayout` holds a page's words with their boxes, its ruling segments
and its filled rectangles.  Born-digital pages build it from pdfplumber; an
OCR'd page builds it from recognised words and lines found in the image.
Every table finder reads a `PageLayout`, so both kinds of page go through
the same finders.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from pdfplumber.utils import extract_words, filter_edges

LINE_TOLERANCE = 3.0     # points: words whose tops differ by less share a line
MIN_SEGMENT = 1.0        # points: shorter strokes are dots, not rules
WHITE = 0.95             # a fill lighter than this in every channel is the paper itself


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None     # OCR's confidence, 0-100; None for a text layer

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Segment:
    """A horizontal (top == bottom) or vertical (x0 == x1) ruling stroke."""
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class FilledRect:
    x0: float
    top: float
    x1: float
    bottom: float
    fill: tuple[float, ...]     # the colour as the PDF gives it: grey, RGB or CMYK, 0-1


@dataclass
class Line:
    """Words sharing a baseline, left to right."""
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        return median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class PageLayout:
    page_number: int
    width: float
    height: float
    words: list[Word]
    horizontals: list[Segment] = field(default_factory=list)
    verticals: list[Segment] = field(default_factory=list)
    fills: list[FilledRect] = field(default_factory=list)
    origin: tuple[float, float] = (0.0, 0.0)     # the page box's top-left: not always (0, 0)
    _lines: list[Line] | None = field(default=None, init=False, repr=False, compare=False)

    def lines(self) -> list[Line]:
        """The words as lines, built once (the words are not changed after construction)."""
        if self._lines is None:
            self._lines = words_to_lines(self.words)
        return self._lines

    def words_in(self, x0: float, top: float, x1: float, bottom: float) -> list[Word]:
        """Words whose centre lies inside the box."""
        return [w for w in self.words
                if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]


def words_to_lines(words: list[Word]) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1].words[0].top - word.top) < LINE_TOLERANCE:
            lines[-1].words.append(word)
        else:
            lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines


def text_of(words: list[Word]) -> str:
    """Words as lines of text, top to bottom."""
    return "\n".join(line.text for line in words_to_lines(words))


# -- from pdfplumber -----------------------------------------------------------

def layout_from_page(page) -> PageLayout:
    turn = _sideways(page.chars)
    if turn is not None:
        return _turned_layout(page, turn)
    x0, top, _, _ = page.bbox
    words = [Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
             for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)]
    return PageLayout(
        page_number=page.page_number, width=page.width, height=page.height, words=words,
        horizontals=[_segment(e) for e in filter_edges(page.edges, "h", min_length=MIN_SEGMENT)],
        verticals=[_segment(e) for e in filter_edges(page.edges, "v", min_length=MIN_SEGMENT)],
        fills=[f for f in map(_filled, page.rects) if f is not None],
        origin=(x0, top),
    )


# -- a landscape table printed sideways on a portrait page -----------------------
# Most of the page's characters run up the page (turned a quarter anticlockwise)
# or down it, with no /Rotate to turn the page back: the whole layout is read
# as the page turned the other way, so the text runs left to right.  Boxes of
# such a page (cells, rows) are in the turned page's coordinates.

def _sideways(chars: list[dict]) -> str | None:
    """Which way (``up`` or ``down``) more than half the characters run, if one does."""
    turns = [_turn(c) for c in chars]
    for turn in ("up", "down"):
        if 2 * turns.count(turn) > len(turns):
            return turn
    return None


def _turn(char: dict) -> str | None:
    if char.get("upright", True):
        return None
    _, b, c, _, _, _ = char.get("matrix", (1, 0, 0, 1, 0, 0))
    return "up" if b > 0 > c else "down" if c > 0 > b else None


def _turned_box(box: dict, turn: str, width: float, height: float) -> dict:
    """A box in the turned page: text running up reads left to right once the page turns clockwise."""
    x0, top, x1, bottom = box["x0"], box["top"], box["x1"], box["bottom"]
    if turn == "up":
        return {"x0": height - bottom, "x1": height - top, "top": x0, "bottom": x1}
    return {"x0": top, "x1": bottom, "top": width - x1, "bottom": width - x0}


def _turned_layout(page, turn: str) -> PageLayout:
    x0, top, x1, bottom = page.bbox
    width, height = x1 - x0, bottom - top

    def turned(box: dict) -> dict:
        local = {"x0": box["x0"] - x0, "x1": box["x1"] - x0, "top": box["top"] - top, "bottom": box["bottom"] - top}
        new = _turned_box(local, turn, width, height)
        return {**box, **new, "doctop": new["top"], "width": new["x1"] - new["x0"],
                "height": new["bottom"] - new["top"]}

    chars = [{**turned(c), "upright": True} for c in page.chars if _turn(c) == turn]
    words = [Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
             for w in extract_words(chars, keep_blank_chars=False, use_text_flow=False)]
    # a rule along the page is across the turned page, and the other way round
    edges = [{**turned(e), "orientation": {"h": "v", "v": "h"}[e["orientation"]]} for e in page.edges]
    return PageLayout(
        page_number=page.page_number, width=height, height=width, words=words,
        horizontals=[_segment(e) for e in filter_edges(edges, "h", min_length=MIN_SEGMENT)],
        verticals=[_segment(e) for e in filter_edges(edges, "v", min_length=MIN_SEGMENT)],
        fills=[f for f in (_filled(turned(r)) for r in page.rects) if f is not None],
    )


def _segment(edge: dict) -> Segment:
    return Segment(edge["x0"], edge["top"], edge["x1"], edge["bottom"])


def _filled(rect: dict) -> FilledRect | None:
    """A rect painted in a colour darker than the paper: a shaded header or band."""
    colour = rect.get("non_stroking_color")
    if not rect.get("fill") or colour is None:
        return None
    fill = tuple(float(c) for c in (colour if isinstance(colour, (list, tuple)) else [colour])
                 if isinstance(c, (int, float)))
    if not fill or _is_paper(fill):
        return None
    return FilledRect(rect["x0"], rect["top"], rect["x1"], rect["bottom"], fill)


def _is_paper(fill: tuple[float, ...]) -> bool:
    if len(fill) == 4:                       # CMYK: no ink is white
        return all(c < 1 - WHITE for c in fill)
    return all(c > WHITE for c in fill)
