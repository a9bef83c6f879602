"""Progress status on real documents, against gold labelled by eye (tests/gold/status/).

Each gold record names a row of a real PDF's status/RAG table and, per status
column, the status its cell shows.  The page is read by the pipeline's own PDF
table reader (cells, and the fill colour under each), and the cell goes through
the status normaliser as an action's or KPI's status cell does.  Scored twice:
as read (the printed word, else the colour) and from the fill colour alone (a
RAG cell is often only a colour).
"""
import json
from pathlib import Path

import pdfplumber
import pytest
from rapidfuzz import fuzz

from extractors.model import SourceDocument, Table
from extractors.pdf.layout import layout_from_page
from extractors.pdf.reader import PdfSettings, add_page_tables
from normalisers.progress import progress_status
from pipeline.derived.records import squash

GOLD = sorted((Path(__file__).parent / "gold" / "status").glob("*.json"))
SAME_TEXT = 90.0


def _tables(path: Path, pages: set[int]) -> list[Table]:
    doc = SourceDocument(path=str(path), media_type="application/pdf", pages=None)
    with pdfplumber.open(path) as pdf:
        for number in sorted(pages):
            add_page_tables(layout_from_page(pdf.pages[number - 1]), doc, PdfSettings())
    return doc.tables


def _find(tables: list[Table], page: int, text: str) -> tuple[Table, int]:
    """The table and row on ``page`` whose first cell reads ``text``."""
    best = max(((t, i, fuzz.ratio(squash(text), squash(r.cells[0].text)))
                for t in tables if t.page == page for i, r in enumerate(t.rows) if r.cells),
               key=lambda found: found[2])
    assert best[2] >= SAME_TEXT, f"page {page}: no row reads {text!r}"
    return best[0], best[1]


def _column(table: Table, row: int, header: str) -> int:
    """The grid column whose header cell, in a row above, reads ``header``."""
    for above in table.rows[:row]:
        for cell in above.cells:
            if squash(cell.text) == squash(header):
                return cell.col
    raise AssertionError(f"no {header!r} header above row {row}")


def _score(gold: dict, path: Path) -> tuple[int, int, int, list]:
    tables = _tables(path, {r["page"] for r in gold["records"]})
    right = by_colour = total = 0
    wrong = []
    for record in gold["records"]:
        table, row = _find(tables, record["page"], record["measure"])
        for expected in record["cells"]:
            col = _column(table, row, expected["column"])
            cell = next(c for c in table.rows[row].cells if c.col == col)
            read, coloured = progress_status(cell.text, cell.fill), progress_status("", cell.fill)
            total += 1
            right += read == expected["progress_status"]
            by_colour += coloured == expected["progress_status"]
            if read != expected["progress_status"]:
                wrong.append((record["measure"][:40], expected["column"], cell.text, cell.fill, read))
    return right, by_colour, total, wrong


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_status_on_labelled_real_tables(gold_path, shared):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    path = shared / gold["source"]
    if not path.exists():
        pytest.skip(f"{path} is not in ../shared")
    right, by_colour, total, wrong = _score(gold, path)
    print(f"{gold_path.stem}: {right}/{total} cells right as read, {by_colour}/{total} from the fill colour alone")
    assert total == sum(len(r["cells"]) for r in gold["records"])
    assert right == total, wrong
    assert by_colour == total


COLUMNS = {"Latest": "progress_status", "Previous": "previous_progress_status"}


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.stem for p in GOLD])
def test_status_in_the_kpis_dataset(gold_path, shared, tmp_path):
    """The whole ingest (page screen, tables, interpretation, Parquet): every gold
    measure is one KPI on its page, with the status of each labelled column, and
    no other KPI comes from those pages."""
    import duckdb

    from tests.conftest import run_cli
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    path = shared / gold["source"]
    if not path.exists():
        pytest.skip(f"{path} is not in ../shared")
    run_cli("ingest", str(path), "--out", str(tmp_path / "out"), "--quiet", check=True)
    pages = sorted({r["page"] for r in gold["records"]})
    kpis = duckdb.sql(f"SELECT page, measure, progress_status, previous_progress_status "
                      f"FROM read_parquet('{tmp_path}/out/kpis/*.parquet') WHERE page IN ({','.join(map(str, pages))})"
                      ).fetchall()
    right, wrong = 0, []
    for record in gold["records"]:
        found = [k for k in kpis
                 if k[0] == record["page"] and fuzz.ratio(squash(k[1]), squash(record["measure"])) >= SAME_TEXT]
        assert len(found) == 1, (record["measure"], found)
        status = dict(zip(["progress_status", "previous_progress_status"], found[0][2:]))
        for cell in record["cells"]:
            ok = status[COLUMNS[cell["column"]]] == cell["progress_status"]
            right += ok
            if not ok:
                wrong.append((record["measure"][:40], cell["column"], status))
    total = sum(len(r["cells"]) for r in gold["records"])
    print(f"{gold_path.stem}: {right}/{total} statuses right in the kpis dataset")
    assert len(kpis) == len(gold["records"])
    assert right == total, wrong
