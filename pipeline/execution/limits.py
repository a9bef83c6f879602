"""Per-file limits, the same on every executor: one child process per file.

`run_limited` forks the file's reader from a forkserver that has already
imported the pipeline, so the clock starts when the file starts, never when
a worker is still importing.  The parent watches the child: past its time
allowance, or over the resident-memory cap (its whole process tree), it is
killed and the file fails with that reason.  The child's temporary folder
(downloads) is removed in every case, killed or not.

The time allowance grows with pages (`seconds_allowed`): the one timeout
rule, which every reader (PDF, DOCX, OCR) reports pages to.
"""
from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Callable

import psutil

from pipeline.errors import IngestError

POLL_SECONDS = 0.05
MEMORY_POLL_SECONDS = 0.2     # a process tree's memory is read by scanning every process on the machine
EXIT_SECONDS = 1.0            # a child that sent its result has this long to exit before it is killed
PRELOAD = ["pipeline.execution.preload"]


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0              # seconds for any file, however short
    seconds_per_page: float = 0.5       # a long file gets this much per page when that is more
    memory_mb: int = 4096               # resident memory of the file's process tree

    def seconds_allowed(self, pages: int | None) -> float:
        """The one timeout rule: a fixed floor, or a per-page allowance when that is larger."""
        return max(self.timeout, self.seconds_per_page * (pages or 0))


class FileTimeout(IngestError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")


class OutOfMemory(IngestError):
    def __init__(self, megabytes: int) -> None:
        super().__init__(f"out of memory: reading it needed more than {megabytes} MiB (--memory-mb)")


class WorkerDied(IngestError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"the worker process died while reading this file ({detail})")


class Cancelled(Exception):
    """The run is stopping (its output cannot be written); the file was not finished."""


class Progress:
    """What a reader tells the parent while it works: pages, as soon as it knows them."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def pages(self, count: int | None) -> None:
        self.conn.send(("pages", count))


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_forkserver() -> None:
    """Start the forkserver now, without waiting for it: its imports (about a second)
    then run beside the parent's own start-up instead of before the first file."""
    _context()
    from multiprocessing import forkserver
    forkserver.ensure_running()


def _child(conn, fn: Callable, task, folder: str) -> None:
    try:
        conn.send(("result", fn(task, Progress(conn), folder)))
    except BaseException as exc:     # the parent turns it into this file's failure
        exc.__traceback__ = None
        conn.send(("error", _picklable(exc)))
    finally:
        conn.close()


def _picklable(exc: BaseException) -> BaseException:
    import pickle
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")


def run_limited(fn: Callable, task, limits: Limits, cancel: threading.Event | None = None):
    """``fn(task, progress, folder)`` in a child process under ``limits``; its result, or
    `FileTimeout` / `OutOfMemory` / `WorkerDied` / `Cancelled`."""
    context = _context()
    if multiprocessing.current_process().daemon:
        raise IngestError("this worker is a daemonic process and cannot start the file's reader; "
                          "start Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
    folder = tempfile.mkdtemp(prefix="pipeline-file-")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, fn, task, folder), daemon=True)
    finished = False
    try:
        child.start()
        send.close()
        result = _watch(child, receive, limits, cancel)
        finished = True
        return result
    finally:
        if finished:
            # it sent its result and is exiting: tearing down its copy of the forkserver's
            # memory takes milliseconds that need not hold up the next file
            threading.Thread(target=_settle, args=(child,), daemon=True).start()
        else:
            _kill_tree(child)
        receive.close()
        shutil.rmtree(folder, ignore_errors=True)


def _settle(child) -> None:
    child.join(EXIT_SECONDS)
    _kill_tree(child)


def _watch(child, receive, limits: Limits, cancel: threading.Event | None):
    started = time.monotonic()                    # the child is forked with everything imported
    allowed = limits.seconds_allowed(None)
    cap = limits.memory_mb * 1024 * 1024 if limits.memory_mb > 0 else None
    measured = 0.0
    while True:
        if receive.poll(POLL_SECONDS):
            try:
                kind, value = receive.recv()
            except EOFError:
                child.join(1)
                raise WorkerDied(_exit_detail(child.exitcode)) from None
            if kind == "pages":
                allowed = limits.seconds_allowed(value)
            elif kind == "result":
                return value
            else:
                raise value
        elif not child.is_alive() and not receive.poll(0):
            raise WorkerDied(_exit_detail(child.exitcode))
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if time.monotonic() - started > allowed:
            raise FileTimeout(allowed)
        if cap and time.monotonic() - measured >= MEMORY_POLL_SECONDS:
            measured = time.monotonic()
            if _resident(child.pid) > cap:
                raise OutOfMemory(limits.memory_mb)


def _resident(pid: int) -> int:
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in family:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def _kill_tree(child) -> None:
    """A child still running (timed out, over its memory, cancelled) is killed with its
    own children; finding those scans every process on the machine, so a child that
    has exited is only reaped."""
    if child.pid is None:
        return
    if child.exitcode is not None:
        child.join()
        return
    try:
        for grandchild in psutil.Process(child.pid).children(recursive=True):
            grandchild.kill()
    except psutil.Error:
        pass
    if child.is_alive():
        child.kill()
    child.join()


def _exit_detail(code: int | None) -> str:
    if code is not None and code < 0:
        import signal
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"
