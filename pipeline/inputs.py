"""What to ingest: paths, folders (recursive), glob patterns, manifests and URLs."""
from __future__ import annotations

import glob
import os
import tempfile
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from .document import Source
from .errors import IngestError

SUFFIXES = {".pdf", ".docx"}
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60


class UsageError(ValueError):
    """The inputs named cannot be used at all (exit code 2)."""


def discover(inputs: list[str], manifest: str | None = None, since: datetime | None = None) -> list[str]:
    """Every input as a path or URL, sorted and without duplicates."""
    items = list(inputs)
    if manifest:
        lines = Path(manifest).read_text(encoding="utf-8").splitlines()
        items += [l.strip() for l in lines if l.strip() and not l.lstrip().startswith("#")]
    found: list[str] = []
    for item in items:
        if _is_url(item):
            found.append(item)
        elif any(ch in item for ch in "*?["):
            found += [p for p in glob.glob(item, recursive=True) if Path(p).suffix.lower() in SUFFIXES]
        elif Path(item).is_dir():
            found += [str(p) for p in Path(item).rglob("*")
                      if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("~$")]
        elif Path(item).is_file():
            found.append(item)
        else:
            raise UsageError(f"no such file, folder or pattern: {item}")
    if since is not None:
        found = [f for f in found if _is_url(f) or datetime.fromtimestamp(os.path.getmtime(f)) > since]
    return sorted(dict.fromkeys(found))


def _is_url(item: str) -> bool:
    return urlparse(item).scheme in ("http", "https")


def to_source(item: str, download_dir: str | None = None) -> Source:
    if not _is_url(item):
        return Source(uri=str(Path(item).resolve()), path=item, name=Path(item).name)
    name = Path(unquote(urlparse(item).path)).name or "download.pdf"
    return Source(uri=item, path=download(item, download_dir or tempfile.gettempdir(), name), name=name)


def download(url: str, folder: str, name: str) -> str:
    """Fetch a URL with a size limit and a timeout; the error says which was hit."""
    target = Path(tempfile.mkdtemp(dir=folder)) / name
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response, open(target, "wb") as out:
            total = 0
            while chunk := response.read(1 << 16):
                total += len(chunk)
                if total > MAX_DOWNLOAD_BYTES:
                    raise IngestError(f"download larger than {MAX_DOWNLOAD_BYTES // 2**20} MiB: {url}")
                out.write(chunk)
    except OSError as exc:
        raise IngestError(f"download failed ({exc}): {url}") from exc
    return str(target)
