"""Bad input never crashes a flow or loses data: a friendly answer, and the leader stays put."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.standin_users import SimUser


async def english_leader(api: BotApiStandin, user_id: int = 2001) -> SimUser:
    return api.user(user_id, "Jo", language_code="en")


async def test_names_and_facts_with_html_characters_come_back_exactly_as_typed(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    step1 = await walk.new_case(leader, "<Jo>", [("Tom & <b>co</b>", "Bullies")])
    assert "with <Jo>, the child who is bullied" in step1.text
    assert "May I talk with Tom & <b>co</b> to make" in step1.text
    done = await walk.settle_step1(leader, step1, "a < b & c")
    assert "<Jo> is fine with you telling Tom & <b>co</b>: a < b & c" in done.text
    script = await walk.prepare_talk(leader, done, "Prepare", "zei: a < b & c", "&amp; <i>")
    assert "“I see that zei: a < b & c.”" in script.text
    assert "“I feel &amp; <i>.”" in script.text
    # Nothing the leader typed became markup.
    assert "<b>co</b>" not in script.html


async def test_overlong_texts_get_a_clear_answer_and_the_leader_can_type_again(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await leader.send("/new")
    await leader.expect("What do you call the child who is bullied?")
    await leader.send("x" * 41)
    await leader.expect("That is 41 characters; here it can be at most 40.")
    await leader.send("Sam")
    await leader.expect("Who bullies or joins in?")
    await leader.send("y" * 4096)
    await leader.expect("That is 4,096 characters; here it can be at most 40.")
    await leader.send("Tom")
    await leader.expect("Does Tom bully, or join in?")


async def test_the_rest_of_a_whole_message_typed_as_a_name_fits_in_one_message(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api, 2002)
    await leader.send("/new")
    await leader.expect("What do you call the child who is bullied?")
    # Telegram's longest message, as a name: the rest shown back must fit in a message.
    await leader.send(("Sam & <b>co</b> " * 300)[:4096])
    await leader.press(await leader.expect("That is 4,095 characters"), "Take this part")
    rest = await leader.expect("The rest of what you typed, so it is not lost:")
    assert rest.text.endswith("…")
    assert len(rest.text) <= 4096


async def test_overlong_facts_keep_the_leader_at_the_facts(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await walk.reach_facts(leader, "I heard about it")
    await leader.send("z" * 1001)
    await leader.expect("That is 1,001 characters; here it can be at most 1,000.")
    await leader.send("at the campfire Sam was pushed")
    await leader.expect("Name your feeling")


async def test_a_command_in_the_middle_of_a_step_and_then_the_typed_answer(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await walk.reach_facts(leader)
    await leader.send("/help")
    await leader.expect("/cases")
    await leader.send("/nonsense")
    await leader.expect("I don't know that command")
    # Still at the facts: the typed answer is taken as the facts.
    await leader.send("Tom pushed Sam")
    await leader.expect("Name your feeling")


async def test_cancel_keeps_what_was_entered_and_cases_continues_there(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await walk.reach_facts(leader)
    await leader.send("Tom pushed Sam")
    await leader.expect("Name your feeling")
    await leader.send("/cancel")
    await leader.expect("Everything you entered is saved")
    await leader.send("some text")
    await leader.expect("I am not waiting for a message")
    await leader.send("/cases")
    listed = await leader.expect("My cases")
    assert "Step 2: prepare the talk with Tom" in listed.text
    await leader.press(listed, "1. Sam")
    overview = await leader.expect("Case Sam")
    await leader.press(overview, "Continue")
    feelings = await leader.expect("Name your feeling")
    await leader.press(feelings, "sad")
    script = await leader.expect("Your script")
    assert "Tom pushed Sam" in script.text


# Ids beyond the id columns' 32 bits: PostgreSQL refuses them where SQLite does not.
@pytest.mark.both_databases
async def test_stale_and_forged_buttons_get_a_friendly_answer_and_change_nothing(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    not_ours = [
        "zz:top",
        "x",
        ":",
        "menu",
        "kt:999:1",
        "m:x",
        # Ids beyond the database's 32 bits, and negative ones, are no ids of ours.
        "o:2147483648:0",
        "w:1:2147483648:1",
        "o:-1:0",
        # A field of the wrong type, or one too many.
        "w:1:1:maybe",
        "o:1:0:extra",
    ]
    for data in not_ours:
        answer = await leader.answer_to(await leader.press_data(step1.message_id, data))
        assert answer.text == "This button is no longer valid.", data
    answer = await leader.answer_to(await leader.press_data(step1.message_id, "o:99999:0"))
    assert answer.text == "That case was not found."
    # A press for a child the case does not have changes nothing: the case as it stands.
    await leader.press_data(step1.message_id, "h:1:999")
    assert "Did Sam agree" in (await leader.expect("Step 1")).text
    # Step 2 cannot be reached before step 1 by a crafted press: the bot shows step 1 again.
    await leader.press_data(step1.message_id, "w:1:1:1")
    again = await leader.expect("Step 1")
    assert "Did Sam agree" in again.text
    # The case is intact.
    await leader.send("/cases")
    assert "Step 1: ask Sam about a talk with Tom" in (await leader.expect("My cases")).text


async def test_a_second_leader_replaying_the_first_leaders_buttons_finds_nothing(
    api: BotApiStandin, bot: Application
) -> None:
    first = await english_leader(api, 2001)
    step1 = await walk.new_case(first, "Sam", [("Tom", "Bullies")])
    other = await english_leader(api, 2002)
    await other.send("/start")
    welcome = await other.expect("What do you want to do?")
    for _label, data in [b for row in step1.buttons for b in row]:
        assert data is not None
        await other.press_data(welcome.message_id, data)
        answer = await other.expect_callback_answer()
        assert answer.text == "That case was not found."
    await other.send("/cases")
    await other.expect("You have no open cases")
    # Updates are handled in order: whatever the presses showed came before this answer.
    assert not any("Sam" in m.text for m in other.messages)


async def test_a_step1_refusal_keeps_the_case_open_without_step_2(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    await leader.press(step1, "No, not (yet)")
    declined = await leader.expect("does not agree (yet)")
    assert "without Sam's permission you do not talk with Tom" in declined.text
    assert not any("Prepare" in b for b in declined.button_texts)
    await leader.send("/cases")
    assert (
        "Step 1: Sam does not agree (yet) to a talk with Tom"
        in (await leader.expect("My cases")).text
    )
    await leader.press(declined, "Ask again now")
    again = await leader.expect("Step 1")
    await walk.settle_step1(leader, again, "it hurts")


async def test_photos_and_stickers_are_not_kept_and_the_flow_goes_on(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await leader.send("/new")
    await leader.expect("What do you call the child who is bullied?")
    api.queue_update(
        "message",
        {
            "message_id": 99,
            "date": 1_790_000_000,
            "chat": {"id": leader.id, "type": "private", "first_name": "Jo"},
            "from": leader.to_json(),
            "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
        },
    )
    await leader.expect("I can only read typed text")
    await leader.send("Sam")
    await leader.expect("Who bullies or joins in?")


async def test_in_a_group_the_bot_only_points_to_a_private_chat(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await leader.send_in_group(-100200, "/new@pestgesprek_bot")
    pointer = await api.chat(-100200).expect("private chat")
    assert "@pestgesprek_bot" in pointer.text
    await leader.send_in_group(-100200, "/cases")
    await api.chat(-100200).expect("private chat")
    # Nothing was started in private either.
    await leader.send("Sam")
    await leader.expect("I am not waiting for a message")


async def test_closing_a_case_asks_first_and_removes_it_from_the_list(
    api: BotApiStandin, bot: Application
) -> None:
    leader = await english_leader(api)
    await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), "1. Sam")
    overview = await leader.expect("Case Sam")
    await leader.press(overview, "Close the case")
    confirm = await leader.expect("Close the case of Sam?")
    await leader.press(confirm, "No, keep it open")
    await leader.expect("Case Sam")
    await leader.press(confirm, "Yes, close it")
    await leader.expect("The case of Sam is closed.")
    # A stale button of the closed case only shows it, closed.
    await leader.press(overview, "Continue")
    assert "Closed" in (await leader.expect("Case Sam")).text
    await leader.send("/cases")
    await leader.expect("no open cases")
