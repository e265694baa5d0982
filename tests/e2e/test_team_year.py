"""The new working year: every member is asked about each open case; none is orphaned.

The coordinator moves the team's start of the year to 1 December; a leader who
leaves with a case shared in the team is asked to hand it over first, and it goes
back to the coordinator when they leave anyway. On 1 December the coordinator
is asked about each open case: one is handed over (and accepted), one closed, one
kept; the question comes once a year.
"""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.e2e import walk
from tests.e2e.test_team import open_case
from tests.e2e.test_team_follow_up import share_with, team_of_three
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import count
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

# The team rounds take an advisory lock on PostgreSQL before asking about the new year.
pytestmark = pytest.mark.both_databases

NEW_YEAR = "SELECT count(*) FROM reminders WHERE kind = 'new_year'"


async def team_screen(leader: SimUser) -> BotMessage:
    await leader.send("/team")
    await leader.press(await leader.expect("My teams"), "Kapoenen")
    return await leader.expect("Team Kapoenen")


async def test_the_new_working_year_asks_about_each_open_case_once(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    ann, ben, cas = await team_of_three(api, 6400)
    screen = await team_screen(ann)
    await ann.press(screen, "New working year: 1 September")
    months = await ann.expect("When does the working year start?")
    await ann.press(months, "1 December")
    screen = await ann.expect("Team Kapoenen")
    assert "🍂 New working year: 1 December" in screen.button_texts

    await walk.new_case(ann, "Sam", [("Tom", "Bullies")])
    await walk.new_case(ann, "Lies", [("Bram", "Joins in")])
    await walk.new_case(ben, "Noor", [("Wout", "Bullies")])
    await share_with(ben, "Noor", "Whole team Kapoenen")

    # Ben leaves: asked to hand Noor's case over first; he leaves anyway.
    await ben.press(await team_screen(ben), "Leave this team")
    confirm = await ben.expect("Leave team Kapoenen?")
    assert "Hand over your open cases of this team first" in confirm.text
    assert "🤝 Noor" in confirm.button_texts
    await ben.press(confirm, "Yes, leave")
    await ben.expect("You left team Kapoenen")
    back = await ann.expect("Ben is no longer in team Kapoenen")
    assert "the case of Noor" in back.text and "went back to you" in back.text
    await ann.press(back, "Open the case")
    await ann.expect("Case Noor")
    await ben.send("/cases")
    await ben.expect("You have no open cases")

    # 1 December, 09:00 in Brussels: one question per open case, to its leader.
    clock.advance(days=6, hours=15)
    asked = {}
    for _ in range(3):
        question = await ann.expect("A new working year starts")
        victim = next(v for v in ("Sam", "Lies", "Noor") if v in question.text)
        asked[victim] = question
    assert sorted(asked) == ["Lies", "Noor", "Sam"]

    await ann.press(asked["Sam"], "Hand over")
    await ann.press(await ann.expect("Hand over: Sam"), "The whole case")
    await ann.press(await ann.expect("To whom?"), "Cas")
    await ann.press(await ann.expect("Offer the case of Sam to Cas?"), "I keep seeing it")
    await cas.press(await cas.expect("take over the case of Sam"), "Accept")
    await cas.expect("Case Sam")

    await ann.press(asked["Lies"], "Close the case")
    await ann.press(await ann.expect("Close the case of Lies?"), "Yes, close it")
    await ann.expect("The case of Lies is closed.")

    await ann.press(asked["Noor"], "I keep following it up")
    await ann.expect("Case Noor")

    await ann.send("/cases")
    listed = await ann.expect("My cases")
    assert "Noor" in listed.text and "Sam" not in listed.text and "Lies" not in listed.text
    await cas.send("/cases")
    assert "Sam" in (await cas.expect("My cases")).text

    # Once a year: a month later nothing more was asked (closing Lies's case erased its
    # reminders, the question included).
    assert await count(database_url, NEW_YEAR) == 2
    clock.advance(days=30)
    await ann.send("/help")
    await ann.expect("Commands")
    assert await count(database_url, NEW_YEAR) == 2
    overview = await open_case(ann, "Noor")
    assert "Case Noor" in overview.text
