"""Run the test suite several times in a row while busy loops hold every core.

Issue 7 asks that the suite pass three times in a row while another process
keeps both cores busy: no test may depend on an idle machine.  Usage:

    python scripts/suite_under_load.py --runs 3 [-- extra pytest args]

Prints one line per run (exit code, seconds, load average) and exits non-zero
if any run failed.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _spin() -> None:
    while True:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--loops", type=int, default=os.cpu_count() or 2, help="busy loops (default: one per core)")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    loops = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(args.loops)]
    for loop in loops:
        loop.start()
    failed = 0
    try:
        for run in range(1, args.runs + 1):
            start = time.monotonic()
            code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                    *args.pytest_args], cwd=ROOT)
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"run {run}: exit {code} in {time.monotonic() - start:.0f} s, load {load}", flush=True)
            failed += code != 0
    finally:
        for loop in loops:
            loop.terminate()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
