"""What one cell holds, read from its text alone: a date or timescale, owners,
a ref, a code, a number, a RAG word, or words of a sentence.

Column roles are voted from these (``columns.py``); nothing here knows about
headers or tables.

>>> evidence("31/01/2022").when, evidence("asap").when, evidence("Clerk").owner
(True, True, True)
>>> e = evidence("Develop a training programme for all staff"); (e.owner, e.verb_led, e.words)
(False, True, 7)
>>> evidence("27a/2122").ref, evidence("FGB 21/2122").ref, evidence("EYYES").code
(True, True, True)
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from normalisers.dates import FINANCIAL_YEAR, ONGOING, QUARTER, find_months, reads_as_timescale
from normalisers.divisions import load_lexicon as division_lexicon
from normalisers.officers import default_lexicon as officer_lexicon, split_officers
from normalisers.progress import UNKNOWN, status_from_text

from .headers import DATA, clean

REF = re.compile(r"^(?:[A-Z]{1,4}\s?)?\(?(?:\d+(?:[./-]\d+)*[a-z]?|[a-z]|[ivx]+|[A-Z]\d+(?:\.\d+)*)[.)]?"
                 r"(?:/\d{2,4})?$")
CODE = re.compile(r"^[A-Z][A-Z&/ ,-]{1,30}$")
NUMBER = re.compile(r"^[<>≥≤~]?\s*[-+]?[£$]?\d[\d,]*(?:\.\d+)?\s*(?:%|pts?|points|k|m)?$", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
FIGURE = re.compile(r"\d")
MAX_QUANTITY_WORDS = 6
TRAILING_BRACKETS = re.compile(r"\(([^()]*)\)\s*[.;]?\s*$")
# A bare owner name closing the action text: "... young people Akua Agyepong", "... schools. Ian McGuff"
_NAME_PART = r"[A-Z][a-z'’]+(?:\s*-\s*[A-Z][a-z'’]+)?"
TRAILING_NAME = re.compile(
    rf"(?<=[a-z.;,)])\s+((?:(?:Mrs?|Ms|Dr|Miss)\.?\s+)?(?:{_NAME_PART}|[A-Z]\.?)\s+(?:Mc\s?|Mac\s|O')?{_NAME_PART})\s*$")
MAX_OWNER_WORDS = 10       # an owner cell names a few people or posts, not a sentence
MAX_OWNER_PART_WORDS = 6
MAX_WHEN_WORDS = 12        # a due cell may say "Progress reported 4 Oct 07, final deadline 31 March 2008"


@dataclass(frozen=True)
class ContentLexicon:
    timescales: tuple[str, ...]
    posts: frozenset[str]
    rag: frozenset[str]
    verbs: frozenset[str]
    objective_label: re.Pattern
    aim_captions: frozenset[str]


@lru_cache(maxsize=None)
def content_lexicon() -> ContentLexicon:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))["content"]
    labels = "|".join(map(re.escape, data["objective_labels"]))
    return ContentLexicon(timescales=tuple(data["timescales"]), posts=frozenset(data["posts"]),
                          rag=frozenset(data["rag"]), verbs=frozenset(data["verbs"]),
                          objective_label=re.compile(rf"^(?:{labels})\s*\d{{1,2}}[a-z]?[.:]?$", re.IGNORECASE),
                          aim_captions=frozenset(data["aim_captions"]))


def objective_label(text: str | None) -> bool:
    """``Priority 3``, ``Objective 2``: a label naming the objective a row belongs to."""
    return bool(text) and bool(content_lexicon().objective_label.match(clean(text)))


def captioned_as_aims(caption: str) -> bool:
    """The line above a table says it states aims (``Strategy aims for disadvantaged pupils``)."""
    lines = [line for line in caption.splitlines() if line.strip()]
    return bool(lines) and bool(set(WORD.findall(lines[-1].lower())) & content_lexicon().aim_captions)


@dataclass(frozen=True)
class CellEvidence:
    words: int
    when: bool          # a month, a financial year, ongoing, or a timescale such as "asap"
    month: bool         # a month and year in particular
    owner: bool         # people, posts or teams and little else
    ref: bool
    code: bool          # an upper-case code such as a division's
    division_word: bool  # words that name every division or the directorate: "All divisions", "Directorate"
    number: bool        # a figure or percentage
    quantity: bool      # a short cell holding a figure: "at least 70%", "24 days (2022/23)"
    rag: bool
    placeholder: bool   # "To be confirmed", "TBC": a cell waiting for its owner or date
    label: bool         # "Priority 3": the objective a row belongs to
    status: bool        # opens with a progress status: "Partially achieved - further work ...", "Completed"
    verb_led: bool      # opens with a verb, or "X to <verb>"
    owner_after: bool   # a sentence closing with its owner: "... (Ian McGuff and HR team)"
    dated_owner: bool   # a date or timescale and a person in one cell: "March 2012 Mike Galikowski", "Ongoing P Chalkley"


@lru_cache(maxsize=20000)
def evidence(text: str) -> CellEvidence:
    text = clean(text)
    lexicon = content_lexicon()
    words = WORD.findall(text)
    lower = text.lower().strip(" .;:")
    # our own date patterns only (dateparser is too slow to ask about every cell); a
    # sentence that mentions a date is not a date cell
    short = len(words) <= MAX_WHEN_WORDS
    month = short and bool(find_months(text) or QUARTER.search(text) or FINANCIAL_YEAR.search(text))
    when = month or short and (bool(ONGOING.search(text)) or _has_timescale(lower, lexicon)
                               or reads_as_timescale(text))
    return CellEvidence(
        words=len(words), when=when, month=month,
        owner=not month and _is_owner(text, lower, words, lexicon),
        ref=len(text) <= 14 and bool(REF.match(text)),
        code=len(words) <= 4 and bool(CODE.match(text)) and lower not in lexicon.posts,
        division_word=lower in division_lexicon().all | division_lexicon().directorate,
        number=bool(NUMBER.match(text)),
        quantity=len(words) <= MAX_QUANTITY_WORDS and bool(FIGURE.search(_without_dates(text))),
        rag=lower in lexicon.rag,
        placeholder=lower in officer_lexicon().placeholders,
        label=bool(lexicon.objective_label.match(text)),
        status=not when and not _verb_led(words, lexicon) and status_from_text(text) != UNKNOWN,
        verb_led=_verb_led(words, lexicon),
        owner_after=len(words) >= 4 and split_trailing_officer(text)[1] is not None,
        dated_owner=when and any(m.kind == "person" for m in split_officers(text, with_dates=True)),
    )


def _without_dates(text: str) -> str:
    for pattern in (QUARTER, FINANCIAL_YEAR):
        text = pattern.sub(" ", text)
    for mention in reversed(find_months(text)):
        text = text[:mention.start] + " " + text[mention.end:]
    return re.sub(r"\b(?:19|20)\d\d\b", " ", text)


def _has_timescale(lower: str, lexicon: ContentLexicon) -> bool:
    """A short cell that is (or begins with) a timescale; a sentence mentioning one is not."""
    if len(lower) > 40:
        return False
    return any(lower == t or lower.startswith(t + " ") or lower.endswith(" " + t) for t in lexicon.timescales)


def _is_owner(text: str, lower: str, words: list[str], lexicon: ContentLexicon) -> bool:
    if not words or len(words) > MAX_OWNER_WORDS or _verb_led(words, lexicon):
        return False
    parts = [p.strip().lower() for p in re.split(r"[/,;&+\n]| and ", text) if p.strip()]
    if parts and all(p in lexicon.posts for p in parts):
        return True
    mentions = split_officers(text)
    return bool(mentions) and all(len(m.text.split()) <= MAX_OWNER_PART_WORDS for m in mentions)


def _verb_led(words: list[str], lexicon: ContentLexicon) -> bool:
    """``Develop ...`` or ``Clerk to circulate ...`` / ``Policy to be amended``."""
    lowered = [w.lower() for w in words[:8]]
    if len(lowered) > 1 and len(lowered[0]) == 1:     # "a. Amend the policy": the letter is an enumerator
        lowered = lowered[1:]
    if not lowered:
        return False
    if lowered[0] in lexicon.verbs:
        return True
    return any(w == "to" and i + 1 < len(lowered) and (lowered[i + 1] == "be" or lowered[i + 1] in lexicon.verbs)
               for i, w in enumerate(lowered[1:6], start=1))


def split_trailing_officer(text: str) -> tuple[str, str | None]:
    """An owner named at the end of an action: ``... (Ian McGuff and HR team)`` or ``... . Ian McGuff``."""
    flat = clean(text)
    match = TRAILING_BRACKETS.search(flat)
    if match and match.start() > 0 and split_officers(match.group(1)):
        return flat[:match.start()].strip(), match.group(0).strip().rstrip(".;")
    match = TRAILING_NAME.search(flat)
    if match:
        return flat[:match.start()].strip(), match.group(1)
    return flat, None
