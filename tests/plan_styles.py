"""One small plan table drawn in each style a PDF table comes in, so every
style is covered whatever the corpus holds: a full grid, rules only between
rows, no rules at all, a shaded header band, zebra rows, a header wrapped
over two lines, a landscape page turned with /Rotate, a table split over two
pages with shifted columns and no repeated header, and a header repeated
mid-grid; a cell's text set within a word or so of the next column
(`tight_gutter`); a page number under a table split over two pages
beside a small footer (`folio_split`); shaded heading bands the only rules (`heading_bands`); a
landscape table printed sideways on a portrait page with no /Rotate, its text
running up the paper (`sideways`) or down it (`sideways_down`).
Every style carries the same records (`ROWS`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.fontmetrics import FONT_METRICS

from tests.pdfgen import _escape, write_pdf

WIDTH, HEIGHT = 842, 595
LEADING = 11                 # points between wrapped lines
PAD = 5                      # points between a cell's text and its rules
COLUMNS = [40, 80, 360, 500, 620]       # where each column's text starts
RIGHT = 800
HEADER = ["Ref", "Action", "Lead officer", "Target date", "Progress"]
WRAPPED_HEADER = [["Ref"], ["Action"], ["Lead", "officer"], ["Target", "date"], ["Progress"]]
# (ref, action lines, officer, due, progress)
ROWS = [
    ("1.1", ["Publish the equality objectives on the", "council website"], "Ian McGuff", "April 2012", "Drafted"),
    ("1.2", ["Review recruitment data by ethnicity and gender"], "Rosina Ottwell", "Sept 2012", "Not started"),
    ("1.3", ["Train all managers in equality impact", "assessment"], "Jane Porter", "March 2013", "Half complete"),
    ("1.4", ["Consult disabled residents on access to", "customer service centres"], "David Silvera", "June 2013", "Planned"),
]
STYLES = ("grid", "hlines", "none", "shaded_header", "zebra", "wrapped_header", "rotated", "split", "repeated_header",
          "tight_gutter", "folio_split", "heading_bands", "sideways", "sideways_down")
SIZE = 9
TIGHT_GAP = 0.9 * SIZE       # wider than a word space, narrower than the gap between phrases
HEADING = "Priority outcome {}: fair access to services and employment for everyone who lives or works in the county"
BANDED = (0, 1, 3)           # rows with a shaded heading band above them


@dataclass
class Canvas:
    """Content stream operators for one page, in top-down coordinates."""
    height: float = HEIGHT
    ops: list[str] = field(default_factory=list)
    rotated: bool = False      # draw a landscape page on portrait paper turned by /Rotate 90
    down: bool = False         # rotated the other way: the text runs down the paper, not up

    def text(self, x: float, top: float, text: str, size: float = 9) -> None:
        x_on_paper, y_on_paper = self._point(x, top + size)
        # turned a quarter anticlockwise on the paper, so it reads upright once the viewer turns the page
        turn = "0 -1 1 0" if self.down else "0 1 -1 0" if self.rotated else "1 0 0 1"
        self.ops.append(f"BT /F1 {size} Tf {turn} {x_on_paper:.1f} {y_on_paper:.1f} Tm ({_escape(text)}) Tj ET")

    def rule(self, x0: float, top: float, x1: float, bottom: float) -> None:
        (a, b), (c, d) = self._point(x0, top), self._point(x1, bottom)
        self.ops.append(f"0.5 w {a:.1f} {b:.1f} m {c:.1f} {d:.1f} l S")

    def band(self, x0: float, top: float, x1: float, bottom: float, grey: float = 0.85) -> None:
        (a, b), (c, d) = self._point(x0, bottom), self._point(x1, top)
        self.ops.append(f"{grey} g {min(a, c):.1f} {min(b, d):.1f} {abs(c - a):.1f} {abs(d - b):.1f} re f 0 g")

    def _point(self, x: float, top: float) -> tuple[float, float]:
        y = self.height - top
        if self.down:
            return (y, WIDTH - x)
        return (HEIGHT - y, x) if self.rotated else (x, y)

    def stream(self) -> bytes:
        return "\n".join(self.ops).encode("latin-1")


def styled_plan(path: Path, style: str, rows=ROWS) -> Path:
    turned = style in ("rotated", "sideways", "sideways_down")
    pages = [Canvas(rotated=turned, down=style == "sideways_down")]
    pages[0].text(40, 40, "Equality Action Plan 2012/13", size=12)
    top = 80
    header = WRAPPED_HEADER if style == "wrapped_header" else [[h] for h in HEADER]
    columns = _tight_columns(rows) if style == "tight_gutter" else COLUMNS
    top = _header(pages[0], top, header, style, columns)
    for number, row in enumerate(rows):
        canvas = pages[-1]
        if style in ("split", "folio_split") and number == 2:
            # the break falls inside row 1.3: its first line here, the rest on the next page
            bottom = _row(canvas, top, (row[0], row[1][:1], row[2], row[3], row[4]), columns, style, number)
            if style == "folio_split":
                _folio(canvas, bottom, 1)
            pages.append(Canvas())
            columns = [x + 4 for x in COLUMNS]       # the next page's columns sit slightly right
            top = _row(pages[-1], 50, ("", row[1][1:], "", "", ""), columns, style, number)
            continue
        if style == "repeated_header" and number == 2:
            top = _header(canvas, top, header, style, columns)
        if style == "heading_bands" and number in BANDED:
            top = _heading_band(canvas, top, HEADING.format(BANDED.index(number) + 1))
        top = _row(canvas, top, row, columns, style, number)
    pages[-1].text(40, top + 40, "The plan will be reviewed by the equality steering group every six months and")
    pages[-1].text(40, top + 51, "the results reported to the cabinet member for corporate services.")
    if style == "folio_split":
        _folio(pages[-1], top + 70, 2)
    # sideways: the landscape table printed turned on a portrait page, with no /Rotate to turn it back
    size = (HEIGHT, WIDTH) if turned else (WIDTH, HEIGHT)
    return write_pdf(path, [p.stream() for p in pages], *size, rotate=90 if style == "rotated" else 0)


def _folio(canvas: Canvas, top: float, number: int) -> None:
    """A page number set larger than the small footer beside it, on one baseline,
    just under the table."""
    canvas.text(RIGHT - 10, top - 1, str(number), size=11)
    canvas.text(COLUMNS[0], top + 3, "Equality Action Plan 2012/13 - draft for consultation", size=7)


def text_width(text: str, size: float = SIZE) -> float:
    widths = FONT_METRICS["Helvetica"][1]
    return sum(widths.get(c, 556) for c in text) * size / 1000


def _tight_columns(rows) -> list[float]:
    """The officer column starts just past the longest action line: that line and the
    officer beside it are set closer than phrases are, though wider apart than words."""
    officer = COLUMNS[1] + max(text_width(line) for row in rows for line in row[1]) + TIGHT_GAP
    return [*COLUMNS[:2], officer, *(x + officer - COLUMNS[2] for x in COLUMNS[3:])]


def _heading_band(canvas: Canvas, top: float, text: str) -> float:
    """A heading row across the table, on a shaded band: its edges are the page's only rules."""
    bottom = top + PAD * 2 + LEADING
    canvas.band(COLUMNS[0] - PAD, top, RIGHT, bottom, grey=0.92)
    canvas.text(COLUMNS[0], top + PAD, text)
    return bottom


def _header(canvas: Canvas, top: float, header: list[list[str]], style: str, columns: list[float]) -> float:
    bottom = top + PAD * 2 + LEADING * max(len(h) for h in header)
    if style in ("shaded_header", "zebra"):
        canvas.band(COLUMNS[0] - PAD, top, RIGHT, bottom)
    for x, lines in zip(columns, header):
        for i, line in enumerate(lines):
            canvas.text(x, top + PAD + i * LEADING, line)
    _rules(canvas, top, bottom, COLUMNS, style)
    return bottom


def _row(canvas: Canvas, top: float, row, columns: list[float], style: str, number: int) -> float:
    ref, action, officer, due, progress = row
    bottom = top + PAD * 2 + LEADING * max(1, len(action))
    if style == "zebra" and number % 2:
        canvas.band(columns[0] - PAD, top, RIGHT, bottom, grey=0.92)
    for x, cell in zip(columns, [[ref], action, [officer], [due], [progress]]):
        for i, line in enumerate(cell):
            if line:
                canvas.text(x, top + PAD + i * LEADING, line)
    _rules(canvas, top, bottom, columns, style)
    return bottom


def _rules(canvas: Canvas, top: float, bottom: float, columns: list[float], style: str) -> None:
    if style in ("grid", "repeated_header", "rotated", "sideways", "sideways_down", "split", "folio_split", "hlines"):
        canvas.rule(columns[0] - PAD, top, RIGHT, top)
        canvas.rule(columns[0] - PAD, bottom, RIGHT, bottom)
    if style in ("grid", "repeated_header", "rotated", "sideways", "sideways_down"):
        for x in [*columns, RIGHT + PAD]:
            canvas.rule(x - PAD, top, x - PAD, bottom)
