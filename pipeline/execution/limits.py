"""Per-file limits, the same on every executor: files are read in child processes.

A `ReaderProcess` is a child that reads files one after another: forking a
child per file cost some 10 ms a file (copying the page tables of a process
that holds the readers, then tearing them down), as much as reading a
committee paper the page screen skips.  The parent watches the child while it
reads each file: past the file's time allowance, or over the resident-memory
cap (its whole process tree), the child is killed, the file fails with that
reason and the next file gets a new child.  A child that has grown large on
a big file is replaced once that file is done.  The file's temporary folder
(downloads) is removed in every case, killed or not.  `run_limited` reads one
file in a child of its own (the Dask executor's tasks).  Every child is forked
from a forkserver that has already imported the readers
(`pipeline.execution.forkserver`), so no file's clock counts imports.

The time allowance grows with pages (`seconds_allowed`): the one timeout
rule, which every reader (PDF, DOCX, OCR) reports pages to.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Callable

import psutil

from pipeline.errors import IngestError
from pipeline.execution import forkserver

POLL_SECONDS = 0.05
MEMORY_POLL_SECONDS = 0.2     # how often a reader's whole process tree is measured
EXIT_SECONDS = 1.0            # a child told to stop has this long to exit before it is killed
START_SECONDS = 120.0         # a reader is ready within this (the forkserver's preload included)
READY = ("ready", None)
CHILD_LISTS = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")   # Linux's, when built in
RECYCLE_MB = 1024             # a reader left this large by a file is replaced: its heap rarely shrinks


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


def _serve(conn, fn: Callable | str) -> None:
    """The child: each ``(task, folder)`` it is sent, read and answered, until ``None`` or
    until the parent has gone (a run that ended before it needed this reader).  Ctrl-C is
    the parent's to handle: it stops its readers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.disable()       # a reader reports through its answers; the parent's log says what matters
    fn = _resolve(fn)
    try:
        conn.send(READY)
        while (message := conn.recv()) is not None:
            task, folder = message
            try:        # packed here, so an answer that cannot be sent is this file's failure too
                answer = ForkingPickler.dumps(("result", fn(task, Progress(conn), folder)))
            except BaseException as exc:     # the parent turns it into this file's failure
                exc.__traceback__ = None
                answer = ForkingPickler.dumps(("error", _picklable(exc)))
            conn.send_bytes(answer)
    except (EOFError, OSError):
        return


def _resolve(fn: Callable | str) -> Callable:
    if callable(fn):
        return fn
    module, _, name = fn.partition(":")
    return getattr(importlib.import_module(module), name)


def _picklable(exc: BaseException) -> BaseException:
    import pickle
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")


class ReaderProcess:
    """A child process that runs ``fn(task, progress, folder)`` for one file after another.
    ``fn`` may be named ``"module:function"``: the child imports it, the parent never does."""

    def __init__(self, fn: Callable | str, limits: Limits) -> None:
        self.fn, self.limits = fn, limits
        self.child = None
        self.conn = None
        self.lock = threading.Lock()
        self.warming: threading.Thread | None = None
        self.unwanted = False           # closed while warming: stop it once it has started
        self.start_failed: Exception | None = None      # why warming could not start it

    def warm(self) -> None:
        """Start the child now, in the background, so the wait for the forkserver's preload
        runs beside the caller's own work; the first `read` waits for it."""
        with self.lock:
            if self.child is None and self.warming is None:
                self.warming = threading.Thread(target=self._warm, daemon=True)
                self.warming.start()

    def read(self, task, cancel: threading.Event | None = None):
        """``task``'s result, or `FileTimeout` / `OutOfMemory` / `WorkerDied` / `Cancelled`."""
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        folder = tempfile.mkdtemp(prefix="pipeline-file-")
        try:
            self._ready()
            try:
                self.conn.send((task, folder))
                kind, value = _watch(self.child, self.conn, self.limits, cancel)
            except OSError as exc:          # the child is gone: its pipe broke
                self._stop(kill=True)
                raise WorkerDied(f"its pipe broke: {exc}") from None
            except BaseException:
                self._stop(kill=True)
                raise
            if _own_resident(self.child.pid) > RECYCLE_MB * 1024 * 1024:
                self._stop()
            if kind == "error":
                raise value         # the file's own failure: its process reads on
            return value
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Stops the child: told to finish and left to exit in the background (tearing down
        its memory need not hold up the next file).  A child still starting is stopped once
        it has."""
        with self.lock:
            if self.warming is not None:
                self.unwanted = True
                return
            self._stop()

    def _ready(self) -> None:
        warming = self.warming
        if warming is not None:
            warming.join()
        failed, self.start_failed = self.start_failed, None
        if failed is not None:
            raise failed            # this file fails with the reason; the next starts afresh
        if self.child is None:
            self._start()

    def _warm(self) -> None:
        try:
            self._start()
        except Exception as exc:
            self.start_failed = exc
        with self.lock:
            self.warming = None
            if self.unwanted:
                self.unwanted = False
                self._stop()

    def _stop(self, kill: bool = False) -> None:
        child, conn, self.child, self.conn = self.child, self.conn, None, None
        if child is None:
            return
        if kill:
            _kill_tree(child)
        else:
            try:
                conn.send(None)
            except OSError:
                pass
            threading.Thread(target=_settle, args=(child,), daemon=True).start()
        conn.close()

    def _start(self) -> None:
        context = forkserver.context()
        if multiprocessing.current_process().daemon:
            raise IngestError("this worker is a daemonic process and cannot start the file's reader; "
                              "start Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
        ours, theirs = context.Pipe(duplex=True)
        child = context.Process(target=_serve, args=(theirs, self.fn), daemon=True)
        try:
            child.start()
        except Exception as exc:        # its function cannot be sent, or no process can be made
            ours.close()
            raise WorkerDied(f"the reader process could not start: {exc}") from exc
        finally:
            theirs.close()
        self.child, self.conn = child, ours
        # a file's clock starts once the child is ready (forked from the preloaded forkserver)
        try:
            started = self.conn.poll(START_SECONDS) and self.conn.recv() == READY
            detail = f"it did not start within {START_SECONDS:g} s"
        except (EOFError, OSError):         # it died on its way up (an import failed)
            started = False
            self.child.join(EXIT_SECONDS)
            detail = _exit_detail(self.child.exitcode)
        if not started:
            self._stop(kill=True)
            raise WorkerDied(f"the reader process could not start: {detail}")


def run_limited(fn: Callable | str, task, limits: Limits, cancel: threading.Event | None = None):
    """``fn(task, progress, folder)`` in a child process of its own under ``limits``."""
    reader = ReaderProcess(fn, limits)
    try:
        return reader.read(task, cancel)
    finally:
        reader.close()


def _settle(child) -> None:
    child.join(EXIT_SECONDS)
    _kill_tree(child)


def _watch(child, receive, limits: Limits, cancel: threading.Event | None) -> tuple[str, object]:
    """``("result", value)`` or ``("error", exception)`` from the child, or raises when
    the file breaks a limit or the child dies."""
    started = time.monotonic()                    # the child is ready: nothing left to import
    allowed = limits.seconds_allowed(None)
    cap = limits.memory_mb * 1024 * 1024 if limits.memory_mb > 0 else None
    if cap and _own_resident(child.pid) > cap:
        raise OutOfMemory(limits.memory_mb)
    # the reader alone is measured at once, its whole tree from the first interval on:
    # finding the tree reads a listing for every thread of every process in it
    measured = started
    while True:
        if receive.poll(POLL_SECONDS):
            try:
                kind, value = receive.recv()
            except EOFError:
                child.join(1)
                raise WorkerDied(_exit_detail(child.exitcode)) from None
            if kind == "pages":
                allowed = limits.seconds_allowed(value)
            else:
                return kind, value
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


def _own_resident(pid: int) -> int:
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return 0


def _resident(pid: int) -> int:
    """Resident memory of ``pid`` and every process below it."""
    total = 0
    for member in [pid, *_descendants(pid)]:
        try:
            total += psutil.Process(member).memory_info().rss
        except psutil.Error:
            pass
    return total


def _descendants(pid: int) -> list[int]:
    """From the kernel's per-thread lists of children where it keeps them (a few small
    reads); else psutil's, which reads every process on the machine (a millisecond on a
    quiet one, tens on a shared one).  A list can miss a child that is being born: good
    enough to measure memory, so killing asks psutil."""
    if not CHILD_LISTS:
        try:
            return [c.pid for c in psutil.Process(pid).children(recursive=True)]
        except psutil.Error:
            return []
    found, parents = [], [pid]
    while parents:
        parent = parents.pop()
        try:
            threads = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for thread in threads:
            try:
                with open(f"/proc/{parent}/task/{thread}/children") as listing:
                    children = [int(c) for c in listing.read().split()]
            except OSError:
                continue
            found += children
            parents += children
    return found


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
