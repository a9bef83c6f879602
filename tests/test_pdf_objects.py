"""pdfplumber's objects, with characters converted by `extractors.pdf.objects`:
the same dicts, key for key, as pdfplumber's own conversion gives."""
from __future__ import annotations

import pdfplumber
import pytest

from extractors.pdf.objects import parse_objects
from tests.pdfgen import borderless_plan, committee_paper, ruled_plan


@pytest.mark.parametrize("make", [committee_paper, ruled_plan, borderless_plan])
def test_the_objects_are_pdfplumbers_own(tmp_path, make):
    pdf = make(tmp_path / "doc.pdf")
    with pdfplumber.open(pdf) as ours, pdfplumber.open(pdf) as theirs:
        for mine, stock in zip(ours.pages, theirs.pages):
            objects = parse_objects(mine)
            assert objects == stock.objects and objects["char"]
            assert [list(o) for kind in objects.values() for o in kind] == \
                [list(o) for kind in stock.objects.values() for o in kind]      # same keys, same order
            assert mine.chars is objects["char"]        # pdfplumber's own accessors read them


def test_words_and_tables_are_unchanged(tmp_path):
    pdf = ruled_plan(tmp_path / "plan.pdf")
    with pdfplumber.open(pdf) as ours, pdfplumber.open(pdf) as theirs:
        mine, stock = ours.pages[0], theirs.pages[0]
        parse_objects(mine)
        assert mine.extract_words() == stock.extract_words()
        assert [t.extract() for t in mine.find_tables()] == [t.extract() for t in stock.find_tables()]
