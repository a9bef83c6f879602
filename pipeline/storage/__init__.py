"""The output root: atomic Parquet publishing, the lock, compaction, crash hooks."""
