"""Progress/status/RAG normaliser, on invented cells."""
import pytest

from normalisers.progress import progress_status, rgb_hex, status_from_fill


@pytest.mark.parametrize("text, expected", [
    ("Complete", "complete"), ("Completed in May 2011", "complete"), ("Achieved", "complete"),
    ("Done", "complete"), ("Blue", "complete"), ("B", "complete"),
    ("Green", "on_track"), ("On track", "on_track"), ("In progress", "on_track"),
    ("Ongoing - termly reports to governors", "on_track"), ("G", "on_track"), ("On-going", "on_track"),
    ("Ongoing, but delayed by the restructure", "at_risk"), ("In progress; data issues with schools", "at_risk"),
    ("Amber", "at_risk"), ("At risk", "at_risk"), ("Delayed until autumn", "at_risk"), ("Slipped", "at_risk"),
    ("A", "at_risk"), ("Partially achieved", "at_risk"),
    ("Red", "off_track"), ("Off track", "off_track"), ("Not achieved", "off_track"), ("R", "off_track"),
    ("Not started", "not_started"), ("Not yet started", "not_started"),
    ("Status: Amber", "at_risk"), ("RAG - Green", "on_track"),
    ("A plan has been drafted and shared with schools", "unknown"),
    ("Training has been offered to schools; uptake will be completed when funding allows", "unknown"),
    ("", "unknown"), (None, "unknown"),
])
def test_status_from_words(text, expected):
    assert progress_status(text) == expected


@pytest.mark.parametrize("fill, expected", [
    ("#FF0000", "off_track"), ("#C00000", "off_track"), ("#FFC000", "at_risk"), ("#FFFF00", "at_risk"),
    ("#00B050", "on_track"), ("#92D050", "on_track"), ("#0070C0", "complete"),
    ("#D9D9D9", "unknown"), ("#FFFFFF", "unknown"), ("#000000", "unknown"), ("not a colour", "unknown"),
])
def test_status_from_fill(fill, expected):
    assert status_from_fill(fill) == expected


def test_words_win_over_fill():
    assert progress_status("Complete", "#FF0000") == "complete"
    assert progress_status("See note 4", "#FF0000") == "off_track"


@pytest.mark.parametrize("colour, expected", [
    ((1, 0, 0), "#FF0000"), ((0.5,), "#808080"), ((0, 0, 0, 0), "#FFFFFF"), ((0, 1, 1, 0), "#FF0000"),
    ("pattern", None), ((0.2, 0.3), None),
])
def test_pdf_colours(colour, expected):
    assert rgb_hex(colour) == expected


@pytest.mark.parametrize("text, expected", [
    ("Not\nstart\ned", "not_started"), ("Gree\nn", "on_track"), ("Amb\ner", "at_risk"), ("Complet\ne", "complete"),
    ("In\nprogress", "on_track"),
])
def test_words_wrapped_in_a_narrow_column(text, expected):
    assert progress_status(text) == expected


def test_header_wrapped_inside_a_word():
    from extractors.interpret.headers import classify_wrapped_header
    assert classify_wrapped_header("Stat\nus") == "status"
    assert classify_wrapped_header("Lead\nofficer") == "officer"


RAG_ROWS = [["Ref", "Action", "Lead officer", "Deadline", "RAG"],
            ["1", "Publish the equality objectives", "Jane Smith", "March 2013", ""],
            ["2", "Review pay data by gender", "HR Team", "June 2013", ""],
            ["3", "Train managers in impact assessment", "Ian McGuff", "May 2013", "Complete"],
            ["4", "Consult disabled residents' forum", "Policy Team", "July 2013", ""]]
RAG_FILLS = {1: (1.0, 0.0, 0.0), 2: (1.0, 0.75, 0.0), 3: (1.0, 0.0, 0.0), 4: (0.0, 0.69, 0.31)}
EXPECTED = ["off_track", "at_risk", "complete", "on_track"]


def _statuses(out) -> list[tuple]:
    import duckdb
    return duckdb.sql(f"SELECT source_name, progress_status FROM read_parquet('{out}/actions/*.parquet') "
                      "ORDER BY source_name, row_index").fetchall()


def test_rag_only_a_colour_in_pdf_and_docx(tmp_path):
    """The RAG cell is only a fill colour (the words win where printed): read from the
    PDF's filled rectangles and from the DOCX cell shading alike."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from tests.conftest import run_cli
    from tests.pdfgen import ruled_table_stream, write_pdf
    (tmp_path / "in").mkdir()
    fills = {(r, 4): rgb for r, rgb in RAG_FILLS.items()}
    write_pdf(tmp_path / "in" / "rag.pdf", [ruled_table_stream(RAG_ROWS, [40, 260, 120, 90, 60], fills)])
    document = docx.Document()
    table = document.add_table(rows=0, cols=5)
    for r, row in enumerate(RAG_ROWS):
        cells = table.add_row().cells
        for c, text in enumerate(row):
            cells[c].text = text
            if (r, c) in fills:
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:fill"), "".join(f"{round(v * 255):02X}" for v in fills[(r, c)]))
                cells[c]._tc.get_or_add_tcPr().append(shd)
    document.save(tmp_path / "in" / "rag.docx")
    run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet", check=True)
    assert _statuses(tmp_path / "out") == [("rag.docx", s) for s in EXPECTED] + [("rag.pdf", s) for s in EXPECTED]


QPR = "realworld/kent-committee-papers-2025/cabinet_2025-03-04__originals__QPR Q3 Cabinet appendix 1.pdf"


def test_real_rag_cells_colour_agrees_with_word(shared):
    """A real council performance report prints each RAG rating as a word on a
    coloured cell: the colour alone must give the status the word gives."""
    import pdfplumber

    from extractors.pdf.fills import _fill_under
    from extractors.pdf.layout import layout_from_page
    path = shared / QPR
    if not path.exists():
        pytest.skip(f"{path} missing")
    pairs = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            filled = layout_from_page(page).fills
            for word in page.extract_words():
                if word["text"] in ("RED", "AMBER", "GREEN"):
                    fill = _fill_under((word["x0"], word["top"], word["x1"], word["bottom"]), filled)
                    pairs.append((progress_status(word["text"]), progress_status("", fill)))
    assert len(pairs) >= 20
    assert all(by_word == by_colour for by_word, by_colour in pairs), pairs
