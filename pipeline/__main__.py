import sys

from pipeline.execution.limits import start_forkserver

if sys.argv[1:2] == ["ingest"] and "dask" not in sys.argv:
    start_forkserver()     # it starts while the CLI's own modules load
from pipeline.cli import main  # noqa: E402

sys.exit(main())
