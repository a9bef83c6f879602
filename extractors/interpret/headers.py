"""Column meaning from header text, driven by ``data/headers.toml``."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "headers.toml"
PERIOD = re.compile(r"((?:19|20)\d\d ?[/-] ?(?:(?:19|20)?\d\d))")
# roles that make a header row worth reading actions or KPIs from
RECORD_ROLES = {"action", "action_officer", "kpi_measure"}
# an action plan says who or when: a list of actions with neither (a meeting's
# action log, a list of recommendations) is not read as a plan
PLAN_ROLES = {"due", "start", "officer", "due_officer", "action_officer", "division"}
# a record's rating now and at the last report: a measure beside them is a KPI with no target
RATING_ROLES = {"status", "previous_status"}


@dataclass(frozen=True)
class Lexicon:
    order: tuple[str, ...]
    roles: dict[str, tuple[re.Pattern, ...]]
    section: tuple[re.Pattern, ...]
    skip: tuple[re.Pattern, ...]
    veto: tuple[re.Pattern, ...]
    action_words: tuple[str, ...]
    column_words: tuple[str, ...]


def _compile(patterns: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@lru_cache(maxsize=None)
def load_lexicon(path: Path = DATA) -> Lexicon:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Lexicon(
        order=tuple(data["order"]),
        roles={role: _compile(p) for role, p in data["roles"].items()},
        section=_compile(data["rows"]["section"]),
        skip=_compile(data["rows"]["skip"]),
        veto=_compile(data["veto"]["patterns"]),
        action_words=tuple(data["prefilter"]["action_words"]),
        column_words=tuple(data["prefilter"]["column_words"]),
    )


def clean(text: str) -> str:
    return " ".join(text.split())


def classify_header(text: str, lexicon: Lexicon | None = None) -> str | None:
    """The role of a column from its header text, or None.

    >>> classify_header("Finish Date Month/Year")
    'due'
    >>> classify_header("Years 2 & 3 Actions 2010")
    'ignore'
    >>> classify_header("2007/08 Target")
    'kpi_target'
    """
    if lexicon is None or lexicon is load_lexicon():
        return _classify_default(text)
    return _classify(text, lexicon)


@lru_cache(maxsize=16384)
def _classify_default(text: str) -> str | None:
    """The default lexicon's reading, kept: finders, scorers and the page screen ask it
    about the same cells again and again."""
    return _classify(text, load_lexicon())


def _classify(text: str, lexicon: Lexicon) -> str | None:
    text = clean(text)
    if not text:
        return None
    for role in lexicon.order:
        if any(p.search(text) for p in lexicon.roles[role]):
            return role
    return None


def unwrap_header(text: str, lexicon: Lexicon | None = None) -> str:
    """A header in a narrow column may wrap inside a word (``Stat\\nus``): when it
    names no role as printed but does with its line breaks removed, that is its text."""
    printed = clean(text)
    if "\n" in text.strip() and classify_header(printed, lexicon) is None:
        joined = clean("".join(text.split("\n")))
        if classify_header(joined, lexicon) is not None:
            return joined
    return printed


def classify_wrapped_header(text: str, lexicon: Lexicon | None = None) -> str | None:
    return classify_header(unwrap_header(text, lexicon), lexicon)


def target_period(text: str) -> str | None:
    match = PERIOD.search(text)
    return match.group(1).replace(" ", "") if match else None


def matches_any(text: str, patterns: tuple[re.Pattern, ...]) -> bool:
    text = clean(text)
    return any(p.search(text) for p in patterns)


def looks_like_plan_header(page_text: str | None, lexicon: Lexicon | None = None) -> bool:
    """Cheap test for a page worth a borderless-table pass: some line names
    an action column and another plan column (``[prefilter]`` in headers.toml)."""
    lexicon = lexicon or load_lexicon()
    for line in (page_text or "").lower().splitlines():
        if any(w in line for w in lexicon.action_words) and any(w in line for w in lexicon.column_words):
            return True
    return False
