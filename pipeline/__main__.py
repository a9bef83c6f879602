import atexit
import os
import sys

_exit_code: int | None = None       # the command's, once it has returned one


def _exit_without_teardown() -> None:
    """Registered before any other exit handler, so it runs after them all: logs are
    flushed, reader processes reaped, temporary folders gone.  All that is left is
    Python freeing every module's objects one by one, a tenth of a second with pyarrow
    and pandas loaded, after the run is written and reported.  A command that did not
    return (an uncaught error, a usage error) exits the usual way, with its own code."""
    if _exit_code is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_code)


atexit.register(_exit_without_teardown)

from pipeline.execution import forkserver  # noqa: E402


def _reads_here(argv: list[str]) -> bool:
    """An ingest that reads files in this machine's reader processes (not help, not Dask).
    A guess from the words alone (argparse has not run): a wrong one costs a second of
    one process's time, or this head start."""
    return argv[:1] == ["ingest"] and not {"-h", "--help", "dask", "--executor=dask"} & set(argv)


if _reads_here(sys.argv[1:]):
    forkserver.start()      # its second of preloading runs while this process loads the CLI

from pipeline.cli import main  # noqa: E402

_exit_code = main()
sys.exit(_exit_code)
