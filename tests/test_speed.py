"""What the ingest does to be fast (issue 11) changes no reading: the page screen's
shortcuts give the answers of the slower tests they replace, a file with no page to
read skips pdfplumber but keeps its page count and metadata, the forkserver's
warm-up sample reads as a plan, and the largest files are started first."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.ocr.textlayer import MAPPED, _unmapped, garbage
from extractors.pdf import PdfSettings, read_pdf
from extractors.pdf.screen import _date_hint, _enough_dates, rules
from pipeline.document import process
from pipeline.results import Source
from pipeline.execution.executors import largest_first
from pipeline.execution.forkserver import WARMUP
from pipeline.execution.tasks import Task
from tests.pdfgen import page_stream, prose_page, write_pdf


@pytest.mark.parametrize("text", [
    "Review the policy by March 2013, again in Sept 12 and Q3",
    "Ongoing\nQuarterly\nAs required",
    "Completed 12/03/2012, due 1.4.13; review 2014",
    "Spring term 2013 and the Autumn Term",
    "The committee NOTED the report.",
    "ONGOING MONTHLY ANNUALLY",
    "",
])
def test_date_hints_count_as_the_case_blind_pattern_does(text):
    enough = len(_date_hint().findall(text)) >= rules().limits.column_cells
    assert _enough_dates(text) == enough


def test_the_date_hint_pattern_has_no_capital_letters_to_miss_on_lowered_text():
    # escapes such as \b, \d, \s are lower case; a capital letter would never match lowered text
    assert not re.search(r"(?<!\\)[A-Z]", _date_hint().pattern.replace("\\S", "").replace("\\W", ""))


def test_characters_the_fast_check_passes_are_all_mapped():
    passed = [chr(i) for i in range(0x10000) if MAPPED.fullmatch(chr(i))]
    assert passed and not any(_unmapped(c) for c in passed)


@pytest.mark.parametrize("chars, expected", [
    (list("Plain text of a page, all readable."), False),
    (["(cid:12)"] * 10 + list("ab"), True),
    (["\ue000"] * 10 + list("ab"), True),
    (list("Caf\u00e9 \u2013 \u20ac5"), False),
])
def test_garbage_is_judged_as_before(chars, expected):
    assert garbage(chars, "".join(chars).split()) == expected


def test_a_file_with_no_page_to_read_is_not_opened_by_pdfplumber(tmp_path, monkeypatch):
    pdf = write_pdf(tmp_path / "minutes.pdf", [page_stream([(40, 570, "Minutes of the meeting")]) + prose_page("roads"),
                                               prose_page("libraries")])
    import extractors.pdf.pages as pages

    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber opened a file with no page to read")

    monkeypatch.setattr(pages.pdfplumber, "open", refuse)
    doc = read_pdf(str(pdf), PdfSettings())
    assert doc.pages == 2 and doc.pages_read == [] and doc.pages_screened_out == [1, 2]
    assert doc.blocks[0].text == "Minutes of the meeting"          # metadata still comes from pdfium


def test_the_forkserver_warm_up_sample_reads_as_a_plan():
    """It must take every path a real plan takes, or its warm-up leaves state cold."""
    result = process(Source(uri=str(WARMUP), path=str(WARMUP), name=WARMUP.name))
    document = result.tables["documents"].to_pylist()[0]
    assert result.status == "ok" and result.tables["actions"].num_rows >= 4
    assert document["pages_screened_out"] and document["pages_read"]


def test_largest_files_start_first(tmp_path):
    sizes = {"small.pdf": 10, "large.pdf": 1000, "middle.pdf": 100}
    tasks = []
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
        tasks.append(Task(Source(uri=name, path=str(tmp_path / name), name=name), "key"))
    url = Task(Source(uri="https://example.org/a.pdf", path=None, name="a.pdf"), "key")
    assert [t.source.name for t in largest_first([*tasks, url])] == ["large.pdf", "middle.pdf", "small.pdf", "a.pdf"]
