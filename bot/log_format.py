"""How a log line looks (``LOG_FORMAT``): one line of text for a person, or JSON for a collector.

``text`` is ``time LEVEL logger: message``. ``json`` is one JSON object per line
with ``time`` (ISO 8601, UTC), ``level``, ``logger`` and ``message``, the
traceback as ``exception`` when there is one, and every field passed with
``extra=`` that JSON can hold. Either way a line carries ids and events only,
never a message text: :class:`WithoutUpdateContents` keeps the libraries' lines to that
too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from telegram import TelegramObject

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


#: The loggers whose lines are the bot's own: they log ids and events only.
_OURS = ("bot", "flows")
#: A library's text argument longer than this is taken for data, not for a name or a number.
_LONGEST_KEPT = 120
#: python-telegram-bot's lines that print what it received, whole, and what they become.
_PRINTS_WHAT_CAME = {
    # ExtBot, when one update of a getUpdates batch cannot be read: the whole batch.
    "Error while parsing updates": "Error while parsing updates (the updates are left out)",
    # BaseRequest, when an answer is no JSON (cut short by a proxy): the whole answer.
    "Can not load invalid JSON data": "Can not load invalid JSON data (the data is left out)",
}


class WithoutUpdateContents(logging.Filter):
    """Keep what leaders typed out of the libraries' log lines, at every level.

    python-telegram-bot prints a whole batch of updates when it cannot read one of
    them, and a whole answer when it is no JSON; those lines keep their level and
    their traceback but lose the data. Any other library line loses arguments that
    look like data (a dict, a list, a Telegram object, bytes, a long text): ids,
    names and numbers stay. Installed on the handler, so it sees every line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] in _OURS:
            return True
        template = str(record.msg)
        for start, replacement in _PRINTS_WHAT_CAME.items():
            if template.startswith(start):
                record.msg, record.args = replacement, None
                return True
        if isinstance(record.args, Mapping):
            if "%(" in template:
                record.args = {key: _left_out(value) for key, value in record.args.items()}
            else:
                # One dict given for one ``%s``: logging took it for named arguments.
                record.args = (_left_out(dict(record.args)),)
        elif record.args:
            record.args = tuple(_left_out(value) for value in record.args)
        return True


def _left_out(value: object) -> object:
    """``value``, or a note of what was left out when it may hold what a leader typed."""
    if isinstance(value, dict | list | tuple | set | frozenset | TelegramObject):
        return f"<{type(value).__name__} left out>"
    if isinstance(value, bytes | bytearray) or (
        isinstance(value, str) and len(value) > _LONGEST_KEPT
    ):
        return f"<{len(value)} characters left out>"
    return value
