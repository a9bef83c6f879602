"""Crash-consistent publishing: a real run is killed (SIGKILL, via the
``PIPELINE_KILL_AT`` hook) at every named step; what it leaves is what a
reader querying at that instant sees, and must keep the README's promises;
the next run must then produce exactly what a clean run produces."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from pipeline.storage.faults import STEPS
from tests.conftest import CASES, ROOT

RUN_STEPS = [s for s in STEPS if not s.startswith("compact") and s not in ("schema-migrated", "attempt-recorded", "write")]
KILLS = [*RUN_STEPS, "write:1", "write:4", "write:9", "document-written:2"]
COMPACT_KILLS = ["compact-staged", "compact-retired", "compact-swapped"]
VOLATILE = {"ingested_at", "last_attempt_at", "seconds", "first_seen", "last_seen"}
DATASETS = ("documents", "actions", "kpis", "officers", "action_officers", "document_sources")


def pipeline(*args: str, kill_at: str | None = None) -> int:
    env = {**os.environ, **({"PIPELINE_KILL_AT": kill_at} if kill_at else {})}
    quiet = ["--quiet"] if args[0] == "ingest" else []
    return subprocess.run([sys.executable, "-m", "pipeline", *args, *quiet], cwd=ROOT, env=env,
                          capture_output=True, timeout=600).returncode


def first_inputs(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("ruled-template-a.pdf", "vmerge-elements-template-b.docx", "no-plan-statistics.docx"):
        shutil.copy(CASES / name, folder / name)
    return folder


def second_inputs(folder: Path) -> None:
    """A night's changes: one file has new bytes, one is new, one is gone (and pruned)."""
    shutil.copy(CASES / "split-rows-across-pages.pdf", folder / "ruled-template-a.pdf")
    shutil.copy(CASES / "merged-cells-template-a.docx", folder / "merged-cells-template-a.docx")
    (folder / "no-plan-statistics.docx").unlink()


def content(out: Path) -> dict[str, list]:
    result = {}
    for dataset in DATASETS:
        table = duckdb.sql(f"SELECT * FROM read_parquet('{out}/{dataset}/*.parquet')").to_arrow_table()
        table = table.drop_columns([c for c in table.column_names if c in VOLATILE])
        result[dataset] = sorted(map(repr, table.to_pylist()))
    return result


def assert_reader_promises(out: Path) -> None:
    """What the README says a reader may rely on at any instant."""
    for dataset in DATASETS:
        if (out / dataset).exists():
            duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/{dataset}/*.parquet')").fetchall()
    if not (out / "action_officers").exists():
        return
    sql = duckdb.sql
    dangling = sql(f"""SELECT count(*) FROM read_parquet('{out}/action_officers/*.parquet') l
        WHERE l.action_id NOT IN (SELECT action_id FROM read_parquet('{out}/actions/*.parquet'))
           OR l.officer_id NOT IN (SELECT officer_id FROM read_parquet('{out}/officers/*.parquet'))""").fetchall()[0][0]
    assert dangling == 0, "action_officers points at a missing action or officer"
    partial = sql(f"""SELECT d.source_name FROM read_parquet('{out}/documents/*.parquet') d
        WHERE d.status = 'ok' AND d.n_actions != (SELECT count(*) FROM read_parquet('{out}/actions/*.parquet') a
                                                   WHERE a.doc_id = d.doc_id)""").fetchall()
    assert not partial, f"a documents row beside incomplete actions: {partial}"


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """One input folder (reset to the first night before each test) and the output of the
    first night, built once; and what a clean second night gives."""
    base = tmp_path_factory.mktemp("night")
    folder, first = first_inputs(base / "in"), base / "first"
    assert pipeline("ingest", str(folder), "--out", str(first)) == 0
    clean = base / "clean"
    shutil.copytree(first, clean)
    second_inputs(folder)
    assert pipeline("ingest", str(folder), "--out", str(clean), "--prune") == 0
    return folder, first, content(clean)


def start(night, tmp_path) -> tuple[Path, Path, dict]:
    folder, first, clean = night
    shutil.rmtree(folder)
    first_inputs(folder)
    out = tmp_path / "out"
    shutil.copytree(first, out)
    return folder, out, clean


@pytest.mark.parametrize("kill_at", KILLS)
def test_a_run_killed_at_any_step_is_finished_by_the_next(kill_at, night, tmp_path):
    folder, out, clean = start(night, tmp_path)
    second_inputs(folder)
    code = pipeline("ingest", str(folder), "--out", str(out), "--prune", kill_at=kill_at)
    assert code == -signal.SIGKILL, f"the run never reached {kill_at}"
    assert_reader_promises(out)
    assert pipeline("ingest", str(folder), "--out", str(out), "--prune") == 0
    assert content(out) == clean


@pytest.mark.parametrize("step", ["document-written:1", "canonicalised:1"])
def test_ctrl_c_stops_the_run_with_one_line_and_the_next_run_finishes_it(step, night, tmp_path):
    folder, out, clean = start(night, tmp_path)
    second_inputs(folder)
    stopped = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--prune",
                              "--quiet"], cwd=ROOT, env={**os.environ, "PIPELINE_KILL_AT": f"{step}:SIGINT"},
                             capture_output=True, text=True, timeout=600,     # a background job ignores Ctrl-C
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert stopped.returncode == 130 and stopped.stderr.startswith("error: interrupted")
    assert len(stopped.stderr.splitlines()) == 1          # no traceback, from it or its readers
    assert_reader_promises(out)
    assert pipeline("ingest", str(folder), "--out", str(out), "--prune") == 0
    assert content(out) == clean


def test_ctrl_c_reaching_the_readers_forkserver_while_it_preloads_does_not_stop_it(tmp_path):
    # a terminal's Ctrl-C goes to the whole process group: the forkserver too, which spends
    # the run's first second importing the readers
    folder = first_inputs(tmp_path / "in")
    run = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(tmp_path / "out"),
                            "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.kill(preloading_forkserver(run.pid), signal.SIGINT)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 0 and "Traceback" not in stderr


def preloading_forkserver(pid: int) -> int:
    """The run's forkserver once it is importing the readers (pyarrow is among the first;
    the preload has most of a second to go)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for child in psutil.Process(pid).children():
            if "forkserver" in " ".join(child.cmdline()) and any("pyarrow" in m.path for m in child.memory_maps()):
                return child.pid
        time.sleep(0.005)
    raise AssertionError("the run started no forkserver")


@pytest.mark.parametrize("kill_at", COMPACT_KILLS)
def test_a_compaction_killed_between_its_renames_is_finished(kill_at, night, tmp_path):
    folder, out, clean = start(night, tmp_path)
    assert pipeline("compact", "--out", str(out), kill_at=kill_at) == -signal.SIGKILL
    assert_reader_promises(out) if kill_at != "compact-retired" else None   # between renames: folder missing
    second_inputs(folder)
    assert pipeline("ingest", str(folder), "--out", str(out), "--prune") == 0
    assert content(out) == clean
    assert not [p for p in out.iterdir() if ".compact-" in p.name]
