"""KPIs read from performance tables: a measure beside its RAG ratings, under a
header printed on two rows (``KPIs | RAG rating | DoT`` over ``| Latest | Previous |``)."""
import duckdb
import pytest

from extractors.interpret import interpret_tables
from extractors.interpret.stacked import stack_header_rows
from extractors.model import Cell, Row, Table


def _row(*cells: tuple[str, int]) -> Row:
    out, col = [], 0
    for text, span in cells:
        out.append(Cell(text, col, span=span))
        out += [Cell("", col + i, span=0) for i in range(1, span)]
        col += span
    return Row(cells=out)


GROUP = _row(("Housing KPIs", 1), ("RAG rating", 2), ("DoT", 1))


@pytest.mark.parametrize("lower, expected", [
    (_row(("", 1), ("Latest", 1), ("Previous", 1), ("", 1)),
     ["Housing KPIs", "RAG rating Latest", "RAG rating Previous", "DoT"]),
    # the measure's header merged down both rows repeats in the lower one
    (_row(("Housing KPIs", 1), ("Current", 1), ("Last quarter", 1), ("DoT", 1)),
     ["Housing KPIs", "RAG rating Current", "RAG rating Last quarter", "DoT"]),
])
def test_a_group_header_names_the_columns_under_it(lower, expected):
    stacked = stack_header_rows([GROUP, lower])
    assert stacked[0] is GROUP
    assert [c.text for c in stacked[1].cells] == expected


@pytest.mark.parametrize("lower", [
    _row(("Homes brought back into use", 1), ("GREEN", 1), ("AMBER", 1), ("", 1)),   # a body row
    _row(("", 1), ("Latest", 1), ("", 1), ("", 1)),                                   # one name under the group
    _row(("", 1), ("75%", 1), ("80%", 1), ("", 1)),                                   # figures
    _row(("Other KPIs", 1), ("Latest", 1), ("Previous", 1), ("", 1)),                 # a new name beside them
])
def test_other_rows_under_a_group_header_stay_as_printed(lower):
    assert stack_header_rows([GROUP, lower])[1] is lower


def _ratings_table() -> Table:
    rows = [GROUP, _row(("", 1), ("Latest", 1), ("Previous", 1), ("", 1)),
            _row(("% of repairs completed within 28 days", 1), ("GREEN", 1), ("AMBER", 1), ("", 1)),
            _row(("Number of homes brought back into use", 1), ("RED", 1), ("RED", 1), ("", 1)),
            _row(("% of tenants satisfied with the service", 1), ("AMBER", 1), ("GREEN", 1), ("", 1))]
    return Table(rows=rows, page=1)


def test_a_measure_beside_its_ratings_is_a_kpi():
    found = interpret_tables([_ratings_table()])
    assert found.actions == []
    assert [(k.measure, k.status_raw, k.previous_status_raw) for k in found.kpis] == [
        ("% of repairs completed within 28 days", "GREEN", "AMBER"),
        ("Number of homes brought back into use", "RED", "RED"),
        ("% of tenants satisfied with the service", "AMBER", "GREEN")]


def test_ratings_with_no_measure_header_still_read_as_measures():
    """The group header names the directorate only (``Housing``): the rated text
    column, with nothing saying who or when, holds the measures."""
    table = _ratings_table()
    table.rows[0] = _row(("Housing", 1), ("RAG rating", 2), ("DoT", 1))
    assert len(interpret_tables([table]).kpis) == 3


def test_a_status_column_beside_owners_and_dates_stays_an_action_plan():
    rows = [_row(("Action", 1), ("Lead officer", 1), ("By when", 1), ("RAG", 1)),
            _row(("Review the lettings policy with tenants", 1), ("Amanda Beer", 1), ("March 2025", 1),
                 ("GREEN", 1)),
            _row(("Publish the repairs standard online", 1), ("Ian McGuff", 1), ("June 2025", 1), ("RED", 1))]
    found = interpret_tables([Table(rows=rows, page=1)])
    assert [a.status_raw for a in found.actions] == ["GREEN", "RED"] and found.kpis == []


SHADES = {"GREEN": "00B050", "AMBER": "FFC000", "RED": "C00000"}


def _merge_and_shade(table, body: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(0, 2))
    for r, row in enumerate(body, start=2):
        for c, text in enumerate(row):
            table.cell(r, c).text = "" if c == 2 and r == 3 else text    # one rating shown only as a colour
            if text in SHADES:
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:fill"), SHADES[text])
                table.cell(r, c)._tc.get_or_add_tcPr().append(shd)


def test_ratings_land_in_the_kpis_dataset(tmp_path):
    """Through the CLI into Parquet: the latest rating and the previous one, from the
    word where printed and from the shading where the cell is only a colour."""
    import docx

    from tests.conftest import run_cli
    body = [["% of repairs completed within 28 days", "GREEN", "AMBER", ""],
            ["Number of homes brought back into use", "RED", "RED", ""],
            ["% of tenants satisfied with the service", "AMBER", "GREEN", ""]]
    document = docx.Document()
    document.add_paragraph("Quarterly performance report")
    table = document.add_table(rows=2 + len(body), cols=4)
    for c, text in enumerate(["Housing KPIs", "RAG rating", "", "DoT"]):
        table.cell(0, c).text = text
    for c, text in enumerate(["", "Latest", "Previous", ""]):
        table.cell(1, c).text = text
    _merge_and_shade(table, body)
    (tmp_path / "in").mkdir()
    document.save(tmp_path / "in" / "qpr.docx")
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", check=True)
    rows = duckdb.sql(f"SELECT measure, progress_status, previous_progress_status, previous_progress_status_raw "
                      f"FROM read_parquet('{tmp_path}/out/kpis/*.parquet') ORDER BY row_index").fetchall()
    assert rows == [("% of repairs completed within 28 days", "on_track", "at_risk", "AMBER"),
                    ("Number of homes brought back into use", "off_track", "off_track", None),
                    ("% of tenants satisfied with the service", "at_risk", "on_track", "GREEN")]
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path}/out/actions/*.parquet')").fetchall() == [(0,)]
