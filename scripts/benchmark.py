"""Speed and memory of the pipeline, as medians over several runs.

    python scripts/benchmark.py [FOLDER ...] [--repeat 3] [--workers 1 2] [--scanned PDF ...]

For each folder and worker count: a fresh ``ingest --force`` in a subprocess,
timed, with its peak memory (the largest resident set of the run and its
worker processes), beside pdfplumber alone reading the same PDFs' words and
ruled tables (the ratio is the pipeline's own cost).
Then reconciliation of 50,000 synthetic officer mentions.
With ``--scanned``, the named image-only PDFs are read in one fresh process,
as one worker reads them: CPU seconds per page (OCR and table finding
together; one core's time, so other load on the machine does not inflate it),
wall seconds per page, and that process's peak resident memory.
The machine is shared and noisy: compare ratios measured in one run.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ingest_once(folder: Path, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", out, "--quiet",
                               "--json", "--force", "--workers", str(workers)], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(done.stdout)
    return {"seconds": seconds, "pages": summary["pages"], "files": summary["inputs_seen"],
            "peak_mib": max(peak_kib, before) / 1024}


def bench_ingest(folder: Path, workers: int, repeat: int) -> dict:
    runs = [ingest_once(folder, workers) for _ in range(repeat)]
    seconds = statistics.median(r["seconds"] for r in runs)
    pages = runs[0]["pages"]
    return {"folder": str(folder), "workers": workers, "files": runs[0]["files"], "pages": pages,
            "median_seconds": round(seconds, 2), "pages_per_second": round(pages / seconds, 1),
            "files_per_second": round(runs[0]["files"] / seconds, 2),
            "peak_mib": round(max(r["peak_mib"] for r in runs), 1)}


def bench_bare_pdfplumber(folder: Path, repeat: int) -> dict:
    """The floor to compare ingest against: pdfplumber alone reading every PDF's words and
    ruled tables, in a subprocess like ingest."""
    code = ("import sys, pathlib, pdfplumber\n"
            "for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.pdf')):\n"
            "    with pdfplumber.open(path) as pdf:\n"
            "        for page in pdf.pages:\n"
            "            page.extract_words(); [t.extract() for t in page.find_tables()]; page.close()\n")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(folder)], check=True)
        times.append(time.perf_counter() - started)
    return {"folder": str(folder), "median_seconds": round(statistics.median(times), 2)}


def scanned_child(paths: list[str]) -> None:
    """Runs in its own process: every file read as a worker reads it; prints one JSON line."""
    from pipeline.document import Source, process
    wall, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for path in paths:
        result = process(Source(uri=path, path=path, name=Path(path).name))
        if result.status == "failed":
            raise SystemExit(f"{path}: {result.error}")
        pages += result.pages
    print(json.dumps({"pages": pages, "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                      "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def bench_scanned(paths: list[Path], repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, __file__, "--scanned-child", *map(str, paths)], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    pages = runs[0]["pages"]
    return {"files": len(paths), "pages": pages,
            "cpu_seconds_per_page": round(statistics.median(r["cpu"] for r in runs) / pages, 2),
            "wall_seconds_per_page": round(statistics.median(r["wall"] for r in runs) / pages, 2),
            "peak_mib": round(max(r["peak_mib"] for r in runs), 1)}


def synthetic_mentions(n: int, seed: int = 0):
    from normalisers.reconcile import OfficerMention
    rng = random.Random(seed)
    given = ["Ian", "Pauline", "Jane", "John", "Lisa", "David", "Ruth", "Steve", "Helen", "Mike", "Amanda", "Esther"]
    syllables = ["son", "ford", "well", "ley", "ton", "wick", "ridge", "man", "er", "ings", "worth", "by"]
    stems = ["Mc", "Ash", "Bar", "Col", "Dun", "Fair", "Gal", "Hart", "Kings", "Lock", "Mor", "Ott", "Shar", "Tyk"]
    people = [(rng.choice(given), rng.choice(stems) + rng.choice(syllables) + rng.choice(syllables))
              for _ in range(n // 10)]
    councils = [f"Council {i}" for i in range(20)]
    mentions = []
    for i in range(n):
        first, last = people[rng.randrange(len(people))]
        form = rng.random()
        text = (f"{first} {last}" if form < 0.6 else f"{first[0]}. {last}" if form < 0.8
                else f"{first} {last[:-1]}" if form < 0.9 else f"Mrs {first[0]} {last}")
        mentions.append(OfficerMention(councils[hash(last) % len(councils)], text, "person", f"doc{i % 500}"))
    return mentions


def bench_reconcile(n: int, repeat: int) -> dict:
    from normalisers.reconcile import reconcile
    mentions = synthetic_mentions(n)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        registry = reconcile(mentions)
        times.append(time.perf_counter() - started)
    return {"mentions": n, "owners": len(registry.owners()), "median_seconds": round(statistics.median(times), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT / "data" / "raw"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--mentions", type=int, default=50_000)
    parser.add_argument("--scanned", type=Path, nargs="*", default=[], help="image-only PDFs to time OCR on")
    parser.add_argument("--scanned-child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scanned_child:
        return scanned_child(args.scanned_child)
    results = {"ingest": [bench_ingest(f, w, args.repeat) for f in args.folders for w in args.workers],
               "bare_pdfplumber": [bench_bare_pdfplumber(f, args.repeat) for f in args.folders],
               "reconcile": bench_reconcile(args.mentions, args.repeat)}
    bare = {row["folder"]: row["median_seconds"] for row in results["bare_pdfplumber"]}
    if args.scanned:
        results["scanned"] = bench_scanned(args.scanned, args.repeat)
    for row in results["ingest"]:
        print(f"{row['folder']}: {row['files']} files, {row['pages']} pages, {row['workers']} worker(s): "
              f"{row['median_seconds']} s median, {row['pages_per_second']} pages/s, peak {row['peak_mib']} MiB; "
              f"bare pdfplumber (1 process) {bare[row['folder']]} s, "
              f"ratio {row['median_seconds'] / bare[row['folder']]:.2f}" if bare[row["folder"]] else "")
    r = results["reconcile"]
    print(f"reconcile {r['mentions']} mentions -> {r['owners']} owners: {r['median_seconds']} s median")
    if "scanned" in results:
        r = results["scanned"]
        print(f"scanned: {r['files']} files, {r['pages']} pages, one worker: {r['cpu_seconds_per_page']} CPU s/page, "
              f"{r['wall_seconds_per_page']} wall s/page, peak {r['peak_mib']} MiB")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
