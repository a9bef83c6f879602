"""OCR of image-only PDF pages: real scans made here (a generated table PDF
rasterised with pypdfium2 and rebuilt as images, slightly turned) and the
scanned variants in ../shared, through the real CLI."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import cv2
import duckdb
import numpy as np
import pytest

from extractors.ocr.confidence import box_confidence, low_confidence_warnings
from extractors.ocr.deskew import rotate, skew_degrees
from extractors.ocr.rules import find_rules
from extractors.ocr.textlayer import garbage
from extractors.ocr.settings import OCR_PAGE_WEIGHT
from extractors.ocr.slips import mend
from extractors.pdf import read_pdf
from extractors.interpret import is_header_row
from extractors.model import Cell, Row, Table
from extractors.pdf.layout import Word
from extractors.pdf.stitch import stitch_tables
from tests.conftest import run_cli
from tests.pdfgen import borderless_plan, ruled_plan, scan_of

SCANNED_VARIANTS = ["dudley-dcs-cross-council-progress-2012-13-scanned.pdf",
                    "dudley-dcs-ed-action-plan-2008-09-scanned.pdf",
                    "dudley-equality-objectives-action-plans-2011-2014-scanned.pdf"]


def rows(out: Path, dataset: str) -> list[dict]:
    order = "source_name, table_index, row_index" if dataset == "actions" else "source_name"
    return duckdb.sql(f"SELECT * FROM read_parquet('{out}/{dataset}/*.parquet') ORDER BY {order}").to_arrow_table().to_pylist()


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    """A ruled plan scanned turned by half a degree, and a borderless one turned the other
    way under a scanner's invisible junk text layer."""
    folder = tmp_path_factory.mktemp("scans")
    made = tmp_path_factory.mktemp("born-digital")
    scan_of(ruled_plan(made / "ruled.pdf"), folder / "ruled-scan.pdf", degrees=0.5)
    scan_of(borderless_plan(made / "borderless.pdf"), folder / "borderless-scan.pdf", degrees=-0.3, hidden_text=True)
    return folder


@pytest.fixture(scope="module")
def scans_out(scans, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scans-out")
    run_cli("ingest", str(scans), "--out", str(out), "--quiet", "--workers", "1", check=True)
    return out


def test_scans_have_no_text_layer_to_read(scans):
    import pdfplumber
    with pdfplumber.open(scans / "ruled-scan.pdf") as pdf:
        assert not pdf.pages[0].chars and pdf.pages[0].images
    with pdfplumber.open(scans / "borderless-scan.pdf") as pdf:
        assert all(c["text"] in "Xq7 zzk Qwv frxqflo" for c in pdf.pages[0].chars)


def test_ruled_scan_reads_like_the_born_digital_table(scans_out):
    docs = {d["source_name"]: d for d in rows(scans_out, "documents")}
    assert docs["ruled-scan.pdf"]["ocr"] and docs["ruled-scan.pdf"]["status"] == "ok"
    found = [r for r in rows(scans_out, "actions") if r["source_name"] == "ruled-scan.pdf"]
    assert [(r["ref"], r["action"], r["due_month"]) for r in found] == [
        ("1.1", "Publish the equality objectives on the council website", date(2012, 4, 1)),
        ("1.2", "Review recruitment data by ethnicity and gender every quarter", date(2012, 9, 1)),
        ("2.1", "Train all managers in equality impact assessment", date(2013, 3, 1)),
        ("2.2", "Consult disabled residents on access to council buildings", date(2013, 6, 1)),
    ]
    assert [r["officers"] for r in found[1:]] == [["Rosina Ottwell"], ["HR Team"], ["Pauline Sharratt"]]


def test_borderless_scan_under_junk_text_is_read_by_alignment(scans_out):
    docs = {d["source_name"]: d for d in rows(scans_out, "documents")}
    assert docs["borderless-scan.pdf"]["ocr"]
    found = [r for r in rows(scans_out, "actions") if r["source_name"] == "borderless-scan.pdf"]
    assert [(r["action"], r["due_month"], r["due_status"]) for r in found] == [
        ("Publish the equality objectives on the council website", date(2012, 4, 1), None),
        ("Review recruitment data by ethnicity and gender", date(2012, 9, 1), None),
        ("Train all managers in impact assessment", None, "ongoing"),
    ]
    assert [r["officers"] for r in found[1:]] == [["HR Team"], ["Rosina Ottwell"]]


def test_ocr_confidence_only_on_ocr_rows(scans_out, tmp_path):
    assert all(0 < r["ocr_confidence"] <= 100 for r in rows(scans_out, "actions"))
    born = tmp_path / "in"
    born.mkdir()
    ruled_plan(born / "ruled.pdf")
    run_cli("ingest", str(born), "--out", str(tmp_path / "out"), "--quiet", check=True)
    assert [r["ocr_confidence"] for r in rows(tmp_path / "out", "actions")] == [None] * 4
    assert [d["ocr"] for d in rows(tmp_path / "out", "documents")] == [False]


def test_no_ocr_fails_a_scan_as_before(scans, tmp_path):
    result = run_cli("ingest", str(scans / "ruled-scan.pdf"), "--out", str(tmp_path / "out"), "--quiet", "--no-ocr")
    assert result.returncode == 1
    [doc] = rows(tmp_path / "out", "documents")
    assert (doc["status"], doc["error"], doc["ocr"]) == ("failed", "no text layer (scanned) — OCR not enabled", False)


def test_ocr_pages_weigh_more_in_the_time_allowance(scans):
    heard = []
    read_pdf(str(scans / "ruled-scan.pdf"), on_pages=heard.append)
    assert heard == [1 + (OCR_PAGE_WEIGHT - 1)]


@pytest.mark.parametrize("degrees", [-2.0, -0.3, 0.0, 0.35, 1.5])
def test_skew_is_measured_and_undone(degrees):
    page = _ruled_image()
    turned = _turn(page, degrees)
    assert skew_degrees(turned < 128) == pytest.approx(degrees, abs=0.05)
    assert skew_degrees(rotate(turned, skew_degrees(turned < 128)) < 128) == pytest.approx(0.0, abs=0.05)


def test_rules_are_found_and_letters_are_not():
    rules = find_rules(_ruled_image() < 128, dpi=150)
    assert sorted({round(s.y0) for s in rules.horizontals}) == [100, 400, 700]
    assert sorted({round(s.x0) for s in rules.verticals}) == [50, 650, 1650]


@pytest.mark.parametrize("chars, words, expected", [
    (list("The council will review its equality scheme"), "The council will review its equality scheme".split(), False),
    (["(cid:3)"] * 30 + list("ab"), [], True),
    (list("\ue000\ue001\ue002abc"), [], True),
    (list("Wkh frxqflo zloo uhylhz lwv htxdolwb vfkhph hyhub bhdu zlwk sduwqhuv"),
     "Wkh frxqflo zloo uhylhz lwv htxdolwb vfkhph hyhub bhdu zlwk sduwqhuv".split(), True),
    (list("CSS EYYES QPP BSR"), "CSS EYYES QPP BSR".split(), False),     # too few words to judge by vowels
])
def test_garbage_text_layers(chars, words, expected):
    assert garbage(chars, words) is expected


def _ruled_image() -> np.ndarray:
    """A page at 150 dpi with a two-row grid and lines of text in each cell."""
    page = np.full((1240, 1750), 255, np.uint8)
    for y in (100, 400, 700):
        cv2.line(page, (50, y), (1650, y), 0, 2)
    for x in (50, 650, 1650):
        cv2.line(page, (x, 100), (x, 700), 0, 2)
    for y in range(150, 700, 50):
        if y % 300 != 100:
            cv2.putText(page, "Review the plan with partners by April 2012", (60, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    return page


def _turn(page: np.ndarray, degrees: float) -> np.ndarray:
    """``page`` tilted so its lines run down to the right by ``degrees``."""
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -degrees, 1.0)
    return cv2.warpAffine(page, matrix, (width, height), borderValue=255)


@pytest.fixture(scope="module")
def scanned_report(shared, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("scanned-variants")
    for name in SCANNED_VARIANTS:
        (folder / name).symlink_to(shared / "corpus" / "variants" / "docs" / name)
    out = tmp_path_factory.mktemp("scanned-out")
    run_cli("ingest", str(folder), "--out", str(out), "--quiet", check=True)
    result = run_cli("evaluate", "--gold", str(shared / "corpus" / "variants" / "gold"), "--data", str(out),
                     "--json", check=True)
    return {**json.loads(result.stdout), "documents": rows(out, "documents")}


def test_scanned_variants_meet_the_bar(scanned_report):
    row = scanned_report["layouts"]["all/scanned"]
    assert row["recall"] >= 0.9 and row["precision"] >= 0.95, row
    assert row["due"] >= 0.9 and row["officers"] >= 0.9, row
    assert all(d["ocr"] and d["status"] == "ok" for d in scanned_report["documents"])


@pytest.mark.parametrize("records, expected", [
    ([(1, 95.0), (2, 91.2)], []),
    ([(1, None), (2, None)], []),                       # a born-digital file
    ([(1, 95.0), (3, 62.0), (3, 70.5), (5, 79.9)],
     ["page(s) 3, 5: 3 of 4 actions read by OCR with low confidence (mean word confidence below 80); "
      "check them against the scan"]),
])
def test_low_confidence_warning(records, expected):
    assert low_confidence_warnings(records) == expected


@pytest.mark.parametrize("read, mended", [
    ("Si1vera", "Silvera"), ("C0uncil", "Council"), ("clas5room", "classroom"),
    ("2.1", "2.1"), ("Q3", "Q3"), ("1st", "1st"), ("H1N1", "H1N1"), ("2011/12", "2011/12"), ("McGuff", "McGuff"),
])
def test_digits_inside_words_are_mended(read, mended):
    assert mend(read) == mended


def test_box_confidence_is_the_mean_of_the_words_inside():
    words = [Word("Review", 10, 10, 40, 20, 90.0), Word("plan", 45, 10, 60, 20, 70.0), Word("Other", 10, 100, 40, 110, 10.0)]
    assert box_confidence(words, (0, 0, 100, 50)) == 80.0
    assert box_confidence(words, (200, 200, 300, 300)) is None
    assert box_confidence([], (0, 0, 100, 50)) is None


def _table(page: int, rows: list[list[str]]) -> Table:
    cells = lambda texts: [Cell(text=t, col=i, bbox=(50 + 100 * i, 0, 150 + 100 * i, 10)) for i, t in enumerate(texts)]
    return Table(rows=[Row(cells=cells(r), page=page) for r in rows], page=page, bbox=(50, 50, 350, 500))


def test_a_header_misread_on_a_later_page_still_repeats_it():
    first = _table(1, [["Ref", "Action", "Deadline"], ["20.", "Review support for", "June 2011"]])
    second = _table(2, [["Ref", "Action", "Deadiine"], ["", "carers in the workforce.", ""], ["21.", "Train managers", "May 2012"]])
    [table] = stitch_tables([first, second], is_header=is_header_row)
    texts = [r.cells[1].text for r in table.rows]
    assert "Review support for\ncarers in the workforce." in texts and "carers in the workforce." not in texts
    assert texts[-1] == "Train managers"


def test_a_new_numbered_heading_is_not_a_repeat():
    first = _table(1, [["Outcome 1: better services for all", "", ""], ["1.1", "Review support", "June 2011"]])
    second = _table(2, [["Outcome 2: better services for all", "", ""], ["2.1", "Train managers", "May 2012"]])
    [table] = stitch_tables([first, second])
    assert [r.cells[0].text for r in table.rows] == ["Outcome 1: better services for all", "1.1",
                                                     "Outcome 2: better services for all", "2.1"]
