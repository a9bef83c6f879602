"""DOCX pages from the page breaks Word stored, on generated Word files."""

import docx
import pytest
from docx.oxml import OxmlElement

from extractors.docx_reader import read_docx

ROWS = [("Ref", "Action", "Lead officer", "Deadline")] + [
    (str(i), f"Publish equality report number {i}", "Jane Smith", "March 2013") for i in range(1, 7)]


def _plan(breaks: str):
    """A paragraph, a page break, then a plan table whose rows 4 on start a new page."""
    document = docx.Document()
    document.add_paragraph("Equality Action Plan 2012/13")
    if breaks == "hard":
        document.add_page_break()
    table = document.add_table(rows=0, cols=4)
    for values in ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = text
    if breaks == "rendered":
        for cell in table.rows[0].cells:                                     # the table starts page 2
            _rendered_break(cell.paragraphs[0].runs[0])
        for cell in table.rows[4].cells:                                     # a row that starts page 3
            _rendered_break(cell.paragraphs[0].runs[0])
    return document


def _rendered_break(run):
    """Where Word's layout moved on to a new page: before the run's text."""
    run._r.insert(0, OxmlElement("w:lastRenderedPageBreak"))


@pytest.mark.parametrize("breaks, pages", [
    ("rendered", [2, 2, 2, 2, 3, 3, 3]),
    ("hard", [2] * 7),
    ("none", [None] * 7),
])
def test_row_pages(tmp_path, breaks, pages):
    path = tmp_path / f"{breaks}.docx"
    _plan(breaks).save(path)
    doc = read_docx(str(path))
    assert [row.page for row in doc.tables[0].rows] == pages
    assert doc.blocks[0].page == (None if breaks == "none" else 1)
    assert doc.pages is None


def test_a_row_split_by_a_page_break_starts_on_its_first_page(tmp_path):
    document = _plan("none")
    cell = document.tables[0].rows[2].cells[1]
    run = cell.paragraphs[0].add_run(" continued")
    _rendered_break(run)                       # only this cell goes on over the page
    path = tmp_path / "split.docx"
    document.save(path)
    assert [row.page for row in read_docx(str(path)).tables[0].rows] == [1, 1, 1, 2, 2, 2, 2]


def test_pages_reach_the_actions(tmp_path):
    from tests.conftest import run_cli
    import duckdb
    (tmp_path / "in").mkdir()
    _plan("rendered").save(tmp_path / "in" / "plan.docx")
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", check=True)
    rows = duckdb.sql(f"SELECT ref, page FROM read_parquet('{tmp_path}/out/actions/*.parquet') ORDER BY row_index").fetchall()
    assert rows == [("1", 2), ("2", 2), ("3", 2), ("4", 3), ("5", 3), ("6", 3)]
