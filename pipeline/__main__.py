"""``python -m pipeline`` and the ``council-pipeline`` command: the CLI, with the
forkserver started before anything else when the command reads files here, and an
exit without Python's own teardown once the command has returned its code."""
import atexit
import os
import sys

_exit_code: int | None = None       # the command's, once it has returned one


def _exit_without_teardown() -> None:
    """Registered as this module is imported, before the pipeline or its libraries register
    an exit handler, so it runs after theirs: logs flushed, reader processes reaped,
    temporary folders removed.  What it skips is Python freeing every module's objects one
    by one (a tenth of a second with pyarrow and pandas loaded), and the handlers Python's
    start-up registered, coverage's among them: under coverage the process exits the usual
    way.  So does a command that did not return (an uncaught error, a usage error) and
    output that cannot be flushed, which Python then reports as it always has."""
    if _exit_code is None or "coverage" in sys.modules:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(_exit_code)


atexit.register(_exit_without_teardown)


def _reads_here(argv: list[str]) -> bool:
    """An ingest that reads files in this machine's reader processes (not help, not Dask).
    A guess from the words alone (argparse has not run): a wrong one costs most of a
    second of one process's time, or this head start."""
    return argv[:1] == ["ingest"] and not {"-h", "--help", "dask", "--executor=dask"} & set(argv)


def run() -> int:
    global _exit_code
    from pipeline.execution import forkserver
    if _reads_here(sys.argv[1:]):
        forkserver.start()      # its preloading runs while this process loads the CLI
    from pipeline.cli import main
    _exit_code = main()
    return _exit_code


if __name__ == "__main__":
    sys.exit(run())
