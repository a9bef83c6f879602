"""The page screen: pdfplumber reads only pages with plan evidence, and the
pages after them that a table carries on to; no page holding any part of a
gold action is ever screened out, on any corpus."""
from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pypdfium2
import pytest

from extractors.ocr import OcrSettings
from extractors.model import Cell, Row, SourceDocument, Table
from extractors.pdf import PdfSettings, read_pdf
from extractors.pdf.reader import _plan_at_foot
from extractors.pdf.screen import HEADER, NO_TEXT, RATINGS, screen_pdf, text_reason
from tests.conftest import run_cli
from tests.pdfgen import committee_paper, scanned_pdf

GOLD_HERE = Path(__file__).parent / "gold" / "realplans"
NO_OCR = PdfSettings(ocr=OcrSettings(enabled=False))
WORD = re.compile(r"[a-z0-9]+")


@pytest.mark.parametrize("text", [
    "Ref  What we will do  Lead officer  By when",
    "Desired outcome\nActions to address the gaps\nResources Staff lead\nReview and impact",
    "Objective\nTask\nResponsible person\nTarget completion",
])
def test_a_header_row_in_any_wording_is_plan_evidence(text):
    assert text_reason(text) == HEADER


@pytest.mark.parametrize("text", [
    "1.1 The committee noted the action taken by the director to deliver the plan by the due date.",
    "Revenue budget 2025-26\nNet spend\n£m\n2024-25\n2025-26",
    "Cabinet Member for Education and Skills\nCorporate Director of Finance\nDate: 13 March 2025",
])
def test_prose_budgets_and_front_matter_are_not(text):
    assert text_reason(text) is None


def test_rows_ending_in_rag_ratings_are_a_status_table():
    rows = ["% of calls answered within 60 seconds GREEN AMBER", "Number of homes brought back into use RED RED",
            "% of repairs completed within 28 days Amber", "GREEN GREEN"]
    assert text_reason("Housing performance\n" + "\n".join(rows)) == RATINGS


@pytest.mark.parametrize("text", [
    "GREEN\nPercentage of calls answered\nLatest: 94%\nAMBER\nNumber of visits\nRED",   # ratings beside charts
    "The service was rated green.\nComplaints remain red.\nThe trend is amber.",           # prose
])
def test_ratings_alone_or_in_prose_are_not(text):
    assert text_reason(text) is None


def test_a_committee_paper_is_read_only_where_its_plan_is(tmp_path):
    pdf = committee_paper(tmp_path / "paper.pdf")
    doc = read_pdf(str(pdf), NO_OCR)
    # page 4 has no header: it is read because page 3's grid is the last thing on its page;
    # so is page 4's, so page 5 is read too (a missed plan page is worse than a slow one)
    assert doc.pages_read == [3, 4, 5] and doc.pages_screened_out == [1, 2]
    assert {t.page for t in doc.tables} == {3, 4}
    everything = read_pdf(str(pdf), PdfSettings(ocr=OcrSettings(enabled=False), screen=False))
    assert everything.pages_read == [1, 2, 3, 4, 5] and everything.pages_screened_out == []
    assert [b.text for b in doc.blocks] == [b.text for b in everything.blocks]   # metadata from pdfium either way


def test_decisions_are_recorded_and_the_screen_can_be_turned_off(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    committee_paper(folder / "paper.pdf")
    screened = run_cli("ingest", str(folder), "--out", str(tmp_path / "a"), "--quiet", check=True)
    assert "5 pages (2 screened out)" in screened.stdout
    row = duckdb.sql(f"SELECT pages_read, pages_screened_out, n_actions FROM "
                     f"read_parquet('{tmp_path / 'a'}/documents/*.parquet')").fetchall()[0]
    everything = run_cli("ingest", str(folder), "--out", str(tmp_path / "b"), "--quiet", "--json",
                         "--read-all-pages", check=True)
    assert json.loads(everything.stdout)["pages_screened_out"] == 0
    full = duckdb.sql(f"SELECT pages_read, n_actions FROM read_parquet('{tmp_path / 'b'}/documents/*.parquet')").fetchall()[0]
    assert row == ([3, 4, 5], [1, 2], full[1]) and full[0] == [1, 2, 3, 4, 5] and full[1] >= 5


def test_a_page_with_no_text_is_never_screened_out(tmp_path):
    pdf = scanned_pdf(tmp_path / "scan.pdf")
    assert [p.reason for p in screen_pdf(str(pdf)).pages] == [NO_TEXT]


# -- every corpus -----------------------------------------------------------

def _gold_documents(shared: Path):
    """(gold record, PDF) for every gold action list beside a PDF."""
    sets = [(shared / "corpus" / "gold", shared / "corpus" / "docs"),
            (shared / "corpus" / "variants" / "gold", shared / "corpus" / "variants" / "docs"),
            (shared / "realplans" / "gold", shared / "realplans" / "docs"),
            (GOLD_HERE, shared / "realplans" / "docs")]
    for gold_dir, docs in sets:
        for path in sorted(gold_dir.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            names = gold.get("source_names") or [gold.get("source_name") or f"{path.stem}.pdf"]
            for name in names:
                if name.endswith(".pdf") and (docs / name).exists():
                    yield gold, docs / name


def _words(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def gold_pages(gold: dict, pdf: Path) -> set[int]:
    """Pages holding any part of a gold action: its start page, and the next page when
    the row is the last on its page and some of its printed text is not on that page
    (the rest of a row split across the break)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        texts = [_words(document[i].get_textpage().get_text_range()) for i in range(len(document))]
    finally:
        document.close()
    actions = [a for a in gold["actions"] if a.get("page")]
    pages = {a["page"] for a in actions}
    for a, following in zip(actions, actions[1:] + [None]):
        if following is not None and following["page"] == a["page"]:
            continue
        printed = [a["action"], *(a.get("raw") or {}).values()]
        if a["page"] < len(texts) and any(_words(str(v)) not in texts[a["page"] - 1] for v in printed if v):
            pages.add(a["page"] + 1)
    return pages


def test_no_gold_page_is_screened_out(shared):
    misses, checked = [], 0
    for gold, pdf in _gold_documents(shared):
        wanted = gold_pages(gold, pdf)
        screen = screen_pdf(str(pdf))
        if all(screen.reason(p) == NO_TEXT for p in wanted):
            continue          # a scan: every page goes to OCR (checked below)
        doc = read_pdf(str(pdf), NO_OCR)
        checked += 1
        misses += [(pdf.name, p) for p in sorted(wanted - set(doc.pages_read))]
    assert checked >= 40 and misses == []


def test_scanned_pages_all_go_to_ocr(shared):
    scans = sorted((shared / "corpus" / "variants" / "docs").glob("*-scanned.pdf"))
    assert scans
    for pdf in scans:
        assert {p.reason for p in screen_pdf(str(pdf)).pages} == {NO_TEXT}, pdf.name


def test_realworld_pages_are_all_accounted_for(shared):
    """No gold here: every page gets a decision, and every page with no text goes to
    the reader (OCR), never a silent skip."""
    pdfs = sorted((shared / "realworld").rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        screen = screen_pdf(str(pdf))
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            blank = [not document[i].get_textpage().get_text_range().strip() for i in range(len(document))]
        finally:
            document.close()
        assert len(screen.pages) == len(blank)
        assert all(page.reason == NO_TEXT for page, empty in zip(screen.pages, blank) if empty), pdf.name


# -- which table at a page's foot carries the next page in -------------------------------

def _table(page: int, rows: list[list[str]], top: float = 300.0) -> Table:
    height = 20.0
    cells = [Row(cells=[Cell(text, col, bbox=(40 + 150 * col, top + height * i, 190 + 150 * col, top + height * (i + 1)))
                        for col, text in enumerate(row)], page=page,
                 bbox=(40, top + height * i, 40 + 150 * len(row), top + height * (i + 1)))
             for i, row in enumerate(rows)]
    return Table(rows=cells, page=page, bbox=(40, top, 40 + 150 * len(rows[0]), top + height * len(rows)))


def _document(*tables: Table) -> SourceDocument:
    return SourceDocument(path="x.pdf", media_type="application/pdf", pages=3, tables=list(tables))


def test_a_plan_table_at_the_foot_carries_the_next_page_in():
    plan = _table(1, [["Ref", "Action", "Lead officer", "By when"],
                      ["1.1", "Review the equality scheme with partners", "Amanda Beer", "July 2013"],
                      ["1.2", "Publish the workforce profile on the website", "HR Manager", "March 2014"]])
    assert _plan_at_foot(_document(plan), 1)


def test_a_figures_grid_at_the_foot_does_not():
    budget = _table(1, [["Service", "2024-25 £m", "2025-26 £m"],
                        ["Adult social care", "512.3", "530.1"],
                        ["Highways", "61.0", "63.4"]])
    assert not _plan_at_foot(_document(budget), 1)


def test_a_header_row_at_the_foot_does():
    """The page ends on the header; the body is overleaf."""
    table = _table(2, [["Ref", "Action", "Lead officer", "By when"]], top=540.0)
    assert _plan_at_foot(_document(table), 2)


def test_only_the_table_at_the_foot_counts():
    plan = _table(1, [["Ref", "Action", "Lead officer", "By when"],
                      ["1.1", "Review the equality scheme with partners", "Amanda Beer", "July 2013"]], top=100.0)
    budget = _table(1, [["Service", "2024-25 £m", "2025-26 £m"], ["Highways", "61.0", "63.4"]], top=400.0)
    assert not _plan_at_foot(_document(plan, budget), 1)


def test_a_spending_grid_with_no_header_and_no_dates_does_not():
    """Refs, directorates, a cabinet member and a description read like a plan's columns,
    but no owner-and-date reading holds: the grid is not followed overleaf."""
    spending = _table(1, [["1", "Base Budget Changes", "ASCH", "Dan Watkins",
                           "Budget realignment for the underlying pressure within adult social care", "7,800.0"],
                          ["2", "Base Budget Changes", "CYPE", "Sue Chandler",
                           "Realignment of the disability budget to reflect the increase in cost", "4,000.0"],
                          ["3", "Base Budget Changes", "GET", "Neil Baker",
                           "Re-alignment of highways maintenance spend due to recurring defects", "1,726.0"]])
    assert not _plan_at_foot(_document(spending), 1)


def test_a_risk_register_at_the_foot_does_not():
    """Its header names owners and actions, and the interpreter's veto words too."""
    register = _table(1, [["Risk Title", "Risk Owner", "Control actions", "Residual risk", "Target date"],
                          ["Funding shortfall", "Zena Cooke", "Review the medium term financial plan",
                           "High", "March 2026"],
                          ["Market failure", "Richard Smith", "Work with providers on capacity", "Medium",
                           "June 2025"]])
    assert not _plan_at_foot(_document(register), 1)


def test_a_headerless_table_continuing_a_plan_does():
    plan = _table(1, [["Ref", "Action", "Lead officer", "By when"],
                      ["1.1", "Review the equality scheme with partners", "Amanda Beer", "July 2013"]], top=100.0)
    overleaf = _table(2, [["1.2", "Publish the workforce profile on the website", "HR Manager", "March 2014"],
                          ["1.3", "Train managers in equality impact assessment", "Amanda Beer", "June 2014"]],
                      top=600.0)
    assert _plan_at_foot(_document(plan, overleaf), 2)
