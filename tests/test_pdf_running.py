"""A page number at the foot of a page is dropped before the finders read it,
even set as close under the table as a wrapped line, when a footer in another
size shares its baseline; a year wrapped alone onto a date cell's last line
at the page foot is kept."""
from __future__ import annotations

import pytest

from extractors.pdf.layout import PageLayout, Word
from extractors.pdf.running import RunningLines

ROW = [("1.1", 40), ("Publish", 80), ("the", 116), ("objectives", 134), ("Ian", 360), ("McGuff", 376),
       ("March", 500)]


def _words(top: float, items: list[tuple[str, float]], size: float = 9.5) -> list[Word]:
    return [Word(text, x, top, x + 5.5 * len(text), top + size) for text, x in items]


def _page(foot: list[Word]) -> PageLayout:
    words = _words(500, ROW) + _words(512.5, [("council", 80), ("website", 118)]) + foot
    return PageLayout(page_number=3, width=842, height=595, words=words)


def _texts(layout: PageLayout) -> list[str]:
    return [line.text for line in RunningLines().strip(layout).lines()]


@pytest.mark.parametrize("number", ["3", "Page 3", "3 of 12", "- 3 -"])
def test_a_page_number_beside_a_footer_is_dropped(number):
    folio = _words(526, [(number, 760)], size=11)
    footer = _words(529, [("Equality", 51), ("Action", 95), ("Plan", 131)], size=8)
    assert number not in _texts(_page(folio + footer))


def test_a_page_number_alone_below_the_table_is_dropped():
    assert "3" not in _texts(_page(_words(560, [("3", 420)])))


def test_a_year_wrapped_onto_the_last_line_is_kept():
    assert "2012" in _texts(_page(_words(525, [("2012", 500)])))


def test_a_number_closing_a_row_with_nothing_beside_it_is_kept():
    assert "12" in _texts(_page(_words(525, [("12", 640)])))
