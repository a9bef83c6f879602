"""``python -m pipeline`` and ``council-pipeline`` end a command that returned its code
without Python's own teardown (freeing every module's objects: a tenth of a second
with pyarrow and pandas loaded): the code and every line of output are the
command's, and a command that did not return exits the usual way."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from pipeline.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]
TORN_DOWN = "torn down"
# a module-level object whose finaliser runs only in Python's teardown
MARKER = (f"import os\n\nclass _Marker:\n    def __del__(self, write=os.write):\n"
          f"        write(2, b'{TORN_DOWN}\\n')\n\nmarker = _Marker()\n")


COMMAND = Path(sysconfig.get_path("scripts")) / "council-pipeline"


def run(args: list[str], tmp_path: Path, program: tuple[str, ...] = (sys.executable, "-m", "pipeline")):
    (tmp_path / "site").mkdir(exist_ok=True)
    (tmp_path / "site" / "sitecustomize.py").write_text(MARKER)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(ROOT)])}
    env.pop("PYTHONUNBUFFERED", None)       # output is buffered, as it is for most who run it
    return subprocess.run([*program, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_command_that_returns_keeps_its_code_and_output_and_skips_the_teardown(tmp_path):
    Store(tmp_path / "out").prepare()
    rows = "SELECT i FROM range(20000) t(i)"        # more than one buffer of output
    done = run(["query", "--data", str(tmp_path / "out"), "--format", "csv", rows], tmp_path)
    assert done.returncode == 0
    assert done.stdout.split() == ["i", *map(str, range(20000))]
    assert TORN_DOWN not in done.stderr


def test_a_command_that_fails_keeps_its_code_and_message(tmp_path):
    done = run(["query", "--data", str(tmp_path / "missing"), "SELECT 1"], tmp_path)
    assert done.returncode == 2
    assert "no output root" in done.stderr and TORN_DOWN not in done.stderr


def test_a_usage_error_exits_the_usual_way(tmp_path):
    done = run(["query", "--format", "yaml"], tmp_path)
    assert done.returncode == 2
    assert "invalid choice" in done.stderr and TORN_DOWN in done.stderr


@pytest.mark.skipif(not COMMAND.exists(), reason=f"{COMMAND} is not installed (pip install -e .)")
def test_the_installed_command_exits_the_same_way(tmp_path):
    done = run(["query", "--data", str(tmp_path / "missing"), "SELECT 1"], tmp_path, [str(COMMAND)])
    assert done.returncode == 2
    assert "no output root" in done.stderr and TORN_DOWN not in done.stderr
