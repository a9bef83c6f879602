"""Log lines for people (text) or schedulers (``--log-format json``: one object a
line with time, level, file, event and message).  A file name is data, never
layout: control characters in a text line are written as escapes, so a name
holding a newline cannot start a forged line."""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

CONTROL = {i: f"\\x{i:02x}" for i in [*range(0x20), 0x7f] if i != 0x09} | {0x0a: "\\n", 0x0d: "\\r"}


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).translate(CONTROL)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "file": getattr(record, "file", None),
            "event": getattr(record, "event", None), "message": record.getMessage(),
        }, ensure_ascii=False)


def configure(log_format: str = "text", level: str | None = None, quiet: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else TextFormatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel((level or ("WARNING" if quiet else "INFO")).upper())
    logging.getLogger("distributed").setLevel(logging.WARNING)
