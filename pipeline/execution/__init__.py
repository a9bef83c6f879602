"""Where and under which limits each file is read: executors, the per-file process."""
