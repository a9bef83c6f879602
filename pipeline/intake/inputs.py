"""What to ingest: paths, folders (recursive), glob patterns, manifests and URLs.

File names are whatever bytes the file system holds: a name that is not
UTF-8 is read through Python's surrogate escapes and stored with the odd
bytes written as ``\\xNN``.  Folders and ``**`` patterns follow symbolic
links but never enter a folder twice, so a link loop ends.  A name on the
command line that is missing, or a pattern or manifest that names nothing,
is a usage error; a manifest line that names nothing is that line's failure.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from pipeline.results import Source
from pipeline.intake.http import redact

SUFFIXES = {".pdf", ".docx"}
MAGIC = "*?["


class UsageError(ValueError):
    """The inputs named cannot be used at all (exit code 2)."""


@dataclass(frozen=True)
class Missing:
    """A manifest line that names no file: it becomes that line's failed row."""
    source: Source
    reason: str


def discover(inputs: list[str], manifest: str | None = None, since: datetime | None = None) -> list[Source | Missing]:
    """Every input, without duplicates, in a stable order."""
    found: list[Source | Missing] = []
    for item in inputs:
        sources = list(_expand(item))
        if not sources and not os.path.isdir(item):          # an empty folder is a quiet night, not an error
            raise UsageError(f"no such file, folder or pattern: {display(item)}" if not _is_magic(item)
                             else f"pattern matches no PDF or DOCX: {display(item)}")
        found += sources
    if manifest:
        found += _manifest(manifest)
    if since is not None:
        found = [s for s in found if not isinstance(s, Source) or s.url or _modified(s.path) > since]
    unique = {s.source.uri if isinstance(s, Missing) else s.uri: s for s in found}
    return [unique[uri] for uri in sorted(unique)]


def _manifest(manifest: str) -> list[Source | Missing]:
    try:
        lines = Path(manifest).read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read the manifest {display(manifest)}: {exc.strerror}") from None
    entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not entries:
        raise UsageError(f"the manifest {display(manifest)} names nothing")
    found: list[Source | Missing] = []
    for entry in entries:
        sources = list(_expand(entry))
        found += sources or [Missing(_local(entry), "no such file, folder or pattern (manifest line)")]
    return found


def _expand(item: str) -> Iterator[Source]:
    if _is_url(item):
        yield url_source(item)
    elif _is_magic(item):
        yield from (_local(p) for p in _glob(item) if _wanted(p))
    elif os.path.isdir(item):
        yield from (_local(p) for p in _walk(item) if _wanted(p))
    elif os.path.isfile(item):
        yield _local(item)


def _is_url(item: str) -> bool:
    return urlsplit(item).scheme in ("http", "https")


def _is_magic(item: str) -> bool:
    return any(ch in item for ch in MAGIC)


def _wanted(path: str) -> bool:
    name = os.path.basename(path)
    return Path(name).suffix.lower() in SUFFIXES and not name.startswith("~$")


def _walk(folder: str) -> Iterator[str]:
    """Files below ``folder``, following links, each real folder once (a loop ends)."""
    seen: set[tuple[int, int]] = set()
    for parent, folders, files in os.walk(folder, followlinks=True):
        try:
            stat = os.stat(parent)
        except OSError:
            folders[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in seen:
            folders[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        folders.sort()
        for name in sorted(files):
            path = os.path.join(parent, name)
            if os.path.isfile(path):
                yield path


def _glob(pattern: str) -> Iterator[str]:
    if "**" not in pattern:                     # one level per segment: no recursion to loop in
        yield from (p for p in glob.glob(pattern) if os.path.isfile(p))
        return
    parts = Path(pattern).parts
    first = next(i for i, part in enumerate(parts) if _is_magic(part))
    base = os.path.join(*parts[:first]) if first else "."
    for path in _walk(base):
        relative = Path(os.path.relpath(path, base)).parts
        if _match(parts[first:], relative):
            yield path


def _match(pattern: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_match(pattern[1:], parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pattern[0]) and _match(pattern[1:], parts[1:])


def _modified(path: str) -> datetime:
    return datetime.fromtimestamp(os.path.getmtime(path))


def display(text: str) -> str:
    """A name as valid UTF-8 text: bytes that were not UTF-8 are written ``\\xNN``."""
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _local(path: str) -> Source:
    absolute = os.path.abspath(path)
    return Source(uri=display(absolute), path=path, name=display(os.path.basename(path)))


def url_source(url: str) -> Source:
    name = Path(unquote(urlsplit(url).path)).name or urlsplit(url).hostname or "download"
    return Source(uri=redact(url), path=None, name=name, url=url)
