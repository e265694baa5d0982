"""Reminders under Telegram's faults: sent once when Telegram is back, their buttons work."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.e2e.test_follow_up import held_talk, nudges
from tests.e2e.test_reply_faults import quick_retries
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import eventually_count
from tests.support.dispatch_rounds import dispatch_round
from tests.support.standin_records import FAULTS
from tests.support.standin_users import SimUser


async def nudged(api: BotApiStandin, clock: TestClock, user_id: int) -> SimUser:
    leader = api.user(user_id, "Jo", language_code="en")
    await held_talk(leader)
    clock.advance(days=8)
    await leader.expect("Step 3: talk with Tom again")
    return leader


@pytest.mark.parametrize("fault", ["502", "disconnect"])
async def test_a_nudge_that_met_a_temporary_fault_comes_once_after_the_back_off(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str, fault: str
) -> None:
    leader = api.user(9201, "Jo", language_code="en")
    await held_talk(leader)
    api.inject("sendMessage", FAULTS[fault], chat_id=leader.id)
    clock.advance(days=8)
    retried = "SELECT count(*) FROM reminders WHERE status = 'pending' AND attempts = 1"
    await eventually_count(database_url, retried, 1)
    assert api.injected == [("sendMessage", fault)]
    await dispatch_round(bot)
    assert nudges(leader) == [], "not sent again before the back-off"
    clock.advance(seconds=31)
    await leader.expect("Step 3: talk with Tom again")
    assert len(nudges(leader)) == 1


async def test_a_nudge_telegram_refuses_is_marked_failed_and_not_sent_again(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    leader = api.user(9202, "Jo", language_code="en")
    await held_talk(leader)
    api.inject("sendMessage", FAULTS["chat not found"], chat_id=leader.id)
    clock.advance(days=8)
    failed = "SELECT count(*) FROM reminders WHERE status = 'failed'"
    await eventually_count(database_url, failed, 1)
    clock.advance(days=1)
    await dispatch_round(bot)
    assert nudges(leader) == []


@pytest.mark.parametrize(
    ("method", "fault"),
    [
        ("answerCallbackQuery", "query too old"),
        ("answerCallbackQuery", "500"),
        ("sendMessage", "502"),
        ("sendMessage", "disconnect"),
    ],
)
async def test_a_nudges_button_works_whatever_telegram_does_to_the_answer(
    api: BotApiStandin, bot: Application, clock: TestClock, method: str, fault: str
) -> None:
    quick_retries(bot)
    leader = await nudged(api, clock, 9203)
    api.inject(method, FAULTS[fault], chat_id=leader.id)
    await leader.press(nudges(leader)[0], "I did not ask")
    asked = await leader.expect("how far has the bullying stopped?")
    await leader.press(asked, "Not stopped")
    await leader.expect("If needed, motivate Tom to come up with a new proposal.")
    assert api.injected == [(method, fault)]
