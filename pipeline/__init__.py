"""Council plan documents -> Parquet datasets of actions, KPIs and officers."""
from pipeline.schema import PIPELINE_VERSION

__version__ = PIPELINE_VERSION
