import pytest
from hypothesis import given, settings, strategies as st

from normalisers.officers import load_lexicon, owner_kind, read_posts_file, split_officers
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


@settings(deadline=None)
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


@pytest.mark.parametrize("cell, expected", [
    # one post, however many "and"s: no side is an owner on its own
    ("Strategic Safeguarding and Quality Assurance Manager", ["Strategic Safeguarding and Quality Assurance Manager"]),
    ("Health and Safety Officer", ["Health and Safety Officer"]),
    ("HR and Finance Manager", ["HR and Finance Manager"]),
    ("Head of Finance and Performance", ["Head of Finance and Performance"]),
    ("Learning and\nWellbeing Committee", ["Learning and Wellbeing Committee"]),
    # two owners: each side stands alone
    ("Clerk/Martha Quill", ["Clerk", "Martha Quill"]),
    ("Finance Officer and SBM", ["Finance Officer", "SBM"]),
    ("Olu Adeyemi and Head", ["Olu Adeyemi", "Head"]),
    ("Youth Worker, supported by SENCo", ["Youth Worker", "SENCo"]),
    ("Priya Natt and HR", ["Priya Natt", "HR"]),                       # an acronym after a person
    ("Priya Natt/C", ["Priya Natt"]),                                   # a stray fragment after a name
])
def test_and_slash_split_only_between_owners(cell, expected):
    assert [m.text for m in split_officers(cell)] == expected


@pytest.mark.parametrize("cell, kind", [
    ("SENDCo", "role"), ("SENCO", "role"), ("SBM", "role"), ("Clerk", "role"), ("Head", "role"),
    ("Headteacher", "role"), ("DPH", "role"), ("Chair", "role"), ("DSL", "role"), ("Caldicott Guardian", "role"),
    ("Matron", "role"), ("All Governors", "team"), ("SLT", "team"), ("Governors", "team"), ("All", "team"),
])
def test_one_word_and_acronym_posts_are_owners(cell, kind):
    assert [(m.text, m.kind) for m in split_officers(cell)] == [(cell, kind)]


@pytest.mark.parametrize("cell, expected", [
    ("SENDCo\nDyslexia\nSpecialist\nTeacher\nSLT", ["SENDCo", "Dyslexia Specialist Teacher", "SLT"]),
    ("Outdoor\nLearning\nLead", ["Outdoor Learning Lead"]),             # wrapped words of one post
    ("Phase\nLeaders", ["Phase Leaders"]),
    ("Art\nlead", ["Art lead"]),
    ("Deputy\nHead\nTeacher", ["Deputy Head Teacher"]),               # never inside a post of the lexicon
    ("Head\nTeacher", ["Head Teacher"]),
    ("Clerk\nHead", ["Clerk", "Head"]),
    ("Bursar\nNorah Blick\nClerk\nClerk", ["Bursar", "Norah Blick", "Clerk"]),
    ("Norah\nBlick/Clerk", ["Norah Blick", "Clerk"]),                   # a name wrapped in a narrow cell
    ("Clerk/Tom\nVarley", ["Clerk", "Tom Varley"]),
    ("Ana\nPrice/Tom\nVarley/Ed\nMunro", ["Ana Price", "Tom Varley", "Ed Munro"]),
    ("Ana Price/\nTom Varley/\nEd Munro.", ["Ana Price", "Tom Varley", "Ed Munro"]),
    ("Tom\nVarley/Ma\nrtha Quill", ["Tom Varley", "Martha Quill"]),     # a word broken mid-way
    ("Ward Projects\nAudit Sub Group", ["Ward Projects Audit Sub Group"]),  # two capitalised words are not a name here
    ("Panels of Service\nUser Groups", ["Panels of Service User Groups"]),
    ("Tom Varley\nChairs of Service User Panels", ["Tom Varley", "Chairs of Service User Panels"]),
    ("Equality Steering Group, supported\nby Data Officer", ["Equality Steering Group", "Data Officer"]),
])
def test_stacked_lines_become_the_owners_they_form(cell, expected):
    assert [m.text for m in split_officers(cell)] == expected


@pytest.mark.parametrize("cell, expected", [
    ("Tom Varley Chairs of Service User Panels", ["Tom Varley", "Chairs of Service User Panels"]),
    ("Ana Price Head of Service", ["Ana Price", "Head of Service"]),
    ("Ana Price Staff Care Manager", ["Ana Price", "Staff Care Manager"]),
    ("Business Support Head of Service", ["Business Support Head of Service"]),   # a qualifier, not a name
    ("Family Support Worker", ["Family Support Worker"]),
    ("Early Help Team Leader", ["Early Help Team Leader"]),
    ("Art Lead Westshire County Council", ["Art Lead", "Westshire County Council"]),   # a post, then an organisation
    ("Sports Coordinator Active Schools Partnership", ["Sports Coordinator", "Active Schools Partnership"]),
])
def test_a_person_or_post_printed_before_another_owner_splits_there(cell, expected):
    assert [m.text for m in split_officers(cell)] == expected


@pytest.mark.parametrize("cell, expected", [
    ("c. Clerk", ["Clerk"]), ("(d) Tom Varley", ["Tom Varley"]),        # lettered sub-items
    ("Nora Ga1e", ["Nora Gale"]), ("Tom Var1ey", ["Tom Varley"]),   # OCR digit slips
    ("R0sa Kemp", ["Rosa Kemp"]), ("KS1 Lead", ["KS1 Lead"]),           # a digit in a code stays
])
def test_prefixes_and_ocr_slips(cell, expected):
    assert [m.text for m in split_officers(cell)] == expected


@pytest.mark.parametrize("cell, expected", [
    ("Ongoing - raised at Team meetings so that staff know where to look Nora Gale", ["Nora Gale"]),
    ("Head of service for children with disabilities", ["Head of service for children with disabilities"]),
    ("Ann Lee online units of work for teams £159", ["Ann Lee online units of work for teams £159"]),  # a name first is not who did it
])
def test_a_note_that_ends_with_a_name_gives_the_name(cell, expected):
    assert [m.text for m in split_officers(cell, with_dates=True)] == expected


@pytest.mark.parametrize("cell, expected", [
    ("Head of Service (Commissioning)", ["Head of Service (Commissioning)"]),   # a bracket it opened stays
    ("Designated Safeguarding Lead (DSL)", ["Designated Safeguarding Lead (DSL)"]),
    ("(Nora Gale and HR Team)", ["Nora Gale", "HR Team"]),                    # brackets around the cell go
    ("Nora Gale PQRS/TUVW)", ["Nora Gale"]),                                  # a bracket that closes nothing goes
])
def test_brackets(cell, expected):
    assert [m.text for m in split_officers(cell)] == expected


@pytest.mark.parametrize("cell", ["asap Clerk", "Q3 2024/25 Clerk", "By Summer 2020\nClerk", "Termly - Clerk"])
def test_timescales_beside_an_owner_are_not_owners(cell):
    assert [m.text for m in split_officers(cell, with_dates=True)] == ["Clerk"]


@pytest.mark.parametrize("text, kind", [
    ("Tom Varley", "person"), ("SBM", "post"), ("All Governors", "post"), ("Literacy Lead", "role"),
    ("Heads of Adult Care", "role"), ("Strategic Safeguarding", None), ("Manager", None), ("Deputy", None), ("", None),
])
def test_owner_kind(text, kind):
    assert owner_kind(text) == kind


def test_user_posts_extend_the_lexicon(tmp_path):
    path = tmp_path / "glossary.toml"
    path.write_text('[divisions]\nQPP = "Quality"\n\n[officers]\nposts = ["PCSO"]\ngroups = ["Pupil Parliament"]\n')
    posts, groups = read_posts_file(path)
    lexicon = load_lexicon(posts, groups)
    assert split_officers("PCSO") == ()                                   # unknown acronym: dropped
    assert [(m.text, m.kind) for m in split_officers("PCSO/Pupil Parliament", lexicon=lexicon)] == [
        ("PCSO", "role"), ("Pupil Parliament", "team")]


@settings(deadline=None)
@given(st.lists(st.sampled_from(["Clerk", "SBM", "Tom Varley", "Literacy Lead", "Ana", "Price", "Head", "of",
                                 "Service", "and", "/", "\n", "Deputy", "All Governors", "Ma", "rtha"]), max_size=8))
def test_split_of_owner_words_never_raises_and_is_idempotent(words):
    once = [m.text for m in split_officers(" ".join(words))]
    assert [m.text for cell in once for m in split_officers(cell)] == once


def test_a_post_without_a_name_stays_within_its_body():
    mentions = [OfficerMention("Ashby School", "Clerk", "role", "a1"), OfficerMention("Ashby School", "clerk", "role", "a2"),
                OfficerMention("Brook Council", "Clerk", "role", "b1"),
                OfficerMention(None, "Clerk", "role", "c1"), OfficerMention(None, "Clerk", "role", "d1")]
    registry = reconcile(mentions)
    ids = {registry.officer_id(m.council, m.text, m.doc_id) for m in mentions}
    assert len(ids) == 4                                   # Ashby's two spellings are one owner; the rest apart
    assert registry.officer_id("Ashby School", "clerk", "a2") == "clerk--ashby-school"
    assert registry.canonical(None, "Clerk", "c1") == "Clerk"


def test_a_person_keeps_a_plain_id():
    registry = reconcile([OfficerMention("Ashby School", "Tom Varley", "person", "a1")])
    assert registry.officer_id("Ashby School", "Tom Varley", "a1") == "tom-varley"


@pytest.mark.parametrize("spellings, same", [
    (("David Silvera", "David Si1vera"), True),          # an OCR slip is the same person
    (("David Silvera", "David Silvia"), False),          # a different surname is a different person
    (("David Silvera", "Diane Silvera"), False),         # so is a different given name
])
def test_ocr_slips_reconcile_without_merging_people(spellings, same):
    mentions = [OfficerMention("Dudley", m.text, m.kind, f"doc{i}")
                for i, s in enumerate(spellings) for m in split_officers(s)]
    registry = reconcile(mentions)
    names = {registry.canonical("Dudley", m.text) for m in mentions}
    assert (len(names) == 1) is same


@pytest.mark.parametrize("spellings, canonical", [
    (("SENDCO", "Sendco"), "SENDCo"),                   # a post of the lexicon as the lexicon spells it
    (("sbm",), "SBM"),
    (("Art lead", "Art Lead"), "Art Lead"),
])
def test_posts_display_in_one_spelling(spellings, canonical):
    mentions = [OfficerMention("Ashby School", s, "role", f"d{i}") for i, s in enumerate(spellings)]
    registry = reconcile(mentions)
    assert {registry.canonical("Ashby School", s) for s in spellings} == {canonical}


@pytest.mark.parametrize("cell, expected", [
    ("OD", ["OD"]),                                  # a team code no list knows
    ("QAT / Ann Pryce", ["QAT", "Ann Pryce"]),
    ("SLT/FINCO", ["SLT", "FINCO"]),
    ("Tom Birch\nEWS", ["Tom Birch"]),              # a code on the line under a name is its team code
    ("EWS", ["EWS"]),
    ("March 2026 PMO", ["PMO"]),                     # a date cell's owner, dates taken out first
    ("TBC", []), ("N/A", []), ("RED", []), ("AMBER", []), ("ASAP", []), ("SEPT", []), ("NONE", []),
    ("IV", []),                                       # a numeral
    ("ABCDEFG", []),                                  # too long to be a short code
    ("Ann Pryce (QAT)", ["Ann Pryce"]),              # capitals in brackets are a note on the owner
    ("Ann Pryce\nQAT/EWS)", ["Ann Pryce"]),           # ... even when the bracket was cut off
])
def test_short_capitals_in_an_owner_column_are_owners(cell, expected):
    assert [m.text for m in split_officers(cell, with_dates=True, acronyms=True)] == expected


@pytest.mark.parametrize("cell", ["OD", "QAT", "EWS"])
def test_short_capitals_elsewhere_are_not_read_as_owners(cell):
    # a division or team code column must not read as owners when columns are scored by content
    assert split_officers(cell) == ()
