"""LOG_FORMAT: the text line people read, and one JSON object per line for a log collector."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.log_format import JsonFormatter, WithoutUpdateContents, make_formatter
from bot.settings import ConfigurationError, load_settings

REQUIRED = {"DATA_KEY": "a-key", "TELEGRAM_BOT_TOKEN": "123:abc"}


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of its own, writing JSON into a string; nothing reaches the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bot.test_log_format")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Every line of the output as JSON; fails on a line that is not a JSON object."""
    text = stream.getvalue()
    assert text.endswith("\n")
    parsed = [json.loads(line) for line in text.splitlines()]
    assert all(isinstance(entry, dict) for entry in parsed)
    return parsed


def test_each_record_is_one_json_object_on_one_line(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    before = datetime.now(UTC)
    logger.info("case %d: nudge sent to leader %d", 7, 1001)
    logger.debug("two lines\nin one record")
    logger.warning("Telegram said %s", "Forbidden: bot was blocked by the user")
    after = datetime.now(UTC)

    first, second, third = lines(stream)
    assert first["message"] == "case 7: nudge sent to leader 1001"
    assert (first["level"], first["logger"]) == ("INFO", "bot.test_log_format")
    assert second["message"] == "two lines\nin one record"
    assert second["level"] == "DEBUG"
    assert third["level"] == "WARNING"
    for entry in (first, second, third):
        assert {"time", "level", "logger", "message"} <= set(entry)
        assert "exception" not in entry
        moment = datetime.fromisoformat(entry["time"])
        assert moment.utcoffset() == timedelta(0), entry["time"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
        assert before - timedelta(seconds=1) <= moment <= after + timedelta(seconds=1)
        # The record's own bookkeeping stays out; only what was asked for goes in.
        assert not {"args", "msg", "pathname", "lineno", "exc_info", "created"} & set(entry)


def test_an_exception_comes_with_its_traceback(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        logger.exception("reminder %d failed", 12)
    logger.error("no exception here")

    failed, plain = lines(stream)
    assert failed["level"] == "ERROR"
    assert failed["message"] == "reminder 12 failed"
    assert failed["exception"].startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: division by zero" in failed["exception"]
    assert "test_an_exception_comes_with_its_traceback" in failed["exception"]
    assert "exception" not in plain


def test_extra_fields_that_json_can_hold_are_kept(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    logger.info(
        "nudge sent",
        extra={
            "leader_id": 6_123_456_789,
            "case_id": 7,
            "late": True,
            "kinds": ["follow_up", "report_back"],
            "timing": {"seconds": 0.25, "attempt": None},
            "session": object(),
            "ratio": float("nan"),
        },
    )
    (entry,) = lines(stream)
    assert entry["message"] == "nudge sent"
    assert entry["leader_id"] == 6_123_456_789
    assert entry["case_id"] == 7
    assert entry["late"] is True
    assert entry["kinds"] == ["follow_up", "report_back"]
    assert entry["timing"] == {"seconds": 0.25, "attempt": None}
    # What JSON cannot hold is left out; the line still parses.
    assert "session" not in entry and "ratio" not in entry


def test_an_extra_field_does_not_replace_a_standard_one(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    logger.info("started", extra={"time": "yesterday", "level": "nope", "logger": "other"})
    (entry,) = lines(stream)
    assert entry["level"] == "INFO" and entry["logger"] == "bot.test_log_format"
    assert entry["time"] != "yesterday"


def test_the_text_format_is_the_one_line_people_read() -> None:
    record = logging.LogRecord("bot.nudges", logging.INFO, __file__, 1, "sent %d", (3,), None)
    line = make_formatter("text").format(record)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO bot\.nudges: sent 3", line)
    assert isinstance(make_formatter("json"), JsonFormatter)
    with pytest.raises(ValueError, match="xml"):
        make_formatter("xml")


@pytest.mark.parametrize(
    ("given", "expected"),
    [(None, "text"), ("", "text"), ("text", "text"), ("json", "json"), (" JSON ", "json")],
)
def test_log_format_setting(given: str | None, expected: str) -> None:
    environ = dict(REQUIRED) if given is None else {**REQUIRED, "LOG_FORMAT": given}
    assert load_settings(environ=environ).log_format == expected


@pytest.mark.parametrize("given", ["yaml", "logfmt", "jsonl"])
def test_an_unknown_log_format_is_refused_in_one_line(given: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        load_settings(environ={**REQUIRED, "LOG_FORMAT": given})
    message = str(refused.value)
    assert "\n" not in message
    assert "LOG_FORMAT" in message and repr(given) in message
    assert "text" in message and "json" in message


def filtered(name: str, message: str, *args: object) -> str:
    """The line a library logger ``name`` would print, through the bot's filter."""
    record = logging.LogRecord(name, logging.CRITICAL, __file__, 1, message, args, None)
    assert WithoutUpdateContents().filter(record)
    return record.getMessage()


def test_python_telegram_bots_lines_that_print_what_came_keep_only_what_happened() -> None:
    batch = [{"update_id": 7, "message": {"text": "Tommeke pest Noor"}}]
    parsing = "Error while parsing updates! Received data was %r"
    line = filtered("telegram.ext.ExtBot", parsing, batch)
    assert line == "Error while parsing updates (the updates are left out)"
    line = filtered(
        "telegram.request.BaseRequest", 'Can not load invalid JSON data: "%s"', '{"text": "Tom'
    )
    assert line == "Can not load invalid JSON data (the data is left out)"


def test_any_library_line_loses_what_looks_like_data_and_keeps_ids() -> None:
    typed = {"text": "Tommeke"}
    assert "Tommeke" not in filtered("httpx", "sent %s to %s", typed, 42)
    assert filtered("httpx", "sent %s to %s", typed, 42) == "sent <dict left out> to 42"
    assert "Tommeke" not in filtered("tornado.general", "got %s", typed)
    assert "Tommeke" not in filtered("telegram.Bot", "got %s", "Tommeke " * 30)
    assert "Tommeke" not in filtered("telegram.Bot", "got %s", b"Tommeke")
    assert filtered("telegram.ext.Application", "job %s ran in %s s", "nudges", 0.5) == (
        "job nudges ran in 0.5 s"
    )


def test_the_bots_own_lines_are_left_as_they_are() -> None:
    assert filtered("bot.intake.polling", "stored %s", [1, 2]) == "stored [1, 2]"
