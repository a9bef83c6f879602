"""Review flags: pure rules on invented records, and the flags read back from real output."""
from datetime import date

import duckdb
import pytest

from pipeline.derived.flags import FLAGS, CouncilPeople, owner_flags, record_flags

PEOPLE = CouncilPeople({"Northshire": {"Jane Porter", "John Porter", "Ian McGuff"}, "Southshire": {"Ann Lee"}})


@pytest.mark.parametrize("fields, expected", [
    ({"due_raw": "Summer term", "due_month": None, "due_status": None}, ["due_unparsed"]),
    ({"due_raw": "March 2012", "due_month": date(2012, 3, 1)}, []),
    ({"due_raw": "Ongoing", "due_month": None, "due_status": "ongoing"}, []),
    ({"due_raw": "  ", "due_month": None}, []),
    ({"due_raw": None}, []),
    ({"split_across_pages": True, "ocr": True}, ["row_split_across_pages", "ocr_text"]),
    ({"roles_from_content": ("due",)}, ["role_from_content"]),
])
def test_record_flags(fields, expected):
    assert record_flags(**fields) == expected


@pytest.mark.parametrize("raw, officers, council, expected", [
    ("Ian McGuff", ["Ian McGuff"], "Northshire", set()),
    ("To be assigned", [], "Northshire", set()),
    ("TBC.", [], "Northshire", set()),
    ("", [], "Northshire", set()),
    ("see appendix 3", [], "Northshire", {"officer_unresolved"}),
    ("J Porter", ["J Porter"], "Northshire", {"ambiguous_owner"}),
    ("I. McGuf", ["I McGuf"], "Northshire", {"officer_unresolved"}),   # fits one name but was not resolved
    ("Mrs K Smith", ["Mrs K Smith"], "Northshire", {"officer_unresolved"}),
    ("J Porter", ["J Porter"], "Southshire", {"officer_unresolved"}),
    ("HR Team", ["HR Team"], "Northshire", set()),
])
def test_owner_flags(raw, officers, council, expected):
    assert owner_flags(raw, officers, council, PEOPLE) == expected


def test_flags_in_real_output(cases_out):
    rows = duckdb.sql(f"SELECT source_name, flags FROM read_parquet('{cases_out}/actions/*.parquet')").fetchall()
    seen = {f for _, flags in rows for f in flags}
    assert seen <= set(FLAGS)
    split = {name for name, flags in rows if "row_split_across_pages" in flags}
    assert "split-rows-across-pages.pdf" in split
    assert not any(name.endswith(".docx") for name in split)    # Word tables are never stitched
    kpis = duckdb.sql(f"SELECT flags FROM read_parquet('{cases_out}/kpis/*.parquet')").fetchall()
    assert kpis and all(flags is not None for (flags,) in kpis)
