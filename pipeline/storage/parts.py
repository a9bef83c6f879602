"""The tables of a dataset's files, read once and kept while the files are unchanged.

The end of a run reads the documents, actions and kpis datasets several times
over (placeholders, the officer rebuild, duplicate links, lineage), one file
per document: read file by file, that was half a second of a committee-paper
run after its last file, with every core but one idle.  A file's table is
kept under the file's identity on disk (inode, size, times), so it is read
again only once something has replaced it; a table the store itself wrote is
kept as written; files not yet kept are read together in one multi-threaded
scan.  The tables stay for the store's life (one run): the end of the run
holds every one of them anyway.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

Identity = tuple[int, int, int, int]
FILENAME = "__filename"        # the scan's own column: which file a row came from


def identity(path: Path) -> Identity:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class PartCache:
    def __init__(self) -> None:
        self.kept: dict[Path, tuple[Identity, pa.Table]] = {}

    def tables(self, files: list[Path], schema: pa.Schema) -> dict[Path, pa.Table]:
        """Each file's table, in the order given; read only where not kept or since replaced."""
        now = {f: identity(f) for f in files}
        stale = [f for f in files if f not in self.kept or self.kept[f][0] != now[f]
                 or not self.kept[f][1].schema.equals(schema)]
        for path, table in zip(stale, read_files(stale, schema)):
            self.kept[path] = (now[path], table)
        return {f: self.kept[f][1] for f in files}

    def wrote(self, path: Path, table: pa.Table, schema: pa.Schema) -> None:
        if table.schema.equals(schema):
            self.kept[path] = (identity(path), table)
        else:           # read back as the dataset's schema when next asked for
            self.kept.pop(path, None)

    def removed(self, path: Path) -> None:
        self.kept.pop(path, None)


def read_files(files: list[Path], schema: pa.Schema) -> list[pa.Table]:
    """The files' tables as ``schema``; more than one are read in one scan, split again
    by the scan's own column naming each row's file (a file of no rows, or one the scan
    names otherwise, is read alone)."""
    if len(files) < 2:
        return [pq.read_table(f, schema=schema) for f in files]
    import pyarrow.compute as pc
    import pyarrow.dataset as ds        # with pandas, a sixth of a second: loaded when first scanned
    names = [str(f) for f in files]
    scanned = ds.dataset(names, schema=schema, format="parquet").to_table(columns=[*schema.names, FILENAME])
    runs = pc.run_end_encode(scanned.column(FILENAME).combine_chunks())
    pieces: dict[str, list[pa.Table]] = {}
    start = 0
    for name, end in zip(runs.values.to_pylist(), runs.run_ends.to_pylist()):
        pieces.setdefault(name, []).append(scanned.slice(start, end - start).drop_columns([FILENAME]))
        start = end
    return [pa.concat_tables(pieces[name]) if name in pieces else pq.read_table(name, schema=schema)
            for name in names]
