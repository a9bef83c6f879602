"""Merge the per-document files of each dataset into one file, for large collections.

Each dataset is rebuilt in a hidden sibling folder and swapped in by two
renames, so a reader sees either the old files or the merged one, never both.
Later runs keep working: a changed document's old rows are removed from the
merged file when its new rows are written (`Store.write_document`).
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow.parquet as pq

from .schema import PER_DOCUMENT
from .store import COMPACTED_PREFIX, Store


def compact(out: str | Path) -> dict[str, int]:
    store = Store(Path(out))
    merged: dict[str, int] = {}
    with store.lock():
        for dataset in PER_DOCUMENT:
            folder = store.folder(dataset)
            files = sorted(folder.glob("*.parquet"))
            if len(files) < 2:
                continue
            staging = folder.with_name(f".{dataset}.{uuid.uuid4().hex}")
            staging.mkdir()
            pq.write_table(store.read(dataset), staging / f"{COMPACTED_PREFIX}{uuid.uuid4().hex[:12]}.parquet",
                           compression="zstd")
            retired = folder.with_name(f".{dataset}.old.{uuid.uuid4().hex}")
            os.replace(folder, retired)
            os.replace(staging, folder)
            shutil.rmtree(retired)
            merged[dataset] = len(files)
    return merged
