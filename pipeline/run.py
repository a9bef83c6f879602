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
from pathlib import Path

import pyarrow as pa

from normalisers.divisions import read_glossary_file
from normalisers.officers import read_posts_file
from normalisers.reconcile import OfficerMention

from pipeline.storage import faults
from pipeline.results import DocumentResult, Source
from pipeline.derived.duplicates import link_duplicates
from pipeline.execution.executors import Executor, ExecutorSettings
from pipeline.storage.incremental import settings_key
from pipeline.intake.inputs import discover
from pipeline.derived.lineage import rebuild_lineage
from pipeline.derived.officers import rebuild_officers
from pipeline.storage.publish import Publisher
from pipeline.schema import PIPELINE_VERSION, RUNS, SCHEMA_VERSION
from pipeline.storage.store import Store
from pipeline.execution.tasks import Task

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
    pruned: int = 0
    with_warnings: int = 0        # documents where something looked like a plan but gave few or no records
    pages: int = 0
    pages_screened_out: int = 0   # PDF pages the page screen kept from the table finders
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
    prune: bool = False                  # drop documents seen only at places this run did not name
    allow_private_urls: bool = False     # let URL inputs reach loopback and private addresses
    ocr: bool = True                     # read pages with no usable text layer from their image
    screen: bool = True                  # only the pages the page screen picks are read for tables
    progress: bool = True
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)


def ingest(inputs: list[str], out: str | Path, options: IngestOptions = IngestOptions(), args: str = "",
           executor: Executor | None = None) -> RunSummary:
    """``executor``: the caller's, closed by the caller (the CLI warms its reader processes
    before it loads this module), whose settings stand for ``options.executor``; by default
    one is made and warmed here, and closed with the run."""
    if executor is not None:
        return _ingest(inputs, out, options, args, executor)
    with Executor(options.executor) as executor:
        executor.warm()
        return _ingest(inputs, out, options, args, executor)


def _ingest(inputs: list[str], out: str | Path, options: IngestOptions, args: str, executor: Executor) -> RunSummary:
    store = Store(Path(out))
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    summary = RunSummary(run_id=started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8], out=str(out))
    items = discover(inputs, options.manifest, options.since)
    summary.inputs_seen = len(items)
    key = settings_key(options.glossary, options.officers, options.ocr, options.screen)
    glossary = read_glossary_file(options.glossary) if options.glossary else None
    posts = read_posts_file(options.glossary) if options.glossary else ((), ())
    with store.lock():
        store.prepare()
        publisher = Publisher(store, summary, key, options.force)
        rebuild = store.pending() or not store.has("officers")

        def make_task(source: Source, skip_if: frozenset) -> Task:
            return Task(source, key, glossary, options.max_pages, executor.settings.limits.timeout,
                        options.allow_private_urls, skip_if, posts, options.ocr, options.screen,
                        str(store.root))

        tasks = publisher.plan(items, make_task)
        finished = executor.run(tasks)
        try:
            with _progress(len(tasks), options.progress) as bar:
                for task, outcome in finished:
                    result = publisher.record(outcome, task)
                    bar.update(1, result, summary)
        finally:
            finished.close()
        named = {getattr(i, "uri", None) or i.source.uri for i in items} if options.prune else None
        if publisher.settle(named) or tasks or rebuild:
            rebuild_officers(store, _known_officers(options.officers))
            link_duplicates(store)
            rebuild_lineage(store)
        summary.officers = store.read("officers", columns=["officer_id"]).num_rows
        summary.seconds = time.monotonic() - clock
        _write_run(store, summary, started, args, executor.settings)
        faults.step("run-recorded")
        store.clear_pending()
    return summary


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


def _write_run(store: Store, summary: RunSummary, started: datetime, args: str, settings: ExecutorSettings) -> None:
    row = {"run_id": summary.run_id, "started_at": started, "finished_at": datetime.now(timezone.utc),
           "pipeline_version": PIPELINE_VERSION, "inputs_seen": summary.inputs_seen,
           "ingested": summary.ingested, "unchanged": summary.unchanged, "failed": summary.failed,
           "args": args, "schema_version": SCHEMA_VERSION, "executor": settings.kind,
           "workers": settings.workers}
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

    def update(self, n: int, result: DocumentResult | None, summary: RunSummary) -> None:
        self.done += n
        rate = summary.pages / max(time.monotonic() - self.started, 1e-6)
        if self.tty:
            self.bar.set_postfix(pages_per_s=f"{rate:.1f}", failed=summary.failed)
            self.bar.update(n)
        elif self.enabled and result is not None:
            log.info("[%d/%d] %s %s (%d pages, %.1f pages/s)", self.done, self.total, result.status,
                     result.source.name, result.pages, rate,
                     extra={"file": result.source.uri, "event": result.status})

    def __exit__(self, *exc) -> None:
        if self.tty:
            self.bar.close()
