"""Council plan documents -> Parquet datasets of actions, KPIs and officers."""

# here, not in `pipeline.schema`: importing the package must not import pyarrow, so
# ``python -m pipeline`` can start its readers' forkserver first thing
__version__ = "0.1.0"
