"""Scheduled runs that never lose data (issue 7): every test drives the real CLI
in a subprocess on real files and reads the Parquet back with DuckDB.  No test
here is judged by the clock: time limits are met by a download that never
ends, memory limits by a cap every real file exceeds."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import CASES, ROOT, run_cli
from tests.httpserver import LoopbackServer, reply, trickle


def cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def rows(out: Path, sql: str) -> list[tuple]:
    return duckdb.sql(sql.replace("{out}", str(out))).fetchall()


def count(out: Path, dataset: str) -> int:
    return rows(out, f"SELECT count(*) FROM read_parquet('{{out}}/{dataset}/*.parquet')")[0][0]


@pytest.fixture()
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ruled-template-a.pdf", "vmerge-elements-template-b.docx"):
        shutil.copy(CASES / name, folder / name)
    return folder


# -- a failure never replaces good data --------------------------------------------------

def test_a_failed_reread_keeps_the_good_rows(inputs, tmp_path):
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    before = (count(out, "actions"), count(out, "kpis"), count(out, "action_officers"))
    # every real file needs more than 1 MiB resident, so every re-read fails, whatever the machine's load
    again = cli("ingest", str(inputs), "--out", str(out), "--quiet", "--force", "--memory-mb", "1")
    assert again.returncode == 1
    assert (count(out, "actions"), count(out, "kpis"), count(out, "action_officers")) == before
    docs = rows(out, "SELECT status, last_error, last_attempt_at > ingested_at FROM read_parquet('{out}/documents/*.parquet')")
    assert len(docs) == 2 and all(s == "ok" and e.startswith("out of memory") and later for s, e, later in docs)


def test_a_url_that_fails_later_keeps_its_rows(tmp_path):
    pdf = (CASES / "ruled-template-a.pdf").read_bytes()
    state = {"status": 200}
    routes = {"/download": lambda h: reply(h, state["status"], pdf if state["status"] == 200 else b"busy")}
    out = tmp_path / "out"
    with LoopbackServer(routes) as server:
        url = server.url.replace("://", "://ann:secret@") + "/download"      # no .pdf: the bytes say what it is
        first = cli("ingest", url, "--out", str(out), "--quiet", "--allow-private-urls", "--log-format", "json")
        assert first.returncode == 0, first.stderr
        state["status"] = 503
        second = cli("ingest", url, "--out", str(out), "--quiet", "--allow-private-urls", "--log-format", "json",
                     env={"TMPDIR": str(tmp_path)})
    assert second.returncode == 1
    assert count(out, "actions") == 25
    [(status, error, uri, media)] = rows(out, "SELECT status, last_error, source_uri, media_type "
                                               "FROM read_parquet('{out}/documents/*.parquet')")
    assert status == "ok" and "503" in error and media == "application/pdf"
    assert "secret" not in uri and "secret" not in first.stderr + second.stderr + second.stdout
    assert not list(tmp_path.glob("pipeline-*"))                 # the file's temporary folder is gone


def test_urls_to_private_addresses_are_refused_unless_allowed(tmp_path):
    pdf = (CASES / "ruled-template-a.pdf").read_bytes()
    with LoopbackServer({"/plan.pdf": lambda h: reply(h, 200, pdf)}) as server:
        result = cli("ingest", server.url + "/plan.pdf", "--out", str(tmp_path / "out"), "--quiet", "--json")
    assert result.returncode == 1
    [failure] = json.loads(result.stdout)["failures"]
    assert failure["error"].startswith("refused") and "--allow-private-urls" in failure["error"]


# -- limits -------------------------------------------------------------------------------

@pytest.mark.parametrize("executor", ["local", "dask"])
def test_limits_hold_on_every_executor(executor, inputs, tmp_path):
    """A download that trickles a byte a second times out; a memory cap below what a real
    file needs fails the file; both as that file's failed row, on either executor."""
    with LoopbackServer({"/slow.pdf": lambda h: trickle(h, seconds_per_byte=1.0)}) as server:
        slow = cli("ingest", server.url + "/slow.pdf", "--out", str(tmp_path / "slow"), "--quiet", "--json",
                   "--allow-private-urls", "--timeout", "3", "--executor", executor, "--workers", "1",
                   env={"TMPDIR": str(tmp_path)}, timeout=300)
    assert slow.returncode == 1, slow.stderr
    assert json.loads(slow.stdout)["failures"][0]["error"] == "timed out after 3 s"
    hog = cli("ingest", str(inputs / "ruled-template-a.pdf"), "--out", str(tmp_path / "hog"), "--quiet", "--json",
              "--memory-mb", "1", "--executor", executor, "--workers", "1", timeout=300)
    assert hog.returncode == 1 and json.loads(hog.stdout)["failures"][0]["error"].startswith("out of memory")
    assert not list(tmp_path.glob("pipeline-*"))


def test_memory_cap_is_on_resident_memory(inputs, tmp_path):
    """1000 MiB of address space broke pdfium; 1000 MiB of resident memory reads every good file."""
    result = cli("ingest", str(inputs), str(CASES / "split-rows-across-pages.pdf"), "--out", str(tmp_path / "out"),
                 "--quiet", "--json", "--memory-mb", "1000")
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout)["ingested"] == 3


def test_seconds_allowed_grows_with_pages():
    from pipeline.execution.limits import Limits
    limits = Limits(timeout=120, seconds_per_page=0.5)
    assert limits.seconds_allowed(None) == limits.seconds_allowed(10) == 120
    assert limits.seconds_allowed(1500) == 750


def test_zip_member_size_is_checked_before_reading(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bomb = folder / "bomb.docx"
    shutil.copy(CASES / "vmerge-elements-template-b.docx", bomb)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("word/huge.xml", "w", force_zip64=True) as member:
            block = b"<w:p/>" * 100_000
            for _ in range(300 * 2**20 // len(block) + 1):
                member.write(block)
    result = cli("ingest", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--json", "--memory-mb", "200")
    [failure] = json.loads(result.stdout)["failures"]
    assert failure["error"].startswith("DOCX part word/huge.xml inflates to 300 MiB")


# -- a lock the kernel releases --------------------------------------------------------------

LOCKER = """
import sys, time
from pathlib import Path
from pipeline.storage.lock import hold_root, LockHeld
root, log, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
while time.time() < start:
    pass
try:
    with hold_root(root):
        with open(log, "a") as f: f.write(f"in {time.monotonic_ns()}\\n")
        time.sleep(0.05)
        with open(log, "a") as f: f.write(f"out {time.monotonic_ns()}\\n")
except LockHeld:
    pass
"""


def test_three_processes_never_hold_the_lock_together(tmp_path):
    import time
    for trial in range(10):
        log = tmp_path / f"trial-{trial}.log"
        start = str(time.time() + 1.0)
        procs = [subprocess.Popen([sys.executable, "-c", LOCKER, str(tmp_path / "out"), str(log), start], cwd=ROOT)
                 for _ in range(3)]
        for p in procs:
            assert p.wait(timeout=60) == 0
        events = [line.split() for line in log.read_text().splitlines()]
        depth = 0
        for kind, _ in sorted(events, key=lambda e: int(e[1])):
            depth += 1 if kind == "in" else -1
            assert depth <= 1, f"two holders at once in trial {trial}"
    assert (tmp_path / "out" / ".ingest.lock").exists()          # never deleted, only unlocked


def test_a_held_lock_exits_4_naming_the_holder(inputs, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from pipeline.storage.lock import hold_root\nwith hold_root(Path(sys.argv[1])):\n"
                               "    print('held', flush=True); time.sleep(600)", str(out)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = cli("ingest", str(inputs), "--out", str(out), "--quiet")
        assert result.returncode == 4 and f"pid {holder.pid}" in result.stderr
    finally:
        holder.kill()
        holder.wait()
    assert cli("ingest", str(inputs), "--out", str(out), "--quiet").returncode == 0   # the kernel let it go


def test_a_fetch_manifest_cut_short_is_a_warning_and_its_files_are_read(inputs, tmp_path):
    (inputs / "moderngov-manifest.json").write_text('{"papers": [')
    out = tmp_path / "out"
    done = cli("ingest", str(inputs), "--out", str(out), "--quiet")
    assert done.returncode == 0
    [warning] = done.stderr.splitlines()                # said once, by the run's own process
    assert "WARNING cannot read the fetch manifest" in warning and str(inputs / "moderngov-manifest.json") in warning
    assert rows(out, "SELECT count(*) FROM read_parquet('{out}/documents/*.parquet') "
                     "WHERE status != 'failed' AND committee IS NULL") == [(2,)]


# -- exit codes ---------------------------------------------------------------------------------

def test_exit_codes_for_usage(inputs, tmp_path):
    out = str(tmp_path / "out")
    missing = cli("ingest", str(tmp_path / "missing"), "--out", out)
    assert missing.returncode == 2
    # one line, and nothing from the reader processes the run had started before it found out
    assert missing.stderr.splitlines() == [f"error: no such file, folder or pattern: {tmp_path / 'missing'}"]
    assert cli("ingest", str(inputs / "*.xlsx"), "--out", out).returncode == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing today\n")
    assert cli("ingest", "--manifest", str(empty), "--out", out).returncode == 2
    assert cli("ingest", str(inputs), "--out", out, "--timeout", "soon").returncode == 2
    since = cli("ingest", str(inputs), "--out", out, "--since", "2999-01-01", "--json")
    assert since.returncode == 0 and json.loads(since.stdout)["inputs_seen"] == 0


@pytest.mark.parametrize("error", ["ENOSPC", "EROFS"])
def test_an_unwritable_output_exits_3_and_keeps_earlier_data(error, inputs, tmp_path):
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    before = sorted(rows(out, "SELECT action_id, officers FROM read_parquet('{out}/actions/*.parquet')"))
    shutil.copy(CASES / "split-rows-across-pages.pdf", inputs / "new.pdf")
    failed = cli("ingest", str(inputs), "--out", str(out), "--quiet", "--force",
                 env={"PIPELINE_FAIL_AT": f"write:{error}:3"})
    assert failed.returncode == 3, failed.stderr
    assert failed.stderr.count("\n") == 1 and failed.stderr.startswith("error: cannot write the output")
    ids = "SELECT action_id FROM read_parquet('{out}/actions/*.parquet') WHERE source_name != 'new.pdf'"
    assert sorted(rows(out, ids)) == sorted((a,) for a, _ in before)        # every earlier row still there
    assert not list(out.glob("**/.*.tmp"))
    assert cli("ingest", str(inputs), "--out", str(out), "--quiet").returncode == 0      # lock released
    assert sorted(rows(out, "SELECT action_id, officers FROM read_parquet('{out}/actions/*.parquet')"
                            " WHERE source_name != 'new.pdf'")) == before    # and the rebuild it missed is done


# -- inputs -----------------------------------------------------------------------------------------

def test_odd_names_loops_and_missing_manifest_lines(inputs, tmp_path):
    raw = os.fsencode(str(inputs)) + b"/caf\xe9 plan.pdf"               # Latin-1, not UTF-8
    shutil.copy(CASES / "split-rows-across-pages.pdf", raw)
    (inputs / "loop").symlink_to(inputs)                                 # a folder that contains itself
    forged = inputs / "x.pdf\n2026-01-01 00:00:00 INFO all good.pdf"
    forged.write_bytes(b"")
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(f"{inputs / 'ruled-template-a.pdf'}\n{tmp_path / 'gone.pdf'}\n")
    out = tmp_path / "out"
    result = cli("ingest", str(inputs / "**" / "*.pdf"), "--manifest", str(manifest), "--out", str(out), "--json",
                 timeout=300)
    summary = json.loads(result.stdout)
    assert result.returncode == 1
    names = dict(rows(out, "SELECT source_name, status FROM read_parquet('{out}/documents/*.parquet')"))
    assert names["caf\\xe9 plan.pdf"] == "ok" and names["ruled-template-a.pdf"] == "ok"
    assert names["gone.pdf"] == "failed" and summary["failed"] == 2      # the missing line and the empty file
    assert not any("all good" in line and not line.lstrip().startswith(("{", "20")) for line in result.stderr.splitlines())
    assert all("INFO all good" not in line.split(" ", 3)[-1][:20] for line in result.stderr.splitlines())


def test_json_logs_are_one_object_a_line(inputs, tmp_path):
    (inputs / "bad\nname.pdf").write_bytes(b"")
    result = cli("ingest", str(inputs), "--out", str(tmp_path / "out"), "--log-format", "json", "--log-level", "info")
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert {"time", "level", "file", "event", "message"} <= set(lines[0])
    assert any(line["event"] == "failed" and line["file"].endswith("bad\nname.pdf") for line in lines)


# -- a document is its bytes ------------------------------------------------------------------

def test_moved_and_copied_files_are_one_document(inputs, tmp_path):
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    actions = count(out, "actions")
    moved = tmp_path / "moved"
    shutil.move(inputs, moved)
    shutil.copy(moved / "ruled-template-a.pdf", moved / "copy-of-a.pdf")
    again = json.loads(run_cli("ingest", str(moved), "--out", str(out), "--quiet", "--json", check=True).stdout)
    assert again["ingested"] == 0 and count(out, "actions") == actions and count(out, "documents") == 2
    places = rows(out, "SELECT doc_id, count(*) FROM read_parquet('{out}/document_sources/*.parquet') GROUP BY 1")
    assert sorted(n for _, n in places) == [2, 3]               # old path, new path (and the copy)
    (moved / "vmerge-elements-template-b.docx").unlink()
    pruned = json.loads(run_cli("ingest", str(moved), "--out", str(out), "--quiet", "--json", "--prune",
                                check=True).stdout)
    assert pruned["pruned"] == 1 and count(out, "documents") == 1
    assert rows(out, "SELECT count(*) FROM read_parquet('{out}/document_sources/*.parquet')") == [(2,)]
    assert rows(out, "SELECT count(*) FROM read_parquet('{out}/action_officers/*.parquet') l "
                     "ANTI JOIN read_parquet('{out}/actions/*.parquet') a USING (action_id)") == [(0,)]


def test_changed_settings_reread_what_they_shape(inputs, tmp_path):
    out = tmp_path / "out"
    run_cli("ingest", str(inputs), "--out", str(out), "--quiet", check=True)
    glossary = tmp_path / "glossary.toml"
    glossary.write_text('[divisions]\nHRX = "Human Resources"\n')
    changed = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json",
                                 "--glossary", str(glossary), check=True).stdout)
    assert changed["ingested"] == 2
    same = json.loads(run_cli("ingest", str(inputs), "--out", str(out), "--quiet", "--json",
                              "--glossary", str(glossary), check=True).stdout)
    assert same["unchanged"] == 2


# -- schemas stay whole -----------------------------------------------------------------------

def test_every_dataset_has_a_file_and_old_files_get_new_columns(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CASES / "no-plan-statistics.docx", folder)
    out = tmp_path / "out"
    run_cli("ingest", str(folder), "--out", str(out), "--quiet", check=True)
    for dataset in ("documents", "actions", "kpis", "officers", "action_officers", "document_sources", "runs"):
        duckdb.sql(f"SELECT * FROM read_parquet('{out}/{dataset}/*.parquet')").fetchall()   # no "no files found"
    [part] = (out / "documents").glob("part-*.parquet")
    pq.write_table(pq.read_table(part).drop_columns(["last_error", "last_attempt_at"]), part)   # as an older release wrote it
    (out / ".schema-fingerprint").write_text("older\n")
    run_cli("ingest", str(folder), "--out", str(out), "--quiet", check=True)
    assert "last_error" in pq.read_schema(part).names
    names = [r[0] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out}/documents/*.parquet')").fetchall()]
    assert "last_error" in names and "last_attempt_at" in names
