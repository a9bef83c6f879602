"""A minimal PDF writer for test inputs the corpus does not have: borderless
tables (text placed in columns, no ruling lines) and very long files.  It
writes real PDF 1.4 with the standard Helvetica font, which pdfplumber reads."""
from __future__ import annotations

import zlib
from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_stream(lines: list[tuple[float, float, str]], size: float = 9, invisible: bool = False) -> bytes:
    ops = ["BT", f"/F1 {size} Tf"] + (["3 Tr"] if invisible else [])
    for x, y, text in lines:
        ops.append(f"1 0 0 1 {x:.1f} {y:.1f} Tm ({_escape(text)}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def write_pdf(path: Path, pages: list[bytes], width: float = 842, height: float = 595, rotate: int = 0,
              images: list | None = None) -> Path:
    """``pages`` are content streams; every page shares one font and one size.
    ``rotate`` is every page's /Rotate (the viewer turns the page clockwise).  ``images``
    (PIL greyscale images, one per page) are drawn under each page's content, over the whole page."""
    objects: list[bytes] = [b"", b""]   # 1: catalog, 2: pages (filled last)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")   # 3
    kids = []
    for i, stream in enumerate(pages):
        xobject = b""
        if images:
            pixels = zlib.compress(images[i].convert("L").tobytes())
            objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                           b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
                           % (*images[i].size, len(pixels)) + pixels + b"\nendstream")
            xobject = b"/XObject << /Im1 %d 0 R >>" % len(objects)
            stream = b"q %d 0 0 %d 0 0 cm /Im1 Do Q\n" % (width, height) + stream
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> %s >> "
                       b"/Rotate %d /Contents %d 0 R >>" % (width, height, xobject, rotate, content))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


def borderless_plan(path: Path) -> Path:
    """A plan table with no ruling lines, in an order and wording no corpus
    template uses: columns only implied by alignment, a cell wrapped over two
    lines, and a paragraph of prose after the table."""
    columns = [(40, "Owner"), (160, "What we will do"), (520, "By when"), (640, "Progress")]
    rows = [
        [("Ian McGuff", "Publish the equality objectives on the", "April 2012", "Drafted"), ("", "council website", "", "")],
        [("HR Team", "Review recruitment data by ethnicity and gender", "Sept 12", "Not started")],
        [("Rosina Ottwell", "Train all managers in impact assessment", "Ongoing", "Half complete")],
    ]
    lines = [(40, 540, "Equality Action Plan 2012/13")]
    y = 500
    lines += [(x, y, title) for x, title in columns]
    for row in rows:
        y -= 24
        for i, line in enumerate(row):
            y -= 11 if i else 0
            lines += [(x, y, text) for (x, _), text in zip(columns, line) if text]
    lines.append((40, y - 60, "The plan will be reviewed by the equality steering group every six months and the"))
    lines.append((40, y - 71, "results reported to the cabinet member for corporate services."))
    return write_pdf(path, [page_stream(lines)])


def long_pdf(path: Path, pages: int) -> Path:
    stream = page_stream([(40, 500, "Minutes of the meeting, continued.")])
    return write_pdf(path, [stream] * pages)


def scanned_pdf(path: Path) -> Path:
    """A page with marks but no text layer, as a scanner without OCR leaves it."""
    return write_pdf(path, [b"0.5 g 40 40 760 500 re f"])


RULED_COLUMNS = [40, 90, 430, 600, 760]


def _ruled_rows(rows: list[list], tops: list[float], header: list[str] | None = None) -> bytes:
    """A grid drawn with ruling lines: ``tops`` are its row rules, top to bottom; the
    header, when given, fills the first row."""
    columns = RULED_COLUMNS
    lines = [(x + 5, tops[0] - 16, title) for x, title in zip(columns, header)] if header else []
    for top, row in zip(tops[1:] if header else tops, rows):
        ref, action, owner, due = row
        lines += [(columns[0] + 5, top - 16, ref), (columns[2] + 5, top - 16, owner), (columns[3] + 5, top - 16, due)]
        lines += [(columns[1] + 5, top - 16 - 12 * i, text) for i, text in enumerate(action)]
    last = tops[-1] if header else tops[len(rows)]
    rules = [f"{columns[0]} {y} m {columns[-1]} {y} l S" for y in tops if y >= last]
    rules += [f"{x} {tops[0]} m {x} {last} l S" for x in columns]
    return ("1 w\n" + "\n".join(rules) + "\n").encode() + page_stream(lines, size=10)


PLAN_ROWS = [
    ["1.1", ["Publish the equality objectives on the", "council website"], "Ian McGuff", "April 2012"],
    ["1.2", ["Review recruitment data by ethnicity", "and gender every quarter"], "Rosina Ottwell", "September 2012"],
    ["2.1", ["Train all managers in equality impact", "assessment"], "HR Team", "March 2013"],
    ["2.2", ["Consult disabled residents on access", "to council buildings"], "Pauline Sharratt", "June 2013"],
]


def ruled_plan(path: Path) -> Path:
    """A plan table drawn as a grid, in wording no corpus template uses: a ref, an action
    wrapped over two lines, an owner, a due date."""
    header = ["Ref", "What we will do", "Lead officer", "By when"]
    title = page_stream([(40, 545, "Equality Action Plan 2012/13")])
    return write_pdf(path, [title + _ruled_rows(PLAN_ROWS, [520, 495, 455, 415, 375, 335], header)])


def prose_page(topic: str) -> bytes:
    """A page of a committee report: numbered paragraphs, no table."""
    sentences = [f"{n}.{i} The committee considered the {topic} and noted the report of the director, "
                 "which set out the" for n in (1, 2) for i in range(1, 8)]
    return page_stream([(60, 540 - 16 * k, text) for k, text in enumerate(sentences)], size=10)


def committee_paper(path: Path) -> Path:
    """Five pages as a council publishes them: two of prose, a plan table whose grid runs
    to the foot of page 3 and carries on, with no header, at the top of page 4, then prose."""
    header = ["Ref", "What we will do", "Lead officer", "By when"]
    plan = page_stream([(40, 545, "Appendix A")]) + _ruled_rows(
        PLAN_ROWS, [520, 495, 400, 305, 210, 115], header)
    more = [["3.1", ["Report progress on the plan to the", "cabinet committee"], "Amanda Beer", "July 2013"]]
    carried = _ruled_rows(more, [560, 465])
    return write_pdf(path, [prose_page("budget monitoring"), prose_page("school admissions"), plan, carried,
                            prose_page("highways maintenance")])


def scan_of(source: Path, path: Path, dpi: int = 150, degrees: float = 0.0, hidden_text: bool = False) -> Path:
    """``source`` as a scanner without OCR would give it back: every page an image only,
    turned by ``degrees``.  ``hidden_text`` adds an invisible text layer of junk over it,
    as a scanner's own poor OCR leaves."""
    import pypdfium2
    document = pypdfium2.PdfDocument(str(source))
    try:
        pages = [(page.get_size(), page.render(scale=dpi / 72, grayscale=True).to_pil()) for page in document]
    finally:
        document.close()
    (width, height), _ = pages[0]
    images = [image.convert("L").rotate(degrees, fillcolor=255, resample=3) for _, image in pages]
    junk = page_stream([(40, 300, "Xq7 zzk Qwv frxqflo")], invisible=True) if hidden_text else b""
    return write_pdf(path, [junk] * len(images), width=round(width), height=round(height), images=images)


def ruled_table_stream(rows: list[list[str]], widths: list[float], fills: dict[tuple[int, int], tuple] | None = None,
                       x0: float = 40, top: float = 540, height: float = 28) -> bytes:
    """A table ruled with stroked cell boxes; ``fills`` shades cells (row, col) -> RGB in 0..1."""
    ops: list[str] = []
    for r, row in enumerate(rows):
        y = top - (r + 1) * height
        x = x0
        for c, (text, width) in enumerate(zip(row, widths)):
            if fills and (r, c) in fills:
                ops.append("{:.2f} {:.2f} {:.2f} rg {:.1f} {:.1f} {:.1f} {:.1f} re f 0 g".format(
                    *fills[(r, c)], x, y, width, height))
            ops.append(f"{x:.1f} {y:.1f} {width:.1f} {height:.1f} re S")
            x += width
    text = page_stream([(x0 + sum(widths[:c]) + 3, top - (r + 1) * height + 10, t)
                        for r, row in enumerate(rows) for c, t in enumerate(row) if t])
    return "\n".join(ops).encode("latin-1") + b"\n" + text
