"""``python -m pipeline``: thin argument parsing over `pipeline.run`, `pipeline.evaluate`
and `pipeline.compact`.  Exit codes: 0 all ingested or unchanged, 1 some files
failed, 2 usage or environment error."""
from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from pathlib import Path
from datetime import date, datetime

from .executors import ExecutorSettings
from .inputs import UsageError
from .store import LockedError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="read PDF and DOCX files into the Parquet datasets")
    ingest.add_argument("inputs", nargs="*", help="files, folders (recursive), glob patterns or http(s) URLs")
    ingest.add_argument("--out", default="data/processed", help="output root (default: data/processed)")
    ingest.add_argument("--manifest", help="text file with one path or URL per line")
    ingest.add_argument("--since", type=datetime.fromisoformat, help="only files modified after this date (YYYY-MM-DD)")
    ingest.add_argument("--force", action="store_true", help="re-ingest files even when unchanged")
    ingest.add_argument("--executor", choices=["local", "dask"], default="local",
                        help="local process pool (default) or a Dask cluster")
    ingest.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)")
    ingest.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    ingest.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per file (default 120)")
    ingest.add_argument("--memory-mb", type=int, default=4096, help="memory cap per worker in MiB (default 4096)")
    ingest.add_argument("--max-pages", type=int, default=5000, help="fail PDFs longer than this (default 5000)")
    ingest.add_argument("--glossary", help="TOML division glossary ([divisions] CODE = \"Name\")")
    ingest.add_argument("--officers", help="text file of known officer names, one per line ('Council | Name' allowed)")
    ingest.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.set_defaults(func=cmd_ingest)

    evaluate = commands.add_parser("evaluate", help="score the datasets against gold records")
    evaluate.add_argument("--gold", default="../shared/corpus/gold", help="folder of gold JSON records")
    evaluate.add_argument("--data", default="data/processed", help="output root to score")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(func=cmd_evaluate)

    compact = commands.add_parser("compact", help="merge the per-document files of each dataset, atomically")
    compact.add_argument("--out", default="data/processed", help="output root")
    compact.set_defaults(func=cmd_compact)

    query = commands.add_parser("query", help="SQL over the datasets (DuckDB); no SQL starts the duckdb shell")
    query.add_argument("sql", nargs="?", help="the query; views: one per dataset, open_actions, overdue_actions, actions_by_owner")
    query.add_argument("--data", default="data/processed", help="output root to query (default: data/processed)")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (default: table)")
    query.add_argument("--today", type=date.fromisoformat, help="date for overdue_actions, YYYY-MM-DD (default: today)")
    query.set_defaults(func=cmd_query)

    review = commands.add_parser("review", help="one self-contained HTML page: each action beside the image of its row")
    review.add_argument("data", help="output root to review")
    review.add_argument("--out", default="review.html", help="HTML file to write (default: review.html)")
    review.set_defaults(func=cmd_review)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    logging.getLogger("distributed").setLevel(logging.WARNING)
    try:
        return args.func(args, argv)
    except (UsageError, LockedError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def cmd_ingest(args, argv) -> int:
    from .run import IngestOptions, ingest
    if not args.inputs and not args.manifest:
        raise UsageError("name at least one file, folder, pattern or URL, or --manifest")
    options = IngestOptions(
        force=args.force, since=args.since, manifest=args.manifest, glossary=args.glossary,
        officers=args.officers, progress=not args.quiet, max_pages=args.max_pages,
        executor=ExecutorSettings(kind=args.executor, workers=args.workers, timeout=args.timeout,
                                  memory_mb=args.memory_mb, scheduler=args.scheduler))
    summary = ingest(args.inputs, args.out, options, args=shlex.join(argv))
    if args.json:
        print(summary.to_json())
    else:
        print(_summary_text(summary))
    return EXIT_FAILED if summary.failed else EXIT_OK


def _summary_text(s) -> str:
    lines = [f"{s.inputs_seen} files: {s.ingested} ingested ({s.no_records} with no plan table), "
             f"{s.unchanged} unchanged, {s.failed} failed",
             f"{s.pages} pages, {s.actions} actions, {s.kpis} KPIs, {s.officers} officers in {s.seconds:.1f} s",
             f"output: {s.out}/{{documents,actions,kpis,officers,action_officers,runs}}"]
    lines += [f"  failed: {f['file']}: {f['error']}" for f in s.failures]
    return "\n".join(lines)


def cmd_evaluate(args, argv) -> int:
    from .evaluate import evaluate, format_report
    report = evaluate(args.gold, args.data)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return EXIT_OK


def cmd_query(args, argv) -> int:
    import duckdb
    from .query import format_result, run_query, start_shell
    if not Path(args.data).is_dir():
        raise UsageError(f"no output root at {args.data}: run ingest first or pass --data")
    if not args.sql:
        return start_shell(args.data, args.today)
    try:
        result = run_query(args.sql, args.data, args.today)
    except duckdb.Error as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(format_result(result, args.format))
    return EXIT_OK


def cmd_review(args, argv) -> int:
    from .review import write_review
    if not Path(args.data).is_dir():
        raise UsageError(f"no output root at {args.data}: run ingest first")
    s = write_review(args.data, args.out)
    print(f"{args.out}: {s.documents} documents, {s.actions} actions ({s.flagged} flagged), {s.images} row images")
    return EXIT_OK


def cmd_compact(args, argv) -> int:
    from .compact import compact
    for dataset, n in compact(args.out).items():
        print(f"{dataset}: {n} files merged")
    return EXIT_OK
