"""Rebuild the officer datasets and canonical owner names after a run.

Canonical names depend on every document of a council, so they are decided
here, over the whole output root, and written back into each document's
``actions`` and ``kpis`` files where they changed (each file replaced
atomically).  ``officers`` and ``action_officers`` are rebuilt whole, in an
order that keeps every ``action_officers`` row pointing at an action and an
officer that exist, whenever a reader looks: officers first grows to old and
new owners, then the links are replaced, then officers shrinks to the new.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from normalisers.reconcile import OfficerMention, Registry, infer_councils, reconcile

from pipeline.storage import faults
from pipeline.derived.flags import CouncilPeople, with_owner_flags
from pipeline.schema import ACTION_OFFICERS, OFFICERS
from pipeline.storage.store import Store

OFFICERS_FILE = "officers.parquet"
LINKS_FILE = "action_officers.parquet"


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
        for row in updated.select(["action_id", "doc_id", "council", "officers_printed"]).to_pylist():
            council = councils.get(row["doc_id"], row["council"])
            ids = (registry.officer_id(council, printed, row["doc_id"]) for printed in row["officers_printed"] or [])
            for officer_id in dict.fromkeys(ids):
                counts[officer_id] += 1
                links.append({"action_id": row["action_id"], "officer_id": officer_id, "doc_id": row["doc_id"]})
        _write_if_changed(store, path, table, updated)
    for path, table in kpis.items():
        _write_if_changed(store, path, table, _canonicalise(table, registry, councils, people))
    faults.step("canonicalised")
    officers = _officer_table(registry, counts)
    old = store.read("officers")
    new_ids = set(officers.column("officer_id").to_pylist())
    kept = old.filter(pa.array([o not in new_ids for o in old.column("officer_id").to_pylist()], pa.bool_()))
    store.write_file(store.folder("officers") / OFFICERS_FILE, pa.concat_tables([officers, kept]))
    faults.step("officers-union")
    store.write_file(store.folder("action_officers") / LINKS_FILE, pa.Table.from_pylist(links, schema=ACTION_OFFICERS))
    faults.step("links-written")
    store.write_file(store.folder("officers") / OFFICERS_FILE, officers)
    faults.step("officers-written")
    return registry


def drop_links(store: Store, doc_ids: set[str]) -> None:
    """Unlink documents whose actions are about to be replaced or removed (the rebuild at
    the end of the run links them again)."""
    links = store.read("action_officers")
    keep = pa.array([d not in doc_ids for d in links.column("doc_id").to_pylist()], pa.bool_())
    if doc_ids and not all(keep.to_pylist()):
        store.write_file(store.folder("action_officers") / LINKS_FILE, links.filter(keep))
    faults.step("links-dropped")


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
    names = [list(dict.fromkeys(registry.canonical(c, t, d) for t in p or []))
             for c, p, d in zip(councils, printed, docs)]
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
