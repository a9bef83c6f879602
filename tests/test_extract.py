"""Real PDF and DOCX files through the CLI, read back from Parquet with DuckDB
and pyarrow, and checked against pipeline/'s Arrow schemas."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pyarrow.dataset as ds
import pytest

from pipeline.schema import ALL
from tests.conftest import CASES, run_cli
from tests.pdfgen import borderless_plan


def sql(out, query: str) -> list[tuple]:
    return duckdb.sql(query.replace("$out", str(out))).fetchall()


def actions_of(out, name: str) -> list[dict]:
    table = duckdb.sql(f"SELECT * FROM read_parquet('{out}/actions/*.parquet') WHERE source_name = '{name}' "
                       "ORDER BY table_index, row_index").to_arrow_table()
    return table.to_pylist()


@pytest.mark.parametrize("dataset", sorted(ALL))
def test_every_dataset_matches_its_schema(cases_out, dataset):
    table = ds.dataset(cases_out / dataset, format="parquet").to_table()
    for field in ALL[dataset]:
        assert table.schema.field(field.name).type == field.type, field.name


def test_contract_columns_are_all_present():
    """A snapshot of the contract's names: renaming one fails here first."""
    contract = {
        "documents": "doc_id source_name source_uri media_type council title report_date pages status error "
                     "n_actions n_kpis ocr pipeline_version ingested_at",
        "actions": "action_id doc_id source_name council section objective_ref objective ref action outcome progress "
                   "start_raw start_month due_raw due_month due_status officers_raw officers divisions_raw divisions "
                   "page table_index row_index",
        "kpis": "kpi_id doc_id source_name council objective_ref ref measure period target_raw target_value "
                "target_unit officers page",
        "officers": "officer_id name kind variants councils n_actions",
        "action_officers": "action_id officer_id doc_id",
        "runs": "run_id started_at finished_at pipeline_version inputs_seen ingested unchanged failed args",
    }
    for dataset, names in contract.items():
        assert set(names.split()) <= set(ALL[dataset].names), dataset


def test_ruled_pdf_table_values(cases_out):
    rows = actions_of(cases_out, "ruled-template-a.pdf")
    gold = json.loads((CASES / "gold-template-a.json").read_text())
    assert len(rows) == len(gold["actions"])
    first = rows[0]
    assert (first["ref"], first["objective_ref"], first["section"]) == ("1.1", "EDAP 1", "Outcome: Enjoy and Achieve")
    assert (first["start_month"], first["due_month"]) == (date(2007, 9, 1), date(2008, 3, 1))
    assert first["officers"] == ["Mike Galikowski"] and first["divisions"] == ["ALL"]
    assert first["officers_raw"] == "Mike Galikowski EDAG/EDWG)"          # raw kept beside the value
    x0, top, x1, bottom = first["row_bbox"]                                 # where to look on the page
    assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 595
    assert first["page"] == 3 and first["row_index"] > 0 and first["table_index"] == min(r["table_index"] for r in rows)
    ongoing = rows[1]
    assert (ongoing["due_month"], ongoing["due_status"], ongoing["officers"]) == (None, "ongoing", [])


def test_kpi_targets_per_period(cases_out):
    kpis = sql(cases_out, "SELECT period, target_raw, target_value, target_unit FROM read_parquet('$out/kpis/*.parquet') "
                          "WHERE source_name = 'ruled-template-a.pdf' AND measure = '% improvement in attainment' "
                          "ORDER BY row_index, period LIMIT 3")
    assert kpis[:3] == [("2007/08", "2%", 2.0, "%"), ("2008/09", "3%", 3.0, "%"), ("2009/10", "3%", 3.0, "%")]


def test_merged_docx_cells_read_once(cases_out):
    rows = actions_of(cases_out, "merged-cells-template-a.docx")
    assert len(rows) == 25
    assert all(r["section"].startswith("Outcome:") for r in rows)   # the merged Outcome row is context, not an action
    assert not any("Linkages" in r["action"] or "Risk" in r["action"][:5] for r in rows)


def test_vertically_merged_element_carries_to_each_sub_action(cases_out):
    rows = actions_of(cases_out, "vmerge-elements-template-b.docx")
    first_three = [(r["objective_ref"], r["ref"]) for r in rows[:3]]
    assert first_three == [("1", "a"), ("1", "b"), ("1", "c")]
    assert rows[1]["section"] == rows[0]["section"] == "Engagement in impact/needs/ requirement assessment process"


def test_table_split_across_pages_gives_one_row(cases_out):
    rows = actions_of(cases_out, "split-rows-across-pages.pdf")
    gold = json.loads((CASES / "gold-split-rows.json").read_text())
    split = next(r for r in rows if r["action"].startswith("Directorates to continue work against key actions"))
    assert split["action"].endswith("in order to achieve Level 3 of the Standard.")   # joined across the break
    assert split["due_month"] == date(2007, 10, 1)             # latest of the dates printed beside it
    texts = [r["action"] for r in rows]
    assert not any(t.startswith(("workbooks", "crime, to report")) for t in texts)     # no orphan halves
    assert len(rows) >= 0.95 * len(gold["actions"])


@pytest.mark.parametrize("name, title", [
    ("ruled-template-a.pdf", "Draft Annual Equality and Diversity Action Plan 2007/08"),      # wrapped, largest font
    ("merged-cells-template-a.docx", "Draft Annual Equality and Diversity Action Plan 2007/08"),
    ("split-rows-across-pages.pdf", "Kent County Council Equality Strategy 2007/2010"),
])
def test_titles(cases_out, name, title):
    assert sql(cases_out, f"SELECT title FROM read_parquet('$out/documents/*.parquet') WHERE source_name = '{name}'") == [(title,)]


def test_document_with_no_plan(cases_out):
    status, n, title = sql(cases_out, "SELECT status, n_actions, title FROM read_parquet('$out/documents/*.parquet') "
                                      "WHERE source_name = 'no-plan-statistics.docx'")[0]
    assert (status, n) == ("no_records", 0) and title


def test_officers_dataset_links_actions(cases_out):
    officers = {r["officer_id"]: r for r in ds.dataset(cases_out / "officers").to_table().to_pylist()}
    assert officers["david-silvera"]["kind"] == "person" and officers["david-silvera"]["n_actions"] > 0
    linked = sql(cases_out, "SELECT count(*) FROM read_parquet('$out/action_officers/*.parquet') ao "
                            "JOIN read_parquet('$out/actions/*.parquet') a USING (action_id)")[0][0]
    assert linked > 0


def test_borderless_table(tmp_path):
    pdf = borderless_plan(tmp_path / "in" / "borderless.pdf") if (tmp_path / "in").mkdir() is None else None
    run_cli("ingest", str(pdf), "--out", str(tmp_path / "out"), "--quiet", check=True)
    rows = actions_of(tmp_path / "out", "borderless.pdf")
    assert [(r["action"], r["officers"], r["due_month"], r["due_status"]) for r in rows] == [
        ("Publish the equality objectives on the council website", ["Ian McGuff"], date(2012, 4, 1), None),
        ("Review recruitment data by ethnicity and gender", ["HR Team"], date(2012, 9, 1), None),
        ("Train all managers in impact assessment", ["Rosina Ottwell"], None, "ongoing"),
    ]


def test_every_cli_command_has_help():
    for command in ("ingest", "evaluate", "compact", "fetch"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "usage" in result.stdout


def test_every_cli_command_and_option_is_in_the_readme():
    import argparse

    from pipeline.cli import build_parser
    readme = (CASES.parents[1] / "README.md").read_text()
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in commands.choices.items():
        assert f"`{name}" in readme, name
        for action in parser._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in readme, (name, flag)


def test_owner_first_header_in_a_new_wording(tmp_path):
    """A council whose plan starts with the owner column and says 'Deadline': read by
    header meaning, not position; the owner column is not a lead-officer label row."""
    import docx
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Lead officer", "Action", "Deadline"]):
        cell.text = text
    for row in [("Jane Smith", "Publish the equality objectives", "March 2013"), ("HR Team", "Review pay data by gender", "2013/14")]:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    (tmp_path / "in").mkdir()
    document.save(tmp_path / "in" / "owner-first.docx")
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", check=True)
    assert [(r["action"], r["officers"], r["due_month"]) for r in actions_of(tmp_path / "out", "owner-first.docx")] == [
        ("Publish the equality objectives", ["Jane Smith"], date(2013, 3, 1)),
        ("Review pay data by gender", ["HR Team"], date(2014, 3, 1)),
    ]
