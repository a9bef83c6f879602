"""The forkserver every reader process is forked from.  It imports the readers and
builds their lazy state once (`pipeline.execution.preload`: about a second, most of
it spaCy and pandas), so a reader starts warm in milliseconds and shares those
pages with the others instead of building its own copy; a reader replaced after a
kill or a big file starts warm too.  This module imports nothing of the pipeline's:
``python -m pipeline ingest`` starts the forkserver first thing, so its second of
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


def start() -> None:
    """Start the forkserver now, in the background, if it is not running."""
    context()
    multiprocessing.forkserver.ensure_running()
