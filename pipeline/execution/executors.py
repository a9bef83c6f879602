"""Where files are read: threads on this machine or a Dask cluster.

Both read every file under `limits`, so the per-file deadline, the
resident-memory cap and the temporary-folder clean-up are the same on each:
threads take a free reader process from a pool of one per thread
(`limits.ReaderProcess`) and hand it their files; Dask's tasks read theirs
in a child of their own (`limits.run_limited`) and add Dask's worker memory
limit around that.  Both yield ``(task, result or exception)`` as files
finish; an executor is a context manager whose exit stops the reader
processes.
"""
from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from pipeline.execution import forkserver
from pipeline.execution.limits import Limits, ReaderProcess, run_limited
from pipeline.execution.tasks import Task


READ_TASK = "pipeline.execution.worker:read_task"    # imported by the reader processes only
# started before a run knows its files: enough that a run of a few need not wait, few
# enough that a run with nothing new does not start a process per core for nothing
WARM_READERS = 2
DASK_WORKER_OVERHEAD_MB = 1024     # the Dask worker's own memory, beside the file's process


@dataclass(frozen=True)
class ExecutorSettings:
    kind: str = "local"                 # "local" or "dask"
    workers: int = os.cpu_count() or 1
    limits: Limits = field(default_factory=Limits)
    scheduler: str | None = None        # dask scheduler address; None starts a LocalCluster


class Executor:
    def __init__(self, settings: ExecutorSettings) -> None:
        if settings.kind not in ("local", "dask"):
            raise ValueError(f"unknown executor {settings.kind!r}: 'local' or 'dask'")
        self.settings = settings
        self.cancel = threading.Event()
        self.readers = _Readers(settings.limits, max(1, settings.workers)) if settings.kind == "local" else None

    def warm(self, count: int = WARM_READERS) -> None:
        """Start up to ``count`` local reader processes now, in the background: the first
        waits for the forkserver's preload (most of a second), which runs beside the caller's own
        start instead of after it.  The rest start when their threads take a first file."""
        if self.readers is not None:
            self.readers.warm(count)

    def close(self) -> None:
        if self.readers is not None:
            self.readers.close()
            forkserver.release()

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, object]]:
        self.cancel = threading.Event()     # each run's own: a run ends by setting it
        if self.readers is None:
            return _run_dask(largest_first(tasks), self.settings, self.cancel)
        return _run_local(largest_first(tasks), self.settings, self.readers, self.cancel)


def largest_first(tasks: Iterable[Task]) -> list[Task]:
    """The largest files start first, so no worker is left alone with a long file at the
    end of the run while the others idle (a URL's size is unknown until it is fetched)."""
    return sorted(tasks, key=lambda t: -_size(t.source.path))


def _size(path: str | None) -> int:
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _run_local(tasks: list[Task], settings: ExecutorSettings, readers: _Readers,
               cancel: threading.Event) -> Iterator[tuple]:
    if not tasks:
        return
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        owner = {pool.submit(readers.read, t, cancel): t for t in tasks}
        pending = set(owner)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    exc = future.exception()
                    yield owner[future], exc if exc is not None else future.result()
        finally:
            cancel.set()          # a consumer that stops early ends the files still running


class _Readers:
    """A `ReaderProcess` for each of the pool's threads: a thread takes one that is free
    and reads its file there."""

    def __init__(self, limits: Limits, count: int) -> None:
        self.every = [ReaderProcess(READ_TASK, limits) for _ in range(count)]
        self.free: queue.SimpleQueue[ReaderProcess] = queue.SimpleQueue()
        for reader in self.every:
            self.free.put(reader)

    def warm(self, count: int) -> None:
        for reader in self.every[:count]:
            reader.warm()

    def read(self, task: Task, cancel: threading.Event):
        reader = self.free.get()        # never waits: there are as many as threads
        try:
            return reader.read(task, cancel)
        finally:
            self.free.put(reader)

    def close(self) -> None:
        for reader in self.every:
            reader.close()


def _run_dask(tasks: list[Task], settings: ExecutorSettings, cancel: threading.Event) -> Iterator[tuple]:
    if not tasks:
        return
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if settings.scheduler:
        client = Client(settings.scheduler)
    else:
        with dask.config.set({"distributed.worker.daemon": False}):   # a task starts the file's process
            cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None,
                                   memory_limit=f"{settings.limits.memory_mb + DASK_WORKER_OVERHEAD_MB}MiB")
        client = Client(cluster)
    try:
        futures = {client.submit(run_limited, READ_TASK, t, settings.limits, pure=False): t for t in tasks}
        for future in as_completed(futures):
            if cancel.is_set():
                break
            try:
                yield futures[future], future.result()
            except Exception as exc:   # any task error is that file's failure
                yield futures[future], exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
