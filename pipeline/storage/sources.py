"""Where each document's bytes were seen: the `document_sources` dataset.

A document is its bytes (`doc_id`); a place (path or URL) is where some bytes
were found.  Each run reports what it saw at each place it read; a place now
holding other bytes leaves the document it held before, and a document left
with no place is retired, but only when the place's new bytes were read well
(a failure never replaces good data).  ``--prune`` also drops the places this
run did not name, and so the documents seen only there.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from pipeline.schema import DOCUMENT_SOURCES


@dataclass(frozen=True)
class Sighting:
    doc_id: str
    uri: str
    name: str
    good: bool          # the bytes are held as a good document (ok or no_records)


@dataclass
class SourcesUpdate:
    table: pa.Table
    retired: set[str]         # documents whose every place now holds other bytes
    pruned: set[str]          # documents seen only at places this run did not name


def seed(documents: pa.Table) -> pa.Table:
    """The places of an output written before `document_sources` existed: each document's last."""
    rows = [{"doc_id": r["doc_id"], "source_uri": r["source_uri"], "source_name": r["source_name"],
             "first_seen": r["ingested_at"], "last_seen": r["ingested_at"]}
            for r in documents.select(["doc_id", "source_uri", "source_name", "ingested_at"]).to_pylist()
            if r["doc_id"]]
    return pa.Table.from_pylist(rows, schema=DOCUMENT_SOURCES)


def update(old: pa.Table, seen: list[Sighting], now: datetime, named: set[str] | None = None) -> SourcesUpdate:
    """``named``: with ``--prune``, every place this run was given."""
    rows = {(r["doc_id"], r["source_uri"]): r for r in old.to_pylist()}
    before = {doc for doc, _ in rows}
    moved = {s.uri: s.doc_id for s in seen if s.good}
    for s in seen:
        row = rows.setdefault((s.doc_id, s.uri), {"doc_id": s.doc_id, "source_uri": s.uri, "first_seen": now})
        row.update(source_name=s.name, last_seen=now)
    rows = {(doc, uri): r for (doc, uri), r in rows.items() if moved.get(uri, doc) == doc}
    retired = before - {doc for doc, _ in rows}
    pruned: set[str] = set()
    if named is not None:
        kept = {(doc, uri): r for (doc, uri), r in rows.items() if uri in named}
        pruned = {doc for doc, _ in rows} - {doc for doc, _ in kept}
        rows = kept
    ordered = sorted(rows.values(), key=lambda r: (r["doc_id"], r["source_uri"]))
    return SourcesUpdate(pa.Table.from_pylist(ordered, schema=DOCUMENT_SOURCES), retired, pruned)


def last_doc_at(table: pa.Table) -> dict[str, str]:
    """The document each place held when it was last seen."""
    latest: dict[str, tuple] = {}
    for r in table.select(["doc_id", "source_uri", "last_seen"]).to_pylist():
        if r["source_uri"] not in latest or r["last_seen"] > latest[r["source_uri"]][0]:
            latest[r["source_uri"]] = (r["last_seen"], r["doc_id"])
    return {uri: doc for uri, (_, doc) in latest.items()}
