"""A team of three leaders: invitation and joining, sharing a case, removal taking effect.

Ann makes the team and invites Ben and Cas; Ann shares a case with Ben alone; Ben
works in it; Cas sees nothing of it; Ann removes Ben, and every button and command
Ben ever saw then shows him nothing of the case or the team.
"""

from __future__ import annotations

import json
import re

from telegram.ext import Application

from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.standin_records import BOT_USERNAME, BotMessage
from tests.support.standin_users import SimUser

LINK = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)")
#: A message id the bot never sent: every replayed press is answered with a new message.
GONE_MESSAGE = 999_999


async def make_team(coordinator: SimUser, team_name: str) -> BotMessage:
    """/team, "New team", the name; returns the team's screen."""
    await coordinator.send("/team")
    teams = await coordinator.expect("My teams")
    await coordinator.press(teams, "New team")
    await coordinator.expect("What is the team called?")
    await coordinator.send(team_name)
    return await coordinator.expect(f"Team {team_name}")


async def invitation_token(coordinator: SimUser, team_screen: BotMessage) -> str:
    """The token of a new invitation link, checked to be a deep link to this bot."""
    await coordinator.press(team_screen, "Invitation link")
    invite = await coordinator.expect("Invitation to team")
    found = LINK.search(invite.text)
    assert found is not None, invite.text
    assert found.group(1) == BOT_USERNAME
    return found.group(2)


async def open_case(leader: SimUser, victim: str) -> BotMessage:
    """/cases and the case; returns its overview."""
    await leader.send("/cases")
    listed = await leader.expect("My cases")
    await leader.press(listed, victim)
    return await leader.expect(f"Case {victim}")


def buttons_ever_sent(api: BotApiStandin, user: SimUser) -> set[str]:
    """Every callback button's data the bot ever sent ``user``, edited-away keyboards too."""
    found: set[str] = set()
    for call in api.calls:
        if call.method not in ("sendMessage", "editMessageText"):
            continue
        if str(call.params.get("chat_id")) != str(user.id):
            continue
        markup = call.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            found |= {b["callback_data"] for b in row if "callback_data" in b}
    return found


def button_data(messages: list[BotMessage]) -> set[str]:
    """Every callback button's data on these messages, as they are now."""
    return {
        data
        for message in messages
        for row in message.buttons
        for _text, data in row
        if data and not data.startswith("https://")
    }


async def test_invite_join_share_with_one_and_a_removed_member_sees_nothing(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    ann = api.user(5001, "Ann", language_code="en")
    ben = api.user(5002, "Ben", language_code="en")
    cas = api.user(5003, "Cas", language_code="en")

    team_screen = await make_team(ann, "Kapoenen")
    assert "Ann — coordinator (you)" in team_screen.text
    token = await invitation_token(ann, team_screen)

    for joining in (ben, cas):
        await joining.send(f"/start {token}")
        await joining.expect("You joined team Kapoenen")
    await ben.send(f"/start {token}")
    await ben.expect("You are already in team Kapoenen")
    await ann.send("/team")
    await ann.press(await ann.expect("My teams"), "Kapoenen")
    team_screen = await ann.expect("Team Kapoenen")
    assert "Ben — leader" in team_screen.text and "Cas — leader" in team_screen.text

    # Ann's case, shared with Ben alone; the share screen recalls the child's consent.
    await walk.new_case(ann, "Sam", [("Tom", "Bullies")])
    overview = await open_case(ann, "Sam")
    await ann.press(overview, "Share with co-leaders")
    share = await ann.expect("Share the case of Sam")
    assert "Sam agreed that you would talk about this" in share.text
    assert {"▫️ Whole team Kapoenen", "▫️ Ben", "▫️ Cas"} <= set(share.button_texts)
    await ann.press(share, "▫️ Ben")
    share = await ann.expect("Share the case of Sam")
    assert "✅ Ben" in share.button_texts and "▫️ Cas" in share.button_texts

    # Ben finds it under /team and takes step 1 further in it.
    await ben.send("/team")
    teams = await ben.expect("Cases shared with you")
    await ben.press(teams, "Sam")
    shared = await ben.expect("Case Sam")
    assert "Share with co-leaders" not in " ".join(shared.button_texts), "only Ann shares it"
    await ben.press(shared, "Continue")
    step1 = await ben.expect("Step 1")
    done = await walk.settle_step1(ben, step1, "that it hurts")
    script = await walk.prepare_talk(ben, done, "Prepare", "Tom pushed Sam", "angry")
    await walk.record_talk(ben, script, ["say sorry to Sam"])
    ben_saw = buttons_ever_sent(api, ben)

    # Cas is in the team but the case is not shared with Cas: /team lists nothing, and
    # Ben's buttons pressed by Cas show nothing.
    await cas.send("/team")
    cas_teams = await cas.expect("My teams")
    assert "Cases shared with you" not in cas_teams.text
    for data in sorted(ben_saw):
        if data.startswith(("o:", "n:", "cs:", "pa:", "x:")):
            await cas.press_data(GONE_MESSAGE, data)
    await cas.send("/help")
    await cas.expect("Commands")
    assert not [m.text for m in cas.messages if "Sam" in m.text or "Tom" in m.text]

    # Ann sees what Ben recorded in her own case.
    overview = await open_case(ann, "Sam")
    assert "You may tell: that it hurts" in overview.text
    assert "say sorry to Sam" in overview.text

    # Ann removes Ben: at once, and his link no longer lets him back in.
    await ann.send("/team")
    await ann.press(await ann.expect("My teams"), "Kapoenen")
    await ann.press(await ann.expect("Team Kapoenen"), "Ben")
    await ann.press(await ann.expect("Ben — leader"), "Remove from the team")
    removed = await ann.expect("Ben is no longer in team Kapoenen")
    assert "invitation link" in removed.text
    # Ben is told, naming the team but no case or child.
    told = await ben.expect("Ann removed you from team Kapoenen")
    assert "Sam" not in told.text and "Tom" not in told.text

    ben_saw |= buttons_ever_sent(api, ben)
    commands = ["/team", "/cases", f"/start {token}", "/start"]
    before = len(ben.chat.events)
    for data in sorted(ben_saw):
        await ben.press_data(GONE_MESSAGE, data)
    for command in commands:
        await ben.send(command)
    await ben.send("/help")
    await ben.expect("Commands")
    after = [event.text for event in ben.chat.events[before:]]
    presses = len(ben_saw) + len(commands)
    assert presses >= 20, f"only {presses} presses were replayed: {sorted(ben_saw)}"
    leaked = [t for t in after if any(w in t for w in ("Sam", "Tom", "it hurts", "Kapoenen"))]
    assert leaked == [], f"{presses} presses; shown after removal: {leaked}"
    assert any("That case was not found" in t for t in after)
    assert any("That team was not found" in t for t in after)
    assert any("I do not know this invitation link" in t for t in after)
    done = await walk.new_case(ben, "Noor", [("Wout", "Bullies")])
    assert "Sam" not in done.text


async def test_an_invitation_expires_and_a_revoked_one_never_works(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    ann = api.user(5101, "Ann", language_code="en")
    ben = api.user(5102, "Ben", language_code="en")
    cas = api.user(5103, "Cas", language_code="en")
    team_screen = await make_team(ann, "Welpen")
    token = await invitation_token(ann, team_screen)

    clock.advance(days=8)
    await ben.send(f"/start {token}")
    await ben.expect("This invitation link no longer works")

    await ann.send("/team")
    await ann.press(await ann.expect("My teams"), "Welpen")
    token = await invitation_token(ann, await ann.expect("Team Welpen"))
    invite = ann.last_message
    assert invite is not None and "Invitation to team Welpen" in invite.text
    await ann.press(invite, "Revoke the link")
    await ann.expect("no longer works")
    await cas.send(f"/start {token}")
    await cas.expect("I do not know this invitation link: it was revoked")
    await cas.send("/start not-a-token-at-all-but-long")
    await cas.expect("I do not know this invitation link")

    token = await invitation_token(ann, await _team_screen(ann, "Welpen"))
    await cas.send(f"/start {token}")
    await cas.expect("You joined team Welpen")


async def test_leaving_a_team_and_the_last_coordinator_stays(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    ann = api.user(5201, "Ann", language_code="en")
    ben = api.user(5202, "Ben", language_code="en")
    token = await invitation_token(ann, await make_team(ann, "Jonggivers"))
    await ben.send(f"/start {token}")
    await ben.expect("You joined team Jonggivers")

    # A second team of Ann's: a leader can be in more than one.
    await make_team(ann, "Givers")
    await ann.send("/team")
    teams = await ann.expect("My teams")
    assert "Jonggivers" in teams.text and "Givers: you are its coordinator — 1 member" in teams.text

    # Ann's case shared with the whole team: Ben sees it until he leaves.
    await walk.new_case(ann, "Lies", [("Bram", "Joins in")])
    await ann.press(await open_case(ann, "Lies"), "Share with co-leaders")
    await ann.press(await ann.expect("Share the case of Lies"), "Whole team Jonggivers")
    await ann.expect("Share the case of Lies")
    await ben.send("/team")
    assert "Lies" in " ".join((await ben.expect("Cases shared with you")).button_texts)

    # The only coordinator cannot leave a team with others in it.
    screen = await _team_screen(ann, "Jonggivers")
    await ann.press(screen, "Leave this team")
    await ann.expect("You are the only coordinator of Jonggivers")

    screen = await _team_screen(ben, "Jonggivers")
    await ben.press(screen, "Leave this team")
    await ben.press(await ben.expect("Leave team Jonggivers?"), "Yes, leave")
    await ben.expect("You left team Jonggivers")
    await ben.send("/team")
    assert "Lies" not in (await ben.expect("My teams")).text
    for data in button_data(ben.messages):
        if data.startswith("o:"):
            await ben.press_data(GONE_MESSAGE, data)
            await ben.expect("That case was not found")


async def _team_screen(leader: SimUser, team_name: str) -> BotMessage:
    await leader.send("/team")
    await leader.press(await leader.expect("My teams"), f"👥 {team_name}")
    return await leader.expect(f"Team {team_name}")
