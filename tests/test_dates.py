from datetime import date

import pytest
from hypothesis import given, strategies as st

from normalisers.dates import month_of, normalise_due, reads_as_timescale

D = date


@pytest.mark.parametrize("text, start, due, status", [
    ("April 2007", None, D(2007, 4, 1), None),
    ("Apr 2007", None, D(2007, 4, 1), None),
    ("Apr-07", None, D(2007, 4, 1), None),
    ("Sept 07", None, D(2007, 9, 1), None),           # dateparser alone gives this year's 7 September
    ("Sep-07", None, D(2007, 9, 1), None),
    ("1-Jun-07", None, D(2007, 6, 1), None),
    ("31 March 2008", None, D(2008, 3, 1), None),
    ("30th April 2007", None, D(2007, 4, 1), None),
    ("End of March 2008", None, D(2008, 3, 1), None),
    ("March 2008 (date TBC)", None, D(2008, 3, 1), None),
    ("04/2007", None, D(2007, 4, 1), None),
    ("31/03/2008", None, D(2008, 3, 1), None),      # UK day-first
    ("2007/08", None, D(2008, 3, 1), None),         # financial year ends in March
    ("2007-08", None, D(2008, 3, 1), None),
    ("Q3 2011/12", None, D(2011, 12, 1), None),
    ("April 2011/March 2012", D(2011, 4, 1), D(2012, 3, 1), None),
    ("September 2010/ March 2011", D(2010, 9, 1), D(2011, 3, 1), None),
    ("Jan 25-October 25", D(2025, 1, 1), D(2025, 10, 1), None),
    ("July 2010 to June 2011", D(2010, 7, 1), D(2011, 6, 1), None),
    ("Sept 07 - ongoing", D(2007, 9, 1), None, "ongoing"),
    ("Commenced April 2006 - ongoing", D(2006, 4, 1), None, "ongoing"),
    ("From Jun 2007 - ongoing", D(2007, 6, 1), None, "ongoing"),
    ("Ongoing", None, None, "ongoing"),
    ("On-going", None, None, "ongoing"),
    ("Continuous", None, None, "ongoing"),
    ("Ongoing - review March 2008", None, D(2008, 3, 1), "ongoing"),
    ("Progress reported to ELOG meetings: • 4 October 07 Final deadline: 31 March 2008", None, D(2008, 3, 1), None),
    ("November 2010 (Event) March 2011 (Report)", None, D(2011, 3, 1), None),   # latest wins
    ("• April 2007 • April 2008", None, D(2008, 4, 1), None),
    ("March 2012 Mike Galikowski", None, D(2012, 3, 1), None),                  # the name goes to officers
    ("2012", None, None, None),                                                 # no month: never a guess
    ("2012 Ian McGuff", None, None, None),
    ("Refer to targets in the Children and Young People's Plan", None, None, None),
    ("Summer term", None, None, None),
    ("Add to agenda July, October - update due July 31st", None, None, None),
    ("", None, None, None),
])
def test_due_shapes(text, start, due, status):
    result = normalise_due(text)
    assert (result.start, result.due, result.status) == (start, due, status)
    if due is None and status is None:
        assert result.reason                     # what cannot be read says why


def test_range_is_not_split_when_the_table_has_a_start_column():
    result = normalise_due("April 2011/March 2012", allow_range=False)
    assert (result.start, result.due) == (None, D(2012, 3, 1))


def test_start_cell_takes_its_first_month():
    assert month_of("30 September 2007").start == D(2007, 9, 1)
    assert month_of("To be confirmed").start is None


@given(st.text(max_size=80))
def test_never_raises_and_is_idempotent(text):
    first = normalise_due(text)
    assert normalise_due(text) == first
    if first.due is not None:
        again = normalise_due(first.due.strftime("%B %Y"))
        assert again.due == first.due


@pytest.mark.parametrize("text, due", [
    ("March ’25", D(2025, 3, 1)),                     # typographic apostrophe before a two-digit year
    ("Funded to March ’25", D(2025, 3, 1)),           # a date inside a phrase
    ("Sept ‘24", D(2024, 9, 1)),
    ("Review at the end of Jan '26", D(2026, 1, 1)),
    ("Report to Cabinet on 14 July 2023", D(2023, 7, 1)),
    ("2025-03-31", D(2025, 3, 1)),                    # ISO
    ("31.03.2025", D(2025, 3, 1)),                    # day first, full stops
    ("asap, then by April 2024", D(2024, 4, 1)),      # a month beats a timescale word
    ("Summer term (July 2021)", D(2021, 7, 1)),
    ("Annual report 2021/22", D(2022, 3, 1)),         # a financial year stays one beside a frequency word
])
def test_dates_in_phrases(text, due):
    assert normalise_due(text).due == due


@pytest.mark.parametrize("text, status, note", [
    ("asap", None, "as soon as possible"),
    ("ASAP", None, "as soon as possible"),
    ("A.S.A.P.", None, "as soon as possible"),
    ("b. asap", None, "as soon as possible"),          # a lettered sub-item's date cell
    ("Immediately", None, "as soon as possible"),
    ("As necessary", None, "as necessary"),
    ("as and when required", None, "as necessary"),
    ("Termly", None, "recurring"),
    ("Reviewed each meeting", None, "recurring"),
    ("By Summer 2020", None, "term or season"),
    ("Autumn term 2021", None, "term or season"),
    ("Spring Term", None, "term or season"),
    ("Summer 2", None, "term or season"),              # a half term
    ("Summer 2021/22", None, "term or season"),        # not the financial year 2021/22
    ("2020-21 academic year", None, "academic year"),  # not March 2021
    ("Academic year 2022/23", None, "academic year"),
    ("AY 2019/20", None, "academic year"),
    ("End of 2025", None, "year with no month"),
    ("On going", "ongoing", None),
    ("Ongoing, reviewed termly", "ongoing", None),
])
def test_timescales_without_a_month_keep_due_null_and_say_why(text, status, note):
    result = normalise_due(text)
    assert (result.due, result.start, result.status) == (None, None, status)
    if note:
        assert note in result.reason
    else:
        assert result.reason is None


@pytest.mark.parametrize("text, expected", [
    ("March 2021", True), ("asap", True), ("Ongoing", True), ("2021/22", True), ("Autumn term", True),
    ("As necessary", True), ("Heather Poustie", False), ("Clerk", False), ("Update the website", False), ("", False),
])
def test_reads_as_timescale(text, expected):
    assert reads_as_timescale(text) is expected
