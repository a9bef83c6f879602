import pytest
from hypothesis import given, strategies as st

from normalisers.officers import split_officers
from normalisers.reconcile import OfficerMention, infer_councils, reconcile


@pytest.mark.parametrize("cell, with_dates, expected", [
    ("Pauline Sharrat Jane Prasher Ruth Tykiff", False, ["Pauline Sharrat", "Jane Prasher", "Ruth Tykiff"]),  # no separators
    ("Ian McGuff / Rosina Ottwell", False, ["Ian McGuff", "Rosina Ottwell"]),
    ("(Ian McGuff and HR team)", False, ["Ian McGuff", "HR team"]),
    ("Chairs of Directorate Equality Groups, supported by Equality Standard Steering Group", False,
     ["Chairs of Directorate Equality Groups", "Equality Standard Steering Group"]),
    ("David Silvera EDAG/EDWG)", False, ["David Silvera"]),             # junk after a name
    ("Ian Mc Guff", False, ["Ian McGuff"]),
    ("Lisa Morgan- Danks", False, ["Lisa Morgan-Danks"]),
    ("Mrs P Sharratt", False, ["Mrs P Sharratt"]),
    ("DAVID SILVERA", False, ["David Silvera"]),
    ("Training and Development Manager", False, ["Training and Development Manager"]),
    ("Central Policy Unit Procurement Forum", False, ["Central Policy Unit", "Procurement Forum"]),
    ("Service managers", False, ["Service managers"]),
    ("To be assigned", False, []),
    ("TBA", False, []),
    ("", False, []),
    ("March 2012 Mike Galikowski", True, ["Mike Galikowski"]),             # date and officer in one cell
    ("Mar 2011\nMr D. Silvera / Mike Wod", True, ["Mr D. Silvera", "Mike Wod"]),
    ("Ongoing\nP Chalkley", True, ["P Chalkley"]),
])
def test_split(cell, with_dates, expected):
    assert [m.text for m in split_officers(cell, with_dates=with_dates)] == expected


@pytest.mark.parametrize("cell, kind", [
    ("Ian McGuff", "person"), ("HR team", "team"), ("All Managers", "role"),
    ("Inclusive Services Policy Manager", "role"), ("Procurement Forum", "team"),
])
def test_kind(cell, kind):
    assert split_officers(cell)[0].kind == kind


def _registry(*spellings, council="Dudley"):
    mentions = [OfficerMention(council, m.text, m.kind, f"doc{i}")
                for i, s in enumerate(spellings) for m in split_officers(s)]
    return reconcile(mentions)


def test_variants_reconcile_to_the_full_spelling():
    registry = _registry("Ian Mc Guff", "Ian McGuff", "Pauline Sharrat", "Pauline Sharratt", "P. Sharratt",
                         "Mrs P Sharratt", "Lisa Morgan- Danks", "Lisa Morgan-Danks", "DAVID SILVERA", "David Silvera")
    assert registry.canonical("Dudley", "P. Sharratt") == "Pauline Sharratt"
    assert registry.canonical("Dudley", "Mrs P Sharratt") == "Pauline Sharratt"
    assert registry.canonical("Dudley", "Pauline Sharrat") == "Pauline Sharratt"
    assert registry.canonical("Dudley", "Ian McGuff") == "Ian McGuff"
    assert registry.canonical("Dudley", "David Silvera") == "David Silvera"


def test_people_sharing_a_surname_stay_apart():
    registry = _registry("J Porter", "Jane Porter", "John Porter")
    assert registry.canonical("Dudley", "J Porter") == "J Porter"
    assert registry.canonical("Dudley", "Jane Porter") != registry.canonical("Dudley", "John Porter")


def test_roles_fold_case_and_qualifier_plurals_but_keep_head_number():
    registry = _registry("Heads of Services", "Heads of Service", "Heads of Service", "Service Manager", "Service Managers")
    assert registry.canonical("Dudley", "Heads of Services") == "Heads of Service"
    assert registry.canonical("Dudley", "Service Manager") != registry.canonical("Dudley", "Service Managers")


def test_reconciliation_stays_within_a_council():
    mentions = [OfficerMention("A", "P Smith", "person", "1"), OfficerMention("B", "Paul Smith", "person", "2")]
    assert reconcile(mentions).canonical("A", "P Smith") == "P Smith"


def test_council_inferred_from_shared_people():
    mentions = [OfficerMention("Dudley", n, "person", "known") for n in ("Ian McGuff", "Jane Prasher")]
    mentions += [OfficerMention(None, n, "person", "orphan") for n in ("Ian McGuff", "J. Prasher")]
    assert infer_councils(mentions) == {"orphan": "Dudley"}


@given(st.text(max_size=60))
def test_split_never_raises_and_is_idempotent(text):
    once = [m.text for m in split_officers(text)]
    assert [m.text for cell in once for m in split_officers(cell)] == once


def test_a_known_name_is_canonical():
    mentions = [OfficerMention("Dudley", "Steve Lockwod", "person", "d1"), OfficerMention("Dudley", "Steve Lockwod", "person", "d2"),
                OfficerMention("Dudley", "Steve Lockwood", "person", known=True)]
    registry = reconcile(mentions)
    assert registry.canonical("Dudley", "Steve Lockwod") == "Steve Lockwood"
    owner = registry.by_spelling[("Dudley", "Steve Lockwod")]
    assert dict(owner.variants) == {"Steve Lockwod": 2}          # variants are what documents printed
