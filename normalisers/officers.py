"""Owner cells -> officer mentions (people, roles, teams), before reconciliation.

``split_officers`` is pure: one cell in, a tuple of `Mention`s out, each with
the spelling as printed (junk removed) and its kind.  People are found by a
rule-based spaCy pipeline on a blank English model (no trained weights are
needed): a Matcher for ``[title] given|initial surname`` over the tokens of a
chunk that holds no role word.

>>> [m.text for m in split_officers("Pauline Sharrat Jane Prasher Ruth Tykiff")]
['Pauline Sharrat', 'Jane Prasher', 'Ruth Tykiff']
>>> [m.text for m in split_officers("Mike Galikowski EDAG/EDWG)")]
['Mike Galikowski']
>>> [(m.text, m.kind) for m in split_officers("(Ian McGuff and HR team)")]
[('Ian McGuff', 'person'), ('HR team', 'team')]
>>> split_officers("To be assigned")
()
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import BARE_YEAR, DATE_PATTERNS, FINANCIAL_YEAR, ONGOING
from .lexicon import load_table, separator_pattern

ACRONYM = re.compile(r"^[A-Z]{2,}[)\]]*$")
# Nouns that end an owner's name; another owner may follow them directly.
HEAD_NOUNS = frozenset({"unit", "group", "forum", "team", "manager", "officer", "board", "panel",
                        "committee", "network", "partnership", "adviser", "advisor", "coordinator"})


@dataclass(frozen=True)
class Mention:
    text: str          # spelling as printed, junk removed
    kind: str          # "person", "role" or "team"


@dataclass(frozen=True)
class OfficerLexicon:
    team_words: frozenset[str]
    role_words: frozenset[str]
    placeholders: frozenset[str]
    titles: frozenset[str]
    join_particles: frozenset[str]
    separators: re.Pattern
    small_words: frozenset[str]


@lru_cache(maxsize=None)
def load_lexicon() -> OfficerLexicon:
    data = load_table("officers.toml")
    return OfficerLexicon(
        team_words=frozenset(data["team_words"]), role_words=frozenset(data["role_words"]),
        placeholders=frozenset(data["placeholders"]), titles=frozenset(data["titles"]),
        join_particles=frozenset(data["join_particles"]), separators=separator_pattern(data["separators"]),
        small_words=frozenset(data["small_words"]),
    )


def strip_dates(text: str) -> str:
    """Remove dates and date words from a cell that holds a date and an owner."""
    for pattern in (*DATE_PATTERNS, FINANCIAL_YEAR, ONGOING, BARE_YEAR):
        text = pattern.sub(" ", text)
    return re.sub(r"\([^()]*\)", " ", text)


def tidy(text: str, lexicon: OfficerLexicon) -> str:
    """Undo spacing accidents: ``Morgan- Danks`` -> ``Morgan-Danks``, ``Mc Guff`` -> ``McGuff``."""
    text = re.sub(r"(\w)\s*-\s+(\w)|(\w)\s+-\s*(?=[A-Z])(\w)?", lambda m: "-".join(filter(None, m.groups())), text)
    particles = "|".join(p.capitalize() for p in lexicon.join_particles)
    text = re.sub(rf"\b({particles})\s+(?=[A-Z][a-z])", r"\1", text)
    return " ".join(text.split())


def split_officers(cell: str | None, with_dates: bool = False,
                   lexicon: OfficerLexicon | None = None) -> tuple[Mention, ...]:
    if not cell or not cell.strip():
        return ()
    lexicon = lexicon or load_lexicon()
    text = strip_dates(cell) if with_dates else cell
    text = tidy(text.replace("\n", " "), lexicon)
    mentions: list[Mention] = []
    for chunk in _chunks(text, lexicon):
        for part in _split_heads(chunk, lexicon):
            mentions.extend(_chunk_mentions(part, lexicon))
    return tuple(dict.fromkeys(mentions))


def _chunks(text: str, lexicon: OfficerLexicon) -> list[str]:
    """Split on separators, but keep ``Training and Development Manager`` whole:
    a lone word before a separator is the start of the next owner's name."""
    pieces = lexicon.separators.split(f" {text} ")
    separators = lexicon.separators.findall(f" {text} ")
    chunks: list[str] = []
    carry = ""
    for i, piece in enumerate(pieces):
        piece = carry + piece
        carry = ""
        words = piece.split()
        if (len(words) == 1 and i < len(separators) and words[0][:1].isupper()
                and not ACRONYM.match(words[0]) and words[0].lower() not in lexicon.placeholders):
            carry = piece + separators[i]
            continue
        chunks.append(piece)
    if carry:
        chunks.append(carry)
    return chunks


def _split_heads(chunk: str, lexicon: OfficerLexicon) -> list[str]:
    """Owners written one after another with no separator: ``Central Policy Unit
    Procurement Forum`` splits after a head noun (Unit, Group, Officer ...)
    that is followed by another capitalised phrase ending in a head noun."""
    words = chunk.split()
    heads = lexicon.role_words | lexicon.team_words
    for i in range(2, len(words) - 1):
        word, following = _singular(words[i - 1].lower()), words[i]
        rest = [_singular(w.lower()) for w in words[i:]]
        if (word in HEAD_NOUNS and following[:1].isupper() and following.lower() not in lexicon.small_words
                and len(rest) >= 2 and rest[-1] in heads):
            return [" ".join(words[:i]), *_split_heads(" ".join(words[i:]), lexicon)]
    return [chunk]


def _chunk_mentions(chunk: str, lexicon: OfficerLexicon) -> list[Mention]:
    chunk = chunk.strip(" ()[]{}.:;-–•*\"'")
    if not chunk or chunk.lower() in lexicon.placeholders:
        return []
    words = chunk.split()
    if all(ACRONYM.match(w) for w in words) and not (chunk.isupper() and len(words) > 1):
        return [Mention(chunk, "team")] if _role_kind(words, lexicon) else []
    kind = _role_kind(words, lexicon)
    if kind:
        return [Mention(_strip_junk_tail(chunk), kind)]
    return [Mention(name, "person") for name in _person_names(chunk, lexicon)]


def _role_kind(words: list[str], lexicon: OfficerLexicon) -> str | None:
    """``team`` or ``role`` by the head noun (the last word before ``of``), else by any word."""
    lowered = [_singular(w.lower().strip("(),.'’")) for w in words]
    head = lowered[:lowered.index("of")] if "of" in lowered[1:] else lowered
    for candidates in (head[-1:], lowered):
        if any(w in lexicon.role_words for w in candidates):
            return "role"
        if any(w in lexicon.team_words for w in candidates):
            return "team"
    return None


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 and not word.endswith("ss") else word


def _strip_junk_tail(chunk: str) -> str:
    return re.sub(r"[)\]]+$", "", chunk).strip()


def _person_names(chunk: str, lexicon: OfficerLexicon) -> list[str]:
    if chunk.isupper():
        chunk = chunk.title()
    doc = _nlp()(chunk)
    spans = _filter_spans(_matcher()(doc, as_spans=True))
    return [" ".join(t.text for t in span) for span in spans]


@lru_cache(maxsize=1)
def _nlp():
    import spacy
    from spacy.tokenizer import Tokenizer
    nlp = spacy.blank("en")
    # Owner names keep their hyphens and full stops ("Morgan-Danks", "L."): split on spaces only.
    nlp.tokenizer = Tokenizer(nlp.vocab)
    return nlp


@lru_cache(maxsize=1)
def _matcher():
    from spacy.matcher import Matcher
    lexicon = load_lexicon()
    title = {"LOWER": {"IN": sorted(lexicon.titles | {t + "." for t in lexicon.titles})}, "OP": "?"}
    given = {"TEXT": {"REGEX": r"^([A-Z][a-z'’]+(-[A-Z][a-z'’]+)?|[A-Z]\.?)$"}}
    surname = {"TEXT": {"REGEX": r"^(O'|O’|Mc|Mac|D')?[A-Z][A-Za-z'’]+(-[A-Z][A-Za-z'’]+)*$"}}
    matcher = Matcher(_nlp().vocab)
    matcher.add("PERSON", [[title, given, surname]])
    return matcher


def _filter_spans(spans):
    """Longest first, then leftmost, without overlaps; returned in reading order."""
    chosen, taken = [], set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def display_role(text: str, lexicon: OfficerLexicon | None = None) -> str:
    """Role and team names in one case: ``Service managers`` -> ``Service Managers``, ``HR team`` -> ``HR Team``."""
    lexicon = lexicon or load_lexicon()
    words = []
    for i, word in enumerate(text.split()):
        if word.isupper() and len(word) > 1:
            words.append(word)
        elif i and word.lower() in lexicon.small_words:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)
