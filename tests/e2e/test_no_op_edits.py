"""A press that asks for what its message already shows costs Telegram no request.

Telegram answers an edit that changes nothing with ``400 message is not modified``
and counts it against the bot; the stand-in refuses it the same way, and the ``api``
fixture fails a test in which anything was refused.
"""

from __future__ import annotations

from telegram.ext import Application

from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.running_bot import all_handled
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until


def edits(api: BotApiStandin) -> int:
    return api.count_calls("editMessageText")


async def presses_answered(leader: SimUser, count: int) -> None:
    await wait_until(lambda: len(leader.callback_answers) >= count, f"{count} presses answered")


async def test_two_quick_taps_on_a_menu_button_edit_the_message_once(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await leader.send("/start")
    menu = await leader.expect("Wat wil je doen?")
    before = edits(api)
    # Both taps land before the first edit: each press carries the menu as it was.
    await leader.press(menu, "📂 Mijn pestsituaties")
    await leader.press(menu, "📂 Mijn pestsituaties")
    await presses_answered(leader, 2)
    await all_handled(bot)
    assert edits(api) - before == 1
    assert leader.last_message is not None and leader.last_message.message_id == menu.message_id
    assert "Mijn pestsituaties" not in leader.last_message.button_texts


async def test_a_list_page_that_is_already_shown_is_not_shown_again(
    api: BotApiStandin, bot: Application
) -> None:
    leader = api.user(8101, "Jo", language_code="en")
    await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    await leader.send("/cases")
    listed = await leader.expect("Sam")
    before, seen = edits(api), listed.text
    # Pages past the end of a one-page list show that one page.
    for offset in (0, 1, 5):
        await leader.press_data(listed.message_id, f"l:{offset}")
    await presses_answered(leader, 3)
    await all_handled(bot)
    assert edits(api) == before
    assert leader.last_message is not None and leader.last_message.text == seen
