"""The benchmark times what a user waits for: a run ends when its own process exits,
not when a process it left behind (the ingest's forkserver) has let go of its output,
and the CPU of those processes is still counted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[1] / "scripts" / "benchmark.py"
LINGER = 6      # seconds the left-behind process holds the run's output open
BURN = 0.5      # then CPU seconds it spends

LEFT_BEHIND = (f"import time; time.sleep({LINGER}); t = time.process_time()\n"
               f"while time.process_time() - t < {BURN}: pass\n")
LEAVES_ONE_BEHIND = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {LEFT_BEHIND!r}]); print('done')"


def test_a_run_ends_when_its_own_process_exits_and_what_it_left_behind_is_still_counted():
    done = subprocess.run([sys.executable, str(BENCHMARK), "--timed-child", sys.executable, "-c", LEAVES_ONE_BEHIND],
                          capture_output=True, text=True, check=True, timeout=120)
    timed = json.loads(done.stdout.strip().splitlines()[-1])
    assert timed["stdout"] == "done\n"
    assert timed["seconds"] < LINGER        # the sleeper's output pipe would have held it this long
    assert timed["cpu_seconds"] >= BURN and timed["peak_mib"] > 0
