"""Batch and scheduled runs: incremental, atomic, fault-isolated, parallel.
Every test runs the real CLI in a subprocess on real files."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CASES, ROOT, run_cli
from tests.pdfgen import borderless_plan, long_pdf, scanned_pdf


def ids(out: Path, dataset: str = "actions", column: str = "action_id") -> set[str]:
    return {r[0] for r in duckdb.sql(f"SELECT {column} FROM read_parquet('{out}/{dataset}/*.parquet')").fetchall()}


def documents(out: Path) -> dict[str, dict]:
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{out}/documents/*.parquet')").to_arrow_table().to_pylist()
    return {r["source_name"]: r for r in rows}


def assert_complete(out: Path) -> None:
    """Every document's rows are all there: its documents row counts what its actions file holds."""
    counts = dict(duckdb.sql(f"SELECT source_name, count(*) FROM read_parquet('{out}/actions/*.parquet') GROUP BY 1").fetchall()) \
        if list((out / "actions").glob("*.parquet")) else {}
    for doc in documents(out).values():
        assert counts.get(doc["source_name"], 0) == doc["n_actions"], doc["source_name"]


@pytest.fixture()
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ruled-template-a.pdf", "vmerge-elements-template-b.docx", "no-plan-statistics.docx"):
        shutil.copy(CASES / name, folder / name)
    return folder


def test_rerun_is_skipped_and_ids_are_stable(inputs, tmp_path):
    out = tmp_path / "out"
    first = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json", check=True).stdout)
    before = ids(out)
    second = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json", check=True).stdout)
    assert (first["ingested"], second["ingested"], second["unchanged"]) == (3, 0, 3)
    assert ids(out) == before
    runs = duckdb.sql(f"SELECT ingested, unchanged FROM read_parquet('{out}/runs/*.parquet') ORDER BY started_at").fetchall()
    assert runs == [(3, 0), (0, 3)]


def test_changed_file_replaces_its_old_rows(inputs, tmp_path):
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    old = documents(out)["ruled-template-a.pdf"]
    borderless_plan(inputs / "ruled-template-a.pdf")          # same path, new bytes
    summary = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json", check=True).stdout)
    assert (summary["ingested"], summary["unchanged"]) == (1, 2)
    new = documents(out)["ruled-template-a.pdf"]
    assert new["doc_id"] != old["doc_id"] and new["n_actions"] == 3
    assert not duckdb.sql(f"SELECT * FROM read_parquet('{out}/actions/*.parquet') WHERE doc_id = '{old['doc_id']}'").fetchall()
    assert_complete(out)


def test_bad_files_fail_with_reasons_and_good_files_land(inputs, tmp_path):
    bad = {
        "corrupt.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
        "empty.pdf": b"",
        "truncated.pdf": (CASES / "ruled-template-a.pdf").read_bytes()[:5000],
        "webpage.pdf": b"<!DOCTYPE html><html><body>Not found</body></html>",
        "protected.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
        "encrypted.pdf": _encrypted_pdf(tmp_path),
    }
    for name, data in bad.items():
        (inputs / name).write_bytes(data)
    long_pdf(inputs / "twenty-thousand-pages.pdf", 20_000)
    scanned_pdf(inputs / "scanned.pdf")
    long_pdf(inputs / "slow.pdf", 3_000)
    result = run_cli("ingest", str(inputs), "--out", str(tmp_path / "out"), "--quiet", "--json", "--timeout", "2", "--no-ocr")
    assert result.returncode == 1, result.stderr                    # some files failed: exit 1 for cron
    docs = documents(tmp_path / "out")
    reasons = {name: docs[name]["error"] for name in [*bad, "twenty-thousand-pages.pdf"]}
    assert all(docs[name]["status"] == "failed" for name in reasons)
    assert reasons["empty.pdf"].startswith("zero bytes")
    assert reasons["truncated.pdf"].startswith("truncated file")
    assert reasons["webpage.pdf"] == "not a PDF (starts with <html>)"
    assert reasons["protected.docx"].startswith("password-protected")
    assert reasons["encrypted.pdf"] == "encrypted PDF: no password"
    assert reasons["twenty-thousand-pages.pdf"] == "too many pages (20000 > 5000); raise --max-pages to read it"
    assert docs["slow.pdf"]["error"] == "timed out after 2 s"
    assert reasons["corrupt.pdf"]
    assert docs["scanned.pdf"]["error"] == "no text layer (scanned) — OCR not enabled"
    assert docs["ruled-template-a.pdf"]["status"] == "ok" and docs["ruled-template-a.pdf"]["n_actions"] == 25
    assert_complete(tmp_path / "out")


def _encrypted_pdf(tmp_path: Path) -> bytes:
    """Standard security handler with a user password we do not know."""
    data = borderless_plan(tmp_path / "plain.pdf").read_bytes()
    encrypt = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 +
               b"> /P -4 >> /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] ")
    return data.replace(b"trailer\n<< ", b"trailer\n<< " + encrypt)


def test_sigkill_mid_run_leaves_readable_complete_datasets(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        shutil.copy(CASES / "split-rows-across-pages.pdf", folder / f"plan-{i:02}.pdf")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out),
                                "--quiet", "--workers", "1"], cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((out / "documents").glob("*.parquet"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    import os
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    written = len(documents(out))
    assert 3 <= written < 12
    assert_complete(out)
    rerun = json.loads(run_cli("ingest", str(folder), "--out", str(out), "--quiet", "--json", check=True).stdout)
    assert rerun["ingested"] + rerun["unchanged"] == 12       # the dead run's lock was taken over
    assert_complete(out)


def test_concurrent_runs_do_not_corrupt_the_output(inputs, tmp_path):
    out = tmp_path / "out"
    runs = [subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(inputs), "--out", str(out), "--quiet"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2])                        # the loser waits for nobody: it says who holds the lock
    for code, err in results:
        if code == 2:
            assert "is locked by another run (pid" in err
    assert len(documents(out)) == 3
    assert_complete(out)


def test_dask_executor_gives_the_same_rows(inputs, tmp_path):
    run_cli("ingest", str(inputs), "--out", str(tmp_path / "local"), "--quiet", check=True)
    run_cli("ingest", str(inputs), "--out", str(tmp_path / "dask"), "--quiet", "--executor", "dask",
            "--workers", "2", check=True, timeout=900)
    query = "SELECT action_id, action, due_month, officers FROM read_parquet('{}/actions/*.parquet') ORDER BY action_id"
    assert duckdb.sql(query.format(tmp_path / "local")).fetchall() == duckdb.sql(query.format(tmp_path / "dask")).fetchall()


def test_usage_errors_exit_2(tmp_path):
    result = run_cli("ingest", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_compact_merges_files_and_keeps_rows(inputs, tmp_path):
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    before = ids(out)
    run_cli("compact", "--out", str(out), check=True)
    assert len(list((out / "actions").glob("*.parquet"))) == 1
    assert ids(out) == before
    again = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json", check=True).stdout)
    assert again["unchanged"] == 3 and ids(out) == before


def test_manifest_glob_since_and_url(inputs, tmp_path):
    import functools
    import http.server
    import os
    import threading

    old = inputs / "no-plan-statistics.docx"
    os.utime(old, (946684800, 946684800))                    # modified in 2000
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(CASES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/split-rows-across-pages.pdf"
        missing = f"http://127.0.0.1:{server.server_port}/no-such-file.pdf"
        manifest = tmp_path / "manifest.txt"
        manifest.write_text(f"# papers published today\n{url}\n{missing}\n{inputs / 'ruled-template-a.pdf'}\n")
        result = run_cli("ingest", str(inputs / "*.docx"), "--manifest", str(manifest), "--since", "2020-01-01",
                         "--out", str(tmp_path / "out"), "--json")
    finally:
        server.shutdown()
    summary = json.loads(result.stdout)
    docs = documents(tmp_path / "out")
    assert "no-plan-statistics.docx" not in docs                      # older than --since
    assert {"vmerge-elements-template-b.docx", "ruled-template-a.pdf", "split-rows-across-pages.pdf"} <= set(docs)
    assert docs["split-rows-across-pages.pdf"]["source_uri"] == url and docs["split-rows-across-pages.pdf"]["n_actions"] > 50
    assert docs["no-such-file.pdf"]["status"] == "failed" and "404" in docs["no-such-file.pdf"]["error"]
    assert result.returncode == 1 and summary["failed"] == 1
    assert "[1/" in result.stderr                                     # plain progress lines when not a terminal


def test_a_newer_pipeline_version_reingests(inputs, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    for path in (out / "documents").glob("*.parquet"):                # as if an older release wrote them
        table = pq.read_table(path)
        index = table.schema.get_field_index("pipeline_version")
        pq.write_table(table.set_column(index, "pipeline_version",
                                        pa_array(["0.0.1"] * table.num_rows)), path)
    summary = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json", check=True).stdout)
    assert (summary["ingested"], summary["unchanged"]) == (3, 0)


def pa_array(values):
    import pyarrow as pa
    return pa.array(values, pa.string())


def test_known_officer_list_sets_canonical_names(inputs, tmp_path):
    known = tmp_path / "known.txt"
    known.write_text("# our people, as HR spells them\nMike Galikowsky\n")
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--officers", str(known), check=True)
    officers = {r[0]: r[1] for r in duckdb.sql(f"SELECT name, variants FROM read_parquet('{out}/officers/*.parquet')").fetchall()}
    assert officers["Mike Galikowsky"] == ["Mike Galikowski"]           # the printed spelling stays a variant
    owners = duckdb.sql(f"SELECT officers FROM read_parquet('{out}/actions/*.parquet') WHERE ref = '1.1' "
                        "AND source_name = 'ruled-template-a.pdf'").fetchall()
    assert owners == [(["Mike Galikowsky"],)]
