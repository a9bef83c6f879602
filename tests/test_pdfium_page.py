"""pdfium's characters and paths give the table finders the page pdfplumber gives them:
the same words, boxed within a fraction of a point, the same rules and fills.  And a
page pdfium cannot give that way is read by pdfplumber."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from extractors.pdf.layout import PageLayout, layout_from_page
from extractors.pdf.pages import PageSource
from extractors.pdf.pdfium_page import PdfiumPage, PdfiumPages
from tests.pdfgen import write_pdf

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
BOX = 1.0        # points: words' boxes (pdfium ends a glyph drawn past its advance at its ink)
SAME = 0.01      # points: rules and fills (pdfium computes in single precision)


def layouts(path: Path):
    """Each page's layout from pdfplumber and from pdfium."""
    with pdfplumber.open(path) as pdf, PdfiumPages(str(path)) as pdfium:
        for page in pdf.pages:
            fast = pdfium.page(page.page_number)
            assert fast is not None, f"{path.name} page {page.page_number}: pdfium gave no page"
            yield f"{path.name} p{page.page_number}", layout_from_page(page), layout_from_page(fast)


def _unmatched(mine, theirs) -> list:
    """Items of ``mine`` with no item of ``theirs`` left within `SAME` on every side."""
    left: dict[tuple[int, int], list] = {}
    for item in theirs:
        left.setdefault((round(item.x0), round(item.top)), []).append(item)
    missing = []
    for item in mine:
        near = [(key, other) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for key in [(round(item.x0) + dx, round(item.top) + dy)] for other in left.get(key, [])
                if max(abs(item.x0 - other.x0), abs(item.top - other.top),
                       abs(item.x1 - other.x1), abs(item.bottom - other.bottom)) < SAME]
        if near:
            left[near[0][0]].remove(near[0][1])
        else:
            missing.append(item)
    return missing


def assert_same_page(where: str, slow: PageLayout, fast: PageLayout) -> None:
    assert [w.text for w in fast.words] == [w.text for w in slow.words], where
    for a, b in zip(slow.words, fast.words):
        assert max(abs(a.x0 - b.x0), abs(a.top - b.top), abs(a.x1 - b.x1), abs(a.bottom - b.bottom)) < BOX, (where, a, b)
    for name in ("horizontals", "verticals", "fills"):
        mine, theirs = getattr(fast, name), getattr(slow, name)
        assert len(mine) == len(theirs) and not _unmatched(mine, theirs), (where, name)
    assert (fast.width, fast.height, *fast.origin) == pytest.approx((slow.width, slow.height, *slow.origin), abs=0.01)


@pytest.mark.parametrize("path", sorted(RAW.glob("*.pdf")), ids=lambda p: p.name)
def test_the_bundled_samples_read_alike(path):
    for where, slow, fast in layouts(path):
        assert_same_page(where, slow, fast)


def _text_objects(*runs: tuple[float, str]) -> bytes:
    """Each run in a text object of its own, on one baseline."""
    return "\n".join(f"BT /F1 11 Tf 1 0 0 1 {x:.2f} 500 Tm ({text}) Tj ET" for x, text in runs).encode()


def test_a_space_in_a_text_object_of_its_own_ends_the_word(tmp_path):
    """Word writes a list number, its space and the item as three text objects; pdfium
    leaves the space out of its text, and the item starts within pdfplumber's word gap."""
    pdf = write_pdf(tmp_path / "numbered.pdf", [_text_objects((56.0, "10."), (72.9, " "), (74.7, "Regarding"))])
    (where, slow, fast), = layouts(pdf)
    assert [w.text for w in slow.words] == ["10.", "Regarding"]
    assert_same_page(where, slow, fast)


def test_a_space_glyph_kerned_under_the_next_word_still_ends_the_word(tmp_path):
    stream = b"BT /F1 11 Tf 1 0 0 1 56 500 Tm [(Kay Dicken) ( ) 250 (report)] TJ ET"
    pdf = write_pdf(tmp_path / "kerned.pdf", [stream])
    (where, slow, fast), = layouts(pdf)
    assert [w.text for w in slow.words] == ["Kay", "Dicken", "report"]
    assert_same_page(where, slow, fast)


def test_rules_rects_and_fills_are_pdfplumbers(tmp_path):
    stream = (b"0.8 g 50 400 200 20 re f 0 G 1 w 50 380 m 250 380 l S 50 360 m 50 420 l S "
              b"q 2 0 0 2 10 10 cm 100 100 50 30 re S Q 300 300 m 320 310 330 330 340 300 c S " + _text_objects((60, "Owner")))
    pdf = write_pdf(tmp_path / "rules.pdf", [stream])
    (where, slow, fast), = layouts(pdf)
    assert fast.fills and fast.horizontals and fast.verticals
    assert_same_page(where, slow, fast)


def _form_pdf(path: Path) -> Path:
    """A page that draws a form XObject (its own /Matrix, placed by ``cm``) holding a
    filled rect, a rule and text."""
    content = b"q 1 0 0 1 100 200 cm /Fm1 Do Q " + _text_objects((60, "Outside"))
    form = b"0 0 1 rg 10 10 80 20 re f 0 G 0 0 m 100 0 l S BT /F1 9 Tf 1 0 0 1 12 15 Tm (Inside form) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
               b"/Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /XObject /Subtype /Form /BBox [0 0 200 100] /Matrix [2 0 0 2 5 5] "
               b"/Resources << /Font << /F1 4 0 R >> >> /Length %d >>\nstream\n%s\nendstream" % (len(form), form)]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_form_xobjects_paths_are_placed_by_its_matrix(tmp_path):
    (where, slow, fast), = layouts(_form_pdf(tmp_path / "form.pdf"))
    assert [w.text for w in slow.words] == ["Outside", "Inside", "form"]
    assert len(fast.fills) == 1 and len(fast.horizontals) == 3
    assert_same_page(where, slow, fast)


def test_a_turned_page_is_read_by_pdfplumber(tmp_path):
    pdf = write_pdf(tmp_path / "turned.pdf", [_text_objects((60, "Action"))], rotate=90)
    with PageSource(str(pdf)) as pages:
        page = pages.page(1)
        assert not isinstance(page, PdfiumPage) and page.chars[0]["text"] == "A"
        pages.release(page)


def test_pdfium_can_be_turned_off(tmp_path):
    pdf = write_pdf(tmp_path / "plain.pdf", [_text_objects((60, "Action"))])
    with PageSource(str(pdf), fast=False) as pages:
        assert not isinstance(pages.page(1), PdfiumPage)
    with PageSource(str(pdf)) as pages:
        assert isinstance(pages.page(1), PdfiumPage)


@pytest.mark.parametrize("corpus", ["corpus/docs", "corpus/variants/docs"])
def test_every_corpus_page_reads_alike(shared, corpus):
    paths = [p for p in sorted((shared / corpus).rglob("*.pdf")) if "scanned" not in p.name]
    assert paths
    for path in paths:
        for where, slow, fast in layouts(path):
            assert_same_page(where, slow, fast)
