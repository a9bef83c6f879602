"""A minimal PDF writer for test inputs the corpus does not have: borderless
tables (text placed in columns, no ruling lines) and very long files.  It
writes real PDF 1.4 with the standard Helvetica font, which pdfplumber reads."""
from __future__ import annotations

from pathlib import Path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_stream(lines: list[tuple[float, float, str]], size: float = 9) -> bytes:
    ops = ["BT", f"/F1 {size} Tf"]
    for x, y, text in lines:
        ops.append(f"1 0 0 1 {x:.1f} {y:.1f} Tm ({_escape(text)}) Tj")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def write_pdf(path: Path, pages: list[bytes], width: float = 842, height: float = 595) -> Path:
    """``pages`` are content streams; every page shares one font and one size."""
    objects: list[bytes] = [b"", b""]   # 1: catalog, 2: pages (filled last)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")   # 3
    kids = []
    for stream in pages:
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (width, height, content))
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
