"""The column-role scorer: roles from header wording and from cell content."""
import doctest

import pytest

from extractors.interpret import assign_roles, reading_score
from extractors.interpret import cells, columns

BODY = [
    ["1", "Develop a training programme for all staff", "Jane Smith", "March 2024"],
    ["2", "Review the complaints procedure with parents", "Head of Service", "June 2024"],
    ["3", "Publish the equality objectives on the website", "Clerk", "asap"],
]


def test_docstrings_hold():
    for module in (cells, columns):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("header", [
    ["Ref", "Action", "Lead Officer", "Deadline"],                       # synonym table
    ["No.", "What needs doing", "Person leading this", "Expected completion"],   # header words
    ["", "", "", ""],                                                     # blank: content decides
    ["Col A", "Col B", "Col C", "Col D"],                                 # unknown wording
])
def test_roles_from_header_and_content(header):
    assignment = assign_roles([header, *BODY])
    assert [c.role for c in assignment.columns] == ["ref", "action", "officer", "due"]
    assert assignment.kind == "action"


def test_no_header_at_all():
    assignment = assign_roles(BODY, header=None)
    assert [c.role for c in assignment.columns] == ["ref", "action", "officer", "due"]
    assert not assignment.has_header


@pytest.mark.parametrize("header,role", [
    ("Evaluation & further action", "progress"),
    ("Action taken", "progress"),
    ("Progress", "progress"),
])
def test_words_that_are_not_the_action(header, role):
    body = [[*r, "Training delivered to 40 staff"] for r in BODY]
    assignment = assign_roles([["Ref", "Action", "Lead Officer", "Deadline", header], *body])
    assert [c.role for c in assignment.columns][1] == "action"
    assert assignment.columns[4].role == role


def test_one_action_column_unless_two_headers_say_so():
    body = [[*r, r[1].replace("Develop", "Deliver")] for r in BODY]
    one = assign_roles([["", "", "", "", ""], *body])
    assert [c.role for c in one.columns].count("action") == 1
    two = assign_roles([["Ref", "Action", "Lead", "Deadline", "Actions"], *body])
    assert [c.role for c in two.columns].count("action") == 2


def test_start_is_the_left_of_two_date_columns():
    body = [[*r[:3], "April 2023", r[3]] for r in BODY if r[3] != "asap"]
    assignment = assign_roles([["", "", "", "", ""], *body])
    assert [c.role for c in assignment.columns][3:] == ["start", "due"]


def test_runner_up_is_recorded():
    column = assign_roles([["Ref", "", "Owner", "When"], *BODY]).columns[1]
    assert column.role == "action" and column.runner_up and column.runner_up_score <= column.score


@pytest.mark.parametrize("rows", [
    [["Spend", "2024-25"], ["Staffing", "£1,200"], ["Premises", "£300"]],          # budget
    [["Name", "Type", "Term ends"], ["PAUL EVEMY", "LA", "14/10/2022"], ["SIMON BARNES", "Co-opted", "14/10/2022"]],
    [["FGB 21/2122", "Safeguarding", " ".join(["The governors discussed the report at length."] * 12), "Heather Poustie"],
     ["FGB 22/2122", "Declaration of interests", " ".join(["Governors were invited to declare interests."] * 12), "None"]],
])
def test_tables_that_are_not_plans_read_poorly(rows):
    assert reading_score(rows) < 0.5


# Blank headers: what the cells alone must tell apart (invented rows).
OWNERS_AND_GAPS = [
    ["4.1", "Run a survey of carers in every locality", "Ann Pryce", "May 2025"],
    ["4.2", "Publish the results of the carers survey", "To be confirmed", "July 2025"],
    ["4.3", "Hold two listening events with young carers", "Tom Birch", "TBC"],
    ["4.4", "Report the findings to the partnership board", "Tom Birch", "Sept 2025"],
    ["4.5", "Agree a carers charter with the voluntary sector", "Tom Birch", "Dec 2025"],
]


def test_a_blank_header_row_leaves_the_roles_to_the_cells_and_placeholders_vote_for_nothing():
    # "To be confirmed" stands where an owner is still to come, and one name running down
    # several rows is an owner column, not a grouping column
    assignment = assign_roles([["", "", "", ""], *OWNERS_AND_GAPS])
    assert [c.role for c in assignment.columns] == ["ref", "action", "officer", "due"]


def test_text_that_reads_as_much_an_outcome_is_the_action_when_rows_say_who_and_when():
    rows = [["", "Manager responsible for the fostering service to ensure carers are supported", "Lena Ward",
             "March 2026"],
            ["", "Manager responsible for the leisure service to ensure access for wheelchair users", "Omar Reid",
             "June 2026"]]
    assignment = assign_roles(rows, header=None)
    assert [c.role for c in assignment.columns] == ["action", "officer", "due"] and assignment.kind == "action"


@pytest.mark.parametrize("cell", ["Ongoing\nP Marsh", "Spring 2026 Lena Ward", "March 2026 Ms O Reid", "2026 Tom Birch"])
def test_a_date_or_timescale_with_a_person_is_a_date_and_owner_cell(cell):
    assert cells.evidence(cell).dated_owner


def test_a_column_of_status_phrases_is_progress_not_a_grouping_column():
    rows = [[r[0], r[1], f"{r[3]} {r[2]}" if r[2] != "To be confirmed" else r[3],
             "Partially achieved - further work in the new year"] for r in OWNERS_AND_GAPS]
    assignment = assign_roles(rows, header=None)
    assert assignment.columns[0].role == "ref" and assignment.columns[3].role == "progress"


def test_bands_across_the_table_are_not_rows_of_it():
    band = ["Priority outcome 2: carers are heard", "", "", ""]
    with_bands = [OWNERS_AND_GAPS[0], band, *OWNERS_AND_GAPS[1:3], band, *OWNERS_AND_GAPS[3:]]
    rows = [columns._as_row(r) for r in with_bands]
    for row in rows:
        if not row.cells[1].text:
            row.cells[0].span = 4
            for cell in row.cells[1:]:
                cell.span = 0
    assert columns.is_band(rows[1])
    assert reading_score(rows) == reading_score(OWNERS_AND_GAPS)


def test_the_left_of_two_equal_text_columns_is_the_action():
    rows = [["Audit the library stock", "Audit the library stock", "Ann Pryce", "May 2025"],
            ["Train the reading volunteers", "Train the reading volunteers", "Tom Birch", "July 2025"]]
    assert [c.role for c in assign_roles(rows, header=None).columns][:2] == ["action", None]


@pytest.mark.parametrize("header", [["Measure", "Activity"], ["", "Activity"], ["Focus", "Activity"]])
def test_objective_labels_name_their_column_whatever_its_header(header):
    rows = [header, ["Goal 1", "Run reading cafes for parents every half term"],
            ["Challenges", "Few books at home"], ["Goal 2", "Buy decodable readers for Year 1"]]
    assignment = assign_roles(rows)
    assert [c.role for c in assignment.columns] == ["objective_ref", "action"]
    assert assignment.labelled == {0} and assignment.kind == "action"


@pytest.mark.parametrize("cell", ["Goal 12", "Priority 3a", "objective 2:"])
def test_objective_labels(cell):
    assert cells.evidence(cell).label and cells.objective_label(cell)


@pytest.mark.parametrize("cell", ["Goal", "Priority 3 raise standards", "Ob 3", "Action 2"])
def test_not_objective_labels(cell):
    assert not cells.evidence(cell).label
