"""A row split by a page break is joined whole: when its date cell carries on
mid-phrase, and when heading rows the source repeats on every page stand
between its two halves; a new row is never joined.  And the reading score
credits a cell that holds both the date and the owner."""
from __future__ import annotations

import pytest

from extractors.model import Cell, RawAction, Row, Table
from extractors.pdf.readings import _action_score
from extractors.pdf.stitch import stitch_tables

EDGES = [50, 210, 470, 580, 790]
GREY = "#D9D9D9"


def _row(page: int, top: float, texts: list[str], fill: str | None = None, span: int = 1) -> Row:
    cells = [Cell(text=t, col=j, bbox=(EDGES[j], top, EDGES[j + 1], top + 20), fill=fill if t else None)
             for j, t in enumerate(texts)]
    if span > 1:
        cells[0].span = span
        for cell in cells[1:span]:
            cell.span = 0
    return Row(cells=cells, page=page, bbox=(EDGES[0], top, EDGES[-1], top + 20))


def _table(page: int, top: float, rows: list[Row]) -> Table:
    return Table(rows=rows, page=page, bbox=(EDGES[0], top, EDGES[-1], top + 20 * len(rows)))


LAST = ["E&D Ob 5. Increase % of", "Support HR Division implementing the plan arising out of the review of",
        "June 2011 / March", "Contribute to the development of"]


def _stitched(continuation: list[Row]) -> list[Row]:
    first = _table(1, 80, [_row(1, 80, ["Objective", "Action", "Target date", "Outcome"]), _row(1, 100, LAST)])
    (table,) = stitch_tables([first, _table(2, 50, continuation)])
    return table.rows


def test_a_date_cut_mid_phrase_carries_on_over_the_page():
    rows = _stitched([_row(2, 50, ["employees with a disability.", "disabled staff.", "2012", "resilience."])])
    assert len(rows) == 2 and rows[-1].split_across_pages
    assert [c.text for c in rows[-1].cells][1:3] == [f"{LAST[1]}\ndisabled staff.", "June 2011 / March\n2012"]


@pytest.mark.parametrize("texts", [
    ["E&D Ob 6. Encourage recruitment", "Analyse the staff survey", "2012", "Schools are aware."],
    ["2.", "review the take-up of adjustments", "June 2011", "findings reported."],
])
def test_a_new_row_is_never_joined(texts):
    rows = _stitched([_row(2, 50, texts)])
    assert len(rows) == 3 and not rows[1].split_across_pages


@pytest.mark.parametrize("heading", [
    _row(2, 50, ["Outcome: Stay safe", "", "Lead for outcome: Rosina Ottwell", ""], fill=GREY),
    _row(2, 50, ["Aim: safe from bullying and discrimination", "", "", ""], span=3),
])
def test_repeated_heading_rows_stand_between_the_halves_of_a_split_row(heading):
    rest = _row(2, 75, ["", "inspection", "", ""])
    following = _row(2, 100, ["", "Work with secondary schools", "March 2013", "Helen Kew"])
    rows = _stitched([heading, rest, following])
    assert rows[1].cells[1].text == f"{LAST[1]}\ninspection" and rows[1].split_across_pages
    assert rows[2:] == [heading, following]


def test_a_heading_wrapped_onto_a_second_row_is_not_the_rest_of_a_split_row():
    heading = _row(2, 50, ["EEF: language ability is one of the strongest predictors of success and", "", "", ""],
                   fill=GREY, span=4)
    wrapped = _row(2, 65, ["employment and wellbeing.", "", "", ""], fill=GREY, span=4)
    rows = _stitched([heading, wrapped, _row(2, 80, ["", "Blank level training", "March 2013", "SENDCO"])])
    assert rows[1].cells[1].text == LAST[1] and not rows[1].split_across_pages
    assert len(rows) == 5


def _action(due: str, officers: str) -> RawAction:
    return RawAction(action="Improve the quality of leadership", ref="5c", section=None, objective_ref=None,
                     objective=None, outcome=None, progress=None, start_raw=None, due_raw=due,
                     officers_raw=officers, divisions_raw=None, page=1, table_index=0, row_index=1)


@pytest.mark.parametrize("cell", ["March 2012 Mike Galikowski", "Sep 2011\nYvonne Dabel"])
def test_a_cell_holding_date_and_owner_scores_both_roles(cell):
    assert _action_score(_action(cell, cell)) == 1.0


def test_an_owner_closing_a_long_comment_still_counts_as_owner():
    cell = "Ongoing - discussed at Team meetings - staff aware where to find a copy\nRuth Tykiff"
    assert _action_score(_action(cell, cell)) >= 2 / 3
    assert _action_score(_action(cell, "Discussed at meetings where everyone was told")) < _action_score(_action(cell, cell))


def test_a_header_at_the_page_foot_takes_the_rows_overleaf(tmp_path):
    """A measures table's header is the last thing on the page, its rows overleaf, under
    the same columns as the action table above it: the rows are measures, not actions."""
    from extractors.interpret import interpret_tables, is_header_row
    from extractors.pdf.reader import PdfSettings, read_pdf
    from tests.pdfgen import page_stream, write_pdf
    xs = [40, 90, 430, 560, 690]

    def row(y: float, cells: list[str]) -> list[tuple[float, float, str]]:
        return [(x, y, text) for x, text in zip(xs, cells) if text]
    first = (row(540, ["Ref", "Actions", "Start date", "Finish date", "Lead officer"])
             + row(515, ["1.1", "Review the equality scheme with partners", "April 2009", "March 2010", "Amanda Beer"])
             + row(490, ["1.2", "Publish the workforce profile on the website", "May 2009", "June 2010", "Ian McGuff"])
             + row(60, ["Ref", "Key performance measures", "2009/10 Target", "2010/11 Target", "Lead officer"])
             + [(400, 20, "Equality action plan 2009-10")])
    second = (row(540, ["2.1", "% of schools returning racist incident data", "95%", "100%", "Akua Agyepong"])
              + row(515, ["2.2", "% of employees declaring a disability", "2.5%", "3.5%", "Akua Agyepong"]))
    pdf = write_pdf(tmp_path / "plan.pdf", [page_stream(first), page_stream(second)])
    found = interpret_tables(stitch_tables(read_pdf(str(pdf), PdfSettings(screen=False)).tables,
                                           is_header=is_header_row))
    assert [a.ref for a in found.actions] == ["1.1", "1.2"]
    assert [(k.ref, k.targets) for k in found.kpis] == [("2.1", {"2009/10": "95%", "2010/11": "100%"}),
                                                         ("2.2", {"2009/10": "2.5%", "2010/11": "3.5%"})]
