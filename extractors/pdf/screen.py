"""Which PDF pages are read for tables: a screen on pdfium, milliseconds a page.

Building a page's objects and finding its tables costs tens of milliseconds a
page, and almost no page of a committee paper holds a plan.  pdfium gives a
page's text in a few.  The screen sends a page to the table finders only when
its text shows plan evidence (thresholds and headings in ``data/screen.toml``):

- short lines that together read as plan column headers (the header lexicon
  of `extractors.interpret.headers`, the one the finders use);
- date cells and owner cells lined up in columns (pdfium's text runs, by left edge);
- a short line that reads as an action-log heading;
- lines that end in RAG ratings (a performance report's status table);
- no usable text at all (nothing, unmapped glyphs, or a large image under its
  text): the reader then decides whether OCR reads it, so a scan is never
  skipped in silence.

The reader adds the page after a read page whose table is the last thing on it (a footer aside),
when that table is part of a plan (`reader._plan_at_foot`).
Conservative by design: every rule errs towards reading.  A ruled grid alone
is not evidence: budgets, statistics and forms carry one on nearly half of
committee-paper pages.
"""
from __future__ import annotations

import ctypes
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from normalisers.dates import ONGOING, timescale_patterns

from ..interpret.cells import content_lexicon, evidence
from ..interpret.headers import DATA as HEADER_LEXICON
from ..interpret.headers import PLAN_ROLES, RATING_ROLES, RECORD_ROLES, classify_header, looks_like_plan_header
from ..model import TextBlock
from ..ocr.textlayer import garbage
from .layout import Word, words_to_lines

DATA = Path(__file__).parent / "data" / "screen.toml"
# characters that may be unmapped glyphs: only then is every character checked
UNUSUAL = re.compile(r"[^\x09-\x7e\xa0-\u024f\u2010-\u203a\u20ac\u2122\u2190-\u21ff\u2200-\u22ff\u25a0-\u25ff\u2600-\u26ff\ufb00-\ufb06]")

NO_TEXT = "no text"
UNREADABLE = "unreadable text"
IMAGE = "image under text"
HEADING = "action heading"
HEADER = "plan header"
COLUMNS = "date and owner columns"
RATINGS = "RAG ratings"
CONTINUES = "table continues"
ALL_PAGES = "all pages"
WORD = re.compile(r"[a-z#]+")
# Anything a date or timescale cell must hold: a year, a numeric date, a month with a
# two-digit year, a quarter, or a timescale word (the date normaliser's own patterns).
DATE_HINT = re.compile(
    r"\b(?:19|20)\d\d\b|\b\d\d?[/.-]\d\d?[/.-]\d\d|\b[a-z]{3,9}\.?[\s-]+['’]?\d\d\b|\bq[1-4]\b|"
    + "|".join(p.pattern for p in (ONGOING, *timescale_patterns())), re.IGNORECASE)
WHO_OR_WHEN = {"officer", "due", "start"}
IMAGE_DEPTH = 2          # form objects nest: an image inside a form inside the page counts


@dataclass(frozen=True)
class Thresholds:
    heading_words: int
    header_window: int
    short_line_words: int
    header_line_words: int
    header_lines: int
    header_roles: int
    header_density: float
    column_cells: int
    column_step: float
    column_cell_words: int
    cell_width: float
    foot_lines: int
    rated_lines: int
    image_share: float


@dataclass(frozen=True)
class Rules:
    headings: re.Pattern            # every heading pattern in one alternation: one scan per line
    rating_end: re.Pattern
    limits: Thresholds
    header_words: dict[str, frozenset[str]]     # the header lexicon's word hints: word -> roles


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    words = tomllib.loads(HEADER_LEXICON.read_text(encoding="utf-8"))["header_words"]
    return Rules(headings=re.compile("|".join(f"(?:{p})" for p in data["headings"]), re.IGNORECASE),
                 rating_end=re.compile(data["rating_end"], re.IGNORECASE),
                 limits=Thresholds(**data["thresholds"]),
                 header_words=_by_word(words))


def _by_word(words: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    roles: dict[str, set[str]] = {}
    for role, hints in words.items():
        for word in hints:
            roles.setdefault(word, set()).add(role)
    return {word: frozenset(r) for word, r in roles.items()}


@dataclass(frozen=True)
class PageScreen:
    page_number: int
    reason: str | None          # why the page must be read; None: screened out


@dataclass
class Screen:
    pages: list[PageScreen]             # none when pdfium cannot open the file: every page is read
    blocks: list[TextBlock] = field(default_factory=list)   # opening pages' lines, for metadata

    def reason(self, page_number: int) -> str | None:
        return self.pages[page_number - 1].reason if self.pages else ALL_PAGES


def screen_pdf(path: str, meta_pages: int = 0) -> Screen:
    """Every page's decision, and the lines (with positions) of the first ``meta_pages``."""
    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        return Screen(pages=[])      # pdfplumber gives its own, more precise, error, or reads it all
    try:
        screen = Screen(pages=[])
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                screen.pages.append(PageScreen(index + 1, page_reason(page, textpage, text)))
                if index < meta_pages:
                    screen.blocks += _blocks(page, textpage, text, index + 1)
            finally:
                textpage.close()
                page.close()
        return screen
    finally:
        document.close()


def page_reason(page, textpage, text: str) -> str | None:
    """Why a page must be read, cheapest evidence first; None if nothing says so."""
    if not text.strip():
        return NO_TEXT
    if garbage(list(text) if UNUSUAL.search(text) else [], text.split()):
        return UNREADABLE
    return _image_reason(page) or text_reason(text) or _column_reason(page, textpage, text)


def text_reason(text: str) -> str | None:
    """Plan evidence in a page's text alone."""
    found = rules()
    limits = found.limits
    lines = [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]
    if any(len(line.split()) <= limits.heading_words and found.headings.search(line) for line in lines):
        return HEADING
    if _named_columns(lines) or _header_words(lines):
        return HEADER
    if sum(not line.endswith(".") and bool(found.rating_end.search(line)) for line in lines) >= limits.rated_lines:
        return RATINGS
    return None


def _named_columns(lines: list[str]) -> bool:
    """Short lines (a header row's cells, which pdfium may give one per line) that
    the header synonyms read as an action or measure column and a who/when column,
    or a rating (``KPIs | RAG rating``: a performance report's status table)."""
    limits = rules().limits
    short = [line for line in lines if len(line.split()) <= limits.short_line_words]
    if looks_like_plan_header("\n".join(short)):
        return True
    roles = [_role(line) for line in short]
    for start in range(len(short)):
        found = {r for r in roles[start:start + limits.header_window] if r}
        if found & RECORD_ROLES and found & (PLAN_ROLES | RATING_ROLES):
            return True
    return False


@lru_cache(maxsize=4096)
def _role(line: str) -> str | None:
    return classify_header(line)


def _header_words(lines: list[str]) -> bool:
    """A header row in other words (``Desired outcome | Actions ... | Staff Lead``):
    a few lines, none prose, whose words name several columns, one of them who or when."""
    limits = rules().limits
    # each line's words once (None: prose, which ends a header row), then every window of lines
    found = [None if line.endswith(".") or len(line.split()) > limits.header_line_words
             else WORD.findall(line.lower()) for line in lines]
    for start in range(len(lines)):
        words: list[str] = []
        for line_words in found[start:start + limits.header_lines]:
            if line_words is None:
                break
            words += line_words
            if _names_columns(words):
                return True
    return False


def _names_columns(words: list[str]) -> bool:
    limits = rules().limits
    table = rules().header_words
    named = [table[w] for w in words if w in table]
    roles = frozenset().union(*named)
    hits = len(named)
    return (len(roles) >= limits.header_roles and bool(roles & WHO_OR_WHEN)
            and hits >= limits.header_density * len(words))


def _image_reason(page) -> str | None:
    """A large image under a text layer may be a scan with a hidden, unreliable
    layer: the reader's OCR check decides."""
    width, height = page.get_size()
    least = rules().limits.image_share * width * height
    return IMAGE if _holds_image(page.raw, least, IMAGE_DEPTH) else None


def _holds_image(parent, least: float, depth: int, form: bool = False) -> bool:
    """Asks pdfium only each object's type (pypdfium2's iterator wraps every object of
    the page in Python first, which cost more than the rest of the screen); forms are
    looked into ``depth - 1`` levels deep."""
    count, get = ((pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject) if form
                  else (pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject))
    for index in range(count(parent)):
        obj = get(parent, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and _area(obj) >= least:
            return True
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth > 1 and _holds_image(obj, least, depth - 1, form=True):
            return True
    return False


def _area(obj) -> float:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return 0.0
    return (right.value - left.value) * (top.value - bottom.value)


def _column_reason(page, textpage, text: str) -> str | None:
    """Date and owner cells lined up in columns, as a plan's due and owner columns are."""
    if not _enough_dates(text):
        return None          # fewer dates or timescales than a column needs, wherever they sit
    columns = _columns(textpage, page.get_width())
    if not _stacked(columns, lambda cell: bool(_date_hint().search(cell)) and evidence(cell).when):
        return None          # owners are dearer to recognise: only beside a column of dates
    return COLUMNS if _stacked(columns, lambda cell: not evidence(cell).when and evidence(cell).owner) else None


def _columns(textpage, width: float) -> list[list[str]]:
    """The cells of each left edge that has enough of them to be a column.  pdfium's text
    rectangles are runs of text on one line, so a table's cells come apart; a wide run
    is prose, never a date or owner cell.  Text is fetched only for runs that share
    their left edge with enough others: on a page of prose, for almost none."""
    limits = rules().limits
    edges: dict[int, list[tuple[float, float, float, float]]] = {}
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        if right - left <= limits.cell_width * width:
            edges.setdefault(round(left / limits.column_step), []).append((left, bottom, right, top))
    buffer = (ctypes.c_ushort * (textpage.count_chars() + 1))()
    columns = []
    for rects in edges.values():
        if len(rects) < limits.column_cells:
            continue
        cells = [text for text in (" ".join(_bounded_text(textpage, buffer, rect).split()) for rect in rects)
                 if text and len(text.split()) <= limits.column_cell_words]
        if len(cells) >= limits.column_cells:
            columns.append(cells)
    return columns


def _bounded_text(textpage, buffer, rect: tuple[float, float, float, float]) -> str:
    """The text inside ``rect``, in one call to pdfium into a buffer the page's
    characters fit (pypdfium2 calls it twice, once to size its own buffer)."""
    left, bottom, right, top = rect
    written = pdfium_c.FPDFText_GetBoundedText(textpage.raw, left, top, right, bottom, buffer, len(buffer))
    if written >= len(buffer):
        return textpage.get_text_bounded(left, bottom, right, top)
    # into a buffer, pdfium counts the terminating NUL too
    return ctypes.string_at(buffer, 2 * max(written - 1, 0)).decode("utf-16-le", errors="ignore")


def _stacked(columns: list[list[str]], test) -> bool:
    """Some column holds enough cells that pass ``test``; stops counting at enough."""
    enough = rules().limits.column_cells
    for cells in columns:
        passed = 0
        for cell in cells:
            passed += bool(test(cell))
            if passed >= enough:
                return True
    return False


def _enough_dates(text: str) -> bool:
    """At least a column's worth of date hints in the text: counted on the lowered text
    with a case-sensitive pattern, stopping at enough (case-blind matching of the long
    alternation over a whole page of prose cost as much as the rest of the screen)."""
    hints = _lower_date_hint().finditer(text.lower())
    return len(list(islice(hints, rules().limits.column_cells))) >= rules().limits.column_cells


@lru_cache(maxsize=1)
def _lower_date_hint() -> re.Pattern:
    return re.compile(_date_hint().pattern)


@lru_cache(maxsize=1)
def _date_hint() -> re.Pattern:
    """Anything a date or timescale cell must hold: a year, a numeric date, a month with a
    two-digit year, a quarter, or a timescale word (the date normaliser's patterns and
    the cell reader's timescales)."""
    words = "|".join(re.escape(t) for t in content_lexicon().timescales)
    return re.compile("|".join([DATE_HINT.pattern, rf"\b(?:{words})\b"]), re.IGNORECASE)


def _blocks(page, textpage, text: str, page_number: int) -> list[TextBlock]:
    """The page's lines as the reader gives them (grouped by baseline, top to bottom),
    with pdfium's words and spaces, each boxed as pdfminer boxes a character: from
    the font's descent, one font size high, so sizes and gaps compare as on
    pdfplumber's lines."""
    height = page.get_height()
    count = textpage.count_chars()
    runs: list[Word] = []
    offset = 0
    for raw in text.split("\r\n"):
        first = offset + len(raw) - len(raw.lstrip())
        last = offset + len(raw.rstrip()) - 1
        offset += len(raw) + 2
        if not raw.strip() or last >= count:
            continue
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first)
        left, base, _, _ = textpage.get_charbox(first, loose=True)
        right = textpage.get_charbox(last, loose=True)[2]
        runs.append(Word(" ".join(raw.split()), left, height - (base + size), max(right, left), height - base))
    return [TextBlock(text=line.text, page=page_number, size=line.size, top=line.top, bottom=line.bottom)
            for line in words_to_lines(runs)]
