"""The console's own pieces: Telegram HTML in a terminal, the clock command, the local Bot API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.console.local_bot_api import LocalBotApi, ShownMessage
from bot.console.session import parse_wait, terminal_language
from bot.console.terminal import button_lines, html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<b>Step 1</b>\nSay:", "Step 1\nSay:"),
        ("I see that &lt;Tom&gt; &amp; Sam", "I see that <Tom> & Sam"),
        ("Say:\n<blockquote>one\ntwo</blockquote>\nthen", "Say:\n│ one\n│ two\nthen"),
        ("a<blockquote>q</blockquote>b", "a\n│ q\nb"),
        ('<a href="https://example.org">site</a>', "site (https://example.org)"),
        ("<i>typed</i> <u>under</u>", "typed under"),
    ],
)
def test_telegram_html_reads_as_plain_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_styles_become_terminal_codes_only_when_asked() -> None:
    assert html_to_text("<b>x</b> y", colour=True) == "\x1b[0m\x1b[1mx\x1b[0m y"


def test_buttons_are_numbered_across_rows() -> None:
    assert button_lines([["Yes", "No"], ["Back"]]) == ["[1] Yes   [2] No", "[3] Back"]


@pytest.mark.parametrize(
    ("typed", "ahead"),
    [
        ("3d", timedelta(days=3)),
        ("2h30m", timedelta(hours=2, minutes=30)),
        ("1w 2d", timedelta(weeks=1, days=2)),
        ("8D", timedelta(days=8)),
        ("", None),
        ("0d", None),
        ("3 days", None),
        ("soon", None),
    ],
)
def test_wait_reads_weeks_days_hours_and_minutes(typed: str, ahead: timedelta | None) -> None:
    assert parse_wait(typed) == ahead


@pytest.mark.parametrize(
    ("environment", "code"),
    [
        ({"LANG": "fr_BE.UTF-8"}, "fr-BE"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "nl_BE.UTF-8"}, "de-DE"),
        ({}, None),
    ],
)
def test_the_terminals_language_is_passed_on_as_telegram_would(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], code: str | None
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert terminal_language() == code


class Shown:
    """What the local Bot API showed, for the assertions."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bool]] = []
        self.toasts: list[str] = []
        self.files: list[tuple[Path, str]] = []

    def message(self, shown: ShownMessage, *, edited: bool) -> None:
        self.messages.append((shown.html, edited))

    def toast(self, text: str) -> None:
        self.toasts.append(text)

    def file(self, path: Path, caption: str) -> None:
        self.files.append((path, caption))


@pytest.fixture
async def local(tmp_path: Path) -> tuple[Bot, LocalBotApi, Shown]:
    shown = Shown()
    numbers = iter(range(1, 1000))
    api = LocalBotApi(
        shown, lambda: datetime(2026, 11, 24, tzinfo=UTC), tmp_path, lambda: next(numbers)
    )
    bot = Bot("console", request=api, get_updates_request=api)
    await bot.initialize()
    return bot, api, shown


async def test_the_local_bot_api_shows_messages_and_numbers_the_newest_buttons(
    local: tuple[Bot, LocalBotApi, Shown],
) -> None:
    bot, api, shown = local
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
    first = await bot.send_message(
        1, "<b>Sure?</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    assert first.text == "Sure?"
    assert api.buttons_message is not None and api.buttons_message.rows[0][0].data == "y"
    await bot.edit_message_text("<b>Sure!</b>", chat_id=1, message_id=first.message_id)
    assert shown.messages == [("<b>Sure?</b>", False), ("<b>Sure!</b>", True)]
    # The edit took the buttons away: no number presses anything now.
    assert api.buttons_message is None


async def test_the_local_bot_api_refuses_what_telegram_refuses(
    local: tuple[Bot, LocalBotApi, Shown],
) -> None:
    bot, _api, shown = local
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "x" * 4097)
    sent = await bot.send_message(1, "same")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("same", chat_id=1, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("other", chat_id=1, message_id=999)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "buttons", reply_markup=too_long)
    assert shown.messages == [("same", False)]


async def test_the_local_bot_api_saves_a_sent_file_for_the_leader_only(
    local: tuple[Bot, LocalBotApi, Shown], tmp_path: Path
) -> None:
    bot, _api, shown = local
    await bot.send_document(1, b'{"cases": []}', filename="export.json", caption="Your data")
    path, caption = shown.files[0]
    assert path == tmp_path / "export.json"
    assert path.read_bytes() == b'{"cases": []}'
    assert path.stat().st_mode & 0o777 == 0o600
    assert caption == "Your data"
    await bot.answer_callback_query("1", text="Saved")
    assert shown.toasts == ["Saved"]
