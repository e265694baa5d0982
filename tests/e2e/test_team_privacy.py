"""Privacy in a team: /delete hands shared cases on; a team's only coordinator names
another first.

Before confirming, the leader reads which shared cases pass to whom and which teams
end; after it, their own unshared cases are gone, the shared one is the co-leader's
with its history, and a group chat still hears nothing about a child or a team.
"""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.e2e import walk
from tests.e2e.test_team import open_case
from tests.e2e.test_team_follow_up import share_with, talk_held, team_of_three
from tests.e2e.test_team_history import document_of_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import count

# Erasure that hands shared cases on: deletes across the team's tables on each database.
pytestmark = pytest.mark.both_databases


async def test_delete_passes_shared_cases_on_and_the_last_coordinator_names_the_next(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    ann, ben, cas = await team_of_three(api, 6500)
    await talk_held(ben, "Noor", "Wout")
    await share_with(ben, "Noor", "▫️ Cas")
    await walk.new_case(ben, "Jens", [("Mats", "Bullies")])

    await ben.send("/delete")
    said = await ben.expect("These cases are shared")
    assert "Noor → Cas" in said.text and "Jens" not in said.text
    assert "last coordinator" not in said.text
    await ben.press(await ben.expect("Erase everything?"), "Yes, erase everything")
    await ben.expect("Everything is erased")

    # Noor's case is Cas's now, its follow-up included; Jens's is gone.
    await cas.send("/cases")
    listed = await cas.expect("My cases")
    assert "Noor" in listed.text and "Jens" not in listed.text
    planned = "SELECT count(*) FROM reminders WHERE kind = 'follow_up' AND status = 'pending'"
    assert await count(database_url, f"{planned} AND leader_id = 6503") == 1
    assert await count(database_url, "SELECT count(*) FROM cases") == 1
    assert (
        await count(database_url, "SELECT count(*) FROM team_members WHERE leader_id = 6502") == 0
    )
    history = await document_of_case(cas, "Noor")
    texts = [text for _at, text in history.lines]
    assert "a former leader erased their data; the case passed to Cas" in texts
    assert "a former leader held the talk with Wout" in texts

    # Ann is the team's only coordinator: her /delete first asks who becomes coordinator,
    # then the team goes on without her.
    await ann.send("/delete")
    asked = await ann.expect("You are the only coordinator of team Kapoenen")
    await ann.press(asked, "Cas")
    await ann.expect("Team Kapoenen")
    await ann.send("/delete")
    await ann.press(await ann.expect("Erase everything?"), "Yes, erase everything")
    await ann.expect("Everything is erased")
    await cas.send("/team")
    teams = await cas.expect("My teams")
    assert "Kapoenen" in str(teams.button_texts)
    assert "Noor" in (await open_case(cas, "Noor")).text
    assert await count(database_url, "SELECT count(*) FROM teams") == 1

    # In a group, nothing about a child or a team: only the pointer to a private chat.
    for command in ("/team", "/cases", "/export"):
        await cas.send_in_group(-100500, command)
    group = api.chat(-100500)
    await group.expect("I only work in a private chat")
    await cas.send("/help")
    await cas.expect("Commands")
    for message in group.messages:
        for secret in ("Noor", "Wout", "Kapoenen", "Cas"):
            assert secret not in message.text
