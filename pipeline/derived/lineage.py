"""Commitments across editions: the ``action_lineage`` dataset links an action to
the same commitment in the council's next edition of the plan.

Within a council, each distinct plan (copies of the same plan count once:
`pipeline.derived.duplicates`) is dated by its report date, else the median due month
of its actions.  For every pair of an earlier and a later edition, actions are
matched one to one by text similarity (a matching ref helps).  A later edition
is linked to the one earlier edition it shares most commitments with, so the
links follow each plan series (a youth service plan to the next youth service
plan, not to the council's workforce plan of the same year).  "Which
commitments slipped or disappeared between two plans" is then a join.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pyarrow as pa
from rapidfuzz import fuzz, process

from pipeline.schema import ACTION_LINEAGE
from pipeline.storage.store import Store

TEXT_SIMILARITY = 80.0        # token-sort ratio for the same commitment reworded between editions
REF_BONUS = 5.0               # a ref printed the same in both editions
MIN_SHARED = 3                # fewer shared commitments than this is not the same plan series
NON_WORD = re.compile(r"[^a-z0-9]+")


def rebuild_lineage(store: Store) -> pa.Table:
    docs = {r["doc_id"]: r for r in store.read("documents", columns=["doc_id", "council", "report_date",
                                                                     "source_name"]).to_pylist()}
    actions: dict[str, list[dict]] = defaultdict(list)
    for r in store.read("actions", columns=["action_id", "doc_id", "action", "ref", "due_month",
                                            "duplicate_of"]).to_pylist():
        if r["duplicate_of"] is None and r["doc_id"] in docs:
            actions[r["doc_id"]].append(r)
    rows = [row for editions in _editions_by_council(docs, actions).values() for row in _link_series(editions, actions)]
    table = pa.Table.from_pylist(rows, schema=ACTION_LINEAGE)
    store.write_file(store.folder("action_lineage") / "action_lineage.parquet", table)
    return table


def _editions_by_council(docs: dict[str, dict], actions: dict[str, list[dict]]) -> dict[str, list[tuple[date, str]]]:
    by_council: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for doc_id, rows in actions.items():
        council = docs[doc_id]["council"]
        when = docs[doc_id]["report_date"] or _median_due(rows)
        if council and when:
            by_council[council].append((when, doc_id))
    return {c: sorted(e) for c, e in by_council.items()}


def _median_due(rows: list[dict]) -> date | None:
    months = sorted(r["due_month"] for r in rows if r["due_month"])
    return months[len(months) // 2] if months else None


def _link_series(editions: list[tuple[date, str]], actions: dict[str, list[dict]]) -> list[dict]:
    rows = []
    for i, (when, later) in enumerate(editions):
        candidates = [match_commitments(actions[earlier], actions[later])
                      for before, earlier in editions[:i] if before < when]
        best = max(candidates, key=len, default={})
        if len(best) >= MIN_SHARED:
            rows += best.values()
    return rows


def match_commitments(earlier: list[dict], later: list[dict]) -> dict[str, dict]:
    """One to one, best pairs first: earlier action_id -> lineage row."""
    if not earlier or not later:
        return {}
    scores = process.cdist([_text(a["action"]) for a in earlier], [_text(b["action"]) for b in later],
                           scorer=fuzz.token_sort_ratio, score_cutoff=TEXT_SIMILARITY)
    pairs = sorted(((float(scores[i][j]) + (REF_BONUS if _same_ref(a, b) else 0.0), i, j)
                    for i, a in enumerate(earlier) for j, b in enumerate(later) if scores[i][j]), reverse=True)
    used_a, used_b, links = set(), set(), {}
    for score, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        a, b = earlier[i], later[j]
        links[a["action_id"]] = {
            "from_action_id": a["action_id"], "from_doc_id": a["doc_id"], "to_action_id": b["action_id"],
            "to_doc_id": b["doc_id"], "similarity": round(min(score, 100.0), 1), "same_ref": _same_ref(a, b),
            "from_due_month": a["due_month"], "to_due_month": b["due_month"],
            "slipped": bool(a["due_month"] and b["due_month"] and b["due_month"] > a["due_month"])}
    return links


def _text(text: str | None) -> str:
    return NON_WORD.sub(" ", (text or "").lower()).strip()


def _same_ref(a: dict, b: dict) -> bool:
    return bool(a["ref"]) and _text(a["ref"]) == _text(b["ref"])
