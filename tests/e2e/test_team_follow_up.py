"""Who does what in a team: the unanswered nudge goes to the co-leader, and hand-overs.

Three leaders through the stand-in server, with the clock driven by the test: Ann's
case is shared with Ben (not with Cas); Ann does not answer her follow-up nudge,
and after the team's 24 hours Ben gets it with "I'll take it". Then follow-ups and
a whole case change hands, each only once the other leader accepts.
"""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot.storage.database import Database
from bot.team_rounds import TeamRounds
from tests.e2e import walk
from tests.e2e.test_team import invitation_token, make_team, open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import count, eventually_count
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

# The team rounds take an advisory lock on PostgreSQL before escalating a nudge.
pytestmark = pytest.mark.both_databases


async def team_of_three(api: BotApiStandin, base: int) -> tuple[SimUser, SimUser, SimUser]:
    """Ann (coordinator), Ben and Cas in team Kapoenen."""
    ann = api.user(base + 1, "Ann", language_code="en")
    ben = api.user(base + 2, "Ben", language_code="en")
    cas = api.user(base + 3, "Cas", language_code="en")
    token = await invitation_token(ann, await make_team(ann, "Kapoenen"))
    for joining in (ben, cas):
        await joining.send(f"/start {token}")
        await joining.expect("You joined team Kapoenen")
    return ann, ben, cas


async def talk_held(leader: SimUser, victim: str = "Sam", child: str = "Tom") -> None:
    """A case (Sam's, with Tom) up to a talk held, a follow-up in a week, reported back."""
    step1 = await walk.new_case(leader, victim, [(child, "Bullies")])
    done = await walk.settle_step1(leader, step1, "that it hurts")
    script = await walk.prepare_talk(leader, done, "Prepare", f"{child} pushed {victim}", "angry")
    await walk.record_talk(leader, script, [f"say sorry to {victim}"])
    await walk.report_back(leader, victim, child)
    await leader.expect_new_message()


async def share_with(owner: SimUser, victim: str, button: str) -> BotMessage:
    await owner.press(await open_case(owner, victim), "Share with co-leaders")
    await owner.press(await owner.expect(f"Share the case of {victim}"), button)
    return await owner.expect(f"Share the case of {victim}")


async def test_an_unanswered_nudge_goes_to_the_co_leader_who_takes_it(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    ann, ben, cas = await team_of_three(api, 6000)
    await talk_held(ann)
    await share_with(ann, "Sam", "▫️ Ben")

    clock.advance(days=7, hours=1, minutes=5)
    await ann.expect("Step 3: talk with Tom again")
    sent = "SELECT count(*) FROM reminders WHERE kind = 'follow_up' AND status = 'sent'"
    await eventually_count(database_url, sent, 1)

    # 23 hours later the nudge still waits for Ann alone.
    clock.advance(hours=23)
    database = Database(database_url)
    try:
        assert await TeamRounds(database, clock).run_once() == (0, 0)
    finally:
        await database.dispose()

    clock.advance(hours=1, minutes=1)
    asked = await ben.expect("has not been answered")
    assert "Tom" in asked.text and "Sam" in asked.text
    await ben.press(asked, "I'll take it")
    await ben.expect("You follow up Tom from now on")
    nudge = await ben.expect("Step 3: talk with Tom again")
    assert "say sorry to Sam" in nudge.text
    await walk.answer_follow_up(ben, nudge, "Bullying has stopped")
    stopped = await ben.expect("Good news about Tom")
    await ben.press(stopped, "⭐")
    await ben.expect("I will remind you to talk with Tom again")

    # Cas does not share the case: nothing was planned for Cas, nothing was sent.
    assert await count(database_url, "SELECT count(*) FROM reminders WHERE leader_id = 6003") == 0
    assert not [m for m in cas.messages if "Tom" in m.text or "Sam" in m.text]

    # Ann's old buttons find the follow-up already written down; her case shows it.
    overview = await open_case(ann, "Sam")
    assert "follow-up on" in overview.text and "stopped" in overview.text.lower()

    # The next nudge of Tom's follow-up goes to Ben, who follows him up now.
    clock.advance(days=15)
    again = await ben.expect("Step 3: talk with Tom again")
    assert again.chat_id == ben.id
    assert len([m for m in ann.messages if "Step 3: talk with Tom again" in m.text]) == 1


async def test_a_follow_up_and_then_the_whole_case_handed_over_once_accepted(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    ann, ben, cas = await team_of_three(api, 6100)
    await talk_held(ann)

    # Tom's follow-up to Cas, who did not see the case before: offered, then accepted.
    await ann.press(await open_case(ann, "Sam"), "Hand over")
    what = await ann.expect("Hand over: Sam")
    await ann.press(what, "The follow-up with Tom")
    whom = await ann.expect("To whom?")
    await ann.press(whom, "Cas")
    await ann.expect("Offered to Cas")
    offer = await cas.expect("asks you to take over the follow-up with Tom")
    await cas.press(offer, "Accept")
    taken = await cas.expect("Case Sam")
    assert "say sorry to Sam" in taken.text

    # Ben declines the whole case; later accepts it.
    await ann.press(await open_case(ann, "Sam"), "Hand over")
    await ann.press(await ann.expect("Hand over: Sam"), "The whole case")
    await ann.press(await ann.expect("To whom?"), "Ben")
    await ann.press(await ann.expect("Offer the case of Sam to Ben?"), "I stop seeing it")
    offer = await ben.expect("asks you to take over the case of Sam")
    accept = next(data for row in offer.buttons for text, data in row if "Accept" in text)
    assert accept is not None
    await ben.press(offer, "Decline")
    await ben.expect("Declined")
    # Declining undid the share the offer opened: the old "Accept" finds no case.
    await ben.press_data(offer.message_id, accept)
    await ben.expect("That case was not found")
    await ann.send("/cases")
    assert "Sam" in (await ann.expect("My cases")).text, "declined: still Ann's"

    await ann.press(await open_case(ann, "Sam"), "Hand over")
    await ann.press(await ann.expect("Hand over: Sam"), "The whole case")
    await ann.press(await ann.expect("To whom?"), "Ben")
    await ann.press(await ann.expect("Offer the case of Sam to Ben?"), "I stop seeing it")
    offer = await ben.expect("asks you to take over the case of Sam")
    await ben.press(offer, "Accept")
    await ben.expect("Case Sam")
    await ben.send("/cases")
    assert "Sam" in (await ben.expect("My cases")).text
    await ann.send("/cases")
    await ann.expect("You have no open cases")

    # Tom's follow-up stays with Cas, until Cas is removed from the team: it goes back
    # to the case's leader, Ben, and Cas hears no more of it.
    planned = "SELECT count(*) FROM reminders WHERE kind = 'follow_up' AND status = 'pending'"
    assert await count(database_url, f"{planned} AND leader_id = 6103") == 1
    await ann.send("/team")
    await ann.press(await ann.expect("My teams"), "Kapoenen")
    await ann.press(await ann.expect("Team Kapoenen"), "Cas")
    await ann.press(await ann.expect("Cas — leader"), "Remove from the team")
    await ann.expect("Cas is no longer in team Kapoenen")
    assert await count(database_url, f"{planned} AND leader_id = 6102") == 1
    clock.advance(days=7, hours=1, minutes=5)
    await ben.expect("Step 3: talk with Tom again")
    for leader in (ann, cas):
        assert not [m for m in leader.messages if "Step 3: talk with Tom again" in m.text]


async def test_the_coordinators_overview_names_only_cases_shared_with_them(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    ann, ben, cas = await team_of_three(api, 6200)
    await talk_held(ben, "Noor", "Wout")
    await walk.new_case(ben, "Lies", [("Bram", "Joins in")])
    await share_with(ben, "Lies", "▫️ Ann")
    # Ben's follow-up with Wout comes and goes unanswered: overdue.
    clock.advance(days=7, hours=1, minutes=5)
    await ben.expect("Step 3: talk with Wout again")
    clock.advance(days=2)

    await ann.send("/team")
    await ann.press(await ann.expect("My teams"), "Kapoenen")
    await ann.press(await ann.expect("Team Kapoenen"), "Overview of open cases")
    overview = await ann.expect("Open cases of team Kapoenen")
    for secret in ("Noor", "Wout", "that it hurts", "pushed", "say sorry"):
        assert secret not in overview.text, secret
    assert "Case 1, started Nov 24, 2026 — Ben" in overview.text
    assert "child 1: step 3: follow-up due" in overview.text
    assert "overdue — follows up: Ben" in overview.text
    assert "Lies — Ben" in overview.text
    assert "Bram: step 1: permission of the child who is bullied" in overview.text
    assert "Overdue follow-ups: 1." in overview.text
    assert [t for t in overview.button_texts if t.startswith("📁")] == ["📁 Lies"]

    # A member who is no coordinator gets nothing from the same button.
    data = next(d for row in overview.buttons for t, d in row if "Back to the team" in t)
    assert data is not None
    overview_data = data.replace("to:", "tv:", 1)
    await cas.press_data(999_999, overview_data)
    await cas.expect("That team was not found")
    await ben.press_data(999_999, overview_data)
    await ben.expect("That team was not found")
