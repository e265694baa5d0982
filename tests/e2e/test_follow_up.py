"""Step 3: nudges that come on time, once, with the agreements, through restarts and errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import Application

from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.dispatch_rounds import dispatch_round
from tests.support.running_bot import running_bot
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until


async def held_talk(leader: SimUser, follow_up: str = "In 1 week") -> None:
    """A case with Tom, up to a talk held, a follow-up planned and reported back."""
    step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    done = await walk.settle_step1(leader, step1, "that it hurts")
    script = await walk.prepare_talk(leader, done, "Prepare", "Tom pushed Sam", "angry")
    await walk.record_talk(leader, script, ["say sorry to Sam"], follow_up)
    await walk.report_back(leader, "Sam", "Tom")
    await leader.expect_new_message()


def nudges(leader: SimUser) -> list[BotMessage]:
    return [m for m in leader.messages if "Step 3: talk with" in m.text]


async def test_a_nudge_brings_the_agreements_and_not_stopped_leads_to_a_new_proposal(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4001, "Jo", language_code="en")
    await held_talk(leader)
    clock.advance(days=6)
    await leader.send("/cases")
    listed = await leader.expect("My cases")
    assert "Step 3: follow-up with Tom on" in listed.text
    await dispatch_round(bot)
    assert nudges(leader) == [], "not due before the week is over"

    # Due a week later at 19:00 Brussels time (18:00 UTC); the clock started at 17:00 UTC.
    clock.advance(days=1, hours=1, minutes=5)
    nudge = await leader.expect("Step 3: talk with Tom again")
    assert "say sorry to Sam" in nudge.text
    assert "Ask Tom: how far do you keep to the agreements that were made?" in nudge.text
    assert "comes late" not in nudge.text

    await walk.answer_follow_up(leader, nudge, "Not stopped")
    await leader.expect("If needed, motivate Tom to come up with a new proposal.")
    await leader.send("stay away from Sam during games")
    proposal = await leader.expect("New proposal so far")
    await leader.press(proposal, "Done")
    marking = await leader.expect("Do the earlier agreements of Tom still stand?")
    assert marking.button_texts == ["✅ 1. say sorry to Sam", "▶️ Continue"]
    await leader.press(marking, "Continue")
    plan = await leader.expect("When do you want to talk with Tom again?")
    # The proposed interval is shown first, starred.
    assert plan.button_texts[0].startswith("⭐")
    await leader.press(plan, "In 2 days")
    await leader.expect("I will remind you to talk with Tom again on")
    clock.advance(days=3)
    second = await leader.expect("Step 3: talk with Tom again")
    # The new proposal adds to the agreements: each that stands, with its talk.
    assert "stay away from Sam during games (from follow-up 1)" in second.text
    assert "say sorry to Sam (from the talk)" in second.text

    await walk.answer_follow_up(leader, second, "Bullying has stopped")
    stopped = await leader.expect("as long as the bullying has stopped")
    assert "Keep repeating this and allow enough time for the follow-up." in stopped.text
    await leader.press(stopped, "Close the case")
    await leader.press(await leader.expect("Close the case of Sam?"), "Yes, close it")
    await leader.expect("The case of Sam is closed.")

    clock.advance(weeks=4)
    await leader.send("/cases")
    await leader.expect("no open cases")
    await dispatch_round(bot)
    assert len(nudges(leader)) == 2, "no nudge after the case was closed"


async def test_stopped_proposes_a_longer_interval_and_the_history_is_kept(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4002, "Jo", language_code="en")
    await held_talk(leader, follow_up="In 2 days")
    clock.advance(days=3)
    nudge = await leader.expect("Step 3: talk with Tom again")
    await walk.answer_follow_up(leader, nudge, "Partly stopped")
    await leader.send("no more name calling")
    await leader.press(await leader.expect("New proposal so far"), "Done")
    await leader.press(await leader.expect("still stand?"), "Continue")
    await leader.press(await leader.expect("When do you want"), "In 2 days")
    await leader.expect("I will remind you")
    clock.advance(days=3)
    again = await leader.expect("Step 3: talk with Tom again")
    await walk.answer_follow_up(leader, again, "Bullying has stopped")
    stopped = await leader.expect("as long as the bullying has stopped")
    assert stopped.button_texts[0] == "⭐ In 1 week"
    await leader.press(stopped, "In 1 week")
    await leader.expect("I will remind you")

    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), "1. Sam")
    overview = await leader.expect("Case Sam")
    assert "partly stopped" in overview.text
    assert "has stopped" in overview.text
    assert "no more name calling" in overview.text
    assert "Next follow-up" in overview.text


async def test_a_button_of_an_answered_nudge_does_not_answer_the_next_talk(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4012, "Jo", language_code="en")
    await held_talk(leader)
    clock.advance(days=8)
    nudge = await leader.expect("Step 3: talk with Tom again")
    # The nudge's buttons as Telegram still shows them on another device of the leader.
    first_buttons = {text: data for row in nudge.buttons for text, data in row}
    await walk.answer_follow_up(leader, nudge, "Bullying has stopped")
    await leader.press(await leader.expect("as long as the bullying has stopped"), "In 2 weeks")
    await leader.expect("I will remind you")

    for label in ("Sam: ❌ it has not stopped", "⏰ Not talked yet: remind me later"):
        query = await leader.press_data(nudge.message_id, str(first_buttons[label]))
        await wait_until(
            lambda q=query: any(
                c.method == "answerCallbackQuery"
                and c.params.get("callback_query_id") == q
                and "already written down" in str(c.params.get("text"))
                for c in api.calls
            ),
            "the press refused as already written down",
        )
    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), "1. Sam")
    overview = await leader.expect("Case Sam")
    assert "has stopped" in overview.text
    assert "not stopped" not in overview.text
    # The talk planned after the first one still comes two weeks later, and once.
    clock.advance(days=15)
    await leader.expect("Step 3: talk with Tom again")
    await dispatch_round(bot)
    assert len(nudges(leader)) == 2


async def test_not_talked_yet_puts_the_nudge_off(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4003, "Jo", language_code="en")
    await held_talk(leader)
    clock.advance(days=8)
    nudge = await leader.expect("Step 3: talk with Tom again")
    await leader.press(nudge, "Not talked yet")
    await leader.press(await leader.expect("When shall I remind you again"), "In 3 days")
    await leader.expect("OK, I will remind you of the talk with Tom on")
    clock.advance(days=2)
    await dispatch_round(bot)
    assert len(nudges(leader)) == 1, "not again before the three days are over"
    clock.advance(days=2)
    await leader.expect("Step 3: talk with Tom again")
    assert len(nudges(leader)) == 2


async def test_moving_and_cancelling_a_follow_up_from_the_case(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4004, "Jo", language_code="en")
    await held_talk(leader)
    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), "1. Sam")
    overview = await leader.expect("Case Sam")
    await leader.press(overview, "Move the follow-up with Tom")
    await leader.press(await leader.expect("When do you want"), "In 2 weeks")
    await leader.expect("I will remind you")
    clock.advance(days=8)
    await dispatch_round(bot)
    assert nudges(leader) == [], "moved to two weeks: not due after eight days"
    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), "1. Sam")
    overview = await leader.expect("Case Sam")
    await leader.press(overview, "Cancel the follow-up with Tom")
    await leader.expect("is cancelled: no reminder will come")
    clock.advance(days=30)
    await leader.send("/cases")
    assert "Step 3: plan the next follow-up with Tom" in (await leader.expect("My cases")).text
    await dispatch_round(bot)
    assert nudges(leader) == [], "a cancelled follow-up sends no nudge"


async def test_a_reminder_to_report_back_comes_a_day_after_the_talk(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4005, "Jo", language_code="en")
    step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    done = await walk.settle_step1(leader, step1, "that it hurts")
    script = await walk.prepare_talk(leader, done, "Prepare", "Tom pushed Sam", "angry")
    planned = await walk.record_talk(leader, script, ["say sorry"], "In 2 weeks")
    # Reporting back is not asked straight after the talk: the reminder asks it.
    assert "I will ask you tomorrow whether you did" in planned.text
    promised = sum("you promised Sam" in m.text for m in leader.messages)
    clock.advance(hours=12)
    await dispatch_round(bot)
    assert sum("you promised Sam" in m.text for m in leader.messages) == promised, "not yet"
    clock.advance(hours=24)
    reminder = await leader.expect(
        "In step 1 you promised Sam to report back on your talk with Tom"
    )
    await leader.press(reminder, "Remind me tomorrow")
    await leader.expect("OK, I will remind you to report back to Sam")
    clock.advance(hours=48)
    reminder = await leader.expect(
        "In step 1 you promised Sam to report back on your talk with Tom"
    )
    await leader.press(reminder, "Yes, I reported back")
    clock.advance(days=3)
    await leader.send("/cases")
    listed = await leader.expect("My cases")
    assert "report back" not in listed.text


async def test_a_blocked_leader_gets_no_nudge_until_they_write_again(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4006, "Jo", language_code="en")
    await held_talk(leader)
    leader.block()
    clock.advance(days=8)
    blocked = ("sendMessage", "Forbidden: bot was blocked by the user")
    await wait_until(lambda: blocked in api.refusals, "the bot to meet the block")
    api.refusals.remove(blocked)  # expected: Telegram's answer to a blocked bot
    tries = len(api.calls)
    # While blocked, the bot does not try again, however long it waits.
    clock.advance(days=3)
    await dispatch_round(bot)
    assert [c for c in api.calls[tries:] if c.method == "sendMessage"] == []

    await leader.send("/help")  # writing again unblocks, as in Telegram
    await leader.expect("/cases")
    nudge = await leader.expect("Step 3: talk with Tom again")
    assert "say sorry to Sam" in nudge.text
    assert len(nudges(leader)) == 1


async def test_a_429_is_waited_out_and_the_nudge_comes_once(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4007, "Jo", language_code="en")
    await held_talk(leader)
    api.fail_next("sendMessage", status=429, retry_after=1)
    clock.advance(days=8)
    await leader.expect("Step 3: talk with Tom again", timeout=10)
    clock.advance(minutes=5)
    await dispatch_round(bot)
    assert len(nudges(leader)) == 1


@pytest.mark.parametrize(
    "delay",
    [None, 6.0],
    ids=["server error", "time-out"],  # 6 s: longer than the HTTP client waits for an answer
)
async def test_a_failed_send_is_retried_with_back_off_and_the_nudge_is_not_lost(
    api: BotApiStandin, bot: Application, clock: TestClock, delay: float | None
) -> None:
    leader = api.user(4008, "Jo", language_code="en")
    await held_talk(leader)
    calls = len(api.calls)
    api.fail_next("sendMessage", status=500, delay=delay)
    clock.advance(days=8)
    await wait_until(
        lambda: any(c.method == "sendMessage" for c in api.calls[calls:]), "a first try"
    )
    # The round of the first try ends when its answer (or time-out) is recorded; the
    # round after it finds the nudge waiting for its back-off.
    await dispatch_round(bot)
    assert nudges(leader) == [], "not sent, and not retried before the back-off"
    clock.advance(seconds=31)
    await leader.expect("Step 3: talk with Tom again")
    assert len(nudges(leader)) == 1


# Due times and claims kept across a restart, read back from each database.
@pytest.mark.both_databases
async def test_a_restart_with_a_reminder_pending_still_sends_it_on_time(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    leader = api.user(4009, "Jo", language_code="en")
    async with running_bot(api, database_url, clock):
        await held_talk(leader)
    async with running_bot(api, database_url, clock) as application:
        clock.advance(days=7, hours=1, minutes=5)
        nudge = await leader.expect("Step 3: talk with Tom again")
        assert "comes late" not in nudge.text
        await dispatch_round(application)
    assert len(nudges(leader)) == 1


# Due times and claims kept across a restart, read back from each database.
@pytest.mark.both_databases
async def test_reminders_that_fell_due_while_down_are_sent_once_at_start_marked_late(
    api: BotApiStandin, database_url: str, clock: TestClock
) -> None:
    leader = api.user(4010, "Jo", language_code="en")
    async with running_bot(api, database_url, clock):
        await held_talk(leader)
    clock.advance(days=10)  # the bot is down when the follow-up falls due
    async with running_bot(api, database_url, clock) as application:
        nudge = await leader.expect("Step 3: talk with Tom again")
        assert "This reminder comes late" in nudge.text
        clock.advance(minutes=10)
        await dispatch_round(application)
    async with running_bot(api, database_url, clock) as application:
        await dispatch_round(application)
    assert len(nudges(leader)) == 1

    engine = create_async_engine(database_url)
    async with engine.connect() as connection:
        from bot.storage.models import Reminder

        rows = (await connection.execute(select(Reminder.status, Reminder.late))).all()
    await engine.dispose()
    assert ("sent", True) in [(status, bool(late)) for status, late in rows]


async def set_meeting(leader: SimUser, day: str, hour: str) -> BotMessage:
    """/settings → meeting day → ``day`` → ``hour``; returns the settings overview."""
    await leader.send("/settings")
    await leader.press(await leader.expect("These decide when reminders come"), "Meeting day")
    await leader.press(await leader.expect("On which day does your group meet?"), day)
    await leader.press(await leader.expect("At what time does the group meet"), hour)
    return await leader.expect(f"Group meeting: {day} {hour}")


async def test_a_planned_follow_up_follows_a_new_meeting_day_and_a_new_time_zone(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(4010, "Jo", language_code="en")
    await set_meeting(leader, "Wednesday", "19:00")
    await held_talk(leader, follow_up="At the next meeting")
    await leader.send("/cases")
    # An hour before the meeting.
    assert "follow-up with Tom on Wed 25 Nov, 18:00" in (await leader.expect("My cases")).text

    # The group now meets on Friday at 20:00: the follow-up goes along.
    moved = await set_meeting(leader, "Friday", "20:00")
    assert "1 planned reminder was moved to fit these settings." in moved.text
    await leader.send("/cases")
    assert "follow-up with Tom on Fri 27 Nov, 19:00" in (await leader.expect("My cases")).text

    # The leader moves to London: the meeting is Friday 20:00 on their clock, an hour later.
    await leader.press(moved, "Time zone")
    await leader.press(await leader.expect("Which time zone are you in?"), "Europe/London")
    assert "1 planned reminder was moved" in (await leader.expect("Time zone: Europe/London")).text
    await leader.send("/cases")
    assert "follow-up with Tom on Fri 27 Nov, 19:00" in (await leader.expect("My cases")).text

    clock.advance(days=3, hours=1, minutes=5)  # Friday 18:05 in London: not yet
    await dispatch_round(bot)
    assert not nudges(leader)
    clock.advance(hours=1)
    await leader.expect("Step 3: talk with Tom again")
