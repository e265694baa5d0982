"""The group's rhythm: reminders land just before an activity, where the leader can act.

In Dutch, the protocol's language. The clock starts on Tuesday 24 November 2026, 18:00 in
Brussels; the group meets on Saturday from 14:00 to 17:00.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram.ext import Application

from tests.e2e import walk_nl
from tests.support.bot_api_standin import BotApiStandin, BotMessage, SimUser
from tests.support.clock import TestClock

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(clock: TestClock) -> datetime:
    return clock.now.astimezone(BRUSSELS)


def brussels(*when: int) -> datetime:
    return datetime(*when, tzinfo=BRUSSELS).astimezone(UTC)  # type: ignore[misc]


def nudges(leader: SimUser) -> list[BotMessage]:
    return [m for m in leader.messages if "Stap 3: spreek nogmaals met" in m.text]


async def talk_held(leader: SimUser) -> BotMessage:
    """A case with Senne, up to the talk held and its agreement; returns the plan screen."""
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    done = await walk_nl.settle_step1(leader, step1, ["dat ze uitgelachen wordt"])
    script = await walk_nl.prepare_talk(
        leader, done, "Bereid dat gesprek voor", "Ik zag het", "het uitlachen van Noor", "boos"
    )
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("voor om te doen?")
    await leader.send("Ik laat Noor met rust")
    await leader.press(await leader.expect("genoteerd"), "Klaar")
    return await leader.expect("Wanneer wil je nogmaals")


async def test_the_rhythm_is_asked_at_the_first_plan_and_kept_in_the_settings(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7301, "An", language_code="nl")
    plan = await talk_held(leader)
    assert "💡 Wanneer komt je groep samen? Zeg het één keer" in plan.text
    await leader.press(plan, "🗓 Wanneer komt je groep samen?")
    days = await leader.expect("Op welke dag komt je groep samen?")
    assert "nooit erna" in days.text
    await leader.press(days, "zaterdag")
    await leader.press(await leader.expect("Om hoe laat"), "14:00")
    await leader.expect("Activiteit van je groep: zaterdag 14:00")
    # Back on the plan; the question is not asked again.
    plan = await leader.expect_new_message()
    assert "Wanneer wil je nogmaals met Senne spreken?" in plan.text
    assert "💡" not in plan.text

    # "Over 1 week": the Saturday a week on, an hour before the activity.
    await leader.press(plan, "Over 1 week")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "zaterdag 5 december, 13:00" in planned.text, planned.text

    await leader.send("/settings")
    overview = await leader.expect("Hiermee bepaal je wanneer herinneringen komen")
    assert "⏰ Herinneringen komen 1 uur voor de activiteit" in overview.text
    await leader.press(overview, "🕔 Einde van de activiteit")
    await leader.press(await leader.expect("Om hoe laat is de activiteit gedaan?"), "17:00")
    overview = await leader.expect("zaterdag 14:00–17:00")
    await leader.press(overview, "⏰ Tijd voor de activiteit")
    await leader.press(await leader.expect("Hoe lang voor de activiteit"), "2 uur")
    overview = await leader.expect("Herinneringen komen 2 uur voor de activiteit")
    # The follow-up and the reminder to report back to Noor.
    assert "2 geplande herinneringen zijn verschoven" in overview.text, overview.text

    # The reminder lands at 12:00 on that Saturday, not a minute before.
    clock.now = brussels(2026, 12, 5, 11, 58)
    await leader.send("/cases")
    await leader.expect("Mijn pestsituaties")
    assert nudges(leader) == []
    clock.now = brussels(2026, 12, 5, 12, 1)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Senne")
    assert local(clock).weekday() == 5

    # Not talked yet: the next activity is offered, not "this evening" after it.
    await leader.press(nudge, "⏰ Nog niet gesproken: herinner me later")
    options = await leader.expect("Wanneer zal ik je opnieuw herinneren")
    assert options.button_texts == ["Bij de volgende activiteit", "Over 1 week"]
    await leader.press(options, "Bij de volgende activiteit")
    snoozed = await leader.expect("Oké, ik herinner je op")
    assert "zaterdag 12 december, 12:00" in snoozed.text, snoozed.text


async def test_a_camp_and_no_fixed_rhythm_are_set_in_the_settings(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7302, "An", language_code="nl")
    await leader.send("/settings")
    overview = await leader.expect("Hiermee bepaal je")
    assert "⏰ Geen vaste werking: herinneringen komen om 19:00" in overview.text
    await leader.press(overview, "⛺ Kamp")
    await leader.expect("Typ de eerste en de laatste dag van het kamp")
    await leader.send("30 november")
    await leader.expect("Dat kan ik niet lezen als een kamp")
    await leader.send("30-11 tot 4-12")
    overview = await leader.expect("Kamp, elke dag")
    assert "⛺ Kamp, elke dag: 30 november 2026 tot 4 december 2026" in overview.text
    assert "Herinneringen komen 1 uur voor de activiteit" in overview.text

    # On camp, "over 1 dag" is the next morning, before the day starts.
    clock.now = brussels(2026, 12, 1, 21, 0)
    plan = await talk_held(leader)
    await leader.press(plan, "Over 1 dag")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "woensdag 2 december, 08:00" in planned.text, planned.text
