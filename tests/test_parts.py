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
    files = [tmp_path / f"part-{i}.parquet" for i in range(5)]
    for i, path in enumerate(files):                # part-0 has no rows; the others several row groups
        pq.write_table(pa.Table.from_pylist([{"doc_id": f"d{i}", "n": n} for n in range(3 * i)], schema=SCHEMA),
                       path, row_group_size=2)
    scanned = read_files(files, SCHEMA)
    assert [t.num_rows for t in scanned] == [0, 3, 6, 9, 12]
    assert all(t.equals(pq.read_table(f, schema=SCHEMA)) for t, f in zip(scanned, files))
    assert [t.num_rows for t in read_files(files[:1] * 2, SCHEMA)] == [0, 0]


def test_a_table_kept_as_another_schema_is_read_again(tmp_path):
    path = tmp_path / "part-a.parquet"
    _write(path, [{"doc_id": "a", "n": 1}])
    cache = PartCache()
    cache.wrote(path, pa.table({"doc_id": ["a"]}), SCHEMA)       # not the dataset's columns: not kept
    assert cache.tables([path], SCHEMA)[path].column("n").to_pylist() == [1]
    narrower = pa.schema([("doc_id", pa.string())])
    assert cache.tables([path], narrower)[path].schema.equals(narrower)


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


def test_small_files_are_written_with_snappy_and_large_ones_with_zstd(tmp_path):
    from pipeline.storage.store import ZSTD_ROWS
    store = Store(tmp_path)
    store.prepare()
    folder = store.folder("action_officers")
    schema = store.read("action_officers").schema
    for name, rows in (("small", 3), ("large", ZSTD_ROWS)):
        table = pa.Table.from_pylist([{"action_id": str(i), "officer_id": "o", "doc_id": "d"} for i in range(rows)],
                                     schema=schema)
        store.write_file(folder / f"{name}.parquet", table)
    codec = {name: pq.ParquetFile(folder / f"{name}.parquet").metadata.row_group(0).column(0).compression
             for name in ("small", "large")}
    assert codec == {"small": "SNAPPY", "large": "ZSTD"}
