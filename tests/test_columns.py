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
