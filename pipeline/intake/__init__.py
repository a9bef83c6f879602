"""What to read and how its bytes arrive: paths, globs, manifests, URLs, file types."""
