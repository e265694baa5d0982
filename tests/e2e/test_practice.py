"""Practising the talk: the bot plays the child, in Dutch, from a case's script and from /start."""

from __future__ import annotations

import re

from telegram.ext import Application

from flows.language import _, using_language
from flows.practice_lines import OPTIONS
from tests.e2e import walk_nl
from tests.support.bot_api_standin import BotApiStandin
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

MAY_TELL = "dat ze zich niet meer welkom voelt in de groep"
FACTS = "je Noor gisteren in de groepschat uitlachte"


def _start(text: str) -> str:
    """The fixed start of a reply, before anything filled in."""
    return text.split("%(")[0][:24]


with using_language("nl"):
    SPIRIT = {
        _start(_(t)) for o in (op[0] for op in OPTIONS.values()) for t in (o.text, o.told) if t
    }


def letters(scene: BotMessage) -> dict[str, str]:
    """The replies offered on a scene, by letter."""
    return dict(re.findall(r"^([ABC])\. (.+)$", scene.text, flags=re.MULTILINE))


def spirit(scene: BotMessage) -> str:
    """The letter of the reply in the protocol's spirit."""
    found = [k for k, v in letters(scene).items() if any(v.startswith(s) for s in SPIRIT)]
    assert len(found) == 1, scene.text
    return found[0]


def trap(scene: BotMessage) -> str:
    """The letter of a trap."""
    return next(k for k in letters(scene) if k != spirit(scene))


async def _answer(leader: SimUser, scene: BotMessage, letter: str) -> BotMessage:
    await leader.press(scene, letter)
    return await leader.expect_new_message()


async def test_a_practice_from_the_script_plays_the_child_and_weighs_every_reply(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    done = await walk_nl.settle_step1(leader, step1, [MAY_TELL])
    script = await walk_nl.prepare_talk(
        leader, done, "Bereid dat gesprek voor", "Ik zag het", FACTS, "boos"
    )
    await leader.press(script, "🎭 Oefen dit gesprek eerst")
    scene = await leader.expect("🎭 Oefening: het gesprek met Senne (1/5)")
    # The leader's own first sentence starts the talk; the bot plays Senne.
    assert "Jij zegt: “Ik zie dat je Noor gisteren in de groepschat uitlachte.”" in scene.text
    assert "Ik speel Senne." in scene.text
    assert "🧒 Senne: " in scene.text
    assert scene.button_texts == ["A", "B", "C"]

    # A trap: the feedback names the principle, and it can be tried again.
    after_trap = await _answer(leader, scene, trap(scene))
    assert "⚠️ " in after_trap.text
    assert "📌 “" in after_trap.text
    assert "(2/5)" in after_trap.text
    await leader.press(after_trap, "🔁 Probeer opnieuw")
    again = await leader.expect("(1/5)")
    assert again.text.split("🧒")[1] == scene.text.split("🧒")[1]

    # The reply in the protocol's spirit is named as such.
    second = await _answer(leader, again, spirit(again))
    assert "✅ " in second.text
    assert "Jij zegt: “Ik voel me boos.”" in second.text

    # A typed reply is read by a rule: a why-question.
    await leader.send("Waarom deed je dat eigenlijk?")
    third = await leader.expect("(3/5)")
    assert "⚠️ Een waarom-vraag lokt uitvluchten uit" in third.text
    assert "📌 “Wat kan jij hiervoor doen?”" in third.text
    # What was typed is not shown back, nor kept.
    assert "eigenlijk" not in third.text

    fourth = await _answer(leader, third, spirit(third))
    fifth = await _answer(leader, fourth, spirit(fourth))
    end = await _answer(leader, fifth, spirit(fifth))
    assert "🎭 Einde van de oefening met Senne" in end.text
    assert "👍 Wat goed ging: " in end.text
    # What to watch is the first trap, not "no trap".
    assert "👀 Let op: " in end.text
    assert "in een echt gesprek kan het harder klinken" not in end.text
    assert "💬 De zin om te onthouden: “" in end.text
    assert "Van deze oefening wordt niks bewaard." in end.text
    assert "🎭 Nog eens" in end.button_texts

    # Back to the script, where the talk is still to be held.
    await leader.press(end, "↩️ Terug naar je leidraad")
    back = await leader.expect("Jouw leidraad voor het gesprek met")
    assert "🎭 Oefen dit gesprek eerst" in back.button_texts
    # A message typed now is not taken as a reply of the practice.
    await leader.send("Waarom?")
    assert "Oefening" not in (await leader.expect_new_message()).text


async def test_a_practice_from_start_plays_a_made_up_child_to_the_end(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await leader.send("/start")
    await leader.press(await leader.expect("Wat wil je doen?"), "🎭 Oefenen")
    scene = await leader.expect("🎭 Oefening: het gesprek met Senne (1/5)")
    assert "Jij zegt: “Ik verneem dat het uitlachen van Noor in de groepsapp is gebeurd.”" in (
        scene.text
    )
    # A trap, tried again.
    after_trap = await _answer(leader, scene, trap(scene))
    assert "⚠️ " in after_trap.text
    await leader.press(after_trap, "🔁 Probeer opnieuw")
    again = await leader.expect("(1/5)")
    second = await _answer(leader, again, spirit(again))
    # A typed reply that names the bullied child, who allowed nothing to be told about who.
    await leader.send("Noor is het mij komen vertellen, hoor.")
    third = await leader.expect("(3/5)")
    assert "⚠️ Daarmee vertel je meer dan het gepeste kind toeliet." in third.text
    assert "📌 “Vertel alleen wat je van het gepeste kind mag vertellen.”" in third.text
    assert "✅ " in second.text
    fourth = await _answer(leader, third, spirit(third))
    fifth = await _answer(leader, fourth, spirit(fourth))
    end = await _answer(leader, fifth, spirit(fifth))
    assert "🎭 Einde van de oefening met Senne" in end.text
    assert "💬 De zin om te onthouden: “" in end.text
    assert end.button_texts[-2:] == ["🎭 Nog eens", "🏠 Menu"]
    # Once more: a new practice from the first sentence.
    await leader.press(end, "🎭 Nog eens")
    await leader.expect("🎭 Oefening: het gesprek met Senne (1/5)")


async def test_a_practice_from_the_menu_offers_the_child_to_talk_with_and_keeps_nothing(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    done = await walk_nl.settle_step1(leader, step1, [MAY_TELL])
    await walk_nl.prepare_talk(leader, done, "Bereid dat gesprek voor", "Ik zag het", FACTS, "boos")
    # From the menu this time: the child whose talk is still to be held is offered.
    await leader.send("/start")
    await leader.press(await leader.expect("Wat wil je doen?"), "🎭 Oefenen")
    chooser = await leader.expect("Met wie wil je het gesprek oefenen? Ik speel dat kind.")
    assert chooser.button_texts == ["🎭 Senne", "🎭 Een verzonnen kind"]
    await leader.press(chooser, "🎭 Senne")
    scene = await leader.expect("🎭 Oefening: het gesprek met Senne (1/5)")
    assert "Jij zegt: “Ik zie dat je Noor gisteren in de groepschat uitlachte.”" in scene.text
    await leader.send("Jij bent gewoon een pestkop, Noor zei het zelf.")
    second = await leader.expect("(2/5)")
    # Two rules at once, in two lines: the name that may not be told, a label on the person.
    assert (
        "⚠️ Daarmee vertel je meer dan het gepeste kind toeliet. "
        "Daarmee oordeel je over Senne als persoon, niet over wat Senne deed.\n"
        "📌 “Vertel alleen wat je van het gepeste kind mag vertellen.” · "
        "“Je keurt het gedrag af, niet de persoon.”"
    ) in second.text
    assert scene.text.split("🧒")[1] != second.text.split("🧒")[1]
    await leader.send("/cases")
    await leader.press(await leader.expect("pestsituatie"), "1. Noor")
    case = await leader.expect("Senne")
    await leader.press(case, "🕓 Geschiedenis")
    history = await leader.expect("Geschiedenis van de pestsituatie")
    assert "pestkop" not in history.text
    assert "Oefen" not in history.text
