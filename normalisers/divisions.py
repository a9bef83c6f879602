"""Reporting-division cells -> division codes.

>>> split_divisions("EYYES - CSS")
('EYYES', 'CSS')
>>> split_divisions("Resources & CSS")
('RESOURCES', 'CSS')
>>> split_divisions("All divisions")
('ALL',)
>>> split_divisions("Early Years, Youth and Extended Services", {"early years, youth and extended services": "EYYES"})
('EYYES',)
>>> split_divisions("To be arranged")
()
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from .lexicon import load_table, separator_pattern

CODE = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
NAME_WITH_CODE = re.compile(r"([A-Z][\w'’,&\- ]{3,80}?)\s*\(([A-Z][A-Z0-9]{1,9})\)")


@dataclass(frozen=True)
class DivisionLexicon:
    all: frozenset[str]
    directorate: frozenset[str]
    placeholders: frozenset[str]
    separators: re.Pattern
    stop_words: frozenset[str]


@lru_cache(maxsize=None)
def load_lexicon() -> DivisionLexicon:
    data = load_table("divisions.toml")
    return DivisionLexicon(frozenset(data["all"]), frozenset(data["directorate"]),
                           frozenset(data["placeholders"]), separator_pattern(data["separators"]),
                           frozenset(data["stop_words"]))


def _key(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def split_divisions(cell: str | None, glossary: Mapping[str, str] | None = None,
                    lexicon: DivisionLexicon | None = None) -> tuple[str, ...]:
    """Codes for a division cell; ``glossary`` maps lower-cased names to codes."""
    if not cell or not cell.strip():
        return ()
    lexicon = lexicon or load_lexicon()
    glossary = glossary or {}
    whole = _code(cell, glossary, lexicon)
    if whole is not None:
        return (whole,) if whole else ()
    codes = [_code(part, glossary, lexicon) for part in lexicon.separators.split(cell)]
    return tuple(dict.fromkeys(c for c in codes if c))


def _code(text: str, glossary: Mapping[str, str], lexicon: DivisionLexicon) -> str | None:
    """The code for one division name; "" for a placeholder; None when unknown as a whole."""
    key = _key(text).strip(" .()")
    if not key:
        return ""
    if key in lexicon.placeholders:
        return ""
    if key in lexicon.all:
        return "ALL"
    if key in lexicon.directorate:
        return "DIRECTORATE"
    if key in glossary:
        return glossary[key]
    word = " ".join(text.split()).strip(" .()")
    if CODE.match(word):
        return word
    if " " not in word and word.isalpha():
        return word.upper()
    return None


def learn_glossary(texts: list[str], codes: set[str]) -> dict[str, str]:
    """Division names -> codes from what a document prints: ``Name (CODE)``, or a
    name whose initials spell a code the document uses elsewhere."""
    lexicon = load_lexicon()
    glossary: dict[str, str] = {}
    for text in texts:
        for name, code in NAME_WITH_CODE.findall(text):
            glossary[_key(name)] = code
        for part in lexicon.separators.split(text):
            initials = "".join(w[0] for w in re.findall(r"[A-Za-z']+", part)
                               if w.lower() not in lexicon.stop_words).upper()
            if initials in codes and len(part.split()) > 1:
                glossary[_key(part)] = initials
    return glossary


def read_glossary_file(path: str | Path) -> dict[str, str]:
    """A user glossary: TOML ``[divisions]`` table of ``CODE = "Name"`` (or a list of names)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    glossary = {}
    for code, names in data.get("divisions", {}).items():
        for name in [names] if isinstance(names, str) else names:
            glossary[_key(name)] = code
    return glossary
