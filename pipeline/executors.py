"""Where documents are processed: a local process pool or a Dask cluster.

Both take (sources, work function) and yield ``(source, result or
exception)`` as files finish.  The local pool (pebble) kills a worker that
runs past the per-file time limit and caps each worker's address space, so
one pathological file can neither hang nor starve the run.
"""
from __future__ import annotations

import os
import resource
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .document import Source
from .errors import IngestError


@dataclass(frozen=True)
class ExecutorSettings:
    kind: str = "local"                 # "local" or "dask"
    workers: int = os.cpu_count() or 1
    timeout: float = 120.0              # seconds per file
    memory_mb: int = 4096               # address-space cap per worker process
    scheduler: str | None = None        # dask scheduler address; None starts a LocalCluster


class FileTimeout(IngestError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")


class WorkerDied(IngestError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"the worker process died while reading this file ({detail})")


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_local(sources: Iterable[Source], work: Callable, settings: ExecutorSettings) -> Iterator[tuple]:
    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    with ProcessPool(max_workers=max(1, settings.workers), initializer=_limit_memory,
                     initargs=(settings.memory_mb,)) as pool:
        owner = {pool.schedule(work, args=(s,), timeout=settings.timeout): s for s in sources}
        pending = set(owner)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    yield owner[future], future.result()
                except FutureTimeout:
                    yield owner[future], FileTimeout(settings.timeout)
                except ProcessExpired as exc:
                    yield owner[future], WorkerDied(f"exit code {exc.exitcode}")
                except Exception as exc:   # the worker's own error travels back as the file's failure
                    yield owner[future], exc


def run_dask(sources: Iterable[Source], work: Callable, settings: ExecutorSettings) -> Iterator[tuple]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if settings.scheduler:
        client = Client(settings.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, settings.workers), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = {client.submit(work, s, pure=False): s for s in sources}
        for future in as_completed(futures):
            source = futures[future]
            try:
                yield source, future.result(timeout=settings.timeout)
            except Exception as exc:   # any task error is that file's failure
                yield source, exc
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


EXECUTORS = {"local": run_local, "dask": run_dask}
