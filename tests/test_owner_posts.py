"""Owners and timescales through the real CLI: a Word plan in, Parquet read back."""
from __future__ import annotations

import duckdb
import docx

from tests.conftest import run_cli


def _plan(path, rows):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Action", "Lead officer", "Deadline"]):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    document.save(path)


def _read(out, query):
    return duckdb.sql(query.replace("$out", str(out))).fetchall()


def test_posts_timescales_and_bodies(tmp_path):
    (tmp_path / "in").mkdir()
    rows = [("Place the minutes on the website", "Clerk", "asap"),
            ("Review the reading scheme", "SENDCo\nDyslexia\nSpecialist\nTeacher\nSLT", "By Summer 2020"),
            ("Train the lunchtime staff", "PCSO/Nora Gale", "March ’25")]
    _plan(tmp_path / "in" / "ashby-plan.docx", rows)
    _plan(tmp_path / "in" / "brook-plan.docx", rows[:1])
    glossary = tmp_path / "glossary.toml"
    glossary.write_text('[officers]\nposts = ["PCSO"]\n')
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--glossary", str(glossary),
            "--quiet", check=True)
    found = _read(tmp_path / "out", "SELECT officers, due_month, date_note FROM read_parquet('$out/actions/*.parquet') "
                                    "WHERE source_name = 'ashby-plan.docx' ORDER BY row_index")
    assert [(o, str(d) if d else None) for o, d, _ in found] == [
        (["Clerk"], None), (["SENDCo", "Dyslexia Specialist Teacher", "SLT"], None),
        (["PCSO", "Nora Gale"], "2025-03-01")]
    assert "as soon as possible" in found[0][2] and "Summer 2020" in found[1][2]
    # neither plan names a council: each document's Clerk is its own owner
    clerks = _read(tmp_path / "out", "SELECT officer_id FROM read_parquet('$out/officers/*.parquet') WHERE name = 'Clerk'")
    assert len(clerks) == 2
    linked = _read(tmp_path / "out", "SELECT count(DISTINCT officer_id) FROM read_parquet('$out/action_officers/*.parquet') "
                                     "WHERE officer_id LIKE 'clerk--%'")
    assert linked == [(2,)]


def test_short_capitals_in_the_owner_column_are_owners(tmp_path):
    (tmp_path / "in").mkdir()
    _plan(tmp_path / "in" / "cobb-plan.docx", [("Refresh the induction pack", "OD", "May 2025"),
                                               ("Move the payroll system", "ICT / Ann Pryce", "June 2025"),
                                               ("Agree the new rota", "TBC", "July 2025")])
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", check=True)
    found = _read(tmp_path / "out", "SELECT officers FROM read_parquet('$out/actions/*.parquet') ORDER BY row_index")
    assert [o for (o,) in found] == [["OD"], ["ICT", "Ann Pryce"], []]
