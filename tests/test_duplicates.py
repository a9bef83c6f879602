"""Same plan twice: documents.same_as, and duplicate_of on actions and KPIs."""
import json
from datetime import date

import duckdb
import pytest

from pipeline.derived.duplicates import is_same_plan, same_plan_groups
from pipeline.audit.query import run_query
from pipeline.derived.records import KPI, pair_records

TEXTS = ["Review the equality data for service {i}", "Publish the annual report on staff survey {i}",
         "Train managers in impact assessment, round {i}", "Consult the disabled residents' forum on plan {i}"]


def _plan(doc: str, n: int = 10, year: int = 2011, **change) -> list[dict]:
    rows = [{"action_id": f"{doc}-{i}", "doc_id": doc, "action": TEXTS[i % 4].format(i=i), "ref": str(i),
             "due_month": date(year, 1 + i % 12, 1), "due_raw": f"{1 + i % 12}/{year}",
             "officers": ["Jane Smith", "HR Team"]} for i in range(n)]
    for i, fields in change.get("rows", {}).items():
        rows[i].update(fields)
    return rows


@pytest.mark.parametrize("slips", [
    {0: {"action": "Review the equality data for service 0."}},                   # punctuation
    {0: {"action": "Review the equal- ity data for service 0"}, 1: {"ref": "1 "}},  # line-end hyphen, spacing
    {1: {"officers": ["Discussed at team meetings"]}},                              # an owner cell misread
    {1: {"due_month": None}, 2: {"due_month": None, "ref": None}, 3: {"officers": []}},  # fields lost
    {2: {"due_month": date(2011, 6, 1), "due_raw": "3/"}},                          # a due cell read short
])
def test_a_copy_read_with_slips_is_the_same_plan(slips):
    assert is_same_plan(_plan("a"), _plan("b", rows=slips))


def test_a_row_split_in_two_or_a_last_row_lost_is_the_same_plan():
    split = _plan("b", rows={4: {"action": "Train managers in impact"}})
    split.insert(5, {**split[4], "action_id": "b-4b", "action": "assessment, round 4", "ref": None})
    assert is_same_plan(_plan("a"), split)
    assert is_same_plan(_plan("a"), _plan("b", n=9))


@pytest.mark.parametrize("other", [
    _plan("b", year=2012),                                                     # next year's plan, same wording
    _plan("b", rows={i: {"officers": ["Policy Team"]} for i in (1, 2)}),      # two owners disagree
    _plan("b", rows={i: {"ref": f"{i}x"} for i in (3, 5)}),                   # two refs disagree
    _plan("b", n=20),                                                          # a longer plan it is part of
    _plan("b", n=12, rows={i: {"action": f"Another commitment altogether, number {i}"} for i in range(6)}),
    [],
])
def test_other_plans_are_not_the_same(other):
    assert not is_same_plan(_plan("a"), other)


def test_groups_need_the_same_council():
    docs = {"a": {"council": "Northshire"}, "b": {"council": "Northshire"}, "c": {"council": "Southshire"}}
    rows = {"a": _plan("a"), "b": _plan("b"), "c": _plan("c")}
    assert same_plan_groups(docs, rows) == [["a", "b"]]


def _kpis(doc: str) -> list[dict]:
    return [{"kpi_id": f"{doc}-{m}-{p}", "doc_id": doc, "measure": f"Percentage of staff trained, scheme {m}",
             "ref": str(m), "period": p, "target_raw": f"{50 + m}%", "officers": ["Jane Smith"]}
            for m in range(4) for p in ("2011/12", "2012/13")]


def test_kpis_pair_by_measure_and_period():
    pairs = pair_records(_kpis("a"), list(reversed(_kpis("b"))), KPI)
    assert len(pairs) == 8 and all(x["kpi_id"][2:] == y["kpi_id"][2:] for x, y in pairs)
    assert is_same_plan(_kpis("a"), _kpis("b"))
    later = [{**k, "target_raw": "90%"} for k in _kpis("b")]
    assert not is_same_plan(_kpis("a"), later)


def test_corpus_copies_are_same_as_each_other_and_nothing_else(corpus_out, shared):
    docs = duckdb.sql(f"SELECT doc_id, source_name, n_actions + n_kpis, same_as FROM "
                      f"read_parquet('{corpus_out}/documents/*.parquet', union_by_name = true)").fetchall()
    name = {d: n for d, n, _, _ in docs}
    with_records = {n for _, n, k, _ in docs if k}
    predicted = {frozenset((n, name[o])) for _, n, _, same in docs for o in same or []}
    gold = set()
    for path in [*(shared / "corpus" / "gold").glob("*.json"), *(shared / "corpus" / "variants" / "gold").glob("*.json")]:
        names = [n for n in json.loads(path.read_text())["source_names"] if n in with_records]
        gold |= {frozenset((a, b)) for i, a in enumerate(names) for b in names[i + 1:]}
    # a copy that gave no records (a report with no plan table) can be the same as nothing
    assert len(gold) >= 29
    assert not predicted - gold, sorted(map(sorted, predicted - gold))      # never a wrong pair
    assert not gold - predicted, sorted(map(sorted, gold - predicted))      # every copy linked


@pytest.mark.parametrize("dataset, key", [("actions", "action_id"), ("kpis", "kpi_id")])
def test_views_count_each_record_once(corpus_out, dataset, key):
    once = run_query(f"SELECT count(*) FROM {dataset}", corpus_out).rows[0][0]
    every = run_query(f"SELECT count(*) FROM all_{dataset}", corpus_out).rows[0][0]
    repeats = run_query(f"SELECT count(*) FROM all_{dataset} WHERE duplicate_of IS NOT NULL", corpus_out).rows[0][0]
    assert once == every - repeats and repeats > 0
    dangling = run_query(f"SELECT count(*) FROM all_{dataset} d LEFT JOIN {dataset} a ON d.duplicate_of = a.{key} "
                         "WHERE d.duplicate_of IS NOT NULL AND a.{key} IS NULL".replace("{key}", key),
                         corpus_out).rows[0][0]
    assert dangling == 0
    # a repeat lies in another document of the same plan
    foreign = run_query(f"SELECT count(*) FROM all_{dataset} d JOIN all_{dataset} a ON d.duplicate_of = a.{key} "
                        f"JOIN documents doc ON doc.doc_id = d.doc_id "
                        f"WHERE NOT list_contains(doc.same_as, a.doc_id)", corpus_out).rows[0][0]
    assert foreign == 0
