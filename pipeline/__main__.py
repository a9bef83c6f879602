import sys

from pipeline.execution import forkserver


def _reads_here(argv: list[str]) -> bool:
    """An ingest that reads files in this machine's reader processes (not help, not Dask).
    A guess from the words alone (argparse has not run): a wrong one costs a second of
    one process's time, or this head start."""
    return argv[:1] == ["ingest"] and not {"-h", "--help", "dask", "--executor=dask"} & set(argv)


if _reads_here(sys.argv[1:]):
    forkserver.start()      # its second of preloading runs while this process loads the CLI

from pipeline.cli import main  # noqa: E402

sys.exit(main())
