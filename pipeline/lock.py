"""One writer per output root: an exclusive ``flock`` on ``<root>/.ingest.lock``.

The kernel releases the lock when its holder exits, however it dies, so no
run ever judges another's lock stale or deletes the file; a contender that
loses only reads who holds it, to say so.  On NFS Linux maps ``flock`` to a
byte-range lock the server keeps.
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


class LockedError(RuntimeError):
    """Another live run is writing this output root (exit code 4)."""


@contextmanager
def hold(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(_message(fd, root)) from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        yield holder
    finally:
        os.close(fd)          # closing the last descriptor releases the lock


def _message(fd: int, root: Path) -> str:
    try:
        holder = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except ValueError:
        holder = {}
    if "pid" not in holder:     # it took the lock an instant ago and is still writing its name
        return f"output root {root} is locked by another run that has just started; wait for it to finish"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(holder.get("started", 0)))
    return (f"output root {root} is locked by another run (pid {holder['pid']} on {holder.get('host')}, "
            f"since {since}); wait for it to finish")
