"""Reconcile officer spellings across every document of a council.

Input: mentions ``(council, spelling, kind)``; output: a `Registry` mapping
each spelling to one canonical owner.  People are grouped by full given name
and a fuzzy surname (rapidfuzz, blocked by given name and the first letter of
the surname, so the work grows with the size of a block, not the square of
the corpus); a spelling with only an initial (``P. Sharratt``, ``Mrs P
Sharratt``) joins a person only when exactly one known person fits, so two
people sharing a surname stay apart.  Roles and teams are grouped by their
words, singular and case-folded (``Heads of Services`` = ``Heads of Service``).
The canonical spelling is the best attested: most mentions, then most
documents, then the longest.

A post or team with no person's name (``Clerk``, ``Head``, ``DPH``) belongs
to the body that published it: it is reconciled only within its council, or
within its own document when the document names no council, and its
``officer_id`` carries that body (``clerk--decoy-primary-school``), so the
clerks of two bodies are two owners.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz, process

from .officers import _singular, display_role, load_lexicon

SURNAME_SIMILARITY = 85.0


@dataclass(frozen=True)
class OfficerMention:
    council: str | None
    text: str
    kind: str
    doc_id: str = ""
    known: bool = False     # from the user's list of known names: its spelling is canonical


@dataclass
class Owner:
    name: str
    kind: str
    variants: Counter = field(default_factory=Counter)
    docs: dict = field(default_factory=lambda: defaultdict(set))
    councils: set = field(default_factory=set)
    body: str | None = None     # the publishing body of a post or team: a council, or "document <doc_id>"

    @property
    def officer_id(self) -> str:
        if self.kind == "person" or not self.body:
            return slug(self.name)
        return f"{slug(self.name)}--{slug(self.body)}"


def body_of(council: str | None, kind: str, doc_id: str = "") -> str | None:
    """Where an owner is reconciled: people within a council (as before), posts and
    teams within their council, or their own document when it names no council."""
    if council is not None or kind == "person":
        return council
    return f"document {doc_id[:16]}"


@dataclass
class Registry:
    by_spelling: dict[tuple[str | None, str], Owner]

    def owner(self, council: str | None, text: str, doc_id: str = "") -> Owner | None:
        found = self.by_spelling.get((council, text))
        if found is None and council is None:
            found = self.by_spelling.get((body_of(None, "role", doc_id), text))
        return found

    def canonical(self, council: str | None, text: str, doc_id: str = "") -> str:
        owner = self.owner(council, text, doc_id)
        return owner.name if owner else text

    def officer_id(self, council: str | None, text: str, doc_id: str = "") -> str:
        owner = self.owner(council, text, doc_id)
        return owner.officer_id if owner else slug(text)

    def owners(self) -> list[Owner]:
        unique = {id(o): o for o in self.by_spelling.values()}
        return sorted(unique.values(), key=lambda o: o.officer_id)


def _letters(text: str) -> str:
    return re.sub(r"[^A-Za-z]", "", text if " " not in text else text.split(" ", 1)[1])


def slug(name: str) -> str:
    """``Ian McGuff`` -> ``ian-mcguff``; stable for the same name in every run."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("’", "").replace("'", "")).strip("-")


@dataclass(frozen=True)
class PersonName:
    given: str          # without the title; an initial keeps no full stop
    surname: str

    @property
    def is_initial(self) -> bool:
        return len(self.given) == 1

    @property
    def surname_key(self) -> str:
        return re.sub(r"[^a-z]", "", self.surname.lower())

    def display(self) -> str:
        return f"{self.given} {self.surname}"


@lru_cache(maxsize=65536)
def parse_person(text: str) -> PersonName | None:
    titles = load_lexicon().titles
    words = [w for w in text.replace(".", ". ").split() if w.strip(".").lower() not in titles]
    words = [w.strip(".") for w in words if w.strip(".")]
    if len(words) < 2:
        return None
    return PersonName(given=words[0], surname=" ".join(words[1:]))


def infer_councils(mentions: list[OfficerMention], min_shared: int = 2) -> dict[str, str]:
    """A council for documents that name none: the council whose documents share
    the most people (by surname) with it, when at least ``min_shared`` do."""
    surnames: dict[str | None, set[str]] = defaultdict(set)
    orphans: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        person = parse_person(m.text) if m.kind == "person" else None
        if person is None:
            continue
        (orphans[m.doc_id] if m.council is None else surnames[m.council]).add(person.surname_key)
    found = {}
    for doc_id, keys in orphans.items():
        shared = {c: len(keys & known) for c, known in surnames.items()}
        best = max(shared, key=shared.get, default=None)
        if best is not None and shared[best] >= min_shared:
            found[doc_id] = best
    return found


def reconcile(mentions: Iterable[OfficerMention]) -> Registry:
    groups: dict[tuple[str, str | None], list[OfficerMention]] = defaultdict(list)
    for m in mentions:
        if m.kind == "person" and parse_person(m.text):
            groups[("person", m.council)].append(m)
        else:
            groups[("post", body_of(m.council, m.kind, m.doc_id))].append(m)
    by_spelling: dict[tuple[str | None, str], Owner] = {}
    for (kind, body), items in groups.items():
        owners = _reconcile_people(items) if kind == "person" else _reconcile_roles(items)
        for owner, spellings in owners:
            owner.councils.add(items[0].council)
            owner.body = body if kind == "post" else None
            for spelling in spellings:
                by_spelling[(body, spelling)] = owner
    return Registry(by_spelling)


@dataclass
class Attestation:
    """How often and where each spelling was printed; which the user declared known."""
    counts: Counter
    docs: dict
    known: set


def _attest(items: list[OfficerMention]) -> Attestation:
    counts: Counter = Counter({m.text: 0 for m in items})
    docs: dict = defaultdict(set)
    for m in items:
        if not m.known:
            counts[m.text] += 1
            docs[m.text].add(m.doc_id)
    return Attestation(counts, docs, {m.text for m in items if m.known})


def _reconcile_people(items: list[OfficerMention]):
    seen = _attest(items)
    parsed = {text: parse_person(text) for text in seen.counts}
    full = {t: p for t, p in parsed.items() if not p.is_initial}
    clusters = _cluster_full_names(full)
    initials = {t: p for t, p in parsed.items() if p.is_initial}
    for text, person in initials.items():
        fits = [c for c in clusters if _initial_fits(person, c, full)]
        if len(fits) == 1:
            fits[0].append(text)
        else:
            clusters.append([text])
    for spellings in clusters:
        yield _owner(spellings, seen, "person", lambda best: parsed[best].display() if best in full else best), spellings


def _cluster_full_names(full: dict[str, PersonName]) -> list[list[str]]:
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for text, person in full.items():
        blocks[(person.given.lower(), person.surname_key[:1])].append(text)
    clusters: list[list[str]] = []
    for texts in blocks.values():
        keys = [full[t].surname_key for t in texts]
        assigned: dict[int, int] = {}
        for i, key in enumerate(keys):
            if i in assigned:
                continue
            assigned[i] = len(clusters)
            clusters.append([texts[i]])
            for _, _, j in process.extract(key, keys, scorer=fuzz.ratio, limit=None,
                                               score_cutoff=SURNAME_SIMILARITY):
                if j not in assigned:
                    assigned[j] = assigned[i]
                    clusters[-1].append(texts[j])
    return clusters


def _initial_fits(person: PersonName, cluster: list[str], full: dict[str, PersonName]) -> bool:
    member = full.get(cluster[0])
    if member is None or member.given[0].lower() != person.given[0].lower():
        return False
    return fuzz.ratio(member.surname_key, person.surname_key) >= SURNAME_SIMILARITY


def _reconcile_roles(items: list[OfficerMention]):
    seen = _attest(items)
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for text in seen.counts:
        groups[_role_key(text)].append(text)
    kinds = {m.text: m.kind for m in items}
    for spellings in groups.values():
        kind = Counter(kinds[s] for s in spellings).most_common(1)[0][0]
        yield _owner(spellings, seen, kind, display_role), spellings


def _role_key(text: str) -> tuple[str, ...]:
    """Case and plural of the qualifiers fold; the head noun keeps its number
    (``Service Manager`` and ``Service Managers`` are different owners)."""
    words = re.sub(r"[^\w&]+", " ", text.lower().replace("&", " and ")).split()
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    return tuple(w if i == head else _singular(w) for i, w in enumerate(words))


def _owner(spellings, seen: Attestation, kind, display) -> Owner:
    # A spelling the user declared known wins.  Otherwise, a misspelt name mostly
    # drops a letter or a mark (Sharrat, Ottwel, ODonnell): among a person's full
    # spellings the longest wins.  Roles go by attestation alone.
    counts, docs = seen.counts, seen.docs
    known = [s for s in spellings if s in seen.known]
    if known:
        best = known[0]
    elif kind == "person":
        full = [s for s in spellings if not parse_person(s).is_initial] or spellings
        best = max(full, key=lambda s: (len(_letters(s)), len(s), counts[s], len(docs[s]), s))
    else:
        best = max(spellings, key=lambda s: (counts[s], len(docs[s]), s))
    owner = Owner(name=display(best), kind=kind)
    for s in spellings:
        if counts[s]:                       # variants are spellings printed in documents
            owner.variants[s] += counts[s]
            owner.docs[s] |= docs[s]
    return owner
