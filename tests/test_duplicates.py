"""Same plan twice: documents.same_as and actions.duplicate_of."""
import json
from datetime import date

import duckdb
import pytest

from pipeline.derived.duplicates import is_same_plan, same_plan_groups
from pipeline.audit.query import run_query


def _plan(doc: str, n: int = 10, year: int = 2011, **change) -> list[dict]:
    rows = [{"action_id": f"{doc}-{i}", "doc_id": doc, "action": f"Review the equality data for service {i}",
             "ref": str(i), "due_month": date(year, 1 + i % 12, 1), "officers": ["Jane Smith"]} for i in range(n)]
    for i, fields in change.get("rows", {}).items():
        rows[i].update(fields)
    return rows


def test_same_plan_rules():
    base = _plan("a")
    assert is_same_plan(base, _plan("b"))
    assert is_same_plan(base, _plan("b", rows={0: {"action": "Review the equality data for service 0."}}))
    assert is_same_plan(base, _plan("b", rows={0: {"ref": "0 "}, 1: {"officers": ["HR Team"]}}))  # 9 of 10
    assert not is_same_plan(base, _plan("b", rows={1: {"officers": ["HR Team"]}, 2: {"due_month": None}}))
    assert not is_same_plan(base, _plan("b", year=2012))                # next year's plan, same wording
    assert not is_same_plan(base, _plan("b", n=20))
    assert not is_same_plan(base, [])


def test_groups_need_the_same_council():
    docs = {"a": {"council": "Northshire"}, "b": {"council": "Northshire"}, "c": {"council": "Southshire"}}
    rows = {"a": _plan("a"), "b": _plan("b"), "c": _plan("c")}
    assert same_plan_groups(docs, rows) == [["a", "b"]]


def test_corpus_copies_are_same_as_each_other_and_nothing_else(corpus_out, shared):
    docs = duckdb.sql(f"SELECT doc_id, source_name, n_actions, same_as FROM "
                      f"read_parquet('{corpus_out}/documents/*.parquet', union_by_name = true)").fetchall()
    name = {d: n for d, n, _, _ in docs}
    with_actions = {n for _, n, k, _ in docs if k}
    predicted = {frozenset((n, name[o])) for _, n, _, same in docs for o in same or []}
    gold = set()
    for path in [*(shared / "corpus" / "gold").glob("*.json"), *(shared / "corpus" / "variants" / "gold").glob("*.json")]:
        names = [n for n in json.loads(path.read_text())["source_names"] if n in with_actions]
        gold |= {frozenset((a, b)) for i, a in enumerate(names) for b in names[i + 1:]}
    # a copy that gave no actions (a scan without OCR) can be the same as nothing
    assert len(gold) >= 25
    assert predicted <= gold, predicted - gold                      # never a wrong pair
    # Floor, only rises: a PDF read with slips on a few rows (a lost due month, a cell read
    # short) falls under SAME_PLAN_SHARE; 25 of 29 pairs were linked when this was set.
    assert len(predicted) >= 0.85 * len(gold), sorted(map(sorted, gold - predicted))


def test_views_count_each_action_once(corpus_out):
    once = run_query("SELECT count(*) FROM actions", corpus_out).rows[0][0]
    every = run_query("SELECT count(*) FROM all_actions", corpus_out).rows[0][0]
    repeats = run_query("SELECT count(*) FROM all_actions WHERE duplicate_of IS NOT NULL", corpus_out).rows[0][0]
    assert once == every - repeats and repeats > 0
    dangling = run_query("SELECT count(*) FROM all_actions d LEFT JOIN actions a ON d.duplicate_of = a.action_id "
                         "WHERE d.duplicate_of IS NOT NULL AND a.action_id IS NULL", corpus_out).rows[0][0]
    assert dangling == 0
