"""The forkserver every reader process is forked from.  It imports the readers and
builds their lazy state once (`pipeline.execution.preload`: most of a second,
half of it spaCy), so a reader starts warm in milliseconds and shares those
pages with the others instead of building its own copy; a reader replaced after a
kill or a big file starts warm too.  This module imports nothing of the pipeline's:
``python -m pipeline ingest`` starts the forkserver first thing, so its
preloading runs beside the CLI's own start instead of in front of the first file."""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
from pathlib import Path

PRELOAD = ["pipeline.execution.preload"]
WARMUP = Path(__file__).resolve().parents[1] / "data" / "warmup.pdf"      # what the preload reads


def context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)     # used when the forkserver starts; once running it is kept
    return context


_for_this_process = False       # started by `start`: it lives as long as this process


def start() -> None:
    """Start the forkserver now, in the background, if it is not running; it serves this
    process until it exits (the CLI, whose process is one run)."""
    global _for_this_process
    _for_this_process = True
    context()
    multiprocessing.forkserver.ensure_running()


def release() -> None:
    """A run's readers are done.  Unless `start` started it, stop the forkserver: a library
    caller's next run (a notebook that edited a lexicon or the code in between) then forks
    its readers from one that loads them as they are then, not as they were."""
    server = multiprocessing.forkserver._forkserver
    if not _for_this_process and hasattr(server, "_stop"):     # CPython's, since 3.8
        server._stop()
