"""What the run's process hands a reader for one file, and the answer for bytes it
already holds: small, picklable, and importable without the readers."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.results import Source


@dataclass(frozen=True)
class Task:
    source: Source
    settings_key: str
    glossary: dict[str, str] | None = None
    max_pages: int | None = None
    download_seconds: float = 120.0
    allow_private_urls: bool = False
    skip_if: frozenset[str] = field(default_factory=frozenset)   # doc_ids whose rows are current
    posts: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())       # the user's posts and groups
    ocr: bool = True                                                 # read image-only pages by OCR
    screen: bool = True                                              # only screened-in pages are read for tables
    keep_root: str | None = None     # output root: a URL's bytes are kept there for `review`


@dataclass(frozen=True)
class Unchanged:
    """A URL whose bytes are a document already held with the current settings."""
    source: Source
    doc_id: str
