"""The same plan twice: different bytes that carry the same plan (its .docx and
.pdf, a scan, a re-published copy with a new cover) are linked after each run,
over every document of the output root.

Two documents are the same plan when they name the same council and at least
`SAME_PLAN_SHARE` of their actions match one to one on text (fuzzy), ref,
due month and owners.  Plans that share wording across years differ in their
due months, and across councils in their council, so they are not linked.
``documents.same_as`` lists the other doc_ids of the group; ``actions.duplicate_of``
names the action of the group's first document (the one with pages, then most
actions) that an action repeats.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pyarrow as pa
from rapidfuzz import fuzz

from pipeline.storage.store import Store

SAME_PLAN_SHARE = 0.9
TEXT_SIMILARITY = 90.0
NON_WORD = re.compile(r"[^a-z0-9]+")


def link_duplicates(store: Store) -> dict[str, list[str]]:
    """Write ``same_as`` and ``duplicate_of``; returns doc_id -> the other doc_ids of its group."""
    documents = store.read_parts("documents")
    actions = store.read_parts("actions")
    docs = {r["doc_id"]: r for t in documents.values()
            for r in t.select(["doc_id", "council", "pages", "n_actions"]).to_pylist()}
    rows: dict[str, list[dict]] = defaultdict(list)
    for table in actions.values():
        for r in table.select(["action_id", "doc_id", "action", "ref", "due_month", "officers"]).to_pylist():
            rows[r["doc_id"]].append(r)
    groups = same_plan_groups(docs, rows)
    same_as = {d: sorted(set(g) - {d}) for g in groups for d in g}
    duplicate_of = _duplicates(groups, docs, rows)
    for path, table in documents.items():
        values = [same_as.get(d, []) for d in table.column("doc_id").to_pylist()]
        _write_column(store, path, table, "same_as", pa.array(values, pa.list_(pa.string())))
    for path, table in actions.items():
        values = [duplicate_of.get(a) for a in table.column("action_id").to_pylist()]
        _write_column(store, path, table, "duplicate_of", pa.array(values, pa.string()))
    return same_as


def same_plan_groups(docs: dict[str, dict], rows: dict[str, list[dict]]) -> list[list[str]]:
    by_council: dict[str | None, list[str]] = defaultdict(list)
    for doc_id in sorted(rows):
        if doc_id in docs:
            by_council[docs[doc_id]["council"]].append(doc_id)
    parent = {d: d for d in rows}

    def root(d: str) -> str:
        while parent[d] != d:
            d = parent[d]
        return d

    for members in by_council.values():
        for a, b in combinations(members, 2):
            if root(a) != root(b) and is_same_plan(rows[a], rows[b]):
                parent[root(b)] = root(a)
    grouped: dict[str, list[str]] = defaultdict(list)
    for d in parent:
        grouped[root(d)].append(d)
    return [sorted(g) for g in grouped.values() if len(g) > 1]


def is_same_plan(a: list[dict], b: list[dict]) -> bool:
    needed = SAME_PLAN_SHARE * max(len(a), len(b))
    if not a or not b or min(len(a), len(b)) < needed:
        return False
    # cheap first: enough actions must agree on ref and due month before texts are compared
    if sum((Counter(map(_key, a)) & Counter(map(_key, b))).values()) < needed:
        return False
    return len(match_actions(a, b)) >= needed


def _key(row: dict) -> tuple:
    return _ref(row["ref"]), row["due_month"]


def match_actions(a: list[dict], b: list[dict]) -> dict[str, str]:
    """One-to-one: each action of ``a`` -> the first unused action of ``b`` it matches."""
    keyed = [(_text(r["action"]), r) for r in b]
    used: set[str] = set()
    matches = {}
    for row in a:
        text = _text(row["action"])
        for other_text, other in keyed:
            if other["action_id"] not in used and _same_fields(row, other) \
                    and fuzz.ratio(text, other_text) >= TEXT_SIMILARITY:
                matches[row["action_id"]] = other["action_id"]
                used.add(other["action_id"])
                break
    return matches


def _text(text: str | None) -> str:
    return NON_WORD.sub(" ", (text or "").lower()).strip()


def _ref(ref: str | None) -> str:
    """Refs compare without spacing and punctuation: a narrow column may print ``10`` as ``1 0``."""
    return NON_WORD.sub("", (ref or "").lower())


def _same_fields(a: dict, b: dict) -> bool:
    return (_ref(a["ref"]) == _ref(b["ref"]) and a["due_month"] == b["due_month"]
            and set(a["officers"] or []) == set(b["officers"] or []))


def _duplicates(groups: list[list[str]], docs: dict[str, dict], rows: dict[str, list[dict]]) -> dict[str, str]:
    duplicate_of = {}
    for group in groups:
        first = min(group, key=lambda d: (docs[d]["pages"] is None, -len(rows[d]), d))
        for other in group:
            if other != first:
                duplicate_of.update(match_actions(rows[other], rows[first]))
    return duplicate_of


def _write_column(store: Store, path: Path, table: pa.Table, name: str, values: pa.Array) -> None:
    index = table.schema.get_field_index(name)
    if not table.column(index).equals(pa.chunked_array([values], values.type)):
        store.write_file(path, table.set_column(index, table.schema.field(name), values))
