"""Every reply reaches the leader whatever Telegram does to it, or comes at their next update."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from telegram.ext import Application

from bot.application import TELEGRAM_CONNECTIONS
from bot.telegram_faults import RetryPolicy
from bot.turn import SERVICES_KEY
from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import eventually_count
from tests.support.running_bot import running_bot
from tests.support.standin_records import FAULTS, BotMessage, Fault
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

#: Retries as in production, with waits short enough for a test.
QUICK = RetryPolicy(first_delay=timedelta(milliseconds=20), max_delay=timedelta(milliseconds=80))
#: Screens kept for the leader's next update (a turn's screens are in the table on their
#: way too, see ``bot.outbox``: kept are those of a leader marked as not reached).
KEPT = (
    "SELECT count(*) FROM undelivered_replies JOIN leaders ON leaders.id = leader_id "
    "WHERE leaders.undelivered"
)


def quick_retries(application: Application) -> None:  # type: ignore[type-arg]
    application.bot_data[SERVICES_KEY].reply_retry = QUICK


@pytest.fixture
def quick(bot: Application) -> Application:  # type: ignore[type-arg]
    quick_retries(bot)
    return bot


def english(api: BotApiStandin, user_id: int) -> SimUser:
    return api.user(user_id, "Jo", language_code="en")


async def at_seen_question(leader: SimUser) -> BotMessage:
    """The "Did you see it?" question, once every press before it is answered (a fault
    meant for the next press's answer would otherwise meet one still on its way)."""
    step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    done = await walk.settle_step1(leader, step1, "it hurts")
    await leader.press(done, "Prepare")
    asked = await leader.expect("Did you see")
    await leader.presses_answered()
    return asked


async def test_a_press_answered_too_late_still_shows_its_screen(
    api: BotApiStandin, quick: Application
) -> None:
    leader = english(api, 9101)
    asked = await at_seen_question(leader)
    answers = len(leader.callback_answers)
    api.inject("answerCallbackQuery", FAULTS["query too old"])
    await leader.press(asked, "I saw it")
    await leader.expect("Complete the sentence")
    await wait_until(
        lambda: api.injected == [("answerCallbackQuery", "query too old")], "the answer refused"
    )
    assert len(leader.callback_answers) == answers, "Telegram refused that answer"


async def test_a_press_shows_its_screen_without_waiting_for_its_answer(
    api: BotApiStandin, quick: Application
) -> None:
    """The answer and the new screen go out together: one round trip to Telegram, not two."""
    leader = english(api, 9105)
    asked = await at_seen_question(leader)
    answers = len(leader.callback_answers)
    answering = asyncio.Event()
    api.inject("answerCallbackQuery", Fault("slow answer", stall=answering))
    pressed = await leader.press(asked, "I saw it")
    # The answer is still on its way, and the screen is there.
    await leader.expect("Complete the sentence")
    assert len(leader.callback_answers) == answers
    answering.set()
    await leader.answer_to(pressed)


async def test_more_leaders_at_once_than_connections_wait_for_one_when_telegram_is_slow(
    api: BotApiStandin, quick: Application, caplog: pytest.LogCaptureFixture
) -> None:
    """Every connection busy for longer than httpx's own second: a reply waits its turn,
    it does not fail, nor is it sent twice."""
    leaders = [english(api, 9300 + n) for n in range(2 * TELEGRAM_CONNECTIONS)]
    api.latency = 2.0
    for leader in leaders:
        await leader.send("/start")
    for leader in leaders:
        await leader.expect("What do you want to do?", timeout=15)
    api.latency = 0.0
    assert api.count_calls("sendMessage") == len(leaders)
    assert not [r.getMessage() for r in caplog.records if "trying again" in r.getMessage()]


@pytest.mark.parametrize("fault", ["message to edit not found", "message can't be edited"])
async def test_a_refused_edit_sends_the_screen_as_a_new_message(
    api: BotApiStandin, quick: Application, fault: str
) -> None:
    leader = english(api, 9102)
    await leader.send("/settings")
    shown = await leader.expect("These decide when reminders come")
    api.inject("editMessageText", FAULTS[fault])
    await leader.press(shown, "Meeting day")
    screen = await leader.expect_new_message()
    assert "On which day does your group meet?" in screen.text
    assert api.injected == [("editMessageText", fault)]
    await leader.press(screen, "No weekly meeting")
    await leader.expect("Group meeting: not set")


@pytest.mark.parametrize(
    "fault",
    [FAULTS["500"], FAULTS["502"], FAULTS["disconnect"], Fault.too_many_requests(1)],
    ids=lambda fault: fault.name,
)
async def test_a_reply_failing_for_a_while_is_tried_again_and_comes_once(
    api: BotApiStandin, quick: Application, fault: Fault
) -> None:
    leader = english(api, 9103)
    await leader.send("/settings")
    shown = await leader.expect("These decide when reminders come")
    # Twice on a pressed button's edit, twice on a typed answer's reply.
    api.inject("editMessageText", fault, count=2)
    await leader.press(shown, "Meeting day")
    edited = await leader.expect("On which day does your group meet?")
    assert edited.message_id == shown.message_id
    await walk.reach_facts(leader)
    api.inject("sendMessage", fault, count=2)
    await leader.send("Tom pushed Sam")
    await leader.expect("Name your feeling")
    assert sum("Name your feeling" in m.text for m in leader.messages) == 1
    assert len(api.injected) == 4


@pytest.mark.parametrize(
    ("fault", "tries"),
    [(FAULTS["500"], QUICK.attempts), (FAULTS["blocked"], 1)],
    ids=["5xx every time", "blocked"],
)
async def test_a_reply_lost_for_good_comes_at_the_next_message_even_after_a_restart(
    api: BotApiStandin, database_url: str, clock: TestClock, fault: Fault, tries: int
) -> None:
    leader = english(api, 9105)
    async with running_bot(api, database_url, clock) as application:
        quick_retries(application)
        await walk.reach_facts(leader)
        api.inject("sendMessage", fault, count=tries)
        await leader.send("Tom pushed Sam")
        await eventually_count(database_url, KEPT, 1)
        assert len(api.injected) == tries
        assert not any("Name your feeling" in m.text for m in leader.messages)
    async with running_bot(api, database_url, clock):
        # Not having seen the next question, the leader types the facts again.
        await leader.send("Tom pushed Sam")
        await leader.expect("did not reach you")
        feelings = await leader.expect("Name your feeling")
        await eventually_count(database_url, KEPT, 0)
        await leader.press(feelings, "sad")
        script = await leader.expect("Your script for the talk with")
        assert "I see that Tom pushed Sam." in script.text
        assert "I feel sad" in script.text, "the repeated facts were not taken as the feeling"


async def test_a_command_after_a_lost_reply_shows_it_and_then_does_what_it_says(
    api: BotApiStandin, quick: Application, database_url: str
) -> None:
    leader = english(api, 9106)
    await walk.reach_facts(leader)
    api.inject("sendMessage", FAULTS["502"], count=QUICK.attempts)
    await leader.send("Tom pushed Sam")
    await eventually_count(database_url, KEPT, 1)
    await leader.send("/help")
    await leader.expect("did not reach you")
    await leader.expect("Name your feeling")
    await leader.expect("/cases")
    await wait_until(lambda: api.injected and not api.pending_updates, "the updates handled")


@pytest.mark.parametrize("fault", ["disconnect", "query too old"])
async def test_a_fault_met_by_a_handler_that_answers_itself_is_a_warning_not_a_traceback(
    api: BotApiStandin, quick: Application, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    leader = english(api, 9107)
    group = -100_555_001
    await leader.send_in_group(group, "hallo")  # in a group with the bot
    api.inject("answerCallbackQuery", FAULTS[fault], chat_id=leader.id)
    await leader.press_data(1, "anything", chat_id=group)
    await leader.send("/help")
    await leader.expect("/cases")
    assert api.injected == [("answerCallbackQuery", fault)]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
    assert any(
        r.levelno == logging.WARNING and "not delivered" in r.getMessage() for r in caplog.records
    )


async def test_an_export_file_that_never_arrives_is_said_and_the_next_one_comes(
    api: BotApiStandin, quick: Application
) -> None:
    leader = english(api, 9108)
    await leader.send("/start")
    await leader.expect_new_message()
    api.inject("sendDocument", FAULTS["502"], count=QUICK.attempts)
    await leader.send("/export")
    await leader.expect("The file did not reach you. Send /export to try again.")
    await leader.send("/export")
    exported = await leader.expect("All your data")
    assert exported.document is not None
