"""An exclusive lock the kernel releases: ``fcntl.flock`` on an open lock file.

However its holder dies, the lock goes with it, so no run ever judges another's
lock stale or deletes the file; a contender that loses only reads who holds it,
to say so.  On NFS Linux maps ``flock`` to a byte-range lock the server keeps.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".ingest.lock"


class LockHeld(RuntimeError):
    """Another live run holds the lock (exit code 4); the message names it."""


@contextmanager
def hold(path: Path, what: str):
    """Hold ``path`` exclusively for the block; ``what`` names the locked thing in the message."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(f"{what} is locked by {_holder(fd)}; wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": time.time()}).encode(), 0)
        yield
    finally:
        os.close(fd)          # closing the last descriptor releases the lock


def hold_root(root: Path):
    """One writer per output root."""
    root.mkdir(parents=True, exist_ok=True)
    return hold(root / LOCK_NAME, f"output root {root}")


def _holder(fd: int) -> str:
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        holder = {}
    if "pid" not in holder:      # it took the lock an instant ago and is still writing its name
        return "another run that has just started"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("started", 0)))
    return f"another run (pid {holder['pid']} on {holder.get('host')}, since {since})"
