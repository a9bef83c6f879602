"""What a reviewer should look at, per action and KPI: the ``flags`` column.

Every flag is decided here, from fields of the record, so a new kind of
evidence is one more line in one place:

| flag | evidence | decided |
|---|---|---|
| ``due_unparsed`` | a due cell was printed but gave no month and no ``ongoing`` | per document |
| ``row_split_across_pages`` | the row was joined from two pages (`extractors.stitch`) | per document |
| ``ocr_text`` | the row's text came from OCR (the document's, or the row's page's) | per document |
| ``role_from_content`` | a column the row was read from got its role from its cells, not its header | per document |
| ``officer_unresolved`` | an owner cell gave no owner and is no placeholder, or a person named by an initial matches no full name of the council | after reconciliation |
| ``ambiguous_owner`` | a person named by an initial fits several full names of the council | after reconciliation |

Record flags are computed when the document is read; owner flags when the
officers are reconciled over the whole output root (`pipeline.derived.officers`).
"""
from __future__ import annotations

import re
from collections import defaultdict

import pyarrow as pa

from normalisers.officers import load_lexicon
from rapidfuzz import fuzz

from normalisers.reconcile import SURNAME_SIMILARITY, PersonName, parse_person

FLAGS = ("due_unparsed", "officer_unresolved", "ambiguous_owner", "row_split_across_pages", "ocr_text",
         "role_from_content")
OWNER_FLAGS = frozenset({"officer_unresolved", "ambiguous_owner"})
LETTERS = re.compile(r"[A-Za-z]")


def ordered(flags: set[str]) -> list[str]:
    return [f for f in FLAGS if f in flags]


def record_flags(*, due_raw: str | None = None, due_month=None, due_status: str | None = None,
                 split_across_pages: bool = False, ocr: bool = False,
                 roles_from_content: tuple[str, ...] = ()) -> list[str]:
    flags = set()
    if due_raw and due_raw.strip() and due_month is None and due_status is None:
        flags.add("due_unparsed")
    if split_across_pages:
        flags.add("row_split_across_pages")
    if ocr:
        flags.add("ocr_text")
    if roles_from_content:
        flags.add("role_from_content")
    return ordered(flags)


class CouncilPeople:
    """The full names of people known in each council, to judge names given by an initial."""

    def __init__(self, names_by_council: dict[str | None, set[str]]) -> None:
        self.people: dict[str | None, list[PersonName]] = defaultdict(list)
        for council, names in names_by_council.items():
            for name in names:
                person = parse_person(name)
                if person is not None and not person.is_initial:
                    self.people[council].append(person)

    def matches(self, council: str | None, person: PersonName) -> int:
        """How many of the council's people an initial and surname could be (as reconciliation judges it)."""
        initial = person.given[0].lower()
        return sum(1 for p in self.people.get(council, []) if p.given[0].lower() == initial
                   and fuzz.ratio(p.surname_key, person.surname_key) >= SURNAME_SIMILARITY)


def owner_flags(officers_raw: str | None, officers: list[str] | None, council: str | None,
                people: CouncilPeople) -> set[str]:
    """``officers`` are canonical: a name still given by an initial was not resolved to one person."""
    flags = set()
    if not officers and officers_raw and LETTERS.search(officers_raw) and not _is_placeholder(officers_raw):
        flags.add("officer_unresolved")
    for name in officers or []:
        person = parse_person(name)
        if person is None or not person.is_initial:
            continue
        fits = people.matches(council, person)
        flags.add("ambiguous_owner" if fits > 1 else "officer_unresolved")
    return flags


def _is_placeholder(text: str) -> bool:
    return " ".join(text.lower().replace(".", " ").split()).strip(" -?") in load_lexicon().placeholders


def with_owner_flags(table: pa.Table, people: CouncilPeople, councils: list[str | None]) -> pa.Table:
    """``table`` (actions or KPIs, canonical officers set) with its owner flags recomputed."""
    rows = table.select(["officers_raw", "officers", "flags"]).to_pylist()
    flags = [ordered((set(r["flags"] or []) - OWNER_FLAGS)
                     | owner_flags(r["officers_raw"], r["officers"], council, people))
             for r, council in zip(rows, councils)]
    index = table.schema.get_field_index("flags")
    return table.set_column(index, table.schema.field("flags"), pa.array(flags, pa.list_(pa.string())))
