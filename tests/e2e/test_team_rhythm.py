"""The team's questions reach a leader with a rhythm where they can act: before an activity.

In Dutch. The clock starts on Tuesday 24 November 2026, 18:00 in Brussels. Ben's group
meets on Saturday at 14:00, and reminders come an hour before it.
"""

from __future__ import annotations

from telegram.ext import Application

from tests.e2e import walk_nl
from tests.e2e.test_group_rhythm import brussels, saturday_group, talk_held
from tests.e2e.test_team import LINK
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import eventually_count
from tests.support.dispatch_rounds import dispatch_round
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

ESCALATIONS = "SELECT count(*) FROM reminders WHERE kind = 'escalation'"
NEW_YEAR = "SELECT count(*) FROM reminders WHERE kind = 'new_year'"


async def make_team(coordinator: SimUser, team_name: str) -> BotMessage:
    await coordinator.send("/team")
    await coordinator.press(await coordinator.expect("Mijn ploegen"), "➕ Nieuwe ploeg")
    await coordinator.expect("Hoe heet de ploeg?")
    await coordinator.send(team_name)
    return await coordinator.expect(f"Ploeg {team_name}")


async def join(coordinator: SimUser, team_screen: BotMessage, joining: SimUser) -> None:
    await coordinator.press(team_screen, "🔗 Uitnodigingslink")
    found = LINK.search((await coordinator.expect("Uitnodiging voor ploeg")).text)
    assert found is not None
    await joining.send(f"/start {found.group(2)}")
    await joining.expect("Je zit nu in ploeg")


def said(leader: SimUser, text: str) -> list[BotMessage]:
    return [m for m in leader.messages if text in m.text]


async def test_an_unanswered_nudge_reaches_the_co_leader_before_their_next_activity(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an = api.user(7501, "An", language_code="nl")
    ben = api.user(7502, "Ben", language_code="nl")
    await join(an, await make_team(an, "Kapoenen"), ben)
    await saturday_group(ben)
    plan = await talk_held(an)
    await an.press(plan, "Over 1 week")
    planned = await an.expect("herinner ik je eraan om nogmaals")
    assert "dinsdag 1 december, 19:00" in planned.text, planned.text
    await an.send("/cases")
    await an.press(await an.expect("Mijn pestsituaties"), ". Noor")
    await an.press(await an.expect("Pestsituatie rond Noor"), "👥 Delen met medeleiding")
    await an.press(await an.expect("De pestsituatie van Noor delen"), "▫️ Ben")
    await an.expect("De pestsituatie van Noor delen")

    clock.now = brussels(2026, 12, 1, 19, 0)
    await dispatch_round(bot)
    assert said(an, "Stap 3: spreek nogmaals met Senne")
    # Not answered for 24 hours: the question for Ben is planned now, and waits for the
    # moment Ben can act on it, an hour before Saturday's activity.
    clock.now = brussels(2026, 12, 2, 19, 5)
    await eventually_count(database_url, ESCALATIONS, 1)
    await dispatch_round(bot)
    clock.now = brussels(2026, 12, 5, 12, 59)
    await dispatch_round(bot)
    assert said(ben, "is niet beantwoord") == []
    clock.now = brussels(2026, 12, 5, 13, 0)
    await dispatch_round(bot)
    asked = await ben.expect("is niet beantwoord")
    assert "Senne" in asked.text and "Noor" in asked.text
    await ben.press(asked, "🙋 Ik neem het over")
    await ben.expect("Stap 3: spreek nogmaals met Senne")


async def test_the_working_year_question_comes_before_the_next_activity(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    ben = api.user(7511, "Ben", language_code="nl")
    team = await make_team(ben, "Kapoenen")
    await ben.press(team, "🍂 Nieuw werkjaar: 1 september")
    await ben.press(await ben.expect("Wanneer begint het werkjaar?"), "1 december")
    screen = await ben.expect("Ploeg Kapoenen")
    assert "🍂 Nieuw werkjaar: 1 december" in screen.button_texts
    await saturday_group(ben)
    await walk_nl.new_case(ben, "Noor", [("Senne", "Pest")])

    # 1 December, a Tuesday: the question is planned, for Saturday an hour before 14:00.
    clock.now = brussels(2026, 12, 1, 9, 0)
    await eventually_count(database_url, NEW_YEAR, 1)
    await dispatch_round(bot)
    clock.now = brussels(2026, 12, 5, 12, 59)
    await dispatch_round(bot)
    assert said(ben, "Een nieuw werkjaar begint") == []
    clock.now = brussels(2026, 12, 5, 13, 0)
    await dispatch_round(bot)
    question = await ben.expect("Een nieuw werkjaar begint")
    assert "Noor" in question.text
