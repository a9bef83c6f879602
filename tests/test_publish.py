"""A read's tables are built where they are written, in the run's own process: a file
whose rows hold a value no column can (a reader's bug) fails alone, with the reason,
and the run publishes the files beside it."""
from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.document import process
from pipeline.results import Source
from pipeline.run import RunSummary
from pipeline.storage.publish import Publisher
from pipeline.storage.store import Store

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def read(name: str):
    path = RAW / name
    return process(Source(str(path), str(path), name))


def test_rows_no_column_can_hold_fail_their_file_only(tmp_path):
    good, bad = read("dudley-childrens-ed-action-plan-2007-08.pdf"), read("kent-cfe-dsp-equality-actions-2012-13.pdf")
    bad.rows["documents"][0]["pages"] = 2 ** 40          # documents.pages is an int32
    store = Store(tmp_path / "out")
    store.prepare()
    summary = RunSummary(run_id="test", out=str(store.root))
    publisher = Publisher(store, summary, "key", force=False)
    assert publisher.record(bad).status == "failed"
    publisher.record(good)
    documents = duckdb.sql(f"SELECT source_name, status, error FROM '{store.root}/documents/*.parquet' "
                           "ORDER BY 1").fetchall()
    assert [(name, status) for name, status, _ in documents] == [
        ("dudley-childrens-ed-action-plan-2007-08.pdf", "ok"), ("kent-cfe-dsp-equality-actions-2012-13.pdf", "failed")]
    assert "internal error" in documents[1][2] and "please report this file" in documents[1][2]
    actions = duckdb.sql(f"SELECT DISTINCT source_name FROM '{store.root}/actions/*.parquet'").fetchall()
    assert actions == [("dudley-childrens-ed-action-plan-2007-08.pdf",)]
    assert (summary.failed, summary.ingested) == (1, 1)
