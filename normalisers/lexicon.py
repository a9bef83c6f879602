"""Reading the normalisers' data tables (``normalisers/data/*.toml``)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

DATA = Path(__file__).parent / "data"


def load_table(name: str) -> dict:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def separator_pattern(separators: list[str]) -> re.Pattern:
    """One pattern for a list of literal separators, longest first so ``supported by`` beats ``by``."""
    return re.compile("|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True)), re.IGNORECASE)
