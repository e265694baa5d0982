"""Every screen of every flow, in every language, through the stand-in's checks.

The leader taps buttons by their place on the screen, not by their label, so one
script walks all four languages. The stand-in refuses malformed HTML, texts over
4096 characters and callback data over 64 bytes, and the ``api`` fixture fails the
test on any refusal: no translation can break a message.
"""

from __future__ import annotations

import json

import pytest
from telegram.ext import Application

from flows.language import SUPPORTED_LANGUAGES
from tests.support.bot_api_standin import BotApiStandin, BotMessage, SimUser
from tests.support.clock import TestClock

#: Long, markup-like input at the limits: nothing may break a message.
LONG_FACTS = "<b>&amp;</b> " * 76  # 988 characters
NICK = "<Jo> & \u201cBo\u201d"  # 11 characters, but full of HTML


async def tap(leader: SimUser, message: BotMessage, row: int, col: int = 0) -> None:
    """Press the button at (row, col), whatever its label in this language."""
    assert row < len(message.buttons), f"no row {row} on {message.text!r} {message.buttons}"
    data = message.buttons[row][col][1]
    assert data is not None
    await leader.press_data(message.message_id, data)


async def screen(leader: SimUser) -> BotMessage:
    """The next new message or edit; for a text split over several messages, the last."""
    message = await leader.expect("")
    # A text over Telegram's limit comes as several messages; only the last has buttons.
    while not message.buttons and len(message.text) > 3000:
        message = await leader.expect("")
    return message


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_every_screen_renders_in_every_language(
    api: BotApiStandin, bot: Application, clock: TestClock, language: str
) -> None:
    leader = api.user(5000 + SUPPORTED_LANGUAGES.index(language), "Jo", language_code=language)
    await leader.send("/start")
    welcome = await screen(leader)
    await leader.send("/help")
    await screen(leader)

    # Quick check with nothing ticked: what fits better, No Blame and its short check.
    await leader.send("/criteria")
    await tap(leader, await screen(leader), 6)
    answer = await screen(leader)
    await tap(leader, answer, 1)  # No Blame
    await tap(leader, await screen(leader), 0)  # its short check
    no_blame = await screen(leader)
    await tap(leader, no_blame, 0)
    no_blame = await screen(leader)
    await tap(leader, no_blame, 5)  # the answer
    await tap(leader, await screen(leader), 1)  # back to the quick check's answer
    await screen(leader)

    # Quick check: three ticks, the answer, back to the ticks, the answer, start a case.
    await tap(leader, welcome, 0)
    checklist = await screen(leader)
    for row in (4, 0, 3):
        await tap(leader, checklist, row)
        checklist = await screen(leader)
    await tap(leader, checklist, 6)
    answer = await screen(leader)
    await tap(leader, answer, 1)
    checklist = await screen(leader)
    await tap(leader, checklist, 6)
    answer = await screen(leader)
    await tap(leader, answer, 0)
    await screen(leader)  # who is bullied?

    # Set-up with two children, one refused name on the way.
    await leader.send("x" * 60)
    await screen(leader)
    await leader.send(NICK)
    await screen(leader)
    await leader.send(NICK + "1")
    await tap(leader, await screen(leader), 0, 0)
    listed = await screen(leader)
    await tap(leader, listed, 0)
    await screen(leader)
    await leader.send(NICK + "2")
    await tap(leader, await screen(leader), 0, 1)
    listed = await screen(leader)
    await tap(leader, listed, 1)
    step1 = await screen(leader)

    # Step 1: a "no", the team, another approach chosen, asked again, a "yes".
    await tap(leader, step1, 1)
    declined = await screen(leader)
    await tap(leader, declined, 2)  # talk it over with the team
    await tap(leader, await screen(leader), 0)  # other approaches
    await tap(leader, await screen(leader), 0)
    await tap(leader, await screen(leader), 0)  # we go on with this
    await tap(leader, await screen(leader), 0)  # back to the case
    await screen(leader)
    # The first child's "no" waits without holding up the second: ask again from it.
    await tap(leader, declined, 0)
    step1 = await screen(leader)
    await tap(leader, step1, 2)
    await screen(leader)
    await tap(leader, step1, 0)
    await screen(leader)
    await leader.send(LONG_FACTS)
    then = await screen(leader)  # step 1 asks for each child in turn: the second is next
    await tap(leader, then, 0)
    await tap(leader, await screen(leader), 0)  # yes, for the second child too
    await screen(leader)
    await leader.send(LONG_FACTS)
    done = await screen(leader)

    # Step 2 with the first child: seen, long facts, a feeling, changed, held, agreements.
    await tap(leader, done, 0)
    await tap(leader, await screen(leader), 0, 0)
    await screen(leader)
    await leader.send(LONG_FACTS[:900] + " altijd always toujours immer")
    await tap(leader, await screen(leader), 0)  # the hint; keep the facts
    feelings = await screen(leader)
    await tap(leader, feelings, 1, 1)
    script = await screen(leader)
    await tap(leader, script, 1, 1)
    await screen(leader)
    await leader.send(NICK)
    script = await screen(leader)
    await tap(leader, script, 0)
    agreements = await screen(leader)
    await tap(leader, agreements, 0)  # "done" before any agreement
    await screen(leader)
    for _ in range(11):  # one more than the most that is kept
        await leader.send(LONG_FACTS[:500])
        agreements = await screen(leader)
    await tap(leader, agreements, 0)
    await screen(leader)  # written down
    plan = await screen(leader)
    await tap(leader, plan, 5)  # a date
    await screen(leader)
    await leader.send("31-02")
    await screen(leader)
    await leader.send("28-12")
    await screen(leader)  # planned; the second child's talk is next
    await screen(leader)

    # The case list and the case at a glance.
    await leader.send("/cases")
    listed = await screen(leader)
    await tap(leader, listed, 0)
    await screen(leader)

    # Settings: meeting day and hour, quiet hours, a time zone by button and typed.
    await leader.send("/settings")
    settings = await screen(leader)
    await tap(leader, settings, 0)
    await tap(leader, await screen(leader), 1, 1)
    await tap(leader, await screen(leader), 2, 3)
    settings = await screen(leader)
    await tap(leader, settings, 1)
    await tap(leader, await screen(leader), 3)
    settings = await screen(leader)
    await tap(leader, settings, 2)
    await screen(leader)
    await leader.send("Nowhere/Atlantis")
    await screen(leader)
    await leader.send("Europe/Brussels")
    await screen(leader)

    # A day later the reminder to report back comes; then the second child's talk.
    clock.advance(days=1, hours=2)
    report = await screen(leader)
    await tap(leader, report, 0)
    await tap(leader, await screen(leader), 0, 1)
    await screen(leader)
    await leader.send("facts")
    await tap(leader, await screen(leader), 0, 0)
    script = await screen(leader)
    await tap(leader, script, 0)
    await screen(leader)
    await leader.send("agreement")
    await tap(leader, await screen(leader), 0)
    await screen(leader)
    plan = await screen(leader)
    await tap(leader, plan, 0)  # in 1 day
    await screen(leader)  # planned
    await leader.send("/cases")
    listed = await screen(leader)
    await tap(leader, listed, 0)
    overview = await screen(leader)
    await tap(leader, overview, 1)  # reported back on the second child
    await screen(leader)  # where the case stands: step 3

    # Step 3: the reminder comes; outcomes, a new proposal, a snooze, "stopped".
    clock.advance(days=2)
    follow_up = await screen(leader)
    await tap(leader, follow_up, 4)  # not talked yet
    await tap(leader, await screen(leader), 2)
    await screen(leader)
    clock.advance(days=4)
    follow_up = await screen(leader)
    await tap(leader, follow_up, 2)  # the bullied child: not stopped
    await tap(leader, await screen(leader), 0)  # the other child: stopped
    await screen(leader)  # the bullied child's view weighs more
    await screen(leader)
    await leader.send("new agreement")
    proposal = await screen(leader)
    await tap(leader, proposal, 0)
    plan = await screen(leader)
    await tap(leader, plan, 4)  # next meeting (set above)
    await screen(leader)  # planned: nothing else to do until then
    clock.advance(days=8)
    follow_up = await screen(leader)
    await tap(leader, follow_up, 1)  # the bullied child: less
    await tap(leader, await screen(leader), 1)  # partly
    await screen(leader)
    await leader.send("another agreement")
    await tap(leader, await screen(leader), 0)
    await tap(leader, await screen(leader), 0)  # the next follow-up, proposed first
    await screen(leader)  # planned: nothing else to do until then
    # Two rounds without "stopped": the nudge offers the next steps.
    clock.advance(days=8)
    follow_up = await screen(leader)
    await tap(leader, follow_up, 4)  # next steps
    await tap(leader, await screen(leader), 3)  # support for the bullied child
    await tap(leader, await screen(leader), 1)  # the next steps again
    await tap(leader, await screen(leader), 2)  # another approach
    await screen(leader)
    await screen(leader)  # the approaches
    await leader.send("/cases")
    await tap(leader, await screen(leader), 0)
    await tap(leader, await screen(leader), 0)  # continue: the follow-up
    follow_up = await screen(leader)
    await tap(leader, follow_up, 0)  # the bullied child: stopped
    await tap(leader, await screen(leader), 0)
    stopped = await screen(leader)
    await tap(leader, stopped, 1)
    await screen(leader)

    # Privacy, export, language, closing, erasing.
    await leader.send("/privacy")
    await screen(leader)
    await leader.send("/export")
    exported = await screen(leader)
    assert exported.document is not None
    data = json.loads(exported.document.data)
    assert data["cases"][0]["child_who_is_bullied"] == NICK
    history = await screen(leader)
    assert history.document is not None and history.document.filename.endswith(".html")
    await leader.send("/language")
    await screen(leader)
    await leader.send("/cases")
    listed = await screen(leader)
    await tap(leader, listed, 0)
    overview = await screen(leader)
    close = next(i for i, row in enumerate(overview.buttons) if (row[0][1] or "").startswith("x:"))
    await tap(leader, overview, close)
    await tap(leader, await screen(leader), 0)
    await screen(leader)
    await leader.send("/delete")
    confirm = await screen(leader)
    await tap(leader, confirm, 1)  # keep
    await screen(leader)
    await leader.send("/delete")
    await tap(leader, await screen(leader), 0)  # erase
    await screen(leader)
    assert all(m.text.strip() for m in leader.messages)
