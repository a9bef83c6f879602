"""The worked analyses in notebooks/ (jupytext plain-text notebooks) run top to
bottom on the bundled samples, each drawing its plot."""
import jupytext
import matplotlib
import pytest

from tests.conftest import ROOT
from tests.test_notebook import run_cell

matplotlib.use("Agg")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))


def test_there_are_worked_analyses():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_samples(path, samples_out, monkeypatch):
    import matplotlib.pyplot as plt
    monkeypatch.setenv("PIPELINE_DATA", str(samples_out))
    plt.close("all")
    namespace: dict = {}
    results = [run_cell(cell.source, namespace) for cell in jupytext.read(path).cells if cell.cell_type == "code"]
    frames = [r for r in results if hasattr(r, "__len__")]
    assert frames and all(len(frame) > 0 for frame in frames), path.name    # every question has an answer
    figures = [plt.figure(n) for n in plt.get_fignums()]
    assert figures and all(f.axes and any(a.has_data() for a in f.axes) for f in figures)
    plt.close("all")
