"""Merge the per-document files of each dataset into one file, for large collections.

Each dataset is merged into a hidden sibling folder, fsynced, and swapped in
by two renames; a run killed between them is rolled forward by the next run
or compaction (`store.finish_swap`), so the dataset is never lost.  A reader
sees the old files or the merged one, never both (for an instant between the
renames, no folder).  Later runs keep working: a changed document's old rows
are removed from the merged file before its new rows are written.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from pipeline.storage import faults
from pipeline.schema import PER_DOCUMENT
from pipeline.storage.store import COMPACTED_PREFIX, SCHEMA_FILE, Store, fsync_dir, finish_swap, staging_names, writing


def compact(out: str | Path) -> dict[str, int]:
    store = Store(Path(out))
    merged: dict[str, int] = {}
    with store.lock():
        store.prepare()
        for dataset, schema in PER_DOCUMENT.items():
            files = store.data_files(dataset)
            if len(files) < 2:
                continue
            new, old = staging_names(store.root, dataset)
            table = store.read(dataset)
            staged = Store(new)
            staged.write_file(new / f"{COMPACTED_PREFIX}{uuid.uuid4().hex[:12]}.parquet", table)
            staged.write_file(new / SCHEMA_FILE, schema.empty_table())
            faults.step("compact-staged")
            with writing(store.root):
                os.replace(store.folder(dataset), old)
                faults.step("compact-retired")
                os.replace(new, store.folder(dataset))
                fsync_dir(store.root)
                faults.step("compact-swapped")
                shutil.rmtree(old)
            merged[dataset] = len(files)
        for dataset in PER_DOCUMENT:
            finish_swap(store.root, dataset)
    return merged
