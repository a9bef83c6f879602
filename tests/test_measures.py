import pytest
from hypothesis import given, settings, strategies as st

from normalisers.measures import parse_measure, parse_quantity


def _q(quantity):
    return None if quantity is None else (quantity.value, quantity.unit, quantity.period, quantity.qualifier)


@pytest.mark.parametrize("sentence, baseline, target", [
    ("Pupils at the expected standard will have improved from 65.8% in 2021/22 to at least 70%",
     (65.8, "%", "2021/22", None), (70.0, "%", None, "at least")),
    ("Cut re-referrals from 22.4 per cent (2020/21) to no more than 18 per cent by March 2024",
     (22.4, "%", "2020/21", None), (18.0, "%", "March 2024", "no more than")),
    ("The attainment gap will narrow from 12 percentage points to 8 percentage points",
     (12.0, "pp", None, None), (8.0, "pp", None, None)),
    ("Baseline: 120 households (Q2 2022/23); target 90", (120.0, None, "Q2 2022/23", None), (90.0, None, None, None)),
    ("Increase the number of apprenticeships to 500 by 2025", None, (500.0, None, "2025", None)),
    ("Maintain attendance at 96%", None, (96.0, "%", None, None)),
    ("Reduce the average wait to under 6 weeks", None, (6.0, "week", None, "under")),
    ("Households in temporary accommodation reduced from 1,240 to 1,000 by 2026", (1240.0, None, None, None),
     (1000.0, None, "2026", None)),
    ("Invest from £1.2m to £2m in play areas", (1200000.0, "£", None, None), (2000000.0, "£", None, None)),
])
def test_baseline_and_target_in_the_sentence(sentence, baseline, target):
    reading = parse_measure(sentence)
    assert (_q(reading.baseline), _q(reading.target)) == (baseline, target)


@pytest.mark.parametrize("sentence", [
    "Children aged 5 to 11 taking part in sport",        # a range of ages is not a target
    "Average wait of 14 weeks",                           # a number with no target word
    "Number of visits to 3 libraries",
    "Funded to March ’25",                                # a date is not a number
    "Refer to the 2021/22 report",
    "",
])
def test_numbers_that_are_neither_baseline_nor_target_are_left_alone(sentence):
    reading = parse_measure(sentence)
    assert (reading.baseline, reading.target) == (None, None)


def test_cells_win_over_the_sentence_and_the_period_cell_dates_the_target():
    reading = parse_measure("Improve from 50% to 60%", baseline="52.5% (2022/23)", target="at least 65%",
                            period="2024/25")
    assert _q(reading.baseline) == (52.5, "%", "2022/23", None)
    assert _q(reading.target) == (65.0, "%", "2024/25", "at least")
    assert reading.target.raw == "at least 65%" and reading.period == "2024/25"


def test_target_raw_keeps_the_words_of_the_sentence():
    reading = parse_measure("will have improved from 65.8% in 2021/22 to at least 70%")
    assert (reading.baseline.raw, reading.target.raw) == ("65.8%", "at least 70%")


@pytest.mark.parametrize("cell, expected", [
    ("100%", (100.0, "%", None, None)), ("£1.2m", (1200000.0, "£", None, None)), ("1,500", (1500.0, None, None, None)),
    ("65.8% (2021/22)", (65.8, "%", "2021/22", None)), ("Maintain", (None, None, None, None)),
    ("no more than 3 days", (3.0, "day", None, "no more than")),
])
def test_quantity_cells(cell, expected):
    assert _q(parse_quantity(cell)) == expected


def test_blank_cells_are_none():
    assert parse_quantity("  ") is None and parse_quantity(None) is None


@settings(deadline=None)
@given(st.text(max_size=80))
def test_never_raises(text):
    reading = parse_measure(text, baseline=text, target=text, period=text)
    assert reading.text == " ".join(text.split())


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=1, allow_nan=False, allow_infinity=False),
       st.sampled_from(["%", " per cent", " days", ""]), st.sampled_from(["", "at least ", "no more than "]))
def test_quantity_is_idempotent(number, unit, qualifier):
    first = parse_quantity(f"{qualifier}{number}{unit}")
    again = parse_quantity(first.raw)
    assert again == first and first.value == float(number)
