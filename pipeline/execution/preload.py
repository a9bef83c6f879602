"""Imported only by the forkserver that every file's process is forked from
(`pipeline.execution.limits`): it builds the readers' lazy state once, spaCy's pipeline
and the lexicons, so no file pays for it and its clock never counts it."""
import pyarrow as pa

from normalisers.dates import normalise_due
from normalisers.officers import split_officers

from pipeline.execution import worker  # noqa: F401  (the readers themselves)
from pipeline.schema import DOCUMENTS

split_officers("Ian McGuff / Equality and Diversity Team")
normalise_due("Commenced April 2006 - ongoing, review 31st March 2008")
# pyarrow imports pandas the first time a table is built from rows: about a second,
# which every file's process would otherwise pay again
pa.Table.from_pylist([], schema=DOCUMENTS)
