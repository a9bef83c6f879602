"""The README's generated parts agree with the code: the data dictionary with the
Arrow schemas, each example question's printed output with a real run on the
bundled samples.  When one fails, `python -m pipeline.docs` regenerates both."""
import pytest

from pipeline.docs import README, dictionary_in, examples_in, render_dictionary, run_example
from pipeline.schema import ALL

TEXT = README.read_text(encoding="utf-8")


def test_data_dictionary_matches_the_schemas():
    assert dictionary_in(TEXT) == render_dictionary(), "run: python -m pipeline.docs"
    for dataset, schema in ALL.items():
        for field in schema:
            assert f"| `{field.name}` |" in dictionary_in(TEXT), (dataset, field.name)


def test_there_are_ten_example_questions():
    assert len(examples_in(TEXT)) >= 10


@pytest.mark.parametrize("command, printed", examples_in(TEXT), ids=lambda v: str(v)[:60])
def test_example_prints_what_the_readme_shows(command, printed, samples_out):
    assert run_example(command, samples_out) == printed, "run: python -m pipeline.docs"
