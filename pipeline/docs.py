"""The README's generated parts: the data dictionary (from the Arrow schemas) and
the example questions' printed output (from the bundled samples).

    python -m pipeline.docs            # rewrite both in README.md
    python -m pipeline.docs --check    # exit 1 if README.md is out of date

Tests compare the README with what these functions produce, so a schema change
or a changed answer fails until this command is run.
"""
from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pyarrow as pa

from pipeline.schema import ALL

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DESCRIPTIONS = Path(__file__).parent / "data" / "columns.toml"
DICTIONARY = ("<!-- data-dictionary:start -->", "<!-- data-dictionary:end -->")
EXAMPLE = re.compile(r"```console\n\$ (python -m pipeline query .*?)\n(.*?)```", re.S)
SAMPLE_DATA = "data/processed"


def arrow_type(t: pa.DataType) -> str:
    return f"list<{arrow_type(t.value_type)}>" if pa.types.is_list(t) else str(t)


def render_dictionary() -> str:
    described = tomllib.loads(DESCRIPTIONS.read_text(encoding="utf-8"))["columns"]
    parts = ["Generated from `pipeline/schema.py` by `python -m pipeline.docs`; do not edit by hand."]
    for dataset, schema in ALL.items():
        parts += ["", f"**{dataset}**", "", "| column | type | meaning |", "|---|---|---|"]
        for field in schema:
            meaning = described.get(f"{dataset}.{field.name}", described.get(field.name, ""))
            parts.append(f"| `{field.name}` | {arrow_type(field.type)} | {meaning} |")
    return "\n".join(parts)


def dictionary_in(readme: str) -> str:
    start, end = DICTIONARY
    return readme.split(start, 1)[1].split(end, 1)[0].strip()


def examples_in(readme: str) -> list[tuple[str, str]]:
    """(command, printed output) for every ```console block running ``python -m pipeline query``."""
    return [(command, output.rstrip("\n")) for command, output in EXAMPLE.findall(readme)]


def run_example(command: str, data: str | Path) -> str:
    args = shlex.split(command)[3:]            # after "python -m pipeline"
    args = [str(data) if a == SAMPLE_DATA else a for a in args]
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    return result.stdout.rstrip("\n")


def updated_readme(readme: str, data: str | Path) -> str:
    start, end = DICTIONARY
    head, rest = readme.split(start, 1)
    readme = f"{head}{start}\n{render_dictionary()}\n{end}{rest.split(end, 1)[1]}"
    return EXAMPLE.sub(lambda m: f"```console\n$ {m.group(1)}\n{run_example(m.group(1), data)}\n```", readme)


def ingest_samples(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(ROOT / "data" / "raw"), "--out", str(out),
                    "--quiet"], cwd=ROOT, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.docs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is out of date")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ingest_samples(Path(tmp))
        current = README.read_text(encoding="utf-8")
        fresh = updated_readme(current, tmp)
    if args.check:
        print("README.md is up to date" if fresh == current else "README.md is out of date: run python -m pipeline.docs")
        return 0 if fresh == current else 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
