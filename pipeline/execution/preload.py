"""Imported only by the forkserver every reader process is forked from
(`pipeline.execution.forkserver`): it builds the readers' lazy state once, so no
reader builds it again and no file's clock counts it.  Reading a small
bundled committee paper (``data/warmup.pdf``: prose pages, a plan table that runs
on overleaf) builds all of it the way a real file does: the lexicons, compiled
patterns and spaCy's pipeline, most of a second that each reader would otherwise
spend on its first file.  Readers build no Arrow tables (`DocumentResult.rows`), so
pandas, which pyarrow imports to build one, is not among it."""
import signal

# Ctrl-C is the run's to handle.  The forkserver ignores it once this module is
# loaded; until then (most of a second) Ctrl-C would print this process's traceback too,
# so this comes before the imports.  The handler it had is put back at the end: the
# forkserver hands the one in place then to every process it forks.
_interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)

import gc

# Everything built here is kept (frozen at the end), so collecting while it is built
# only walks an ever larger heap: a fifth of the preload, which every run waits for.
# The warm-up's few thousand cyclic leftovers (a megabyte) are frozen with the rest.
# Switched back on at the end, like Ctrl-C, for every process the forkserver forks,
# even when an import fails (the forkserver goes on without the module).
gc.disable()
try:
    from normalisers.dates import normalise_due
    from normalisers.officers import split_officers

    from pipeline.document import process
    from pipeline.results import Source
    from pipeline.execution import worker  # noqa: F401  (the readers themselves)
    from pipeline.execution.forkserver import WARMUP

    split_officers("Ian McGuff / Equality and Diversity Team")
    normalise_due("Commenced April 2006 - ongoing, review 31st March 2008")
    if WARMUP.is_file():
        process(Source(uri=str(WARMUP), path=str(WARMUP), name=WARMUP.name))    # never raises: a failure is its result
finally:
    gc.freeze()     # the collector in each forked process leaves these objects alone: their memory pages stay shared
    gc.enable()
    signal.signal(signal.SIGINT, _interrupt)
