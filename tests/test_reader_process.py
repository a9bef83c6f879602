"""A reader process reads file after file, and the limits still hold for each file: a
file that hangs, kills its process or raises fails alone, and the next file is read."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline.execution import limits
from pipeline.execution.limits import FileTimeout, Limits, ReaderProcess, WorkerDied

QUICK = Limits(timeout=2.0, seconds_per_page=0.0)


def behave(task, progress, folder):
    """What the child does with ``task``: its pid, after acting as the task says."""
    if task == "unpicklable":
        import threading
        return threading.Lock()
    if task == "hang":
        time.sleep(60)
    if task == "die":
        os._exit(3)
    if task == "raise":
        raise ValueError("a bad file")
    assert os.path.isdir(folder)
    return os.getpid()


@pytest.fixture()
def reader():
    process = ReaderProcess(behave, QUICK)
    yield process
    process.close()


def test_one_process_reads_one_file_after_another(reader):
    pids = {reader.read("ok") for _ in range(5)}
    assert len(pids) == 1 and os.getpid() not in pids


def test_a_file_that_raises_fails_alone(reader):
    first = reader.read("ok")
    with pytest.raises(ValueError, match="a bad file"):
        reader.read("raise")
    assert reader.read("ok") == first          # the process is still sound


def test_a_file_past_its_time_is_killed_and_the_next_gets_a_new_process(reader):
    first = reader.read("ok")
    started = time.monotonic()
    with pytest.raises(FileTimeout):
        reader.read("hang")
    assert time.monotonic() - started < 30
    second = reader.read("ok")
    assert second != first
    with pytest.raises(OSError):
        os.kill(first, 0)                      # the hung process is gone


def test_a_process_that_dies_fails_its_file_only(reader):
    with pytest.raises(WorkerDied, match="exit code 3"):
        reader.read("die")
    assert isinstance(reader.read("ok"), int)


def test_a_process_left_large_is_replaced(reader, monkeypatch):
    monkeypatch.setattr(limits, "RECYCLE_MB", 0)
    assert reader.read("ok") != reader.read("ok")


def test_no_temporary_folder_is_left(reader, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    reader.read("ok")
    with pytest.raises(FileTimeout):
        reader.read("hang")
    assert not list(tmp_path.glob("pipeline-file-*"))


def test_a_warmed_process_reads_the_first_file():
    process = ReaderProcess(behave, QUICK)
    process.warm()
    try:
        pid = process.read("ok")
        assert process.read("ok") == pid
    finally:
        process.close()


def test_a_process_closed_while_it_starts_is_stopped_once_started():
    process = ReaderProcess(behave, QUICK)
    process.warm()
    warming = process.warming
    process.close()                          # the run had nothing to read
    warming.join(30)
    assert process.child is None and process.warming is None


def test_a_reader_named_by_module_is_imported_in_the_child_only():
    process = ReaderProcess("tests.test_reader_process:behave", QUICK)
    try:
        assert process.read("ok") != os.getpid()
    finally:
        process.close()


def test_a_process_that_cannot_start_fails_the_file_and_the_next_file_tries_again():
    process = ReaderProcess("no_such_module_anywhere:read", QUICK)
    with pytest.raises(WorkerDied, match="could not start: exit code 1"):
        process.read("ok")
    process.fn = behave
    try:
        assert isinstance(process.read("ok"), int)
    finally:
        process.close()


@pytest.mark.skipif(not limits.CHILD_LISTS, reason="this kernel keeps no per-thread children lists")
def test_the_kernels_children_lists_find_the_whole_tree_as_psutil_does(monkeypatch):
    import subprocess
    tree = subprocess.Popen(["bash", "-c", "sleep 30 & (sleep 30 & wait) & wait"])   # a sleep, a subshell and its sleep
    try:
        deadline = time.monotonic() + 10
        while len(limits._descendants(tree.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)            # bash forks its children in its own time
        from_lists = sorted(limits._descendants(tree.pid))
        monkeypatch.setattr(limits, "CHILD_LISTS", False)
        assert len(from_lists) == 3 and from_lists == sorted(limits._descendants(tree.pid))
    finally:
        for pid in limits._descendants(tree.pid):
            os.kill(pid, 9)
        tree.kill()
        tree.wait()


def test_a_result_crosses_processes_with_its_tables_whole():
    import pickle
    from pathlib import Path
    from pipeline.document import process
    from pipeline.results import Source
    sample = Path(__file__).resolve().parents[1] / "data" / "raw" / "dudley-childrens-ed-action-plan-2007-08.pdf"
    result = process(Source(str(sample), str(sample), sample.name))
    back = pickle.loads(pickle.dumps(result))       # as a reader sends it: rows, no tables built yet
    assert result.tables["actions"].num_rows > 0
    assert back.source == result.source and (back.status, back.pages, back.error) == (result.status, result.pages, None)
    for name, table in result.tables.items():
        assert back.tables[name].equals(table) and back.tables[name].schema.equals(table.schema, check_metadata=True)


def test_an_answer_that_cannot_be_sent_fails_its_file_and_the_process_reads_on(reader):
    first = reader.read("ok")
    with pytest.raises(TypeError, match="pickle"):
        reader.read("unpicklable")
    assert reader.read("ok") == first


def test_a_function_that_cannot_be_sent_fails_the_file_with_the_reason():
    process = ReaderProcess(lambda task, progress, folder: 1, QUICK)
    process.warm()
    with pytest.raises(WorkerDied, match="could not start: .*pickle"):
        process.read("ok")
    assert process.child is None and process.warming is None
    process.close()                 # nothing half built to stop


def test_an_executor_reads_run_after_run_and_leaves_no_process(tmp_path):
    import multiprocessing
    from pathlib import Path
    from pipeline.execution.executors import Executor, ExecutorSettings
    from pipeline.execution.tasks import Task
    from pipeline.results import DocumentResult, Source
    sample = Path(__file__).resolve().parents[1] / "data" / "raw" / "dfe-board-report-template.docx"
    executor = Executor(ExecutorSettings(workers=2))
    executor.warm()
    try:
        for _ in range(2):          # a run ends by cancelling what it left: the next is not cancelled
            [(task, result)] = executor.run([Task(Source(str(sample), str(sample), sample.name), "key")])
            assert isinstance(result, DocumentResult) and result.status != "failed"
    finally:
        executor.close()
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in multiprocessing.active_children() if p.name.startswith("ForkServerProcess")]


def loaded(task, progress, folder):
    import sys
    from pipeline.document import process
    from pipeline.results import Source
    before = sorted(name for name in ("spacy", "extractors.pdf") if name in sys.modules)
    result = process(Source(task, task, task))
    return before, result.status, "pandas" in sys.modules


def test_a_reader_starts_with_the_readers_already_built_and_reads_without_pandas():
    # forked from the forkserver that preloaded them: no reader spends its first file's second on
    # spaCy; it hands back rows, so it never imports pandas, which pyarrow would to build a table
    process = ReaderProcess("tests.test_reader_process:loaded", QUICK)
    sample = str(Path(__file__).resolve().parents[1] / "data" / "raw" / "dudley-childrens-ed-action-plan-2007-08.pdf")
    try:
        assert process.read(sample) == (["extractors.pdf", "spacy"], "ok", False)
    finally:
        process.close()


def collector(task, progress, folder):
    import gc
    return gc.isenabled(), gc.get_freeze_count() > 0


def test_a_reader_collects_its_own_garbage_and_leaves_the_preloaded_objects_alone():
    # the preload builds with the collector off: a reader that kept it off would never free a cycle
    process = ReaderProcess("tests.test_reader_process:collector", QUICK)
    try:
        assert process.read("ok") == (True, True)
    finally:
        process.close()


def interrupt_handler(task, progress, folder):
    import signal
    import sys
    return "spacy" in sys.modules, signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_processes_forked_after_the_preload_get_ctrl_c_back():
    # the preload ignores Ctrl-C while it runs; the forkserver hands on the handler in place after it
    import multiprocessing.forkserver
    import signal
    from pipeline.execution import forkserver
    multiprocessing.forkserver._forkserver._stop()       # a fresh one, which runs the preload
    # started with Python's own handler (a background job's shell would have it ignore Ctrl-C)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with forkserver.context().Pool(1) as pool:
            assert pool.apply(interrupt_handler, ("ok", None, None)) == (True, True)
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_library_run_stops_its_forkserver_so_the_next_loads_the_code_and_lexicons_afresh():
    import multiprocessing.forkserver
    from pipeline.execution.executors import Executor, ExecutorSettings
    with Executor(ExecutorSettings(workers=1)) as executor:
        executor.warm()
        executor.readers.every[0]._ready()
        assert multiprocessing.forkserver._forkserver._forkserver_pid is not None
    assert multiprocessing.forkserver._forkserver._forkserver_pid is None
