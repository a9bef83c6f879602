"""Publishing a run's results into the output root, so that no failure replaces
good data and a killed run is finished by the next one.

- A read that succeeds replaces the document's rows (`Store.write_document`).
- A read that fails keeps the document's last good rows and notes the error
  on its documents row (``last_error``, ``last_attempt_at``); a place whose
  download failed does the same for the document it last held.
- A ``.rebuild-pending`` marker is written before the first change and
  removed after the run's last write: a run that finds it finishes the
  officer rebuild, even when every file is unchanged.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from pipeline.storage import faults, sources
from pipeline.results import DocumentResult, Source, failed_result, file_digest
from pipeline.errors import explain
from pipeline.storage.incremental import GOOD, is_current
from pipeline.intake.inputs import Missing
from pipeline.derived.officers import drop_links
from pipeline.fetching.publications import DOCUMENT_COLUMNS, expand_sources, latest_by_document
from pipeline.schema import DOCUMENT_SOURCES
from pipeline.storage.store import Store
from pipeline.execution.tasks import Task, Unchanged

log = logging.getLogger("pipeline")


class Publisher:
    def __init__(self, store: Store, summary, settings_key: str, force: bool) -> None:
        self.store, self.summary, self.key, self.force = store, summary, settings_key, force
        documents = store.index()
        self.known = {r["doc_id"]: r for r in documents.to_pylist() if r["doc_id"]}
        self.places = store.read("document_sources") if store.has("document_sources") else sources.seed(documents)
        self.last_doc = sources.last_doc_at(self.places)
        self.seen: list[sources.Sighting] = []
        self.written: set[str] = set()
        self.twins: dict[str, list[Source]] = defaultdict(list)    # same bytes at another place this run
        self.digests: dict[str, str] = {}                          # local place -> doc_id, hashed once
        self.annotated: dict[str, dict] = {}                       # publication columns written this run

    # -- deciding what to read -------------------------------------------------
    def plan(self, items: list, make_task) -> list[Task]:
        tasks: list[Task] = []
        claimed: set[str] = set()
        for item in items:
            if isinstance(item, Missing):
                self.record(failed_result(item.source, None, item.reason))
                continue
            if item.url:
                previous = self.last_doc.get(item.uri)
                current = not self.force and is_current(self.known.get(previous), self.key)
                tasks.append(make_task(item, frozenset({previous}) if current else frozenset()))
                continue
            try:
                doc_id = self.digests[item.uri] = file_digest(item.path)
            except OSError as exc:
                self.record(failed_result(item, None, f"cannot read the file: {exc.strerror}"))
                continue
            if doc_id in claimed:
                self.twins[doc_id].append(item)
            elif not self.force and is_current(self.known.get(doc_id), self.key):
                self._see(doc_id, item, good=True)
                self.summary.unchanged += 1
            else:
                claimed.add(doc_id)
                tasks.append(make_task(item, frozenset()))
        if tasks:
            self.store.mark_pending()
            drop_links(self.store, {d for d in claimed if d in self.known}
                       | {self.last_doc[t.source.uri] for t in tasks if t.source.uri in self.last_doc})
        return tasks

    # -- one file's outcome ----------------------------------------------------
    def record(self, outcome, task: Task | None = None) -> DocumentResult | None:
        if isinstance(outcome, Unchanged):
            self._see(outcome.doc_id, outcome.source, good=True)
            self.summary.unchanged += 1
            return None
        result = outcome if isinstance(outcome, DocumentResult) else self._failure(task.source, outcome)
        if result.status != "failed" and (problem := _unbuildable(result)):
            result = self._failure(result.source, problem, result.doc_id)
        if result.status == "failed":
            self._record_failure(result)
        else:
            self.annotated[result.doc_id] = {k: result.rows["documents"][0].get(k) for k in DOCUMENT_COLUMNS}
            self.store.write_document(result.doc_id, result.tables)
            self.written.add(result.doc_id)
            self._see(result.doc_id, result.source, good=True)
            self._count(result)
        for twin in self.twins.pop(result.doc_id, []) if result.doc_id else []:
            self._see(result.doc_id, twin, good=result.status != "failed")
            self.summary.unchanged += 1
        return result

    def _failure(self, source: Source, exc: BaseException, doc_id: str | None = None) -> DocumentResult:
        doc_id = doc_id or self.digests.get(source.uri)
        if doc_id is None and not source.url:
            try:
                doc_id = file_digest(source.path)
            except OSError:
                pass
        return failed_result(source, doc_id, explain(exc, Path(source.name).suffix.lower(), internal=True))

    def _record_failure(self, result: DocumentResult) -> None:
        self.summary.failed += 1
        self.summary.failures.append({"file": result.source.uri, "error": result.error})
        log.warning("failed: %s: %s", result.source.uri, result.error,
                    extra={"file": result.source.uri, "event": "failed"})
        attempt = {"last_error": result.error, "last_attempt_at": datetime.now(timezone.utc)}
        held = self.known.get(result.doc_id)
        if held and held["status"] in GOOD:              # a re-read of bytes we hold good rows for
            self.store.update_document_row(result.doc_id, attempt)
            faults.step("attempt-recorded")
            self._see(result.doc_id, result.source, good=True)
            return
        before = self.last_doc.get(result.source.uri)
        if before and (self.known.get(before) or {}).get("status") in GOOD:
            self.store.update_document_row(before, attempt)     # the place's last good bytes stay
            faults.step("attempt-recorded")
            if not result.doc_id:
                return
        if result.doc_id:
            self.store.write_document(result.doc_id, result.tables)
            self.written.add(result.doc_id)
            self._see(result.doc_id, result.source, good=False)
        else:
            self.store.write_document(_placeholder(result.source), result.tables)

    def _see(self, doc_id: str, source: Source, good: bool) -> None:
        self.seen.append(sources.Sighting(doc_id, source.uri, source.name, good))

    def _count(self, result: DocumentResult) -> None:
        s = self.summary
        s.ingested += 1
        s.no_records += result.status == "no_records"
        document = result.rows["documents"][0]
        s.with_warnings += bool(document["warnings"])
        s.pages += result.pages
        s.pages_screened_out += len(document["pages_screened_out"] or [])
        s.actions += len(result.rows["actions"])
        s.kpis += len(result.rows["kpis"])

    # -- after the last file -----------------------------------------------------
    def settle(self, named: set[str] | None) -> bool:
        """Move places to the bytes they now hold, retire or prune documents left with none,
        and drop placeholders of places that now have bytes; True when anything changed."""
        update = sources.update(self.places, self.seen, datetime.now(timezone.utc), named)
        gone = update.retired | update.pruned
        exists = (set(self.known) | self.written) - gone
        table = update.table.filter(pa.array([d in exists for d in update.table.column("doc_id").to_pylist()],
                                             pa.bool_()))
        placeholders = self._stale_placeholders(named)
        changed = bool(gone or placeholders) or _places(table) != _places(self.places)
        if gone or placeholders:
            self.store.mark_pending()
            drop_links(self.store, gone)
            for doc_id in sorted(gone):
                self.store.remove_document(doc_id)
            for stem in placeholders:
                self.store.remove_stem(stem)
            faults.step("retired")
        table = expand_sources(table).select(DOCUMENT_SOURCES.names).cast(DOCUMENT_SOURCES)
        self._follow_publications(table, exists)
        self.store.write_file(self.store.folder("document_sources") / "document_sources.parquet", table)
        faults.step("sources-written")
        self.summary.pruned = len(update.pruned)
        if update.pruned:
            log.info("pruned %d documents seen only at places this run did not name", len(update.pruned))
        return changed

    def _follow_publications(self, places: pa.Table, exists: set[str]) -> None:
        """A paper unchanged since it was read may since have been put on another agenda:
        its documents row follows its latest publication."""
        for doc_id, values in latest_by_document(places).items():
            current = self.annotated.get(doc_id) or self.known.get(doc_id)
            if doc_id in exists and current and any(current.get(k) != v for k, v in values.items()):
                self.store.update_document_row(doc_id, values)

    def _stale_placeholders(self, named: set[str] | None) -> list[str]:
        """Failed rows of places that had no bytes, once the place has bytes or is pruned."""
        with_bytes = {s.uri for s in self.seen}
        stale = []
        for row in self.known_placeholders():
            if row["source_uri"] in with_bytes or (named is not None and row["source_uri"] not in named):
                stale.append(_placeholder(Source(row["source_uri"], None, row["source_name"])))
        return stale

    def known_placeholders(self) -> list[dict]:
        rows = self.store.read("documents", columns=["doc_id", "source_uri", "source_name"]).to_pylist()
        return [r for r in rows if not r["doc_id"]]


def _unbuildable(result: DocumentResult) -> Exception | None:
    """Why a read's rows cannot become its tables (a value no column can hold), if they
    cannot: the tables are built here, where they are written, and such a file fails alone."""
    try:
        result.tables
    except (pa.ArrowException, ValueError, TypeError, UnicodeError) as exc:
        return exc
    return None


def _places(table: pa.Table) -> set[tuple[str, str]]:
    return set(zip(table.column("doc_id").to_pylist(), table.column("source_uri").to_pylist()))


def _placeholder(source: Source) -> str:
    return f"src-{source.key}"
