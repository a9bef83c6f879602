"""What reading one file gives back, and the few pieces the run's own process needs
of it without loading the readers: the place a file was found (`Source`), its
rows (`DocumentResult`), the failed row of a file that could not be read, and
the digest that is a document's identity."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from pipeline.intake.sniff import MEDIA_TYPES
from pipeline.schema import ACTIONS, DOCUMENTS, KPIS, PIPELINE_VERSION, TABLE_COLUMNS


@dataclass(frozen=True)
class Source:
    uri: str                    # where it was seen: an absolute path, or a URL without credentials
    path: str | None            # the local file to read; None for a URL until it is fetched
    name: str
    url: str | None = field(default=None, repr=False)   # the URL to fetch, credentials and all: never stored

    @property
    def key(self) -> str:
        """Identity of the place across runs (the document's identity is its bytes, `doc_id`)."""
        return hashlib.sha256(self.uri.encode()).hexdigest()[:20]


@dataclass
class DocumentResult:
    source: Source
    doc_id: str | None          # None when no bytes were had (a download that failed)
    status: str
    pages: int
    tables: dict[str, pa.Table]
    error: str | None = None

    # A result crosses from its reader process as Arrow's IPC stream: pickle takes a table
    # apart column by column, twenty times slower (a millisecond a file).
    def __getstate__(self) -> dict:
        return {**self.__dict__, "tables": {name: _to_stream(t) for name, t in self.tables.items()}}

    def __setstate__(self, state: dict) -> None:
        tables = {name: pa.ipc.open_stream(stream).read_all() for name, stream in state["tables"].items()}
        self.__dict__.update(state, tables=tables)


def _to_stream(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def failed_result(source: Source, doc_id: str | None, reason: str, base: dict | None = None,
                  seconds: float | None = None) -> DocumentResult:
    row = {**(base or base_row(source, doc_id)), "status": "failed", "error": reason, "n_actions": 0, "n_kpis": 0, "seconds": seconds}
    return DocumentResult(source, doc_id, "failed", 0, {
        "documents": pa.Table.from_pylist([row], schema=DOCUMENTS),
        "actions": ACTIONS.empty_table(), "kpis": KPIS.empty_table(), "table_columns": TABLE_COLUMNS.empty_table(),
    }, error=reason)


def base_row(source: Source, doc_id: str | None, size: int | None = None, suffix: str | None = None) -> dict:
    now = datetime.now(timezone.utc)
    return {"doc_id": doc_id, "source_name": source.name, "source_uri": source.uri,
            "media_type": MEDIA_TYPES.get(suffix or Path(source.name).suffix.lower()),
            "pipeline_version": PIPELINE_VERSION, "ingested_at": now, "last_attempt_at": now,
            "source_key": source.key, "bytes": size, "ocr": False,
            "same_as": []}      # as `derived.duplicates` writes it for a file with no copy: not rewritten
