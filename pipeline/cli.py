"""``python -m pipeline``: thin argument parsing over `pipeline.run`, `pipeline.evaluate`,
`pipeline.storage.compact` and `pipeline.fetching.fetch`.  Exit codes: 0 all ingested or unchanged, 1 some
files (or papers) failed, 2 usage error, 3 the output (or download folder) cannot be
written, 4 another run holds the lock."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from datetime import date, datetime
from pathlib import Path

from pipeline.fetching import fetch as fetching
from pipeline import logs
from pipeline.execution.executors import Executor, ExecutorSettings
from pipeline.intake.inputs import UsageError
from pipeline.execution.limits import Limits
from pipeline.storage.lock import LockHeld
from pipeline.storage.store import OutputError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_OUTPUT, EXIT_LOCKED = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130            # a shell's code for a command stopped by Ctrl-C


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
    ingest.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per file, download included (default 120)")
    ingest.add_argument("--seconds-per-page", type=float, default=0.5,
                        help="a long file gets this much per page when that is more than --timeout (default 0.5)")
    ingest.add_argument("--memory-mb", type=int, default=4096,
                        help="resident memory allowed per file's process in MiB (default 4096)")
    ingest.add_argument("--max-pages", type=int, default=5000, help="fail PDFs longer than this (default 5000)")
    ingest.add_argument("--read-all-pages", dest="screen", action="store_false",
                        help="read every PDF page for tables, not only those the page screen picks")
    ingest.add_argument("--no-ocr", dest="ocr", action="store_false",
                        help="do not OCR pages without a usable text layer (a scan then fails)")
    ingest.add_argument("--glossary", help="TOML glossary: [divisions] CODE = \"Name\"; [officers] posts = [...], groups = [...]")
    ingest.add_argument("--officers", help="text file of known officer names, one per line ('Council | Name' allowed)")
    ingest.add_argument("--prune", action="store_true",
                        help="remove documents seen only at places this run did not name (default: keep history)")
    ingest.add_argument("--allow-private-urls", action="store_true",
                        help="let URL inputs and their redirects reach loopback and private addresses")
    ingest.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    ingest.add_argument("--log-format", choices=["text", "json"], default="text",
                        help="log lines as text (default) or one JSON object a line (time, level, file, event)")
    ingest.add_argument("--log-level", choices=["debug", "info", "warning", "error"],
                        help="least severe log lines shown (default info; warning with --quiet)")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    fetching.add_arguments(ingest.add_argument_group("fetch from ModernGov first (see fetch --help)"), required=False)
    ingest.set_defaults(func=cmd_ingest)

    fetch = commands.add_parser("fetch", help="download newly published committee papers from ModernGov sites")
    fetching.add_arguments(fetch, required=True)
    fetch.add_argument("--quiet", action="store_true", help="only the summary")
    fetch.add_argument("--json", action="store_true", help="print the summary as JSON")
    fetch.set_defaults(func=cmd_fetch)

    evaluate = commands.add_parser("evaluate", help="score the datasets against gold records")
    evaluate.add_argument("--gold", default="../shared/corpus/gold", help="folder of gold JSON records")
    evaluate.add_argument("--data", default="data/processed", help="output root to score")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(func=cmd_evaluate)

    compact = commands.add_parser("compact", help="merge the per-document files of each dataset, atomically")
    compact.add_argument("--out", default="data/processed", help="output root")
    compact.add_argument("--log-format", choices=["text", "json"], default="text", help="text or JSON log lines")
    compact.add_argument("--log-level", choices=["debug", "info", "warning", "error"], help="least severe log lines shown")
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
    logs.configure(getattr(args, "log_format", "text"), getattr(args, "log_level", None),
                   getattr(args, "quiet", False))
    try:
        return args.func(args, argv)
    except (UsageError, FileNotFoundError) as exc:
        return _fail(exc, EXIT_USAGE)
    except (OutputError, fetching.Unwritable) as exc:
        return _fail(exc, EXIT_OUTPUT)
    except LockHeld as exc:
        return _fail(exc, EXIT_LOCKED)
    except KeyboardInterrupt:
        return _fail(RuntimeError("interrupted: what was published stays whole; the next run finishes "
                                  "what was pending and reads the files not yet read"), EXIT_INTERRUPTED)


def _fail(exc: Exception, code: int) -> int:
    print(f"error: {exc}".translate(logs.CONTROL), file=sys.stderr)
    return code


def cmd_fetch(args, argv) -> int:
    summary = fetching.fetch(args.moderngov, args.to, fetching.options_from(args))
    print(summary.to_json() if args.json else summary.text())
    return summary.exit_code


def cmd_ingest(args, argv) -> int:
    if args.moderngov and not args.to:
        raise UsageError("--moderngov needs --to DIR, the download folder to fetch into and ingest")
    if not args.inputs and not args.manifest and not args.moderngov:
        raise UsageError("name at least one file, folder, pattern or URL, or --manifest")
    for name in ("manifest", "glossary", "officers"):
        path = getattr(args, name)
        if path and not os.path.isfile(path):
            raise UsageError(f"--{name}: no such file: {path}")
    limits = Limits(timeout=args.timeout, seconds_per_page=args.seconds_per_page, memory_mb=args.memory_mb)
    with Executor(ExecutorSettings(kind=args.executor, workers=args.workers, limits=limits,
                                   scheduler=args.scheduler)) as executor:
        executor.warm()         # the reader processes start while this one loads the run's modules
        return _ingest(args, argv, executor)


def _ingest(args, argv, executor: Executor) -> int:
    from pipeline.run import IngestOptions, ingest
    fetched = None
    if args.moderngov:
        fetched = fetching.fetch(args.moderngov, args.to, fetching.options_from(args))
        if not args.json:
            print(fetched.text())
        args.inputs = [*args.inputs, args.to]
    options = IngestOptions(
        force=args.force, since=args.since, manifest=args.manifest, glossary=args.glossary,
        officers=args.officers, progress=not args.quiet, max_pages=args.max_pages, prune=args.prune, ocr=args.ocr,
        screen=args.screen,
        allow_private_urls=args.allow_private_urls,
        executor=executor.settings)
    summary = ingest(args.inputs, args.out, options, args=shlex.join(argv), executor=executor)
    code = EXIT_FAILED if summary.failed or (fetched and fetched.exit_code) else EXIT_OK
    if args.json:
        report = json.loads(summary.to_json())
        if fetched:
            report.update(fetch=json.loads(fetched.to_json()), exit_code=code)
        print(json.dumps(report, indent=2))
    else:
        print(_summary_text(summary))
    return code


def _summary_text(s) -> str:
    lines = [f"{s.inputs_seen} files: {s.ingested} ingested ({s.no_records} with no plan table, "
             f"{s.with_warnings} with warnings), "
             f"{s.unchanged} unchanged, {s.failed} failed",
             f"{s.pages} pages ({s.pages_screened_out} screened out), {s.actions} actions, {s.kpis} KPIs, {s.officers} officers in {s.seconds:.1f} s",
             *([f"pruned {s.pruned} documents seen only at places this run did not name"] if s.pruned else []),
             f"output: {s.out}/{{documents,actions,kpis,table_columns,officers,action_officers,document_sources,action_lineage,runs}}"]
    lines += [f"  failed: {f['file']}: {f['error']}".translate(logs.CONTROL) for f in s.failures]
    return "\n".join(lines)


def cmd_evaluate(args, argv) -> int:
    from pipeline.evaluate import evaluate, format_report
    report = evaluate(args.gold, args.data)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return EXIT_OK


def cmd_query(args, argv) -> int:
    import duckdb
    from pipeline.audit.query import format_result, run_query, start_shell
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
    from pipeline.audit.review import write_review
    if not Path(args.data).is_dir():
        raise UsageError(f"no output root at {args.data}: run ingest first")
    s = write_review(args.data, args.out)
    print(f"{args.out}: {s.documents} documents, {s.actions} actions, {s.kpis} KPIs ({s.flagged} flagged), {s.images} row images")
    return EXIT_OK


def cmd_compact(args, argv) -> int:
    from pipeline.storage.compact import compact
    for dataset, n in compact(args.out).items():
        print(f"{dataset}: {n} files merged")
    return EXIT_OK
