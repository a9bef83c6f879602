"""The analyst notebook's code runs against real output, so its examples stay true."""
import ast
import json
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def run_cell(source: str, namespace: dict):
    """Like Jupyter: run the cell, and give back the value of a final expression."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


def test_notebook_cells_run(cases_out, monkeypatch):
    monkeypatch.setenv("PIPELINE_DATA", str(cases_out))
    namespace: dict = {}
    frames = [run_cell("".join(cell["source"]), namespace)
              for cell in json.loads(NOTEBOOK.read_text())["cells"] if cell["cell_type"] == "code"]
    assert len(frames) == 8
    assert all(len(frame) > 0 for frame in frames[:7])     # every worked question has an answer on the fixtures
