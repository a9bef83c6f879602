from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).parent / "cases"
SHARED = Path(os.environ.get("PIPELINE_SHARED", ROOT.parent / "shared"))


def run_cli(*args: str, timeout: float = 600, check: bool = False) -> subprocess.CompletedProcess:
    """The CLI in a real subprocess, as a user or cron runs it."""
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus" / "gold").is_dir():
        pytest.skip(f"../shared is not beside this clone ({SHARED} missing): corpus tests skipped")
    return SHARED


@pytest.fixture(scope="session")
def cases_out(tmp_path_factory) -> Path:
    """tests/cases ingested once through the CLI, for tests that read the datasets back."""
    out = tmp_path_factory.mktemp("cases-out")
    run_cli("ingest", str(CASES), "--out", str(out), "--quiet", check=True)
    return out


@pytest.fixture(scope="session")
def corpus_out(shared, tmp_path_factory) -> Path:
    """The gold corpus and its variants ingested once, for tests across all of it."""
    out = tmp_path_factory.mktemp("corpus-all")
    run_cli("ingest", str(shared / "corpus" / "docs"), str(shared / "corpus" / "variants" / "docs"),
            "--out", str(out), "--quiet", timeout=3600)      # scanned copies fail without OCR: exit 1
    return out


BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, which .ci/run installs; where it cannot be had the browser tests skip, saying so."""
    import shutil
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if found is None:
        pytest.skip("SKIPPED: no Chromium on this machine (`apt-get install chromium`, as .ci/run does): "
                    "the review page was not tested in a browser")
    return found


@pytest.fixture(scope="session")
def samples_out(tmp_path_factory) -> Path:
    """The bundled samples (data/raw) ingested once through the CLI, as the README does."""
    out = tmp_path_factory.mktemp("samples-out")
    run_cli("ingest", str(ROOT / "data" / "raw"), "--out", str(out), "--quiet", check=True)
    return out
