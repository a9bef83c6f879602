import pytest
from hypothesis import given, strategies as st

from normalisers.divisions import learn_glossary, read_glossary_file, split_divisions


@pytest.mark.parametrize("cell, codes", [
    ("EYYES - CSS", ("EYYES", "CSS")),
    ("CSS/EYYES", ("CSS", "EYYES")),
    ("PPI / Resources", ("PPI", "RESOURCES")),
    ("QPP & BSR", ("QPP", "BSR")),
    ("All divisions", ("ALL",)),
    ("Directorate response", ("DIRECTORATE",)),
    ("TBA", ()),
    ("To be arranged", ()),
    ("", ()),
])
def test_split(cell, codes):
    assert split_divisions(cell) == codes


def test_glossary_learned_from_the_document():
    glossary = learn_glossary(["Early Years, Youth and Extended Services (EYYES) leads this."], set())
    assert split_divisions("Early Years, Youth and Extended Services", glossary) == ("EYYES",)
    by_initials = learn_glossary(["Children's Specialist Services"], {"CSS"})
    assert split_divisions("Children's Specialist Services / PPI", by_initials) == ("CSS", "PPI")


def test_user_glossary_file(tmp_path):
    path = tmp_path / "glossary.toml"
    path.write_text('[divisions]\nQPP = ["Quality, Performance and Planning", "Quality & Performance"]\n')
    assert split_divisions("Quality & Performance", read_glossary_file(path)) == ("QPP",)


@given(st.text(max_size=60))
def test_never_raises_and_is_idempotent(text):
    codes = split_divisions(text)
    assert split_divisions(" / ".join(codes)) == codes
