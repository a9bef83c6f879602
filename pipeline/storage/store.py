"""The output root: plain Parquet datasets, written so readers never see half a write.

Layout: ``<root>/<dataset>/part-<doc_id>.parquet`` for the per-document
datasets (``part-src-<source_key>`` for an input that failed before any byte
was had), whole-file ``officers``, ``action_officers`` and
``document_sources``, one file per run in ``runs``, and in every folder a
zero-row ``schema.parquet`` so a glob over a dataset with no rows still
finds its columns.  Every file is written under a temporary name and renamed
into place (atomic on POSIX, then the folder is fsynced); temporary names
start with ``.`` so DuckDB, pyarrow, pandas and Spark skip them.

Anything that stops the output being written (a full or read-only disk) is
an `OutputError`: the run stops there, and what it had published stays whole.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.storage import faults, lock
from pipeline.storage.parts import PartCache
from pipeline.schema import ALL, PER_DOCUMENT

ROWS = tuple(d for d in PER_DOCUMENT if d != "documents")    # a document's rows, written before its documents row

COMPACTED_PREFIX = "compacted-"
SCHEMA_FILE = "schema.parquet"
PENDING = ".rebuild-pending"            # a run changed documents and has not finished its rebuild
FINGERPRINT = ".schema-fingerprint"     # the schemas every file was last written with
ZSTD_ROWS = 1000                        # files of fewer rows are written with snappy


class OutputError(RuntimeError):
    """The output root cannot be written (exit code 3)."""


def schema_fingerprint() -> str:
    text = "\n".join(f"{name}: {schema.to_string(show_schema_metadata=False)}" for name, schema in ALL.items())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@contextmanager
def writing(root: Path):
    """Turn a failed write of the output into an `OutputError` naming the root."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write the output {root}: {exc.strerror or exc}") from exc


@dataclass
class Store:
    root: Path
    stems: dict[str, set[str]] = field(default_factory=dict)    # doc_id -> part stems holding its rows
    compacted: set[str] = field(default_factory=set)            # doc_ids with rows in compacted files
    parts: PartCache = field(default_factory=PartCache)        # tables of the files read or written

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    # -- files ---------------------------------------------------------------
    def folder(self, dataset: str) -> Path:
        return self.root / dataset

    def part_path(self, dataset: str, stem: str) -> Path:
        return self.folder(dataset) / f"part-{stem}.parquet"

    def write_file(self, path: Path, table: pa.Table) -> None:
        with writing(self.root):
            faults.step("write")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            try:
                # zstd's set-up per column costs more than it saves on a file of a few rows
                pq.write_table(table, tmp, compression="zstd" if table.num_rows >= ZSTD_ROWS else "snappy")
                with open(tmp, "rb") as handle:
                    os.fsync(handle.fileno())
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
            fsync_dir(path.parent)          # the rename itself survives a power cut
        if (dataset := self._dataset_of(path)) is not None:
            self.parts.wrote(path, table, ALL[dataset])

    def remove_file(self, path: Path) -> None:
        with writing(self.root):
            if path.exists():
                path.unlink()
                fsync_dir(path.parent)
        self.parts.removed(path)

    def data_files(self, dataset: str) -> list[Path]:
        return sorted(p for p in self.folder(dataset).glob("*.parquet") if p.name != SCHEMA_FILE)

    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        tables = list(self.read_parts(dataset).values())
        table = pa.concat_tables(tables) if tables else ALL[dataset].empty_table()
        return table if columns is None else table.select(columns)

    def read_parts(self, dataset: str) -> dict[Path, pa.Table]:
        return self.parts.tables(self.data_files(dataset), ALL[dataset])

    def _dataset_of(self, path: Path) -> str | None:
        """The dataset a data file written or removed here belongs to."""
        dataset = path.parent.name
        if dataset in ALL and path.parent == self.folder(dataset) and path.name != SCHEMA_FILE:
            return dataset
        return None

    def has(self, dataset: str) -> bool:
        return bool(self.data_files(dataset))

    # -- documents -----------------------------------------------------------
    def index(self) -> pa.Table:
        """The documents dataset, and which part files hold each document's rows."""
        self.stems, self.compacted = {}, set()
        parts = []
        for path, table in self.read_parts("documents").items():
            for doc_id in filter(None, table.column("doc_id").to_pylist()):
                if path.name.startswith("part-"):
                    self.stems.setdefault(doc_id, set()).add(path.name[len("part-"):-len(".parquet")])
                else:
                    self.compacted.add(doc_id)
            parts.append(table)
        return pa.concat_tables(parts) if parts else ALL["documents"].empty_table()

    def write_document(self, stem: str, tables: dict[str, pa.Table]) -> None:
        """A document's rows, replacing any it had: its documents row goes first and comes
        back last, so a documents row is only ever beside complete, current rows."""
        doc_id = tables["documents"].column("doc_id")[0].as_py()
        self._remove_rows(doc_id, keep=stem)
        self.remove_file(self.part_path("documents", stem))
        for dataset in ROWS:
            table = _as(tables[dataset], PER_DOCUMENT[dataset])
            if table.num_rows:
                self.write_file(self.part_path(dataset, stem), table)
            else:
                self.remove_file(self.part_path(dataset, stem))
        faults.step("document-rows")
        self.write_file(self.part_path("documents", stem), _as(tables["documents"], PER_DOCUMENT["documents"]))
        if doc_id:
            self.stems[doc_id] = {stem}
        faults.step("document-written")

    def update_document_row(self, doc_id: str, changes: dict) -> None:
        """Rewrite a document's documents row in place (its other rows untouched)."""
        paths = [self.part_path("documents", stem) for stem in self.stems.get(doc_id, ())]
        if doc_id in self.compacted:
            paths += self.folder("documents").glob(f"{COMPACTED_PREFIX}*.parquet")
        for path in paths:
            rows = [{**r, **changes} if r["doc_id"] == doc_id else r
                    for r in self.parts.tables([path], ALL["documents"])[path].to_pylist()]
            self.write_file(path, pa.Table.from_pylist(rows, schema=ALL["documents"]))

    def remove_document(self, doc_id: str) -> None:
        self._remove_rows(doc_id)
        self.stems.pop(doc_id, None)

    def remove_stem(self, stem: str) -> None:
        for dataset in PER_DOCUMENT:
            self.remove_file(self.part_path(dataset, stem))

    def _remove_rows(self, doc_id: str | None, keep: str | None = None) -> None:
        """Every other file holding this document's rows: older layouts and compacted files."""
        if not doc_id:
            return
        for stem in (self.stems.get(doc_id, set()) | {doc_id}) - {keep}:    # its own stem even if documents is compacted
            self.remove_stem(stem)
        if doc_id in self.compacted:
            self._drop_from_compacted(doc_id)
            self.compacted.discard(doc_id)

    def _drop_from_compacted(self, doc_id: str) -> None:
        for dataset in ("documents", *ROWS):      # documents first: never a row beside missing rows
            compacted = sorted(self.folder(dataset).glob(f"{COMPACTED_PREFIX}*.parquet"))
            for path, table in self.parts.tables(compacted, PER_DOCUMENT[dataset]).items():
                keep = pa.array([d != doc_id for d in table.column("doc_id").to_pylist()])
                if not all(keep.to_pylist()):
                    self.write_file(path, table.filter(keep))

    # -- keeping the root whole ------------------------------------------------
    def prepare(self) -> None:
        """Before a run writes: finish or roll back what a killed run left, and bring every
        file to the current schemas."""
        with writing(self.root):
            for path in [*self.root.glob(".*.tmp"), *self.root.glob("*/.*.tmp")]:
                path.unlink(missing_ok=True)
            for dataset in ALL:
                finish_swap(self.root, dataset)
                self.folder(dataset).mkdir(parents=True, exist_ok=True)
        self.migrate()

    def migrate(self) -> None:
        fingerprint = schema_fingerprint()
        marker = self.root / FINGERPRINT
        if marker.exists() and marker.read_text().strip() == fingerprint:
            return
        for dataset, schema in ALL.items():
            for path in self.folder(dataset).glob("*.parquet"):
                if not pq.read_schema(path).remove_metadata().equals(schema):
                    self.write_file(path, _conform(pq.read_table(path), schema))
                    faults.step("schema-migrated")
            if not (self.folder(dataset) / SCHEMA_FILE).exists():
                self.write_file(self.folder(dataset) / SCHEMA_FILE, schema.empty_table())
        with writing(self.root):
            _write_small(marker, fingerprint)

    def mark_pending(self) -> None:
        with writing(self.root):
            _write_small(self.root / PENDING, "a run changed documents; the next run rebuilds officers\n")

    def pending(self) -> bool:
        return (self.root / PENDING).exists()

    def clear_pending(self) -> None:
        self.remove_file(self.root / PENDING)

    @contextmanager
    def lock(self):
        with lock.hold_root(self.root):
            faults.step("locked")
            yield


def _as(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` cast to ``schema``, unless it is already: a cast goes column by column."""
    return table if table.schema.equals(schema) else table.cast(schema)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A file written before columns were added, with those columns null."""
    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names
               else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def staging_names(root: Path, dataset: str) -> tuple[Path, Path]:
    """A merged dataset being swapped in, and the folder it replaces on its way out."""
    return root / f".{dataset}.compact-new", root / f".{dataset}.compact-old"


def finish_swap(root: Path, dataset: str) -> None:
    """A folder swap a killed `compact` left half done: roll it forward when the merged
    folder was complete (the old one is already out), otherwise back."""
    new, old = staging_names(root, dataset)
    live = root / dataset
    if old.exists() and not live.exists():
        os.replace(new, live)
        fsync_dir(root)
    if old.exists():
        shutil.rmtree(old)
    if new.exists():
        shutil.rmtree(new)


def _write_small(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
