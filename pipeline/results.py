"""What reading one file gives back, and the few pieces the run's own process needs
of it without loading the readers: the place a file was found (`Source`), its
rows (`DocumentResult`), the failed row of a file that could not be read, and
the digest that is a document's identity."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from pipeline.intake.sniff import MEDIA_TYPES
from pipeline.schema import PER_DOCUMENT, PIPELINE_VERSION


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
    rows: dict[str, list[dict]]     # a row per record, for each dataset of `PER_DOCUMENT`
    error: str | None = None

    # Built where the rows are written, not in the reader that read them: pyarrow imports
    # pandas the first time it builds an array (a seventh of a second), which every run
    # would otherwise wait for before its first file.  Rows also cross processes faster.
    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "tables"}     # the rows cross; tables are rebuilt

    @cached_property
    def tables(self) -> dict[str, pa.Table]:
        return {name: pa.Table.from_pylist(rows, schema=PER_DOCUMENT[name]) if rows else _empty(name)
                for name, rows in self.rows.items()}


@lru_cache(maxsize=None)
def _empty(dataset: str) -> pa.Table:
    """Most files have no rows in most datasets.  Building a table of no rows costs twice what
    a documents row does, for every file; one each, shared, is enough (tables are immutable)."""
    return PER_DOCUMENT[dataset].empty_table()


def file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def failed_result(source: Source, doc_id: str | None, reason: str, base: dict | None = None,
                  seconds: float | None = None) -> DocumentResult:
    row = {**(base or base_row(source, doc_id)), "status": "failed", "error": reason, "n_actions": 0, "n_kpis": 0, "seconds": seconds}
    return DocumentResult(source, doc_id, "failed", 0,
                          {"documents": [row], "actions": [], "kpis": [], "table_columns": []}, error=reason)


def base_row(source: Source, doc_id: str | None, size: int | None = None, suffix: str | None = None) -> dict:
    now = datetime.now(timezone.utc)
    return {"doc_id": doc_id, "source_name": source.name, "source_uri": source.uri,
            "media_type": MEDIA_TYPES.get(suffix or Path(source.name).suffix.lower()),
            "pipeline_version": PIPELINE_VERSION, "ingested_at": now, "last_attempt_at": now,
            "source_key": source.key, "bytes": size, "ocr": False,
            "same_as": []}      # as `derived.duplicates` writes it for a file with no copy: not rewritten
