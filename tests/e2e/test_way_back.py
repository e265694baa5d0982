"""A way back and a way to undo, and no screen that keeps coming back, in Dutch.

A leader on a phone taps fast: every input screen of step 2 has a way back, a deleted
agreement can be brought back, reporting back is confirmed in words, and what may be
told can be corrected at any step. A child for whom the bullied child said "no" waits
for their reminder without their screen coming back after everything else.
"""

from __future__ import annotations

from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin, BotMessage, SimUser
from tests.support.clock import TestClock

DECLINED = "Stap 1 — Noor is (nog) niet akkoord"


async def noor_and(leader: SimUser, children: list[tuple[str, str]]) -> BotMessage:
    """/new with Noor, who is bullied, and ``children`` (name, "Pest" | "Pest mee")."""
    await leader.send("/new")
    await leader.expect("Hoe noem je het kind dat gepest wordt?")
    await leader.send("Noor")
    for number, (child, role) in enumerate(children):
        await leader.expect("Typ de bijnaam" if number == 0 else "Hoe noem je het volgende kind")
        await leader.send(child)
        await leader.press(await leader.expect(f"Wat doet {child}"), role)
        listed = await leader.expect("Is er nog een kind")
        if number < len(children) - 1:
            await leader.press(listed, "Nog een kind")
    await leader.press(listed, "naar stap 1")
    return await leader.expect("Stap 1 — met Noor")


async def open_case(leader: SimUser) -> BotMessage:
    """/cases, then Noor's case; returns its overview."""
    await leader.send("/cases")
    await leader.press(await leader.expect("Mijn pestsituaties"), ". Noor")
    return await leader.expect("Pestsituatie rond Noor")


async def talk_and_plan(leader: SimUser, child: str) -> None:
    """From "seen or heard" of step 2 with ``child``: the talk, one agreement, a follow-up
    in two weeks."""
    await leader.press(await leader.expect(f"Stap 2 — het gesprek met {child}"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("je Noor uitlachte in de groepsapp")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    script = await leader.expect(f"Jouw leidraad voor het gesprek met {child}")
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("Stuur elke afspraak")
    await leader.send("Ik lach Noor niet meer uit")
    await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")
    await leader.press(await leader.expect(f"Wanneer wil je nogmaals met {child}"), "Over 2 weken")
    await leader.expect(f"herinner ik je eraan om nogmaals met {child} te spreken")


async def test_a_no_for_lars_waits_for_its_reminder_while_senne_and_wout_go_on(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    step1 = await noor_and(leader, [("Senne", "Pest"), ("Wout", "Pest mee"), ("Lars", "Pest mee")])
    for child, after in (("Senne", "Wout"), ("Wout", "Lars")):
        await leader.press(step1, "Ja, akkoord")
        await leader.expect(f"Wat mag je aan {child} vertellen?")
        await leader.send("dat ze uitgelachen wordt")
        await leader.press(await leader.expect("Noor vindt het goed"), f"Verder met {after}")
        step1 = await leader.expect("Stap 1 — met Noor")
    await leader.press(step1, "Nee, (nog) niet")
    declined = await leader.expect(DECLINED)
    await leader.press(declined, "Later opnieuw vragen")
    await leader.expect("Geef Noor tijd")
    since = len(leader.chat.events)

    # Senne's and Wout's talks, their plans, reporting back, "Verder": all about them.
    overview = await open_case(leader)
    assert "Lars (pest mee)\n   Stap 1: (nog) niet akkoord — herinnering op" in overview.text
    await leader.press(overview, "Verder")
    await talk_and_plan(leader, "Senne")
    await talk_and_plan(leader, "Wout")
    overview = await open_case(leader)
    await leader.press(overview, "Teruggekoppeld naar Noor over Senne")
    await leader.expect("om je gesprek met Wout terug te koppelen")
    overview = await open_case(leader)
    assert "Volgende stap: Stap 2: koppel het gesprek met Wout terug" in overview.text
    assert "Lars (pest mee)\n   Stap 1: (nog) niet akkoord — herinnering op" in overview.text
    await leader.press(overview, "Verder")
    await leader.expect("om je gesprek met Wout terug te koppelen")
    await leader.press(await open_case(leader), "Teruggekoppeld naar Noor over Wout")
    await leader.press(await open_case(leader), "Verder")
    await leader.expect("Stap 3: opvolggesprek met Senne op")
    shown = [event.text for event in leader.chat.events[since:]]
    assert not [text for text in shown if DECLINED in text]

    # A week later Lars's reminder comes, and then his step 1 is the next thing.
    clock.advance(days=7, hours=3)
    await leader.expect("🔔 Stap 1 — met Noor")
    await leader.press(await open_case(leader), "Verder")
    await leader.expect(DECLINED)
