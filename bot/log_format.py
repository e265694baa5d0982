"""How a log line looks (``LOG_FORMAT``): one line of text for a person, or JSON for a collector.

``text`` is ``time LEVEL logger: message``. ``json`` is one JSON object per line
with ``time`` (ISO 8601, UTC), ``level``, ``logger`` and ``message``, the
traceback as ``exception`` when there is one, and every field passed with
``extra=`` that JSON can hold. Either way a line carries ids and events only,
never a message text.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

TEXT = "text"
JSON = "json"
LOG_FORMATS = (TEXT, JSON)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: What every log record holds; any other attribute came with ``extra=``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in the text are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key in entry or key.startswith("_"):
                continue
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError):
                continue  # not JSON (an object, a cycle, NaN): left out rather than guessed at
            entry[key] = value
        return json.dumps(entry, allow_nan=False)


def make_formatter(log_format: str) -> logging.Formatter:
    """The formatter for a ``LOG_FORMAT`` value (``text`` or ``json``)."""
    if log_format == TEXT:
        return logging.Formatter(TEXT_FORMAT)
    if log_format == JSON:
        return JsonFormatter()
    raise ValueError(f"unknown log format {log_format!r}")
