"""The gold corpus in ../shared: evaluation floors (they only rise) and the
real-world papers (no crash, every file reported, no invented plans)."""
from __future__ import annotations

import hashlib
import json

import duckdb
import pytest

from tests.conftest import run_cli

# Floors only rise.  The issue asked for 0.97 / 0.95 / 0.97 / 0.98 and 0.95;
# they sit just under what the pipeline reached when it last moved them.
ACTION_FLOOR = 0.99          # precision and recall, every format
STRICT_FLOOR = 0.99          # all fields right
FIELD_FLOOR = 0.99           # each field among matched actions, and KPI precision and recall
OFFICER_PAIRS = {"pair_precision": 0.99, "pair_recall": 0.99}


@pytest.fixture(scope="module")
def corpus_report(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    run_cli("ingest", str(shared / "corpus" / "docs"), "--out", str(out), "--quiet", check=True)
    result = run_cli("evaluate", "--gold", str(shared / "corpus" / "gold"), "--data", str(out), "--json", check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_evaluation_floors(corpus_report, fmt):
    row = corpus_report["layouts"][f"all/{fmt}"]
    assert row["precision"] >= ACTION_FLOOR and row["recall"] >= ACTION_FLOOR, row
    assert row["strict_recall"] >= STRICT_FLOOR, row
    for field in ("ref", "text", "start", "due", "due_status", "officers", "divisions"):
        assert row[field] >= FIELD_FLOOR, (field, row)
    assert row["kpi_recall"] >= FIELD_FLOOR and row["kpi_precision"] >= FIELD_FLOOR, row


@pytest.mark.parametrize("layout", ["A", "B", "C", "D", "E"])
def test_every_layout_clears_the_floor(corpus_report, layout):
    for fmt in ("pdf", "docx"):
        row = corpus_report["layouts"][f"{layout}/{fmt}"]
        assert min(row["precision"], row["recall"]) >= ACTION_FLOOR, (layout, fmt, row)


def test_reports_with_no_plan_give_no_actions(corpus_report):
    for fmt in ("pdf", "docx"):
        assert corpus_report["layouts"][f"F/{fmt}"]["pred"] == 0


def test_officer_reconciliation_floors(corpus_report):
    for name, floor in OFFICER_PAIRS.items():
        assert corpus_report["officers"][name] >= floor, corpus_report["officers"]


def test_realworld_runs_clean(shared, tmp_path):
    realworld = shared / "realworld"
    files = [p for p in realworld.rglob("*") if p.suffix.lower() in (".pdf", ".docx")]
    out = tmp_path / "out"
    result = run_cli("ingest", str(realworld), "--out", str(out), "--quiet", "--json", timeout=1800)
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    contents = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}     # a document is its bytes
    assert summary["inputs_seen"] == len(files) == summary["ingested"] + summary["failed"] + summary["unchanged"]
    rows = duckdb.sql(f"SELECT status, error FROM read_parquet('{out}/documents/*.parquet')").fetchall()
    assert len(rows) == len(contents)
    places = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/document_sources/*.parquet')").fetchall()
    assert places == [(len(files),)]                                        # every place it was seen
    failures = [(status, error) for status, error in rows if status == "failed"]
    assert failures == []                    # every paper reads; a new failure is a regression
    # committee papers, budgets, minutes and risk registers are not action plans
    with_actions = duckdb.sql(f"SELECT source_name FROM read_parquet('{out}/documents/*.parquet') "
                              "WHERE n_actions > 0").fetchall()
    assert with_actions == [], with_actions
