"""Where an ingested file was published, from the fetch manifest beside it: the
committee, meeting date and agenda item that `documents` and `document_sources` carry."""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa

from pipeline.fetching.manifest import MANIFEST_NAME, Manifest, Publication

log = logging.getLogger("pipeline")

# on documents: those of the latest publication
DOCUMENT_COLUMNS = ("committee", "meeting_date", "agenda_item")
# on document_sources: one row per publication
SOURCE_COLUMNS = {"paper_url": pa.string(), "site": pa.string(), "committee": pa.string(),
                  "meeting_id": pa.string(), "meeting_date": pa.date32(), "agenda_item": pa.string(),
                  "attachment_id": pa.string()}


def publications_of(path: str | Path | None) -> list[Publication]:
    """Every place the local file at ``path`` was published, from the nearest manifest above it."""
    if not path or urlsplit(str(path)).scheme in ("http", "https"):
        return []
    path = Path(path).resolve()
    for folder in path.parents:
        manifest = folder / MANIFEST_NAME
        if manifest.is_file():
            relative = path.relative_to(folder).as_posix()
            return [p for p in _load(manifest, manifest.stat().st_mtime_ns) if p.file == relative]
    return []


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> tuple[Publication, ...]:
    try:
        return tuple(Manifest(path.parent).publications.values())
    except (OSError, ValueError, KeyError, TypeError) as exc:   # cut short, or edited by hand
        log.warning("cannot read the fetch manifest %s (%s): the files beside it are read without "
                    "where they were published", path, exc, extra={"file": str(path), "event": "manifest"})
        return ()


def latest(publications: list[Publication]) -> Publication | None:
    return max(publications, key=lambda p: (p.meeting_date, p.meeting_id), default=None)


def latest_columns(path: str | Path | None) -> dict:
    """The documents columns of the file's latest publication: committee, meeting date and
    agenda item (None for a file no manifest lists)."""
    newest = latest(publications_of(path))
    return {name: getattr(newest, name) if newest else None for name in DOCUMENT_COLUMNS}


def expand_sources(places: pa.Table) -> pa.Table:
    """``document_sources`` with a place whose file a manifest lists turned into one row per
    publication: the same paper on two agendas is one document with two sources.  Rebuilt
    from the manifests every run, so it follows papers attached to new meetings."""
    rows, done = [], set()
    for row in places.to_pylist():
        if (row["doc_id"], row["source_uri"]) in done:      # already expanded: expand once more, not twice
            continue
        done.add((row["doc_id"], row["source_uri"]))
        base = {k: v for k, v in row.items() if k not in SOURCE_COLUMNS}
        found = [{**base, **_source_columns(p)} for p in publications_of(row["source_uri"])]
        rows += found or [{**base, **dict.fromkeys(SOURCE_COLUMNS)}]
    schema = pa.schema([f for f in places.schema if f.name not in SOURCE_COLUMNS]
                       + [pa.field(name, kind) for name, kind in SOURCE_COLUMNS.items()])
    return pa.Table.from_pylist(rows, schema=schema)


def latest_by_document(places: pa.Table) -> dict[str, dict]:
    """The committee, meeting date and agenda item of each document's latest publication,
    for the documents that have one."""
    newest: dict[str, dict] = {}
    for row in places.select(["doc_id", "meeting_id", *DOCUMENT_COLUMNS]).to_pylist():
        if row["meeting_date"] is None:
            continue
        key = (row["meeting_date"], row["meeting_id"])
        if row["doc_id"] not in newest or key > newest[row["doc_id"]][0]:
            newest[row["doc_id"]] = (key, {name: row[name] for name in DOCUMENT_COLUMNS})
    return {doc_id: values for doc_id, (_, values) in newest.items()}


def _source_columns(p: Publication) -> dict:
    return {"paper_url": p.url, "site": p.site, "committee": p.committee, "meeting_id": p.meeting_id,
            "meeting_date": p.meeting_date, "agenda_item": p.agenda_item, "attachment_id": p.attachment_id}
