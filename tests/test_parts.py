"""The store's kept tables: read once, re-read once replaced, the same as reading each file."""
import os

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.storage.parts import PartCache, read_files
from pipeline.storage.store import Store

SCHEMA = pa.schema([("doc_id", pa.string()), ("n", pa.int64())])


def _write(path, rows):
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path)


def test_one_scan_gives_each_file_its_own_rows_in_order(tmp_path):
    files = [tmp_path / f"part-{i}.parquet" for i in range(4)]
    for i, path in enumerate(files):
        _write(path, [{"doc_id": f"d{i}", "n": n} for n in range(i)])      # part-0 has no rows
    scanned = read_files(files, SCHEMA)
    assert [t.num_rows for t in scanned] == [0, 1, 2, 3]
    assert all(t.equals(pq.read_table(f, schema=SCHEMA)) for t, f in zip(scanned, files))


def test_a_replaced_file_is_read_again_and_an_unchanged_one_is_not(tmp_path):
    a, b = tmp_path / "part-a.parquet", tmp_path / "part-b.parquet"
    _write(a, [{"doc_id": "a", "n": 1}])
    _write(b, [{"doc_id": "b", "n": 1}])
    cache = PartCache()
    first = cache.tables([a, b], SCHEMA)
    replacement = tmp_path / ".part-b.tmp"
    _write(replacement, [{"doc_id": "b", "n": 2}, {"doc_id": "b", "n": 3}])
    os.replace(replacement, b)
    second = cache.tables([a, b], SCHEMA)
    assert second[a] is first[a]
    assert second[b].column("n").to_pylist() == [2, 3]


def test_the_store_reads_what_it_wrote_and_what_others_wrote(tmp_path):
    store = Store(tmp_path)
    store.prepare()
    officers = pa.Table.from_pylist([{"officer_id": "o1"}], schema=store.read("officers").schema)
    store.write_file(store.folder("officers") / "officers.parquet", officers)
    assert store.read("officers", columns=["officer_id"]).column(0).to_pylist() == ["o1"]
    other = Store(tmp_path)                 # another run replaces the file behind this store's back
    other.write_file(store.folder("officers") / "officers.parquet",
                     pa.Table.from_pylist([{"officer_id": "o2"}], schema=officers.schema))
    assert store.read("officers", columns=["officer_id"]).column(0).to_pylist() == ["o2"]
    store.remove_file(store.folder("officers") / "officers.parquet")
    assert store.read("officers").num_rows == 0
