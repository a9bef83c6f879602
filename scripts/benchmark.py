"""Speed and memory of the pipeline, as medians over several runs.

    python scripts/benchmark.py [FOLDER ...] [--repeat 3] [--workers 1 2] [--scanned PDF ...]

With no folder, the corpora beside the clone (`CORPORA` under ``../shared``: the Kent
committee papers, the dev corpus, its variants and the real plans), else ``data/raw``.
For each folder, on its born-digital PDFs only (a PDF with no text on any page
is a scan, timed separately with ``--scanned``), in one run: a bare
pdfplumber pass (every page's words and ruled tables, one process), the
ingest with the page screen, and the ingest with ``--read-all-pages`` (the
pipeline before the screen), each for every worker count; wall seconds (until
the run's own process exits) and pages per second, CPU seconds of every process
the run started (the machine's other load inflates wall time, not CPU time),
pages screened out, the peak resident memory of the run's largest process, and
the ratios of their speeds.  Then reconciliation of 50,000 synthetic officer
mentions.  With ``--scanned``, the named image-only PDFs are read in
one fresh process, as one worker reads them: CPU seconds per page (OCR and
table finding together; one core's time, so other load on the machine does
not inflate it), wall seconds per page, and that process's peak resident memory.
The machine is shared and noisy: compare ratios measured in one run.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = ["realworld/kent-committee-papers-2025", "corpus/docs", "corpus/variants/docs", "realplans/docs"]
PR_SET_CHILD_SUBREAPER = 36     # prctl option (Linux): orphaned descendants are reparented to this process
sys.path.insert(0, str(ROOT))

BARE = ("import sys, pathlib, pdfplumber\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.pdf')):\n"
        "    with pdfplumber.open(path) as pdf:\n"
        "        for page in pdf.pages:\n"
        "            page.extract_words(); [t.extract() for t in page.find_tables()]; page.close()\n")


def has_text(path: Path) -> bool:
    import pypdfium2
    document = pypdfium2.PdfDocument(str(path))
    try:
        return any(document[i].get_textpage().get_text_range().strip() for i in range(len(document)))
    finally:
        document.close()


def stage(folder: Path, into: Path) -> tuple[Path, list[Path]]:
    """The folder's born-digital PDFs linked into one flat folder, and its scans."""
    pdfs = sorted(folder.rglob("*.pdf"))
    into.mkdir(parents=True)
    scans = []
    for i, pdf in enumerate(pdfs):
        if has_text(pdf):
            (into / f"{i:04d}-{pdf.name}").symlink_to(pdf.resolve())
        else:
            scans.append(pdf)
    return into, scans


def timed(command: list[str]) -> dict:
    """Runs ``command`` in a child of a fresh process, so the peak resident set is that
    run's largest process (ingest's parent or one of its workers)."""
    done = subprocess.run([sys.executable, __file__, "--timed-child", *command], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def timed_child(command: list[str]) -> None:
    """Wall seconds, and CPU seconds of every process the command started: this process
    adopts the orphans (the forkserver outlives the ingest by a moment, and its file
    processes are its own children), so their CPU time is counted when they are reaped.
    CPU time is what a loaded machine does not inflate."""
    _adopt_orphans()
    # Output to files, not pipes: a pipe is open until the forkserver the ingest leaves
    # behind has exited too (a few hundredths of a second later), and a run is over for
    # the one who started it when its own process exits.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        code = subprocess.run(command, cwd=ROOT, stdout=out, stderr=err).returncode
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if code not in (0, 1):
        raise SystemExit(stderr)
    _reap_orphans()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "stdout": stdout,
                      "peak_mib": usage.ru_maxrss / 1024}))


def _adopt_orphans() -> None:
    if sys.platform == "linux":
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _medians(runs: list[dict]) -> dict:
    return {"median_seconds": round(statistics.median(r["seconds"] for r in runs), 2),
            "median_cpu_seconds": round(statistics.median(r["cpu_seconds"] for r in runs), 2),
            "peak_mib": round(max(r["peak_mib"] for r in runs), 1)}


def bench_bare(folder: Path, repeat: int) -> dict:
    return _medians([timed([sys.executable, "-c", BARE, str(folder)]) for _ in range(repeat)])


def bench_ingests(folder: Path, workers: list[int], repeat: int, read_all: bool) -> list[dict]:
    """Each repeat runs every worker count in turn, so the runs compared in a ratio are
    minutes apart at most, under much the same load from the machine's other work."""
    runs: dict[int, list[dict]] = {w: [] for w in workers}
    for _ in range(repeat):
        for count in workers:
            with tempfile.TemporaryDirectory() as out:
                runs[count].append(timed([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", out,
                                          "--quiet", "--json", "--force", "--no-ocr", "--workers", str(count)]
                                         + (["--read-all-pages"] if read_all else [])))
    summary = json.loads(runs[workers[0]][0]["stdout"])
    return [{"workers": count, "read_all_pages": read_all, "files": summary["inputs_seen"],
             "pages": summary["pages"], "pages_screened_out": summary["pages_screened_out"],
             "actions": summary["actions"], **_medians(runs[count])} for count in workers]


def bench_folder(folder: Path, workers: list[int], repeat: int, scratch: Path, read_all: bool = True) -> dict:
    staged, scans = stage(folder, scratch / f"{len(list(scratch.iterdir())):02d}")
    bare = bench_bare(staged, repeat)
    ingests = [row for every in (False, True)[:1 + read_all] for row in bench_ingests(staged, workers, repeat, every)]
    pages = ingests[0]["pages"]
    for row in [bare, *ingests]:
        row["pages_per_second"] = round(pages / row["median_seconds"], 1)
        row["pages_per_cpu_second"] = round(pages / row["median_cpu_seconds"], 1)
    for row in ingests:
        row["speed_vs_bare"] = round(bare["median_seconds"] / row["median_seconds"], 2)
        row["cpu_vs_bare"] = round(bare["median_cpu_seconds"] / row["median_cpu_seconds"], 2)
        one = next(r for r in ingests if r["read_all_pages"] == row["read_all_pages"] and r["workers"] == workers[0])
        row["speed_vs_first_worker_count"] = round(one["median_seconds"] / row["median_seconds"], 2)
    return {"folder": str(folder), "pages": pages, "scanned_files": [str(p) for p in scans],
            "bare_pdfplumber": bare, "ingest": ingests}


def scanned_child(paths: list[str]) -> None:
    """Runs in its own process: every file read as a worker reads it; prints one JSON line."""
    from pipeline.document import process
    from pipeline.results import Source
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


def default_folders() -> list[Path]:
    folders = [SHARED / name for name in CORPORA]
    return folders if all(f.is_dir() for f in folders) else [ROOT / "data" / "raw"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=default_folders())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--mentions", type=int, default=50_000)
    parser.add_argument("--scanned", type=Path, nargs="*", default=[], help="image-only PDFs to time OCR on")
    parser.add_argument("--no-read-all", dest="read_all", action="store_false",
                        help="skip the ingest with --read-all-pages (the slowest runs)")
    parser.add_argument("--scanned-child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--timed-child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scanned_child:
        return scanned_child(args.scanned_child)
    if args.timed_child:
        return timed_child(args.timed_child)
    with tempfile.TemporaryDirectory() as scratch:
        results = {"folders": [bench_folder(f, args.workers, args.repeat, Path(scratch), args.read_all) for f in args.folders],
                   "reconcile": bench_reconcile(args.mentions, args.repeat)}
    if args.scanned:
        results["scanned"] = bench_scanned(args.scanned, args.repeat)
    for folder in results["folders"]:
        bare = folder["bare_pdfplumber"]
        print(f"{folder['folder']}: {folder['pages']} born-digital pages "
              f"({len(folder['scanned_files'])} scanned files left out), medians of {args.repeat} runs; "
              f"bare pdfplumber {bare['median_seconds']} s wall ({bare['pages_per_second']} pages/s), "
              f"{bare['median_cpu_seconds']} s CPU, peak {bare['peak_mib']} MiB")
        for row in folder["ingest"]:
            mode = "read all pages" if row["read_all_pages"] else f"screen ({row['pages_screened_out']} pages screened out)"
            print(f"  ingest, {mode}, {row['workers']} worker(s): {row['median_seconds']} s wall "
                  f"({row['pages_per_second']} pages/s), {row['median_cpu_seconds']} s CPU, peak {row['peak_mib']} MiB, "
                  f"{row['actions']} actions; {row['speed_vs_bare']}x the bare pass by wall time, "
                  f"{row['cpu_vs_bare']}x by CPU time; {row['speed_vs_first_worker_count']}x "
                  f"{args.workers[0]} worker(s) by wall time")
    r = results["reconcile"]
    print(f"reconcile {r['mentions']} mentions -> {r['owners']} owners: {r['median_seconds']} s median")
    if "scanned" in results:
        r = results["scanned"]
        print(f"scanned: {r['files']} files, {r['pages']} pages, one worker: {r['cpu_seconds_per_page']} CPU s/page, "
              f"{r['wall_seconds_per_page']} wall s/page, peak {r['peak_mib']} MiB")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
