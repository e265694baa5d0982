"""The leader's language: from Telegram at first contact, switched with /language, in menus."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot.screens import menu
from flows.language import _, using_language
from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin


async def test_a_leader_whose_telegram_speaks_fr_be_is_answered_in_french(
    api: BotApiStandin, bot: Application
) -> None:
    leader = api.user(6001, "Camille", language_code="fr-BE")
    await leader.send("/start")
    welcome = await leader.expect("Que veux-tu faire ?")
    assert "Pestgesprek" in welcome.text


async def test_an_unsupported_telegram_language_gets_dutch(
    api: BotApiStandin, bot: Application
) -> None:
    leader = api.user(6002, "Ana", language_code="pt-BR")
    await leader.send("/start")
    await leader.expect("Wat wil je doen?")


async def test_switching_language_in_the_middle_of_step_2_and_going_on(
    api: BotApiStandin, bot: Application
) -> None:
    leader = api.user(6003, "Jo", language_code="en")
    step1 = await walk.new_case(leader, "Sam", [("Tom", "Bullies")])
    done = await walk.settle_step1(leader, step1, "that it hurts")
    await leader.press(done, "Prepare")
    await leader.press(await leader.expect("Did you see"), "I saw it")
    await leader.expect("Complete the sentence")

    await leader.send("/language")
    choice = await leader.expect("Which language shall I speak?")
    await leader.press(choice, "Deutsch")
    await leader.expect("Ab jetzt spreche ich Deutsch mit dir.")

    # Still at the facts: the rest of step 2 comes in German.
    await leader.send("Tom hat Sam geschubst")
    feelings = await leader.expect("Benenne dein Gefühl:")
    await leader.press(feelings, "wütend")
    script = await leader.expect("Dein Leitfaden für das Gespräch mit Tom")
    assert "Tom hat Sam geschubst" in script.text

    # Remembered: after a new /start, still German.
    await leader.send("/start")
    await leader.expect("Was möchtest du tun?")


async def test_the_command_menu_is_set_in_every_language(
    api: BotApiStandin, bot: Application
) -> None:
    menus = {code: api.commands(language_code=code) for code in ("", "nl", "en", "fr", "de")}
    assert all(menus.values()), menus
    names = {code: [name for name, _ in commands or []] for code, commands in menus.items()}
    assert len({tuple(n) for n in names.values()}) == 1, "the same commands everywhere"
    assert "language" in names["en"] and "cases" in names["en"]
    descriptions = {code: dict(commands or [])["cases"] for code, commands in menus.items()}
    assert descriptions[""] == descriptions["nl"], "the default menu is Dutch"
    assert len({descriptions[c] for c in ("nl", "en", "fr", "de")}) == 4


async def test_an_error_on_our_side_is_apologised_for_in_the_leaders_language(
    api: BotApiStandin, bot: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    leader = api.user(6005, "Jo", language_code="en")
    await leader.send("/language")
    await leader.press(await leader.expect("Which language shall I speak?"), "Deutsch")
    await leader.expect("Ab jetzt spreche ich Deutsch mit dir.")

    def broken(*args: object) -> None:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(menu, "help_text", broken)
    with using_language("de"):
        sorry = _(
            "Sorry, something went wrong on my side. What you entered before "
            "is saved; please try again, or continue with /cases."
        )
    assert sorry.startswith("Entschuldigung")
    await leader.send("/help")
    assert (await leader.expect_new_message()).text == sorry
