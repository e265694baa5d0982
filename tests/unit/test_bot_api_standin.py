"""The Bot API stand-in behaves like Telegram towards a real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import json
import time
import warnings
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut

from tests.support.bot_api_standin import BotApiStandin
from tests.support.standin_records import BOT_ID, FAULTS, TOKEN, BotMessage
from tests.support.telegram_html import TelegramHtmlError, html_to_text, parse_html
from tests.support.waiting import wait_until

LIEN = 1001


@pytest.fixture
async def api() -> AsyncIterator[BotApiStandin]:
    async with BotApiStandin() as standin:
        yield standin


@pytest.fixture
async def bot(api: BotApiStandin) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as real_bot:
        yield real_bot


@pytest.fixture
async def http(api: BotApiStandin) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{api.root}/bot{TOKEN}/") as client:
        yield client


async def started_user(api: BotApiStandin, bot: Bot, user_id: int = LIEN) -> Any:
    """A user who has sent /start, with that update already fetched by the bot."""
    user = api.user(user_id, first_name="Lien")
    await user.send("/start")
    updates = await bot.get_updates(timeout=0)
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return user


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=label.lower())]
                                 for label in labels])  # fmt: skip


def retry_seconds(error: RetryAfter) -> float:
    """``retry_after`` in seconds, whether PTB gives an int or (opted in) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def last_refusal(api: BotApiStandin) -> tuple[str, str]:
    assert api.refusals, "expected a refusal"
    return api.refusals[-1]


# -- connecting -------------------------------------------------------------------------------


async def test_get_me_through_a_real_bot(bot: Bot, api: BotApiStandin) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        BOT_ID,
        "pestgesprek_bot",
        "Pestgesprek",
        True,
    )
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False
    assert api.root.startswith("http://127.0.0.1:")
    assert api.refusals == []


async def test_tokens_and_unknown_methods_are_refused_like_telegram(api: BotApiStandin) -> None:
    async with httpx.AsyncClient() as client:
        malformed = await client.post(f"{api.root}/botnot-a-token/getMe")
        wrong = await client.post(f"{api.root}/bot123:short/getMe")
        unknown = await client.post(f"{api.root}/bot{TOKEN}/getFoo")
    assert (malformed.status_code, malformed.json()) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    assert wrong.status_code == 401
    assert wrong.json()["description"] == "Unauthorized: invalid token specified"
    assert (unknown.status_code, unknown.json()["description"]) == (404, "Not Found")


async def test_json_form_and_query_parameters_are_all_understood(
    bot: Bot, api: BotApiStandin, http: httpx.AsyncClient
) -> None:
    await started_user(api, bot)
    markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "ja"}]]}
    as_json = await http.post(
        "sendMessage", json={"chat_id": LIEN, "text": "json", "reply_markup": markup}
    )
    as_form = await http.post(
        "sendMessage",
        data={"chat_id": str(LIEN), "text": "form", "reply_markup": json.dumps(markup)},
    )
    as_query = await http.get("sendMessage", params={"chat_id": LIEN, "text": "query"})
    assert [r.json()["ok"] for r in (as_json, as_form, as_query)] == [True, True, True]
    assert [m.text for m in api.user(LIEN).messages] == ["json", "form", "query"]
    assert api.user(LIEN).messages[1].buttons == [[("Ja", "ja")]]


# -- what the user sees -----------------------------------------------------------------------


async def test_html_message_arrives_as_plain_text_in_the_stream(
    bot: Bot, api: BotApiStandin
) -> None:
    lien = await started_user(api, bot)
    sent = await bot.send_message(
        LIEN, "<b>Welkom</b> &lt;Jo&gt; &amp; co", parse_mode="HTML", reply_markup=keyboard("Begin")
    )
    seen = await lien.expect("Welkom")
    assert seen.text == "Welkom <Jo> & co" == sent.text
    assert seen.html == "<b>Welkom</b> &lt;Jo&gt; &amp; co"
    assert seen.message_id == sent.message_id
    assert seen.buttons == [[("Begin", "begin")]]
    assert [e.type for e in sent.entities] == ["bold"]
    assert lien.last_message is seen
    assert api.refusals == []


async def test_expect_consumes_events_in_order_including_edits(
    bot: Bot, api: BotApiStandin
) -> None:
    lien = await started_user(api, bot)
    first = await bot.send_message(LIEN, "Eén", reply_markup=keyboard("A"))
    await bot.send_message(LIEN, "Twee")
    await bot.edit_message_text("Eén, aangepast", chat_id=LIEN, message_id=first.message_id)
    assert (await lien.expect("Twee")).text == "Twee"
    edited = await lien.expect("aangepast")
    assert edited.message_id == first.message_id
    assert (edited.edited, edited.history) == (1, ["Eén"])
    assert edited.buttons == []  # an edit without reply_markup removes the keyboard
    assert [m.text for m in lien.messages] == ["Eén, aangepast", "Twee"]


async def test_expect_times_out_showing_what_came_instead(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    await bot.send_message(LIEN, "Iets anders")
    with pytest.raises(AssertionError) as failure:
        await lien.expect("Welkom", timeout=0.2)
    assert "'Welkom'" in str(failure.value)
    assert "'Iets anders'" in str(failure.value)


async def test_expect_new_message_skips_edits(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    first = await bot.send_message(LIEN, "Een")
    await bot.edit_message_text("Een!", chat_id=LIEN, message_id=first.message_id)
    await bot.send_message(LIEN, "Twee")
    assert (await lien.expect_new_message()).text == "Een!"
    assert (await lien.expect_new_message()).text == "Twee"


async def test_send_document_records_filename_and_bytes(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    sent = await bot.send_document(
        LIEN, document=b"%PDF-1.4 verslag", filename="verslag.pdf", caption="<i>Je verslag</i>",
        parse_mode="HTML",
    )  # fmt: skip
    seen = await lien.expect("Je verslag")
    assert seen.document is not None
    assert (seen.document.filename, seen.document.data) == ("verslag.pdf", b"%PDF-1.4 verslag")
    assert sent.document is not None and sent.document.file_name == "verslag.pdf"
    assert sent.caption == "Je verslag"
    again = await bot.send_document(LIEN, document=sent.document.file_id)
    assert again.document is not None and again.document.file_id == sent.document.file_id


# -- refusals ---------------------------------------------------------------------------------

BAD_HTML = [
    ("<Jo>", 'Unsupported start tag "jo" at byte offset 0'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b><i>test</b></i>", 'Unmatched end tag at byte offset 10, expected "</i>", found "</b>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
]


@pytest.mark.parametrize(("html", "reason"), BAD_HTML)
async def test_bad_html_is_refused_with_telegrams_words(
    bot: Bot, api: BotApiStandin, html: str, reason: str
) -> None:
    await started_user(api, bot)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(LIEN, html, parse_mode="HTML")
    assert last_refusal(api) == ("sendMessage", f"Bad Request: can't parse entities: {reason}")
    assert api.user(LIEN).messages == []


async def test_without_parse_mode_the_text_is_taken_as_is(bot: Bot, api: BotApiStandin) -> None:
    await started_user(api, bot)
    sent = await bot.send_message(LIEN, "<Jo> & a < b")
    assert sent.text == "<Jo> & a < b" == api.user(LIEN).messages[0].text


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("", "Bad Request: message text is empty"),
        ("   \n ", "Bad Request: text must be non-empty"),
        ("<b> </b>", "Bad Request: text must be non-empty"),
        ("x" * 4097, "Bad Request: message is too long"),
        ("😀" * 2049, "Bad Request: message is too long"),  # 4098 UTF-16 code units
        ("<b>" + "x" * 4097 + "</b>", "Bad Request: message is too long"),
    ],
)
async def test_empty_and_too_long_texts_are_refused(
    bot: Bot, api: BotApiStandin, text: str, description: str
) -> None:
    await started_user(api, bot)
    with pytest.raises(BadRequest):
        await bot.send_message(LIEN, text, parse_mode="HTML")
    assert last_refusal(api) == ("sendMessage", description)


async def test_limits_count_visible_text_in_utf16(bot: Bot, api: BotApiStandin) -> None:
    await started_user(api, bot)
    await bot.send_message(LIEN, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    await bot.send_message(LIEN, "😀" * 2048)
    with pytest.raises(BadRequest):
        await bot.send_document(LIEN, document=b"x", filename="a.txt", caption="c" * 1025)
    assert last_refusal(api) == ("sendDocument", "Bad Request: message caption is too long")


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "Ja", "callback_data": "x" * 65}, "Bad Request: BUTTON_DATA_INVALID"),
        ({"text": "Ja", "callback_data": "é" * 33}, "Bad Request: BUTTON_DATA_INVALID"),
        (
            {"text": "Ja", "callback_data": ""},
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        (
            {"text": "Ja"},
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        ({"text": "", "callback_data": "ja"}, "Bad Request: BUTTON_TEXT_INVALID"),
        (
            {"text": "Site", "url": "ftp://example.com"},
            "Bad Request: inline keyboard button URL 'ftp://example.com' is invalid: "
            "Unsupported URL protocol",
        ),
    ],
)
async def test_bad_inline_buttons_are_refused(
    bot: Bot, api: BotApiStandin, http: httpx.AsyncClient, button: dict[str, str], description: str
) -> None:
    await started_user(api, bot)
    markup = {"inline_keyboard": [[button]]}
    response = await http.post(
        "sendMessage", json={"chat_id": LIEN, "text": "Kies", "reply_markup": markup}
    )
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error_code": 400, "description": description}
    assert last_refusal(api) == ("sendMessage", description)


async def test_good_buttons_are_accepted(bot: Bot, api: BotApiStandin) -> None:
    await started_user(api, bot)
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Ja", callback_data="x" * 64)],
            [InlineKeyboardButton("Site", url="https://example.org/hulp")],
        ]
    )
    sent = await bot.send_message(LIEN, "Kies", reply_markup=markup)
    assert api.user(LIEN).messages[0].buttons == [
        [("Ja", "x" * 64)],
        [("Site", "https://example.org/hulp")],
    ]
    assert sent.reply_markup == markup


async def test_more_than_100_buttons_is_too_long(bot: Bot, api: BotApiStandin) -> None:
    await started_user(api, bot)
    rows = [[InlineKeyboardButton(f"{r}.{c}", callback_data=f"{r}.{c}") for c in range(8)]
            for r in range(13)]  # fmt: skip
    with pytest.raises(BadRequest, match=r"(?i)reply markup is too long"):
        await bot.send_message(LIEN, "Kies", reply_markup=InlineKeyboardMarkup(rows))


async def test_unknown_blocked_and_unstarted_chats(bot: Bot, api: BotApiStandin) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(424242, "Hallo")
    assert last_refusal(api) == ("sendMessage", "Bad Request: chat not found")

    jo = api.user(2002, first_name="Jo")
    await jo.send_in_group(-100, "/start")
    with pytest.raises(Forbidden):
        await bot.send_message(2002, "Hallo")
    assert last_refusal(api) == (
        "sendMessage",
        "Forbidden: bot can't initiate conversation with a user",
    )

    lien = await started_user(api, bot)
    lien.block()
    with pytest.raises(Forbidden):
        await bot.send_message(LIEN, "Hallo")
    assert last_refusal(api) == ("sendMessage", "Forbidden: bot was blocked by the user")
    lien.unblock()
    await bot.send_message(LIEN, "Hallo")


async def test_blocking_sends_my_chat_member_updates(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    lien.block()
    (update,) = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"


async def test_edits_like_telegram(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    sent = await bot.send_message(
        LIEN, "<b>Vraag</b>", parse_mode="HTML", reply_markup=keyboard("Ja")
    )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=LIEN, message_id=999)
    assert last_refusal(api) == ("editMessageText", "Bad Request: message to edit not found")

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "<b>Vraag</b>",
            chat_id=LIEN,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("Ja"),
        )
    assert last_refusal(api) == (
        "editMessageText",
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )
    # Same text without the bold is a different content; a new keyboard a different markup.
    await bot.edit_message_text(
        "Vraag", chat_id=LIEN, message_id=sent.message_id, reply_markup=keyboard("Ja")
    )
    await bot.edit_message_text(
        "Vraag", chat_id=LIEN, message_id=sent.message_id, reply_markup=keyboard("Nee")
    )
    current = lien.messages[0]
    assert (current.text, current.buttons, current.edited) == ("Vraag", [[("Nee", "nee")]], 2)


async def test_callback_answers(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    sent = await bot.send_message(LIEN, "Kies", reply_markup=keyboard("Ja"))
    query_id = await lien.press(lien.messages[0], "Ja")
    (update,) = await bot.get_updates(timeout=0)
    assert update.callback_query is not None and update.callback_query.id == query_id

    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    assert last_refusal(api) == ("answerCallbackQuery", "Bad Request: MESSAGE_TOO_LONG")
    await bot.answer_callback_query(query_id, text="Genoteerd", show_alert=True)
    assert await lien.expect_callback_answer() == (query_id, "Genoteerd", True)

    for stale in (query_id, "123456"):
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(stale)
        assert last_refusal(api) == (
            "answerCallbackQuery",
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    assert sent.message_id == lien.messages[0].message_id


async def test_commands_are_checked_and_kept_per_scope_and_language(
    bot: Bot, api: BotApiStandin
) -> None:
    await started_user(api, bot)
    dutch = [BotCommand("start", "Begin een gesprek"), BotCommand("help", "Hulp")]
    await bot.set_my_commands(dutch, language_code="nl")
    await bot.set_my_commands([BotCommand("start", "Start")], scope=BotCommandScopeChat(LIEN))
    assert api.commands(language_code="nl") == [("start", "Begin een gesprek"), ("help", "Hulp")]
    assert api.commands() is None
    assert api.commands({"type": "chat", "chat_id": LIEN}) == [("start", "Start")]

    bad = [
        ([BotCommand("Start", "x")], None, "Bad Request: BOT_COMMAND_INVALID"),
        ([BotCommand("a" * 33, "x")], None, "Bad Request: BOT_COMMAND_INVALID"),
        ([BotCommand("start", "")], None, "Bad Request: command description must be non-empty"),
        ([BotCommand("start", "x" * 257)], None, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"),
        (
            [BotCommand(f"c{i}", "x") for i in range(101)],
            None,
            "Bad Request: BOT_COMMANDS_TOO_MUCH",
        ),
        ([BotCommand("start", "x")], "nld", "Bad Request: LANG_CODE_INVALID"),
    ]
    for commands, language_code, description in bad:
        with pytest.raises(BadRequest):
            await bot.set_my_commands(commands, language_code=language_code)
        assert last_refusal(api) == ("setMyCommands", description)


# -- updates ----------------------------------------------------------------------------------


async def test_commands_carry_a_bot_command_entity(bot: Bot, api: BotApiStandin) -> None:
    lien = api.user(LIEN, first_name="Lien", language_code="nl")
    await lien.send("/start@pestgesprek_bot")
    await lien.send("hallo")
    first, second = await bot.get_updates(timeout=0)
    assert first.message is not None and second.message is not None
    assert first.message.chat.type == "private" and first.message.chat.id == LIEN
    assert first.message.from_user is not None
    assert first.message.from_user.language_code == "nl"
    assert [(e.type, e.offset, e.length) for e in first.message.entities] == [
        ("bot_command", 0, 22)
    ]
    assert second.message.entities == ()
    assert second.update_id > first.update_id


async def test_get_updates_offset_confirms_updates(bot: Bot, api: BotApiStandin) -> None:
    lien = api.user(LIEN)
    for text in ("een", "twee", "drie"):
        await lien.send(text)
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["een", "twee", "drie"]
    again = await bot.get_updates(offset=updates[1].update_id, timeout=0)
    assert [u.message.text for u in again if u.message] == ["twee", "drie"]
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert api.pending_updates == []


async def test_long_poll_wakes_up_for_a_new_update_and_is_capped(
    bot: Bot, api: BotApiStandin
) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=30) == ()
    assert time.monotonic() - started < 2.5  # capped at 1 s

    async def write_while_polling() -> None:
        await wait_until(lambda: api.open_polls == 1, "the long poll to wait")
        await api.user(LIEN).send("hallo")

    writer = asyncio.create_task(write_while_polling())
    (update,) = await bot.get_updates(timeout=30)
    await writer
    assert update.message is not None and update.message.text == "hallo"


async def test_a_second_poller_terminates_the_first(api: BotApiStandin) -> None:
    async with (
        Bot(TOKEN, base_url=api.base_url) as first,
        Bot(TOKEN, base_url=api.base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=1))
        await wait_until(lambda: api.open_polls == 1, "the first long poll to wait")
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting
    assert last_refusal(api) == (
        "getUpdates",
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    )


async def test_an_abandoned_long_poll_is_no_conflict(api: BotApiStandin) -> None:
    """python-telegram-bot cancels its long-poll on stop and polls once more to confirm."""
    async with (
        Bot(TOKEN, base_url=api.base_url) as first,
        Bot(TOKEN, base_url=api.base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=1))
        await wait_until(lambda: api.open_polls == 1, "the first long poll to wait")
        waiting.cancel()
        assert await second.get_updates(timeout=0) == ()
        # The abandoned poll is answered (or refused) once the stand-in has decided.
        await wait_until(lambda: api.open_polls == 0, "the abandoned poll to be answered")
    assert api.refusals == []


async def test_a_users_press_answers_are_waited_for_in_order_or_by_press(
    bot: Bot, api: BotApiStandin
) -> None:
    lien = await started_user(api, bot)
    await bot.send_message(LIEN, "Kies", reply_markup=keyboard("Ja", "Nee"))
    message = await lien.expect("Kies")
    first = await lien.press(message, "Ja")
    second = await lien.press(message, "Nee")
    with pytest.raises(AssertionError, match=rf"0\.1 s for the bot to answer press {second}"):
        await lien.answer_to(second, timeout=0.1)
    await bot.answer_callback_query(second, text="Nee dus")
    await bot.answer_callback_query(first, text="Ja dus")
    assert (await lien.answer_to(first)).text == "Ja dus"
    # In the order the bot answered, each once.
    assert (await lien.expect_callback_answer()).query_id == second
    assert (await lien.expect_callback_answer()).query_id == first
    with pytest.raises(AssertionError, match=r"0\.1 s for the bot to answer a button press"):
        await lien.expect_callback_answer(timeout=0.1)
    await lien.presses_answered()


async def test_press_yields_a_callback_query_with_the_message(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    await bot.send_message(
        LIEN, "<i>Kies</i>", parse_mode="HTML", reply_markup=keyboard("Ja", "Nee")
    )
    message = await lien.expect("Kies")
    await lien.press(message, "Nee")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None
    assert (query.data, query.from_user.id) == ("nee", LIEN)
    assert isinstance(query.message, Message)
    assert query.message.message_id == message.message_id
    assert query.message.reply_markup == keyboard("Ja", "Nee")
    assert query.chat_instance


async def test_pressing_a_missing_button_fails_the_test(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    await bot.send_message(LIEN, "Kies", reply_markup=keyboard("Ja graag", "Nee dank je"))
    message = await lien.expect("Kies")
    with pytest.raises(AssertionError, match=r"'Misschien'.*'Ja graag', 'Nee dank je'"):
        await lien.press(message, "Misschien")
    with pytest.raises(AssertionError, match="2 buttons"):
        await lien.press(message, " ")
    # After an edit without keyboard the old buttons are gone.
    await bot.edit_message_text("Dank je", chat_id=LIEN, message_id=message.message_id)
    with pytest.raises(AssertionError, match="no button"):
        await lien.press(message, "Ja graag")
    assert await bot.get_updates(timeout=0) == ()


async def test_press_data_forges_or_replays_a_press(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    sent = await bot.send_message(LIEN, "Kies", reply_markup=keyboard("Ja"))
    await lien.press_data(sent.message_id, "verzonnen")
    await lien.press_data(999, "oud")
    forged, old = await bot.get_updates(timeout=0)
    assert forged.callback_query is not None and forged.callback_query.data == "verzonnen"
    assert old.callback_query is not None and old.callback_query.message is not None
    assert not old.callback_query.message.is_accessible


async def test_group_messages_follow_privacy_mode(bot: Bot, api: BotApiStandin) -> None:
    jo = api.user(2002, first_name="Jo")
    assert await jo.send_in_group(-100, "/start", title="Leiding") is not None
    assert await jo.send_in_group(-100, "gewoon gepraat") is None
    assert await jo.send_in_group(-100, "/start@other_bot") is None
    (update,) = await bot.get_updates(timeout=0)
    assert update.message is not None
    assert (update.message.chat.type, update.message.chat.title) == ("group", "Leiding")
    await bot.send_message(-100, "Hallo groep")
    assert (await api.chat(-100).expect("Hallo groep")).chat_id == -100


# -- webhooks ---------------------------------------------------------------------------------


async def test_webhook_delivery_posts_with_the_secret_and_retries(
    bot: Bot, api: BotApiStandin
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []
    answers = iter([500, 200])

    async def receive(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response(status=next(answers, 200))

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="geheim-123")
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        await api.user(LIEN).send("/start")
        # The stand-in notes a delivery when the receiver's answer has come back, which
        # is after the receiver saw it: wait for the stand-in's record, not the receiver's.
        await wait_until(lambda: len(api.webhook_deliveries) >= 2, "the second delivery")
        assert [secret for secret, _ in received] == ["geheim-123", "geheim-123"]
        assert received[0][1] == received[1][1]
        assert received[0][1]["message"]["text"] == "/start"
        assert [(d.status, d.attempt) for d in api.webhook_deliveries] == [(500, 1), (200, 2)]
        info = await bot.get_webhook_info()
        assert info.url.endswith("/hook") and info.pending_update_count == 0
        assert info.last_error_message is not None
    finally:
        await bot.delete_webhook()
        await runner.cleanup()
    assert await bot.get_updates(timeout=0) == ()


async def test_set_webhook_refuses_bad_urls_and_secrets(bot: Bot, api: BotApiStandin) -> None:
    with pytest.raises(BadRequest):
        await bot.set_webhook("http://example.org/hook")
    assert last_refusal(api) == (
        "setWebhook",
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )
    with pytest.raises(BadRequest):
        await bot.set_webhook("https://example.org/hook", secret_token="niet/goed=")
    assert last_refusal(api) == (
        "setWebhook",
        "Bad Request: secret token contains unallowed characters",
    )


# -- failure injection and flood control -------------------------------------------------------


IGNORE_PTB_RETRY_AFTER_DEPRECATION = pytest.mark.filterwarnings(
    "ignore::telegram.warnings.PTBDeprecationWarning"
)


@IGNORE_PTB_RETRY_AFTER_DEPRECATION
async def test_fail_next_with_429_and_500(bot: Bot, api: BotApiStandin) -> None:
    await started_user(api, bot)
    api.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(LIEN, "Hallo")
    assert retry_seconds(flood.value) == 7
    api.fail_next("sendMessage", status=500, count=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(LIEN, "Hallo")
    await bot.send_message(LIEN, "Hallo")
    assert [m.text for m in api.user(LIEN).messages] == ["Hallo"]
    assert api.refusals == []  # injected failures are not the bot's fault


async def test_fail_next_with_delay_times_out_but_still_sends(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    api.fail_next("sendMessage", delay=0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(LIEN, "Te laat", read_timeout=0.1)
    assert (await lien.expect("Te laat")).text == "Te laat"


async def test_injected_faults_answer_as_telegram_does_and_are_recorded(
    bot: Bot, api: BotApiStandin
) -> None:
    lien = await started_user(api, bot)
    sent = await bot.send_message(LIEN, "Eerst")
    api.inject("sendMessage", FAULTS["blocked"])
    with pytest.raises(Forbidden):
        await bot.send_message(LIEN, "Geblokkeerd")
    api.inject("sendMessage", FAULTS["disconnect"], count=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as dropped:
            await bot.send_message(LIEN, "Weg")
        assert not isinstance(dropped.value, BadRequest)
    api.inject("editMessageText", FAULTS["message to edit not found"])
    with pytest.raises(BadRequest, match="to edit not found"):
        await bot.edit_message_text("Anders", chat_id=LIEN, message_id=sent.message_id)
    await bot.send_message(LIEN, "Daarna")
    assert [m.text for m in lien.messages] == ["Eerst", "Daarna"]
    assert api.injected == [
        ("sendMessage", "blocked"),
        ("sendMessage", "disconnect"),
        ("sendMessage", "disconnect"),
        ("editMessageText", "message to edit not found"),
    ]
    assert api.refusals == []


async def test_a_fault_for_one_chat_leaves_the_others_alone(bot: Bot, api: BotApiStandin) -> None:
    lien = await started_user(api, bot)
    other = await started_user(api, bot, LIEN + 1)
    api.inject("sendMessage", FAULTS["500"], chat_id=other.id)
    await bot.send_message(LIEN, "Voor Lien")
    with pytest.raises(NetworkError):
        await bot.send_message(other.id, "Voor de ander")
    await bot.send_message(other.id, "Nog eens")
    assert [m.text for m in lien.messages] == ["Voor Lien"]
    assert [m.text for m in other.messages] == ["Nog eens"]
    assert api.injected == [("sendMessage", "500")]


@IGNORE_PTB_RETRY_AFTER_DEPRECATION
async def test_limit_rate_answers_429_like_flood_control(bot: Bot, api: BotApiStandin) -> None:
    await started_user(api, bot)
    api.limit_rate(global_per_second=30, per_chat_per_second=1)
    await bot.send_message(LIEN, "Een")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(LIEN, "Twee")
    assert retry_seconds(flood.value) >= 1
    assert api.flood_refusals == [("sendMessage", LIEN)]
    assert api.refusals == []


# -- lifecycle --------------------------------------------------------------------------------


async def test_stop_answers_open_long_polls_promptly() -> None:
    api = BotApiStandin(long_poll_cap=30)
    await api.start()
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
        await wait_until(lambda: api.open_polls == 1, "the long poll to wait")
        started = time.monotonic()
        await api.stop()
        assert await poll == ()
        assert time.monotonic() - started < 2


async def test_users_and_messages_are_plain_objects(api: BotApiStandin) -> None:
    lien = api.user(LIEN, first_name="Lien")
    assert api.user(LIEN) is lien
    assert lien.messages == [] and lien.last_message is None
    assert BotMessage(1, LIEN, "x", "x", 0).buttons == []


# -- the HTML validator -----------------------------------------------------------------------

GOOD_HTML = [
    ("<b>x</b>", "x"),
    ("&lt;Jo&gt;", "<Jo>"),
    ("a &amp; b", "a & b"),
    ("&quot;hoi&quot; &#39;x&#39; &#x1F600;", "\"hoi\" 'x' 😀"),
    ("<strong>a</strong><em>b</em><ins>c</ins><strike>d</strike><del>e</del>", "abcde"),
    ("<i>a <u>b <s>c</s></u></i>", "a b c"),
    ('<span class="tg-spoiler">geheim</span> <tg-spoiler>ook</tg-spoiler>', "geheim ook"),
    ('<a href="https://example.org/?a=1&amp;b=2">link</a>', "link"),
    ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
    ('<pre><code class="language-python">print("x")</code></pre>', 'print("x")'),
    ("<code>a &lt; b</code>", "a < b"),
    ("<blockquote>citaat</blockquote><blockquote expandable>lang</blockquote>", "citaatlang"),
    ("<b>regel\nregel</b>", "regel\nregel"),
    ("geen opmaak", "geen opmaak"),
]
BAD_HTML_TABLE = [
    "<Jo>",
    "a < b",
    "a & b",
    "<b>x",
    "<b><i>x</b></i>",
    "&nbsp;",
    "&lt",
    "</b>",
    "<span>x</span>",
    "<div>x</div>",
    "<br>",
    "<b",
    '<a href="x?a=1&b=2">x</a>',
    '<tg-emoji emoji-id="abc">x</tg-emoji>',
]


@pytest.mark.parametrize(("html", "text"), GOOD_HTML)
def test_html_validator_accepts_telegram_html(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize("html", BAD_HTML_TABLE)
def test_html_validator_refuses_everything_else(html: str) -> None:
    with pytest.raises(TelegramHtmlError) as refused:
        html_to_text(html)
    assert refused.value.description.startswith("Bad Request: can't parse entities: ")


def test_html_validator_reports_entities_in_utf16_units() -> None:
    parsed = parse_html("😀 <b>vet</b> <a href='https://example.org'>hier</a>")
    assert parsed.text == "😀 vet hier"
    assert [(e.type, e.offset, e.length) for e in parsed.entities] == [
        ("bold", 3, 3),
        ("text_link", 7, 4),
    ]
    assert parsed.entities[1].url == "https://example.org"


def test_html_validator_can_be_as_lenient_as_telegram_with_ampersands() -> None:
    assert html_to_text("a & b &nbsp;", strict_entities=False) == "a & b &nbsp;"
