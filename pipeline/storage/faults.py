"""Named publishing steps, where tests stop a real run to prove it recovers.

``PIPELINE_KILL_AT=step`` (or ``step:N`` for the N-th time the step is
reached) sends the process SIGKILL there, as a power cut or the OOM killer
would; ``step:N:SIGINT`` sends that signal instead (Ctrl-C).  ``PIPELINE_FAIL_AT=step:ENOSPC[:N]`` (or ``EROFS``, ``EACCES``) makes the
run fail there (``write`` is every file write) as a full or read-only disk does, which root cannot
otherwise simulate with ``chmod``.  With neither set, a step costs one dict
look-up.
"""
from __future__ import annotations

import errno
import os
import signal
from collections import Counter

STEPS = (
    "locked",                 # lock taken, nothing changed yet
    "document-rows",          # a document's actions and kpis renamed in, its documents row not yet
    "document-written",       # a document's documents row renamed in
    "attempt-recorded",       # a failed re-read noted on the document's kept row
    "links-dropped",          # links of documents about to change removed from action_officers
    "sources-written",        # document_sources replaced
    "retired",                # documents whose places now hold other bytes (or pruned) removed
    "canonicalised",          # actions and kpis rewritten with canonical officer names
    "officers-union",         # officers holds old and new owners
    "links-written",          # action_officers rebuilt
    "officers-written",       # officers holds only the new owners
    "run-recorded",           # the runs row written, rebuild marker not yet removed
    "compact-staged",         # a merged folder written beside the dataset
    "compact-retired",        # the dataset folder renamed away, the merged one not yet in
    "compact-swapped",        # the merged folder renamed in, the old one not yet removed
    "schema-migrated",        # one file rewritten with the current schema
    "write",                  # before any file is written
)
_seen: Counter = Counter()


def _target(variable: str, defaults: list[str]) -> list[str] | None:
    """``step:field:field`` from the variable, the fields not given taken from ``defaults``."""
    value = os.environ.get(variable)
    if not value:
        return None
    parts = value.split(":")
    return parts + defaults[len(parts) - 1:]


def step(name: str) -> None:
    """Mark that the run has reached ``name``; a test may kill it or fail a write here."""
    _seen[name] += 1
    kill = _target("PIPELINE_KILL_AT", ["1", "SIGKILL"])
    if kill and kill[0] == name and _seen[name] == int(kill[1]):
        os.kill(os.getpid(), signal.Signals[kill[2]])
    fail = _target("PIPELINE_FAIL_AT", ["ENOSPC", "1"])
    if fail and fail[0] == name and _seen[name] >= int(fail[2]):
        code = getattr(errno, fail[1] or "ENOSPC")
        raise OSError(code, os.strerror(code))
