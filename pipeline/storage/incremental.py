"""When a document's rows are current: same bytes, same pipeline version and
same settings that shape records.  The settings are hashed into one key kept
on each documents row: the user's glossary and known-officer list, and every
lexicon table the readers and normalisers load (headers, councils, posts,
divisions...), so editing any of them re-reads what it affects."""
from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.schema import PIPELINE_VERSION

ROOT = Path(__file__).resolve().parents[2]
TABLE_FOLDERS = ("extractors", "normalisers")   # every data table that shapes records, wherever it sits
GOOD = ("ok", "no_records")


def settings_key(glossary: str | None = None, officers: str | None = None, ocr: bool = True,
                 screen: bool = True) -> str:
    digest = hashlib.sha256(f"{PIPELINE_VERSION}\x1focr={ocr}\x1fscreen={screen}".encode())
    for label, path in [("glossary", glossary), ("officers", officers), *_tables()]:
        digest.update(f"\x1f{label}\x1f".encode())
        if path:
            digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:24]


def _tables() -> list[tuple[str, Path]]:
    return [(p.relative_to(ROOT).as_posix(), p) for folder in TABLE_FOLDERS
            for p in sorted((ROOT / folder).rglob("*.toml"))]


def is_current(row: dict | None, key: str) -> bool:
    """A documents row whose rows need no re-read."""
    return bool(row) and row["status"] in GOOD and row["pipeline_version"] == PIPELINE_VERSION \
        and row["settings_key"] == key
