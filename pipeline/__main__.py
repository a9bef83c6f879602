import sys

from pipeline.execution.limits import start_forkserver

if sys.argv[1:2] == ["ingest"] and "dask" not in sys.argv:
    start_forkserver()     # its imports (the readers') run while the CLI's own load here
from pipeline.cli import main  # noqa: E402

sys.exit(main())
