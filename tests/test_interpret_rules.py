"""Rules of the row reader, each with invented examples: action logs with lettered
sub-items, tables that are not plans, headerless continuations, measures tables."""
from __future__ import annotations

import docx
import duckdb
import pytest

from extractors.interpret import interpret_tables
from extractors.interpret.subitems import split_lettered
from extractors.model import Cell, Row, Table
from tests.conftest import run_cli

LOG_HEADER = ["ITEM", "", "BY WHOM", "BY WHEN"]


def table(rows: list[list[str]], page: int | None = None, index: int = 0, x0: float = 50.0,
          width: float = 100.0) -> Table:
    """A table of plain cells; with a page, every cell gets a box so columns line up by position."""
    def cell(text: str, col: int) -> Cell:
        box = (x0 + col * width, 0.0, x0 + (col + 1) * width, 10.0) if page else None
        return Cell(text=text, col=col, bbox=box)
    return Table(rows=[Row(cells=[cell(t, i) for i, t in enumerate(r)], page=page) for r in rows],
                 index=index, page=page, bbox=(x0, 60.0, x0 + width * 4, 500.0) if page else None)


def actions_of(*tables: Table):
    return interpret_tables(list(tables)).actions


@pytest.mark.parametrize("action,owner,due,expected", [
    ("a. Amend the lettings policy\nb. Publish the policy on the website", "Clerk", "asap",
     [("Amend the lettings policy", "Clerk", "asap"), ("Publish the policy on the website", "Clerk", "asap")]),
    ("c. Book the training day\nd. Circulate the audit report", "c. Clerk\nd. Jo Bloggs", "c. asap\nd. 31/03/2024",
     [("Book the training day", "Clerk", "asap"), ("Circulate the audit report", "Jo Bloggs", "31/03/2024")]),
])
def test_lettered_sub_items_are_actions(action, owner, due, expected):
    found = actions_of(table([LOG_HEADER, ["12/2324", action, owner, due], ["14/2324", "Minutes to website", "Clerk", "asap"]]))
    assert [(a.action, a.officers_raw, a.due_raw) for a in found[:len(expected)]] == expected
    assert found[-1].action == "Minutes to website"


@pytest.mark.parametrize("action", ["Review the policy", "Check items a. to c. of the report"])
def test_text_that_is_not_lettered_is_one_action(action):
    assert split_lettered(action, "Clerk", "asap") == []


def test_a_lettered_row_below_shares_the_owner_and_date_cells_above():
    found = actions_of(table([LOG_HEADER, ["26/2324", "a. Amend the attendance policy", "Sam Hill", "asap"],
                              ["", "b. Place the statement on the website", "", ""]]))
    assert [(a.action, a.officers_raw, a.due_raw) for a in found] == [
        ("Amend the attendance policy", "Sam Hill", "asap"), ("Place the statement on the website", "Sam Hill", "asap")]


@pytest.mark.parametrize("rows", [
    # a minutes body: agenda item, long notes, the owners repeated in an action column (no header)
    [["GB 21/2324", "Safeguarding", " ".join(["The governors discussed the annual report and asked questions."] * 8),
      "Sam Hill"],
     ["GB 22/2324", "Declaration of interests", " ".join(["Governors were invited to declare any interests."] * 10),
      "None"]],
    # an attendance grid
    [["SAM HILL", "Headteacher", "Ex-officio", "P", "P"], ["JO BLOGGS", "Parent", "14/10/2025", "P", "A"],
     ["ANN LEE", "Co-opted", "01/09/2026", "A", "P"]],
    # a budget with no header the synonyms know
    [["Staffing", "Realign the budget for agency staff", "Jo Bloggs", "1,200.0", "300.0"],
     ["Premises", "Repair the roof of the main building", "Sam Hill", "450.5", "0.0"]],
    # a risk register opening with its column names
    [["Risk Title", "Source/Cause of Risk", "Directorate", "Risk Owner"],
     ["Cyber attack", "Malicious attacks on council systems", "DCED", "Jo Bloggs"]],
])
def test_tables_that_are_not_plans_give_no_actions(rows):
    assert actions_of(table(rows)) == []


def test_a_headerless_table_on_the_next_page_continues_the_plan_above():
    first = table([["Ref", "Action", "Lead officer", "Deadline"],
                   ["1", "Develop a training programme for all staff", "Jo Bloggs", "March 2024"]], page=1)
    rest = table([["2", "Review the complaints procedure with parents", "Sam Hill", "June 2024"]], page=2, index=1)
    assert [a.action for a in actions_of(first, rest)][-1] == "Review the complaints procedure with parents"


def test_a_headerless_table_of_other_things_does_not_continue_it():
    first = table([["Ref", "Action", "Lead officer", "Deadline"],
                   ["1", "Develop a training programme for all staff", "Jo Bloggs", "March 2024"]], page=1)
    other = table([["Meeting room", "12", "Booked"], ["Hall", "80", "Free"]], page=2, index=1)
    assert len(actions_of(first, other)) == 1


def _measures_docx(path) -> None:
    document = docx.Document()
    document.add_paragraph("Our measures of success")
    grid = document.add_table(rows=3, cols=4)
    for row, texts in zip(grid.rows, [["Measure", "Baseline", "Target", "By when"],
                                      ["Pupils reaching the expected standard in reading", "65.8% (2021/22)",
                                       "at least 70%", "July 2025"],
                                      ["Average days to process a claim", "24 days", "18 days", "March 2026"]]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.add_paragraph("Key performance indicators")
    kpis = document.add_table(rows=2, cols=2)
    for row, texts in zip(kpis.rows, [["Key performance indicator", "Lead officer"],
                                      ["Attendance will have improved from 92.1% in 2022/23 to at least 95%",
                                       "Jo Bloggs"]]):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.save(str(path))


def test_measures_tables_become_kpis_with_baseline_and_target(tmp_path):
    (tmp_path / "in").mkdir()
    _measures_docx(tmp_path / "in" / "measures.docx")
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", check=True)
    rows = duckdb.sql(f"""SELECT measure, period, target_raw, target_value, target_unit, baseline_raw, baseline_value,
                                 baseline_period FROM read_parquet('{tmp_path}/out/kpis/*.parquet') ORDER BY measure""").fetchall()
    assert rows == [
        ("Attendance will have improved from 92.1% in 2022/23 to at least 95%", None, "at least 95%", 95.0, "%",
         "92.1%", 92.1, "2022/23"),
        ("Average days to process a claim", "March 2026", "18 days", 18.0, "day", "24 days", 24.0, None),
        ("Pupils reaching the expected standard in reading", "July 2025", "at least 70%", 70.0, "%",
         "65.8% (2021/22)", 65.8, "2021/22"),
    ]
    roles = duckdb.sql(f"""SELECT header_raw, role FROM read_parquet('{tmp_path}/out/table_columns/*.parquet')
                           WHERE table_index = 0 ORDER BY column_index""").fetchall()
    assert roles == [("Measure", "kpi_measure"), ("Baseline", "baseline"), ("Target", "target"), ("By when", "due")]


# Rows labelled with their objective and nothing else: no owner, no date (invented).
LABELLED = [["Focus", "What we will do"],
            ["Goal 1", "Run reading cafes for parents every half term"],
            ["Challenges this goal meets", "Few books at home; little reading aloud"],
            ["Goal 2", "Buy decodable readers for every Year 1 class"],
            ["Planned cost", "£4,000"]]


def test_rows_labelled_with_their_objective_are_actions_and_other_rows_are_notes():
    found = actions_of(Table(rows=table(LABELLED).rows, preceding_text="Support for this year"))
    assert [(a.objective_ref, a.action) for a in found] == [
        ("Goal 1", "Run reading cafes for parents every half term"),
        ("Goal 2", "Buy decodable readers for every Year 1 class")]


def test_labels_alone_do_not_vouch_for_rows_no_header_names():
    # with no header naming the action column, rows must say who and when to be read
    assert actions_of(table([["", ""], *LABELLED[1:]])) == []


def test_labelled_rows_under_a_caption_of_aims_are_the_aims_not_actions():
    assert actions_of(Table(rows=table(LABELLED).rows, preceding_text="Our aims for disadvantaged pupils")) == []


@pytest.mark.parametrize("rows", [
    [["Item", "Notes"], ["Goal 1", "The board discussed the budget"], ["Apologies", "None received"],
     ["Any other business", "None"]],                                       # one label among minutes' items
    [["Measure", "Score"], ["Goal 1", "60%"], ["Goal 2", "45%"]],           # figures, not actions
])
def test_a_few_labels_do_not_make_a_plan(rows):
    assert actions_of(table(rows)) == []


def test_a_visits_log_with_unknown_headers_is_not_a_plan():
    # who and when, and two text columns that read as much like notes as actions: the headers,
    # in words no synonym knows, do not make either the action column
    rows = [["Name of governor", "Date of visit/meeting", "Reason for visit/meeting", "Key messages for the board"],
            ["R Quill", "12/5/2025", "Met the reading lead about the new phonics scheme",
             "Feedback from staff and pupils has been positive; two classes need more support"],
            ["", "", "", ""], ["", "", "", ""]]
    assert actions_of(table(rows)) == []
