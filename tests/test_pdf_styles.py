"""PDF tables however they are drawn: each style of `tests/plan_styles.py`
through the CLI gives every record, and the gold splits through evaluate."""
from __future__ import annotations

import json

import duckdb
import pdfplumber
import pytest

from extractors.pdf.layout import layout_from_page

from tests.conftest import run_cli
from tests.plan_styles import ROWS, STYLES, styled_plan

VARIANT_FLOORS = {"precision": 0.97, "recall": 0.97}     # born-digital variant PDFs; they only rise
LAYOUT_FLOORS = {"precision": 0.97, "recall": 0.97, "strict_recall": 0.93}    # in every layout with actions


@pytest.fixture(scope="module")
def styles_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("styles")
    (root / "in").mkdir()
    for style in STYLES:
        styled_plan(root / "in" / f"{style}.pdf", style)
    run_cli("ingest", str(root / "in"), "--out", str(root / "out"), "--quiet", check=True)
    return root / "out"


@pytest.mark.parametrize("style", STYLES)
def test_every_style_gives_every_record(styles_out, style):
    rows = duckdb.sql(f"SELECT ref, action, officers, strftime(due_month, '%Y-%m') FROM "
                      f"read_parquet('{styles_out}/actions/*.parquet') WHERE source_name = '{style}.pdf' "
                      "ORDER BY page, table_index, row_index").fetchall()
    expected = [(ref, " ".join(action), [officer], None) for ref, action, officer, _, _ in ROWS]
    assert [(r, a, o) for r, a, o, _ in rows] == [(r, a, o) for r, a, o, _ in expected]
    assert all(due is not None for *_, due in rows)


@pytest.mark.parametrize("style", ["sideways", "sideways_down"])
def test_a_sideways_page_reads_as_the_page_turned(tmp_path, style):
    """A landscape table printed sideways with no /Rotate lays out word for word and
    rule for rule as the same table on a page /Rotate turns."""
    def layout(name):
        with pdfplumber.open(styled_plan(tmp_path / f"{name}.pdf", name)) as pdf:
            page = layout_from_page(pdf.pages[0])
        boxes = [(w.text, round(w.x0, 1), round(w.top, 1)) for w in page.words]
        return boxes, sorted((round(s.x0), round(s.top), round(s.x1), round(s.bottom))
                             for s in page.horizontals + page.verticals), (page.width, page.height)
    assert layout(style) == layout("rotated")


def test_a_plan_table_giving_no_rows_is_warned_about(tmp_path):
    (tmp_path / "in").mkdir()
    blank_actions = [(ref, [], officer, due, progress) for ref, _, officer, due, progress in ROWS]
    styled_plan(tmp_path / "in" / "blank.pdf", "grid", rows=blank_actions)
    result = run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", "--json", check=True)
    assert json.loads(result.stdout)["with_warnings"] == 1
    (warnings,), = duckdb.sql(f"SELECT warnings FROM read_parquet('{tmp_path}/out/documents/*.parquet')").fetchall()
    assert warnings == ["page 1: a table whose header reads as a plan gave 0 rows"]


def test_styles_leave_no_warnings(styles_out):
    warned = duckdb.sql(f"SELECT source_name, warnings FROM read_parquet('{styles_out}/documents/*.parquet') "
                        "WHERE len(warnings) > 0").fetchall()
    assert warned == []


@pytest.fixture(scope="module")
def variants_report(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("variants")
    variants = shared / "corpus" / "variants"
    run_cli("ingest", str(variants / "docs" / "*.pdf"), "--out", str(out), "--quiet", timeout=1800)
    result = run_cli("evaluate", "--gold", str(variants / "gold"), "--data", str(out), "--json", check=True)
    return json.loads(result.stdout)


def test_variant_pdfs_clear_their_floors(variants_report):
    row = variants_report["layouts"]["all/pdf"]
    for name, floor in VARIANT_FLOORS.items():
        assert row[name] >= floor, (name, row)


def test_every_variant_layout_clears_its_floors(variants_report):
    for layout, row in variants_report["layouts"].items():
        if layout.endswith("/pdf") and row["gold"]:
            for name, floor in LAYOUT_FLOORS.items():
                assert row[name] >= floor, (layout, name, row)


def test_scanned_files_are_their_own_format(variants_report):
    formats = {d["format"] for name, d in variants_report["documents"].items() if name.endswith("-scanned.pdf")}
    assert formats == {"scanned"}


def test_a_document_giving_nothing_reads_blank_not_perfect(variants_report):
    for name, d in variants_report["documents"].items():
        if d["pred"] == 0:
            assert d["precision"] is None, (name, d)
            assert d["recall"] == (None if d["gold"] == 0 else 0.0), (name, d)


def test_realplans_run_clean(shared, tmp_path):
    out = tmp_path / "out"
    result = run_cli("ingest", str(shared / "realplans" / "docs"), "--out", str(out), "--quiet", "--json", timeout=1800)
    summary = json.loads(result.stdout)
    assert summary["failed"] == 0 and "with_warnings" in summary
    report = json.loads(run_cli("evaluate", "--gold", str(shared / "realplans" / "gold"), "--data", str(out),
                                "--json", check=True).stdout)
    assert report["documents"], "the gold document was ingested and scored"
