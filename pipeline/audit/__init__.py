"""What auditors use on an output root: SQL views and the review page."""
