"""The output root: plain Parquet datasets, written so readers never see half a write.

Layout: ``<root>/<dataset>/part-<source_key>.parquet`` for the per-document
datasets (one file per input per dataset, so a changed input replaces its
rows by replacing its files), whole-file ``officers`` and ``action_officers``,
and one file per run in ``runs``.  Every file is written under a temporary
name in the same folder and renamed into place (``os.replace`` is atomic on
POSIX); temporary names start with ``.`` or ``_`` so DuckDB, pyarrow, pandas
and Spark skip them.
"""
from __future__ import annotations

import json
import os
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import ALL, PER_DOCUMENT

LOCK_NAME = ".ingest.lock"
COMPACTED_PREFIX = "compacted-"


class LockedError(RuntimeError):
    """Another run is writing this output root."""


@dataclass
class Store:
    root: Path

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    def folder(self, dataset: str) -> Path:
        path = self.root / dataset
        path.mkdir(parents=True, exist_ok=True)
        return path

    def part_path(self, dataset: str, key: str) -> Path:
        return self.folder(dataset) / f"part-{key}.parquet"

    def write_file(self, path: Path, table: pa.Table) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)          # the rename itself survives a power cut

    def write_document(self, key: str, tables: dict[str, pa.Table]) -> None:
        """All of a document's rows in place, documents last: a reader that finds
        the documents row finds its actions and KPIs beside it."""
        self._drop_from_compacted(key)
        for dataset in [*(d for d in PER_DOCUMENT if d != "documents"), "documents"]:
            table = tables[dataset].cast(PER_DOCUMENT[dataset])
            path = self.part_path(dataset, key)
            if table.num_rows or dataset == "documents":
                self.write_file(path, table)
            else:
                path.unlink(missing_ok=True)

    def _drop_from_compacted(self, key: str) -> None:
        """A compacted file may hold this input's previous rows: rewrite it without them."""
        compacted = {d: sorted(self.folder(d).glob(f"{COMPACTED_PREFIX}*.parquet")) for d in PER_DOCUMENT}
        if not any(compacted.values()):
            return
        old = [pq.read_table(f, columns=["doc_id", "source_key"]) for f in compacted["documents"]]
        old_ids = {r["doc_id"] for t in old for r in t.to_pylist() if r["source_key"] == key}
        column = {"documents": "source_key"}
        for dataset, files in compacted.items():
            for path in files:
                table = pq.read_table(path, schema=PER_DOCUMENT[dataset])
                values = table.column(column.get(dataset, "doc_id")).to_pylist()
                targets = {key} if dataset == "documents" else old_ids
                keep = [v not in targets for v in values]
                if not all(keep):
                    self.write_file(path, table.filter(pa.array(keep)))

    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        files = sorted(self.folder(dataset).glob("*.parquet"))
        schema = ALL[dataset]
        if not files:
            return schema.empty_table() if columns is None else schema.empty_table().select(columns)
        tables = [pq.read_table(f, columns=columns, schema=schema) for f in files]
        return pa.concat_tables(tables)

    def has(self, dataset: str) -> bool:
        return any(self.folder(dataset).glob("*.parquet"))

    def read_parts(self, dataset: str) -> dict[Path, pa.Table]:
        return {f: pq.read_table(f, schema=ALL[dataset]) for f in sorted(self.folder(dataset).glob("*.parquet"))}

    def clean_temporaries(self) -> None:
        """Temporary files of a run that was killed: never visible, removed at the next run."""
        for path in self.root.glob("*/.*.tmp"):
            path.unlink(missing_ok=True)

    @contextmanager
    def lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / LOCK_NAME
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        for _ in range(2):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if not _is_stale(path):
                    raise LockedError(_lock_message(path, self.root)) from None
                path.unlink(missing_ok=True)     # a killed run's lock: take it over
                continue
            with os.fdopen(fd, "w") as handle:
                json.dump(holder, handle)
            break
        try:
            yield
        finally:
            path.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _is_stale(path: Path) -> bool:
    holder = _read_holder(path)
    if holder.get("host") not in (None, socket.gethostname()):
        return False          # another machine's run: we cannot tell, so we wait for it
    pid = holder.get("pid")
    if not isinstance(pid, int):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lock_message(path: Path, root: Path) -> str:
    holder = _read_holder(path)
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("started", 0)))
    return (f"output root {root} is locked by another run (pid {holder.get('pid')} on "
            f"{holder.get('host')}, since {since}); wait for it to finish or remove {path} if it is gone")
