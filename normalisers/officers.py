r"""Owner cells -> officer mentions (people, roles, teams), before reconciliation.

``split_officers`` is pure: one cell in, a tuple of `Mention`s out, each with
the spelling as printed (junk removed) and its kind.  People are found by a
rule-based spaCy pipeline on a blank English model (no trained weights are
needed): a Matcher for ``[title] given|initial surname`` over the tokens of a
chunk that holds no role word.  Posts come from a lexicon
(``data/officers.toml``, extendable by the user) that knows acronyms and
one-word posts (``SENDCo``, ``SBM``, ``Clerk``, ``Head``, ``SLT``).

A cell splits at ``and``, ``/``, ``,`` or a line break only where each side is
an owner on its own: a person, a post, or a phrase ending in a role or team
word; a line break also needs a person or a post on one side, since wrapped
text in a narrow cell breaks anywhere.

>>> [m.text for m in split_officers("Pauline Sharrat Jane Prasher Ruth Tykiff")]
['Pauline Sharrat', 'Jane Prasher', 'Ruth Tykiff']
>>> [m.text for m in split_officers("Mike Galikowski EDAG/EDWG)")]
['Mike Galikowski']
>>> [(m.text, m.kind) for m in split_officers("(Ian McGuff and HR team)")]
[('Ian McGuff', 'person'), ('HR team', 'team')]
>>> [m.text for m in split_officers("Strategic Safeguarding and Quality Assurance Manager")]
['Strategic Safeguarding and Quality Assurance Manager']
>>> [m.text for m in split_officers("SENDCo\nDyslexia\nSpecialist\nTeacher\nSLT")]
['SENDCo', 'Dyslexia Specialist Teacher', 'SLT']
>>> [m.text for m in split_officers("Clerk/Kay\nDicken")]
['Clerk', 'Kay Dicken']
>>> split_officers("To be assigned")
()

In an owner column (``acronyms=True``) a short run of capitals that no list
knows is a post or team of its own, but never a RAG word, a month or ``TBC``:

>>> [m.text for m in split_officers("SLT / OD", acronyms=True)], split_officers("OD")
(['SLT', 'OD'], ())
>>> split_officers("TBC", acronyms=True), split_officers("AMBER", acronyms=True)
((), ())
>>> [m.text for m in split_officers("Ann Pryce\nEDAG/EDWG)", acronyms=True)]
['Ann Pryce']
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .dates import BARE_YEAR, DATE_PATTERNS, FINANCIAL_YEAR, ONGOING, QUARTER, timescale_patterns
from .lexicon import load_table, separator_pattern

ACRONYM = re.compile(r"^[A-Z]{2,}[)\]]*$")
ROMAN = re.compile(r"^[IVX]+$")
# Capitals closed by a bracket, opened or not: "(EDWG)", "EDAG/EDWG)" -- a note on the owner before them.
BRACKETED_CODES = re.compile(r"\(?\b[A-Z]{2,}(?:\s*[/,&]\s*[A-Z]{2,})*\s*\)")
PUNCTUATION = " ()[]{}.:;,-–•*\"'/|+"
# A lettered sub-item's owner: "c. Clerk", "(d) Simon Barnes".
ENUMERATOR = re.compile(r"(?m)^\s*(?:\(?[a-z][.)]\s+)+")
# OCR reads l as 1 and o as 0 inside words: "Si1vera" -> "Silvera".
OCR_DIGITS = {"1": "l", "0": "o"}
OCR_SLIP = re.compile(r"(?<=[A-Za-z])[10](?=[a-z])")
# A joining word left at either end of a piece ("and Clerk").
_JOINING = r"(?:and|or|&|plus|with|by|supported\s+by|with\s+support\s+from)"
DANGLING = re.compile(rf"^(?:{_JOINING}\s+)+|(?:\s+{_JOINING})+$", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    text: str          # spelling as printed, junk removed
    kind: str          # "person", "role" or "team"


@dataclass(frozen=True, eq=False)      # hashed by identity: one cached lexicon per set of user posts
class OfficerLexicon:
    team_words: frozenset[str]
    role_words: frozenset[str]
    placeholders: frozenset[str]
    titles: frozenset[str]
    join_particles: frozenset[str]
    separators: re.Pattern
    small_words: frozenset[str]
    posts: dict                         # post key (lower-case words, also singular) -> "role" or "team"
    spellings: dict                     # post key -> the post as the lexicon spells it
    post_starts: frozenset[str]         # first words of the posts (``head``, ``sendco``, ``chief``)
    modifiers: frozenset[str]
    head_nouns: frozenset[str]
    not_names: frozenset[str]
    acronym_letters: int                # the longest run of capitals read as a post in an owner column
    not_acronyms: frozenset[str]        # short capitals that are never an owner (RAG words, TBC, months)
    acronym_owners: bool = False        # whether unknown short capitals are owners (an owner column's cells)


@lru_cache(maxsize=None)
def load_lexicon(extra_posts: tuple[str, ...] = (), extra_groups: tuple[str, ...] = ()) -> OfficerLexicon:
    """The lexicon of ``data/officers.toml``, with the user's own posts and groups added."""
    data = load_table("officers.toml")
    printed = [*((p, "role") for p in (*data["posts"], *extra_posts)), *((g, "team") for g in (*data["groups"], *extra_groups))]
    posts = {_post_key(name): kind for name, kind in printed}
    spellings = {_post_key(name): name for name, _ in printed}
    for name, kind in printed:              # a plural or singular spelling of a listed post is that post
        posts.setdefault(_post_key(name, singular=True), kind)
    return OfficerLexicon(
        team_words=frozenset(data["team_words"]), role_words=frozenset(data["role_words"]),
        placeholders=frozenset(data["placeholders"]), titles=frozenset(data["titles"]),
        join_particles=frozenset(data["join_particles"]), separators=separator_pattern(data["separators"]),
        small_words=frozenset(data["small_words"]), posts=posts, spellings=spellings,
        post_starts=frozenset(key[0] for key in posts),
        modifiers=frozenset(data["post_modifiers"]), head_nouns=frozenset(data["head_nouns"]),
        not_names=frozenset(data["not_names"]),
        acronym_letters=data["max_acronym_letters"], not_acronyms=frozenset(data["not_acronyms"]),
    )


@lru_cache(maxsize=None)
def _reading_acronyms(lexicon: OfficerLexicon) -> OfficerLexicon:
    return replace(lexicon, acronym_owners=True)


def _is_acronym_owner(text: str, lexicon: OfficerLexicon) -> bool:
    """``OD``, ``ICT``: a short run of capitals, in an owner column, that is no RAG word, month or placeholder."""
    text = text.strip(PUNCTUATION)
    return (lexicon.acronym_owners and 2 <= len(text) <= lexicon.acronym_letters and text.isalpha()
            and text.isupper() and text not in lexicon.not_acronyms and not ROMAN.match(text))


# The user's posts and groups (``[officers]`` of the --glossary file) for this run.
# Set once per document by the pipeline, so every caller of split_officers,
# here and in the extractors, reads the same lexicon.
_user_posts: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


def use_user_posts(posts: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> None:
    global _user_posts
    _user_posts = (tuple(posts), tuple(groups))


def default_lexicon() -> OfficerLexicon:
    return load_lexicon(*_user_posts)


def read_posts_file(path: str | Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A user's posts and groups: the ``[officers]`` table of a TOML file
    (``posts = ["SIRO"]``, ``groups = ["Pupil Panel"]``); absent keys give ``()``."""
    section = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("officers", {})
    return tuple(section.get("posts", ())), tuple(section.get("groups", ()))


def _post_key(text: str, singular: bool = False) -> tuple[str, ...]:
    words = re.sub(r"[^\w&'’-]+", " ", text.lower()).split()
    return tuple(_singular(w) for w in words) if singular else tuple(words)


def post_kind(text: str, lexicon: OfficerLexicon | None = None) -> str | None:
    """``role`` or ``team`` when ``text`` is a post or group of the lexicon (``SENDCo``, ``Heads``, ``All Governors``)."""
    lexicon = lexicon or default_lexicon()
    return lexicon.posts.get(_post_key(text)) or lexicon.posts.get(_post_key(text, singular=True))


def strip_dates(text: str) -> str:
    """Remove dates, timescales and date words from a cell that holds a date and an owner."""
    for pattern in (QUARTER, *DATE_PATTERNS, FINANCIAL_YEAR, ONGOING, BARE_YEAR, *timescale_patterns()):
        text = pattern.sub(" ", text)
    return re.sub(r"\([^()]*\)", " ", text)


def tidy(text: str, lexicon: OfficerLexicon) -> str:
    """Undo spacing and OCR accidents: ``Morgan- Danks`` -> ``Morgan-Danks``,
    ``Mc Guff`` -> ``McGuff``, ``Si1vera`` -> ``Silvera``.  Line breaks are kept."""
    text = OCR_SLIP.sub(lambda m: OCR_DIGITS[m.group(0)], text)
    text = re.sub(r"(\w)[ \t]*-\s+(\w)|(\w)[ \t]+-[ \t]*(?=[A-Z])(\w)?",
                  lambda m: "-".join(filter(None, m.groups())), text)
    particles = "|".join(p.capitalize() for p in lexicon.join_particles)
    text = re.sub(rf"\b({particles})\s+(?=[A-Z][a-z])", r"\1", text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def split_officers(cell: str | None, with_dates: bool = False,
                   lexicon: OfficerLexicon | None = None, acronyms: bool = False) -> tuple[Mention, ...]:
    """The owners of one cell.  ``acronyms``: the cell is in an owner column, so a short
    run of capitals no list knows (``OD``) is an owner too; elsewhere it may be a code."""
    if not cell or not cell.strip():
        return ()
    lexicon = lexicon or default_lexicon()
    if acronyms:
        lexicon = _reading_acronyms(lexicon)
        cell = BRACKETED_CODES.sub(" ", cell)
    text = strip_dates(cell) if with_dates else cell
    text = tidy(_glue_broken_words(ENUMERATOR.sub("", text), lexicon), lexicon)
    mentions: list[Mention] = []
    for chunk in _segments(text, lexicon):
        for part in _split_heads(_trim(chunk), lexicon):
            for piece in _segments(part, lexicon):      # a part cut at a head noun may now split at its separators
                mentions.extend(_chunk_mentions(piece, lexicon))
    return tuple(dict.fromkeys(mentions))


def _glue_broken_words(text: str, lexicon: OfficerLexicon) -> str:
    """A word too wide for a narrow cell breaks mid-word: ``He`` / ``ather Poustie``
    is ``Heather Poustie``.  Only a short capitalised stub followed by a lower-case
    line that is not a word of the lexicon is glued."""
    def glue(m: re.Match) -> str:
        stub, rest = m.group(1), m.group(2)
        known = lexicon.titles | lexicon.role_words | lexicon.team_words | lexicon.small_words
        if stub.lower() in known or _singular(rest.lower()) in known:
            return m.group(0)
        return stub + rest
    return re.sub(r"(?<![\w.])([A-Z][a-z]{0,2})[ \t]*\n[ \t]*([a-z]+)\b", glue, text)


def _segments(text: str, lexicon: OfficerLexicon) -> list[str]:
    """Split at separators and line breaks where each side is an owner on its own."""
    pieces, boundaries = _pieces(text, lexicon)
    segments, start = [], 0
    for i in range(len(boundaries)):
        left = _join(pieces[start:i + 1], boundaries[start:i])
        if _splits(left, pieces[i + 1:], boundaries[i + 1:], boundaries[i], lexicon):
            segments.append(left)
            start = i + 1
    segments.append(_join(pieces[start:], boundaries[start:]))
    return segments


def _pieces(text: str, lexicon: OfficerLexicon) -> tuple[list[str], list[str]]:
    """The cell's pieces and the boundary printed between each two (a separator or a line break)."""
    # a separator's words may wrap onto the next line ("supported" / "by")
    pattern = re.compile("(" + lexicon.separators.pattern.replace(r"\ ", r"\s+") + "|\n)", re.IGNORECASE)
    parts = pattern.split(f" {text.replace(chr(10), ' ' + chr(10) + ' ')} ")
    pieces, boundaries = [parts[0]], []
    for boundary, piece in zip(parts[1::2], parts[2::2]):
        if not pieces[-1].strip() and boundaries:          # two boundaries in a row: keep the separator
            boundaries[-1] = boundary if boundary != "\n" else boundaries[-1]
            pieces[-1] = piece
        else:
            boundaries.append(boundary)
            pieces.append(piece)
    if not pieces[0].strip() and boundaries:
        pieces, boundaries = pieces[1:], boundaries[1:]
    return pieces, boundaries


def _join(pieces: list[str], boundaries: list[str]) -> str:
    text = pieces[0]
    for boundary, piece in zip(boundaries, pieces[1:]):
        text += (" " if boundary == "\n" else boundary) + piece
    return " ".join(text.split())


def _splits(left: str, rest: list[str], boundaries: list[str], boundary: str, lexicon: OfficerLexicon) -> bool:
    left_kind = owner_kind(left, lexicon)
    if not left_kind:
        return False
    for j in range(len(rest)):
        right = _join(rest[:j + 1], boundaries[:j])
        right_kind = owner_kind(right, lexicon) or (
            "acronym" if j == 0 and boundary != "\n" and ACRONYM.match(right.strip(PUNCTUATION)) else None)
        if right_kind:
            # wrapped text breaks anywhere: a line break splits only beside a person or a post,
            # and never inside a post of the lexicon (``Head`` / ``Teacher``)
            return boundary != "\n" or _line_splits(left, left_kind, right, right_kind, lexicon)
    return False


def _line_splits(left: str, left_kind: str, right: str, right_kind: str, lexicon: OfficerLexicon) -> bool:
    """Wrapped text breaks anywhere: a line break splits only beside a post, or
    between two people, or between a person and a phrase that starts with a
    role or team word (``Simon Featherstone`` / ``Chairs of ...``, not ``Kent
    Compact`` / ``BME Sub Group``); never inside a post of the lexicon (``Head`` / ``Teacher``)."""
    if _post_across(left, right, lexicon):
        return False
    if any(_is_acronym_owner(side, lexicon) and not post_kind(side, lexicon) for side in (left, right)):
        return False        # a code on the line beside a name is its team code ("Jane Smith" / "CFS")
    kinds = {left_kind, right_kind}
    if "post" in kinds or kinds == {"person"}:
        return True
    role = left if left_kind == "role" else right
    return kinds == {"person", "role"} and _starts_with_post_word(role, lexicon)


def _starts_with_post_word(text: str, lexicon: OfficerLexicon) -> bool:
    first = _singular(text.split()[0].lower().strip(PUNCTUATION))
    return first in lexicon.role_words | lexicon.team_words or first in lexicon.post_starts


def _post_across(left: str, right: str, lexicon: OfficerLexicon) -> bool:
    before, after = left.split(), right.split()
    return any(post_kind(" ".join(before[-i:] + after[:j]), lexicon)
               for i in range(1, min(3, len(before)) + 1) for j in range(1, min(3, len(after)) + 1))


def owner_kind(text: str, lexicon: OfficerLexicon | None = None) -> str | None:
    """Whether ``text`` is an owner on its own: ``person`` (one name and nothing
    else), ``post`` (a post or group of the lexicon, however short), ``role``
    (two or more words ending in a role or team word), else None.

    >>> [owner_kind(t) for t in ("Heather Poustie", "SENDCo", "Literacy Lead", "Strategic Safeguarding", "Manager")]
    ['person', 'post', 'role', None, None]
    """
    lexicon = lexicon or default_lexicon()
    text = " ".join(text.split()).strip(PUNCTUATION)
    if not text:
        return None
    if post_kind(text, lexicon) or _is_acronym_owner(text, lexicon):
        return "post"
    words = text.split()
    if _is_one_person(text, lexicon):
        return "person"
    lowered = [_singular(w.lower().strip("(),.'’")) for w in words]
    if len(words) < 2 or lowered[-1] in lexicon.modifiers or lowered[-1] in lexicon.small_words:
        return None
    head = lowered[lowered.index("of") - 1] if "of" in lowered[1:] else lowered[-1]
    heads = lexicon.role_words | lexicon.team_words | lexicon.head_nouns
    return "role" if head in heads else None


@lru_cache(maxsize=65536)
def _is_one_person(text: str, lexicon: OfficerLexicon) -> bool:
    words = text.split()
    lexicon_words = lexicon.role_words | lexicon.team_words | lexicon.not_names | lexicon.modifiers
    if not 2 <= len(words) <= 5 or any(_singular(w.lower()) in lexicon_words or post_kind(w, lexicon) for w in words):
        return False
    return _person_names(text, lexicon) == [text if not text.isupper() else text.title()]


def _split_heads(chunk: str, lexicon: OfficerLexicon) -> list[str]:
    """Owners written one after another with no separator: ``Central Policy Unit
    Procurement Forum`` splits after a head noun (Unit, Group, Officer ...)
    that is followed by another capitalised phrase ending in a head noun."""
    words = chunk.split()
    heads = lexicon.role_words | lexicon.team_words
    for i in range(2, len(words) - 1):
        word, following = _singular(words[i - 1].lower()), words[i]
        rest = [_singular(w.lower()) for w in words[i:]]
        if (word in lexicon.head_nouns and following[:1].isupper() and following.lower() not in lexicon.small_words
                and len(rest) >= 2 and rest[-1] in heads):
            return [" ".join(words[:i]), *_split_heads(" ".join(words[i:]), lexicon)]
    return [chunk]


def _trim(chunk: str) -> str:
    """Punctuation and joining words off both ends; a closing bracket stays when it closes
    one opened inside (``Head of Service (Commissioning)``)."""
    trimmed, previous = chunk.strip(PUNCTUATION), None
    while trimmed != previous:
        previous, trimmed = trimmed, ENUMERATOR.sub("", DANGLING.sub("", trimmed)).strip(PUNCTUATION)
    closing = chunk.rstrip(" .:;,")
    if closing.endswith(")") and trimmed and "(" in trimmed and trimmed.count("(") > trimmed.count(")"):
        trimmed += ")"
    return trimmed


def _chunk_mentions(chunk: str, lexicon: OfficerLexicon) -> list[Mention]:
    chunk = _trim(chunk)
    if not chunk or chunk.lower() in lexicon.placeholders:
        return []
    post = post_kind(chunk, lexicon)
    if post:
        return [Mention(chunk, post)]
    if _is_acronym_owner(chunk, lexicon):
        return [Mention(chunk, "team")]
    words = chunk.split()
    if all(ACRONYM.match(w) for w in words) and not (chunk.isupper() and len(words) > 1):
        return [Mention(chunk, "team")] if _role_kind(words, lexicon) else []
    kind = _role_kind(words, lexicon)
    if kind and _reads_as_prose(words, lexicon):
        # a progress note that ends with who did it: "discussed at Team meetings ... Ruth Tykiff"
        names = _person_names(chunk, lexicon)
        if names and chunk.endswith(names[-1]):
            return [Mention(names[-1], "person")]
    if kind:
        person = _person_before_post(words, lexicon)
        if person:          # what follows the name is read as an owner cell of its own
            return [*person, *(m for piece in _segments(" ".join(words), lexicon) for m in _chunk_mentions(piece, lexicon))]
        return [Mention(_strip_junk_tail(chunk), kind)]
    # names are looked for between the separators a stray fragment kept together ("Ann Lee/C")
    spaced = re.sub(r"\s*([/,;|+])\s*", r" \1 ", chunk)
    return [Mention(name, "person") for name in _person_names(spaced, lexicon)]


def _reads_as_prose(words: list[str], lexicon: OfficerLexicon) -> bool:
    return len(words) >= 6 and sum(w.islower() and w not in lexicon.small_words for w in words) >= 3


def _person_before_post(words: list[str], lexicon: OfficerLexicon) -> list[Mention]:
    """``Simon Featherstone Chairs of Directorate Equality Groups``: a name printed
    directly before a post is its own owner.  Removes the name from ``words``."""
    for size in (3, 2):
        name, rest = words[:size], words[size:]
        if (len(rest) >= 1 and _singular(rest[0].lower()) in lexicon.role_words | lexicon.post_starts
                and not any(w.lower() in lexicon.not_names for w in name)
                and _is_one_person(" ".join(name), lexicon) and owner_kind(" ".join(rest), lexicon)):
            words[:size] = []
            return [Mention(" ".join(name), "person")]
    return []


def _role_kind(words: list[str], lexicon: OfficerLexicon) -> str | None:
    """``team`` or ``role`` by the head noun (the last word before ``of``), else by any word or one-word post."""
    lowered = [_singular(w.lower().strip("(),.'’")) for w in words]
    head = lowered[:lowered.index("of")] if "of" in lowered[1:] else lowered
    for candidates in (head[-1:], lowered):
        if any(w in lexicon.role_words for w in candidates):
            return "role"
        if any(w in lexicon.team_words for w in candidates):
            return "team"
    # a one-word post of the lexicon (``SBM``, ``DSL``) makes the chunk a post too
    return next((kind for kind in (post_kind(w, lexicon) for w in words) if kind), None)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 and not word.endswith("ss") else word


def _strip_junk_tail(chunk: str) -> str:
    """``EDAG/EDWG)`` -> ``EDAG/EDWG``: a closing bracket that closes nothing."""
    while chunk.endswith((")", "]")) and chunk.count(chunk[-1]) > chunk.count("(" if chunk[-1] == ")" else "["):
        chunk = chunk[:-1].rstrip()
    return chunk


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

    # Owner names keep their hyphens and full stops ("Morgan-Danks", "L."): split on spaces
    # only.  Named in the config, so blank English never builds the punctuation rules it
    # would throw away (a twentieth of a second in every reader's start).
    @spacy.registry.tokenizers("council_plans.spaces_only")
    def spaces_only():
        return lambda nlp: Tokenizer(nlp.vocab)

    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "council_plans.spaces_only"}}})


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
    """Role and team names in one case: ``Service managers`` -> ``Service Managers``, ``HR team`` -> ``HR Team``;
    a post of the lexicon as the lexicon spells it (``SENDCO`` -> ``SENDCo``)."""
    lexicon = lexicon or default_lexicon()
    listed = lexicon.spellings.get(_post_key(text))
    if listed:
        return listed
    words = []
    for i, word in enumerate(text.split()):
        if word.isupper() and len(word) > 1:
            words.append(word)
        elif i and word.lower() in lexicon.small_words:
            words.append(word.lower())
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)
