"""Imported only by the forkserver that every file's process is forked from
(`pipeline.execution.limits`): it builds the readers' lazy state once, spaCy's pipeline
and the lexicons, so no file pays for it and its clock never counts it."""
from normalisers.dates import normalise_due
from normalisers.officers import split_officers

from pipeline.execution import worker  # noqa: F401  (the readers themselves)

split_officers("Ian McGuff / Equality and Diversity Team")
normalise_due("Commenced April 2006 - ongoing, review 31st March 2008")
