"""Imported only by the forkserver that `limits.run_limited` forks a file's own
process from (a Dask task's file): it builds the readers' lazy state once, so no
file pays for it and its clock never counts it.  (A local run's reader processes
read many files each and build that state on their first.)  Reading a small
bundled committee paper (``data/warmup.pdf``: prose pages, a plan table that runs
on overleaf) builds all of it the way a real file does: the lexicons, compiled patterns and spaCy's pipeline
that each file's process would otherwise build again (about 20 ms a file, most of
the time of a file the page screen skips)."""
import gc
from pathlib import Path

import pyarrow as pa

from normalisers.dates import normalise_due
from normalisers.officers import split_officers

from pipeline.document import process
from pipeline.results import Source
from pipeline.execution import worker  # noqa: F401  (the readers themselves)
from pipeline.schema import DOCUMENTS

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "warmup.pdf"

split_officers("Ian McGuff / Equality and Diversity Team")
normalise_due("Commenced April 2006 - ongoing, review 31st March 2008")
# pyarrow imports pandas the first time a table is built from rows: about a second,
# which every file's process would otherwise pay again
pa.Table.from_pylist([], schema=DOCUMENTS)
if SAMPLE.is_file():
    process(Source(uri=str(SAMPLE), path=str(SAMPLE), name=SAMPLE.name))    # never raises: a failure is its result
gc.freeze()     # the collector in each forked process leaves these objects alone: their memory pages stay shared
