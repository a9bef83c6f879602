"""Rebuild the officer datasets and canonical owner names after a run.

Canonical names depend on every document of a council, so they are decided
here, over the whole output root, and written back into each document's
``actions`` and ``kpis`` files where they changed (each file replaced
atomically).  ``officers`` and ``action_officers`` are rebuilt whole.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from normalisers.reconcile import OfficerMention, Registry, infer_councils, reconcile, slug

from .flags import CouncilPeople, with_owner_flags
from .schema import ACTION_OFFICERS, OFFICERS
from .store import Store


def rebuild_officers(store: Store, known: list[OfficerMention] | None = None) -> Registry:
    actions = store.read_parts("actions")
    kpis = store.read_parts("kpis")
    mentions = [*_mentions(actions), *_mentions(kpis), *_lead_mentions(store)]
    councils = infer_councils(mentions)
    mentions = [_with_council(m, councils) for m in mentions]
    registry = reconcile([*_for_every_council(known or [], mentions), *mentions])
    counts: Counter = Counter()
    links: list[dict] = []
    people = CouncilPeople(_people_by_council(registry))
    for path, table in actions.items():
        updated = _canonicalise(table, registry, councils, people)
        for row in updated.select(["action_id", "doc_id", "officers"]).to_pylist():
            for name in dict.fromkeys(row["officers"] or []):
                counts[slug(name)] += 1
                links.append({"action_id": row["action_id"], "officer_id": slug(name), "doc_id": row["doc_id"]})
        _write_if_changed(store, path, table, updated)
    for path, table in kpis.items():
        _write_if_changed(store, path, table, _canonicalise(table, registry, councils, people))
    store.write_file(store.folder("officers") / "officers.parquet", _officer_table(registry, counts))
    store.write_file(store.folder("action_officers") / "action_officers.parquet",
                     pa.Table.from_pylist(links, schema=ACTION_OFFICERS))
    return registry


def _mentions(parts: dict[Path, pa.Table]) -> list[OfficerMention]:
    mentions = []
    for table in parts.values():
        for row in table.select(["council", "doc_id", "officers_printed", "officer_kinds"]).to_pylist():
            for text, kind in zip(row["officers_printed"] or [], row["officer_kinds"] or []):
                mentions.append(OfficerMention(row["council"], text, kind, row["doc_id"]))
    return mentions


def _lead_mentions(store: Store) -> list[OfficerMention]:
    """Lead officers named beside headings: evidence for spellings, owners of no action."""
    rows = store.read("documents", columns=["doc_id", "council", "lead_officers"]).to_pylist()
    return [OfficerMention(r["council"], name, "person", r["doc_id"]) for r in rows for name in r["lead_officers"] or []]


def _for_every_council(known: list[OfficerMention], mentions: list[OfficerMention]) -> list[OfficerMention]:
    """A known name listed without a council is known in every council."""
    councils = {m.council for m in mentions}
    return [replace(k, council=c) for k in known for c in ([k.council] if k.council else councils)]


def _with_council(m: OfficerMention, councils: dict[str, str]) -> OfficerMention:
    return replace(m, council=councils.get(m.doc_id, m.council))


def _canonicalise(table: pa.Table, registry: Registry, inferred: dict[str, str], people: CouncilPeople) -> pa.Table:
    docs = table.column("doc_id").to_pylist()
    councils = [inferred.get(d, c) for d, c in zip(docs, table.column("council").to_pylist())]
    printed = table.column("officers_printed").to_pylist()
    names = [list(dict.fromkeys(registry.canonical(c, t) for t in p or [])) for c, p in zip(councils, printed)]
    index = table.schema.get_field_index("officers")
    table = table.set_column(index, table.schema.field("officers"), pa.array(names, pa.list_(pa.string())))
    return with_owner_flags(table, people, councils)


def _people_by_council(registry: Registry) -> dict[str | None, set[str]]:
    people: dict[str | None, set[str]] = {}
    for owner in registry.owners():
        if owner.kind == "person":
            for council in owner.councils:
                people.setdefault(council, set()).add(owner.name)
    return people


def _write_if_changed(store: Store, path: Path, old: pa.Table, new: pa.Table) -> None:
    if not (old.column("officers").equals(new.column("officers")) and old.column("flags").equals(new.column("flags"))):
        store.write_file(path, new)


def _officer_table(registry: Registry, counts: Counter) -> pa.Table:
    merged: dict[str, dict] = {}
    for owner in registry.owners():
        row = merged.setdefault(owner.officer_id, {
            "officer_id": owner.officer_id, "name": owner.name, "kind": owner.kind,
            "variants": set(), "councils": set(), "n_actions": counts.get(owner.officer_id, 0)})
        row["variants"] |= set(owner.variants)
        row["councils"] |= {c for c in owner.councils if c}
    rows = [{**r, "variants": sorted(r["variants"]), "councils": sorted(r["councils"])} for r in merged.values()]
    return pa.Table.from_pylist(rows, schema=OFFICERS)
