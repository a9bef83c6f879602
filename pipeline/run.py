"""A pipeline run: discover inputs, skip what is unchanged, process the rest in
parallel, write each document atomically as it finishes, rebuild officers,
record the run.  ``ingest`` is the library entry point; the CLI is a thin
wrapper around it."""
from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pyarrow as pa

from normalisers.divisions import read_glossary_file
from normalisers.reconcile import OfficerMention

from .document import DocumentResult, Source, failed_result, file_digest, process
from .errors import IngestError, explain
from .duplicates import link_duplicates
from .executors import EXECUTORS, ExecutorSettings
from .lineage import rebuild_lineage
from .inputs import discover, to_source
from .officers import rebuild_officers
from .schema import PIPELINE_VERSION, RUNS, SCHEMA_VERSION
from .sources import keep_copy
from .store import Store

log = logging.getLogger("pipeline")


@dataclass
class RunSummary:
    run_id: str
    out: str
    inputs_seen: int = 0
    ingested: int = 0
    unchanged: int = 0
    failed: int = 0
    no_records: int = 0
    pages: int = 0
    actions: int = 0
    kpis: int = 0
    officers: int = 0
    seconds: float = 0.0
    failures: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "exit_code": self.exit_code}, indent=2)


@dataclass(frozen=True)
class IngestOptions:
    force: bool = False
    since: datetime | None = None
    manifest: str | None = None
    glossary: str | None = None          # TOML division glossary
    officers: str | None = None          # text file of known officer names, one per line
    max_pages: int = 5000                # a longer PDF fails fast instead of holding a worker
    progress: bool = True
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)


def ingest(inputs: list[str], out: str | Path, options: IngestOptions = IngestOptions(), args: str = "") -> RunSummary:
    store = Store(Path(out))
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    summary = RunSummary(run_id=started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8], out=str(out))
    items = discover(inputs, options.manifest, options.since)
    summary.inputs_seen = len(items)
    glossary = read_glossary_file(options.glossary) if options.glossary else None
    with store.lock():
        store.clean_temporaries()
        todo, sources_failed = _plan(items, store, options, summary)
        for result in sources_failed:
            _record(store, result, summary)
        work = partial(process, glossary=glossary, max_pages=options.max_pages)
        runner = EXECUTORS[options.executor.kind]
        with _progress(len(todo), options.progress) as bar:
            for source, outcome in runner(todo, work, options.executor):
                result = outcome if isinstance(outcome, DocumentResult) else _failure(source, outcome)
                _record(store, result, summary)
                bar.update(1, result, summary)
        if todo or sources_failed or options.officers or not store.has("officers"):
            rebuild_officers(store, _known_officers(options.officers))
            link_duplicates(store)
            rebuild_lineage(store)
        summary.officers = store.read("officers", columns=["officer_id"]).num_rows
        summary.seconds = time.monotonic() - clock
        _write_run(store, summary, started, args, options)
    return summary


def _plan(items: list[str], store: Store, options: IngestOptions, summary: RunSummary):
    """Split inputs into work to do and unchanged files; bad downloads fail here."""
    known = {row["source_key"]: row for row in store.read("documents").to_pylist()}
    todo: list[Source] = []
    failed: list[DocumentResult] = []
    for item in items:
        try:
            source = to_source(item)
        except IngestError as exc:
            failed.append(failed_result(Source(item, item, Path(item).name), "", str(exc)))
            continue
        previous = known.get(source.key)
        if (not options.force and previous and previous["status"] != "failed"
                and previous["pipeline_version"] == PIPELINE_VERSION
                and previous["doc_id"] == file_digest(source.path)):
            summary.unchanged += 1
            continue
        todo.append(source)
    return todo, failed


def _failure(source: Source, exc: BaseException) -> DocumentResult:
    try:
        doc_id = file_digest(source.path)
    except OSError:
        doc_id = ""
    return failed_result(source, doc_id, explain(exc, Path(source.name).suffix.lower(), internal=True))


def _record(store: Store, result: DocumentResult, summary: RunSummary) -> None:
    if result.status != "failed":
        keep_copy(store.root, result.source.uri, result.source.path, result.doc_id)   # for `review`
    store.write_document(result.source.key, result.tables)
    if result.status == "failed":
        summary.failed += 1
        summary.failures.append({"file": result.source.uri, "error": result.error})
        log.warning("failed: %s: %s", result.source.uri, result.error)
        return
    summary.ingested += 1
    summary.no_records += result.status == "no_records"
    summary.pages += result.pages
    summary.actions += result.tables["actions"].num_rows
    summary.kpis += result.tables["kpis"].num_rows


def _known_officers(path: str | None) -> list[OfficerMention]:
    """A user's list of known names (``Name`` or ``Council | Name`` per line) anchors canonical spellings."""
    if not path:
        return []
    mentions = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            council, _, name = line.rpartition("|")
            mentions.append(OfficerMention(council.strip() or None, name.strip(), "person", known=True))
    return mentions


def _write_run(store: Store, summary: RunSummary, started: datetime, args: str, options: IngestOptions) -> None:
    row = {"run_id": summary.run_id, "started_at": started, "finished_at": datetime.now(timezone.utc),
           "pipeline_version": PIPELINE_VERSION, "inputs_seen": summary.inputs_seen,
           "ingested": summary.ingested, "unchanged": summary.unchanged, "failed": summary.failed,
           "args": args, "schema_version": SCHEMA_VERSION, "executor": options.executor.kind,
           "workers": options.executor.workers}
    store.write_file(store.folder("runs") / f"run-{summary.run_id}.parquet", pa.Table.from_pylist([row], schema=RUNS))


class _progress:
    """A tqdm bar with files/s and pages/s on a terminal; plain log lines otherwise (cron)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.tty = enabled and sys.stderr.isatty()
        self.started = time.monotonic()
        self.done = 0

    def __enter__(self):
        if self.tty:
            from tqdm import tqdm
            self.bar = tqdm(total=self.total, unit="file", dynamic_ncols=True)
        return self

    def update(self, n: int, result: DocumentResult, summary: RunSummary) -> None:
        self.done += n
        rate = summary.pages / max(time.monotonic() - self.started, 1e-6)
        if self.tty:
            self.bar.set_postfix(pages_per_s=f"{rate:.1f}", failed=summary.failed)
            self.bar.update(n)
        elif self.enabled:
            log.info("[%d/%d] %s %s (%d pages, %.1f pages/s)", self.done, self.total, result.status,
                     result.source.name, result.pages, rate)

    def __exit__(self, *exc) -> None:
        if self.tty:
            self.bar.close()
