"""A leader's place and data survive the bot being killed (SIGKILL) or stopped (SIGTERM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import walk
from tests.e2e.test_follow_up import held_talk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.database_peek import count
from tests.support.waiting import wait_until

# A killed process: what the database kept, and the start-up lock on PostgreSQL.
pytestmark = pytest.mark.both_databases


async def test_killed_in_the_middle_of_step_2_the_leader_continues_where_they_were(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    leader = api.user(3001, "Jo", language_code="en")
    bot = BotProcess(api, database_url, tmp_path)
    await bot.start(api)
    try:
        step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies"), ("Lies", "Joins in")])
        done = await walk.settle_step1(leader, step1, "that it hurts")
        await leader.press(done, "Prepare")
        await leader.press(await leader.expect("Did you see"), "I saw it")
        await leader.expect("Complete the sentence")
        await leader.send("Tom pushed Sam at the campfire")
        await leader.expect("Name your feeling")

        await bot.kill()
        await bot.start(api)

        # The bot still waits for the feeling, typed in the leader's own word.
        await leader.send("disappointed")
        script = await leader.expect("Your script for the talk with Tom")
        assert "I see that Tom pushed Sam at the campfire." in script.text
        assert "I feel disappointed." in script.text

        await leader.press(script, "Talk held")
        await leader.expect("What did Tom propose")
        await leader.send("say sorry to Sam")
        await leader.expect("1 agreement noted")

        await bot.kill()
        await bot.start(api)

        # Typing another agreement still adds to the same talk.
        await leader.send("sit somewhere else")
        noted = await leader.expect("2 agreements noted")
        assert "say sorry to Sam" in noted.text
        assert "sit somewhere else" in noted.text
    finally:
        await bot.terminate()


async def test_sigterm_finishes_the_update_in_hand_keeps_the_reminders_and_exits_0(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    leader = api.user(3002, "Jo", language_code="en")
    bot = BotProcess(api, database_url, tmp_path)
    await bot.start(api)
    try:
        await held_talk(leader)
        planned = "SELECT count(*) FROM reminders WHERE status = 'pending' AND kind = 'follow_up'"
        assert await count(database_url, planned) == 1

        await leader.send("/cases")
        listed = await leader.expect("My cases")
        # Telegram is slow to take the button's answer: the press is in hand at SIGTERM.
        # The case is only shown after that answer, so it shows only if the bot goes on.
        api.fail_next("answerCallbackQuery", delay=2)
        answered_before = api.count_calls("answerCallbackQuery")
        await leader.press(listed, "1. Sam")
        await wait_until(
            lambda: (
                sum(1 for c in api.calls if c.method == "answerCallbackQuery") > answered_before
            ),
            "the bot to answer the press",
            10,
        )
        assert await bot.terminate() == 0
        # Already there when the process has ended: the update in hand was finished.
        await leader.expect("Case Sam", timeout=0)
        assert await count(database_url, planned) == 1, "the planned follow-up is kept"

        await bot.start(api)
        await leader.send("/cases")
        assert "Step 3: follow-up with Tom on" in (await leader.expect("My cases")).text
    finally:
        await bot.terminate()
