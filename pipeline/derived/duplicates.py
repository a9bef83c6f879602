"""The same plan twice: different bytes that carry the same plan (its .docx and
.pdf, a scan, a re-published copy with a new cover) are linked after each run,
over every document of the output root.

Two documents are the same plan when they name the same council and read as a
person comparing them would: their records pair up one to one by text, and
the pairs agree on ref, due month and owners wherever both copies print them.
A copy read with slips stays the same plan: a cell read short, a lost due
month or ref, an owner cell misread, a row split in two or a last row lost
(`records.py` says how records pair and what contradicts).  Next year's plan
in the same words contradicts on its due months, and another council's is
another council, so neither is linked.  Documents with actions are compared on
their actions, documents with none on their KPIs.

``documents.same_as`` lists the other doc_ids of the group; ``duplicate_of``
(actions and KPIs) names the record of the group's first document (the one
with pages, then most records) that a record repeats.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pyarrow as pa

from pipeline.derived.records import ACTION, KPI, RecordKind, agreeing_pairs, pair_records
from pipeline.storage.store import Store

SAME_PLAN_SHARE = 0.9   # of the shorter copy's records must pair and agree with the other's
COVER_SHARE = 0.8       # ... and of the longer copy's: a copy that lost a few rows, not a part of a longer plan


def link_duplicates(store: Store) -> dict[str, list[str]]:
    """Write ``same_as`` and ``duplicate_of``; returns doc_id -> the other doc_ids of its group."""
    documents = store.read_parts("documents")
    docs = {r["doc_id"]: r for t in documents.values()      # a file that failed to read has no doc_id
            for r in t.select(["doc_id", "council", "pages"]).to_pylist() if r["doc_id"]}
    parts = {kind: store.read_parts(kind.dataset) for kind in (ACTION, KPI)}
    rows = {kind: _rows_by_doc(tables, kind) for kind, tables in parts.items()}
    compared = {d: rows[ACTION][d] or rows[KPI][d] for d in docs}
    groups = same_plan_groups(docs, compared)
    same_as = {d: sorted(set(g) - {d}) for g in groups for d in g}
    for path, table in documents.items():
        values = [same_as.get(d, []) for d in table.column("doc_id").to_pylist()]
        _write_column(store, path, table, "same_as", pa.array(values, pa.list_(pa.string())))
    for kind, tables in parts.items():
        duplicate_of = _duplicates(groups, docs, rows[kind], kind)
        for path, table in tables.items():
            values = [duplicate_of.get(i) for i in table.column(kind.id).to_pylist()]
            _write_column(store, path, table, "duplicate_of", pa.array(values, pa.string()))
    return same_as


def _rows_by_doc(tables: dict[Path, pa.Table], kind: RecordKind) -> defaultdict[str, list[dict]]:
    rows: defaultdict[str, list[dict]] = defaultdict(list)
    for table in tables.values():     # in reading order: position breaks ties between equal texts
        ordered = table.select(list(kind.columns)).sort_by([("table_index", "ascending"), ("row_index", "ascending")])
        for r in ordered.to_pylist():
            rows[r["doc_id"]].append(r)
    return rows


def same_plan_groups(docs: dict[str, dict], rows: dict[str, list[dict]]) -> list[list[str]]:
    by_council: dict[str | None, list[str]] = defaultdict(list)
    for doc_id in sorted(rows):
        if doc_id in docs and rows[doc_id]:
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
    short, long = sorted((a, b), key=len)
    if not short or len(short) < COVER_SHARE * len(long):
        return False
    kind = KPI if "kpi_id" in short[0] else ACTION
    # cheap first: copies share nearly all their words however rows were split or read
    if _word_share(short, long, kind) < SAME_PLAN_SHARE * COVER_SHARE:
        return False
    agreeing = len(agreeing_pairs(pair_records(short, long, kind), kind))
    return agreeing >= SAME_PLAN_SHARE * len(short) and agreeing >= COVER_SHARE * len(long)


def _word_share(a: list[dict], b: list[dict], kind: RecordKind) -> float:
    words = [Counter(w for r in rows for w in kind.text(r).lower().split()) for rows in (a, b)]
    return sum((words[0] & words[1]).values()) / max(1, *(sum(w.values()) for w in words))


def _duplicates(groups: list[list[str]], docs: dict[str, dict], rows: dict[str, list[dict]],
                kind: RecordKind) -> dict[str, str]:
    """Each record of a copy -> the record of the group's first copy it pairs with by text
    (a pair that disagrees on a field is one record read with a slip, still a repeat)."""
    duplicate_of = {}
    for group in groups:
        first = min(group, key=lambda d: (docs[d]["pages"] is None, -len(rows[d]), d))
        for other in group:
            if other != first:
                duplicate_of.update((x[kind.id], y[kind.id]) for x, y in pair_records(rows[other], rows[first], kind))
    return duplicate_of


def _write_column(store: Store, path: Path, table: pa.Table, name: str, values: pa.Array) -> None:
    index = table.schema.get_field_index(name)
    if not table.column(index).equals(pa.chunked_array([values], values.type)):
        store.write_file(path, table.set_column(index, table.schema.field(name), values))
