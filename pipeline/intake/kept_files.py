"""Local copies of what a document was read from, so its rows can be shown beside
the page they came from.  Files read from URLs are kept content-addressed under
the output root: ``<out>/sources/<doc_id><suffix>`` (not a dataset: no Parquet)."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlparse

from pipeline.results import file_digest

FOLDER = "sources"


def is_url(uri: str) -> bool:
    return urlparse(uri).scheme in ("http", "https")


def keep_copy(root: Path, uri: str, path: str, doc_id: str) -> None:
    """Keep a URL's downloaded bytes; a local file stays where the user has it."""
    if not is_url(uri) or not doc_id:
        return
    target = Path(root) / FOLDER / f"{doc_id}{Path(urlparse(uri).path).suffix.lower()}"
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    shutil.copyfile(path, tmp)
    os.replace(tmp, target)


def local_file(root: Path, doc_id: str, uri: str) -> Path | None:
    """A file whose bytes are ``doc_id``: the kept copy, else the path it was read from if unchanged."""
    kept = sorted((Path(root) / FOLDER).glob(f"{doc_id}.*"))
    if kept:
        return kept[0]
    path = Path(uri)
    if not is_url(uri) and path.is_file() and file_digest(str(path)) == doc_id:
        return path
    return None
