"""A way back and a way to undo, and no screen that keeps coming back, in Dutch.

A leader on a phone taps fast: every input screen of step 2 has a way back, a deleted
agreement can be brought back, reporting back is confirmed in words, and what may be
told can be corrected at any step. A child for whom the bullied child said "no" waits
for their reminder without their screen coming back after everything else.
"""

from __future__ import annotations

from telegram.ext import Application

from tests.e2e import walk_nl
from tests.e2e.walk_nl import open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

DECLINED = "Stap 1 — Noor is (nog) niet akkoord"


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
    step1 = await walk_nl.new_case(
        leader, "Noor", [("Senne", "Pest"), ("Wout", "Pest mee"), ("Lars", "Pest mee")]
    )
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
    assert (
        "Wat volgt, op volgorde van tijd:\n• Stap 2: koppel het gesprek met Wout terug"
        in overview.text
    )
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


FACTS = "je Noor uitlachte in de groepsapp"


async def senne_feeling(leader: SimUser) -> BotMessage:
    """Noor and Senne, step 1 settled, the facts typed; returns the feeling screen."""
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Senne vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send(FACTS)
    return await leader.expect("Benoem je gevoel")


async def test_back_from_the_feeling_and_the_facts_keeps_what_was_typed(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    feeling = await senne_feeling(leader)
    await leader.press(feeling, "Terug naar de feiten")
    facts = await leader.expect("Vul de zin aan")
    assert f"Nu: “{FACTS}”" in facts.text
    # One more step back, to "seen or heard", and forward again: nothing typed is lost.
    await leader.press(facts, "Terug")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik hoorde het")
    facts = await leader.expect("Vul de zin aan")
    assert f"Nu: “{FACTS}”" in facts.text
    await leader.press(facts, "Deze feiten houden")
    feeling = await leader.expect("Benoem je gevoel")
    assert f"“Ik verneem dat {FACTS}.”" in feeling.text
    await leader.press(feeling, "boos")
    script = await leader.expect("Jouw leidraad voor het gesprek met Senne")
    assert f"“Ik verneem dat {FACTS}.”" in script.text


async def senne_script(leader: SimUser) -> BotMessage:
    """Noor and Senne, up to the script of the talk with Senne."""
    await leader.press(await senne_feeling(leader), "boos")
    return await leader.expect("Jouw leidraad voor het gesprek met Senne")


async def test_an_agreement_is_deleted_only_once_the_leader_confirms(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await leader.press(await senne_script(leader), "Gesprek gevoerd")
    await leader.expect("Stuur elke afspraak")
    await leader.send("Ik noem haar niet meer de kaars")
    await leader.expect("1 afspraak genoteerd")
    await leader.send("Ik stuur geen memes meer over Noor")
    await leader.press(await leader.expect("2 afspraken genoteerd"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Senne"), "Over 1 week")
    await leader.expect("herinner ik je eraan")

    await leader.press(await open_case(leader), "Iets verbeteren")
    corrections = await leader.expect("Iets verbeteren in de pestsituatie rond Noor")
    await leader.press(corrections, "🗑 1")
    asked = await leader.expect("Deze afspraak van Senne wissen?")
    assert "“Ik noem haar niet meer de kaars”" in asked.text
    await leader.press(asked, "Nee, laten staan")
    corrections = await leader.expect("Iets verbeteren in de pestsituatie rond Noor")
    assert "✏️ 1. Ik noem haar niet meer de k…" in corrections.button_texts
    await leader.press(corrections, "🗑 2")
    await leader.press(await leader.expect("Deze afspraak van Senne wissen?"), "Ja, wissen")
    corrections = await leader.expect("Iets verbeteren in de pestsituatie rond Noor")
    assert "✏️ 1. Ik noem haar niet meer de k…" in corrections.button_texts
    assert "🗑 2" not in corrections.button_texts
    overview = await open_case(leader)
    assert "Ik noem haar niet meer de kaars" in overview.text
    assert "memes" not in overview.text


async def test_reporting_back_is_confirmed_before_what_comes_next(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest"), ("Wout", "Pest mee")])
    for child in ("Senne", "Wout"):
        await leader.press(step1, "Ja, akkoord")
        await leader.expect(f"Wat mag je aan {child} vertellen?")
        await leader.send("dat ze uitgelachen wordt")
        done = await leader.expect("Noor vindt het goed")
        if child == "Senne":
            await leader.press(done, "Verder met Wout")
            step1 = await leader.expect("Stap 1 — met Noor")
    await leader.press(done, "Bereid dat gesprek voor")
    await talk_and_plan(leader, "Senne")
    await leader.press(await open_case(leader), "Teruggekoppeld naar Noor over Senne")
    confirmed = await leader.expect_new_message()
    assert confirmed.text == ("Genoteerd: je hebt Noor teruggekoppeld over je gesprek met Senne.")
    # Then the next thing to do, about Wout: said after the confirmation, never instead.
    after = await leader.expect_new_message()
    assert "Stap 2 — het gesprek met Wout" in after.text


async def test_what_may_be_told_is_corrected_after_step_1_and_the_script_shows_it(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await senne_script(leader)
    await leader.press(await open_case(leader), "Iets verbeteren")
    corrections = await leader.expect("Iets verbeteren in de pestsituatie rond Noor")
    await leader.press(corrections, "Senne: wat je mag vertellen")
    asked = await leader.expect("Wat mag je aan Senne vertellen?")
    assert "Nu: “dat ze uitgelachen wordt”" in asked.text
    await leader.send("dat ze in de groepsapp uitgelachen wordt")
    script = await leader.expect("Jouw leidraad voor het gesprek met Senne")
    assert (
        "🤝 Noor vindt het goed dat je Senne vertelt: dat ze in de groepsapp uitgelachen wordt"
    ) in script.text
    # After the talk too: the case shows it as corrected.
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("Stuur elke afspraak")
    await leader.send("Ik lach Noor niet meer uit")
    await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Senne"), "Over 1 week")
    await leader.expect("herinner ik je eraan")
    await leader.press(await open_case(leader), "Iets verbeteren")
    corrections = await leader.expect("Iets verbeteren in de pestsituatie rond Noor")
    await leader.press(corrections, "Senne: wat je mag vertellen")
    await leader.expect("Wat mag je aan Senne vertellen?")
    await leader.send("dat het haar pijn doet")
    overview = await leader.expect("Pestsituatie rond Noor")
    assert "Je mag vertellen: dat het haar pijn doet" in overview.text


async def test_a_child_added_later_and_not_asked_about_yet_waits_for_its_reminder(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Senne vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await talk_and_plan(leader, "Senne")
    # Lars, added later: the leader has not talked with Noor about him yet.
    await leader.press(await open_case(leader), "Nog een kind")
    await leader.expect("Hoe noem je het volgende kind")
    await leader.send("Lars")
    await leader.press(await leader.expect("Wat doet Lars"), "Pest mee")
    await leader.press(await leader.expect("Stap 1 — met Noor"), "Nog niet gevraagd")
    await leader.expect("Oké. Praat eerst met Noor")
    since = len(leader.chat.events)

    await leader.press(await open_case(leader), "Teruggekoppeld naar Noor over Senne")
    await leader.expect("Genoteerd: je hebt Noor teruggekoppeld over je gesprek met Senne.")
    overview = await leader.expect("Pestsituatie rond Noor")
    assert "Lars (pest mee)\n   Stap 1: nog niet gevraagd — herinnering op" in overview.text
    await leader.press(overview, "Verder")
    await leader.expect("Pestsituatie rond Noor")
    assert not [e.text for e in leader.chat.events[since:] if "Stap 1 — met Noor" in e.text]


async def test_back_from_the_agreements_to_the_script_keeps_what_was_written(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await leader.press(await senne_script(leader), "Gesprek gevoerd")
    await leader.expect("Stuur elke afspraak")
    await leader.send("Ik noem haar niet meer de kaars")
    noted = await leader.expect("1 afspraak genoteerd")
    await leader.press(noted, "Terug naar je leidraad")
    script = await leader.expect("Jouw leidraad voor het gesprek met Senne")
    await leader.press(script, "Gesprek gevoerd")
    noted = await leader.expect("1 afspraak genoteerd")
    assert "• Ik noem haar niet meer de kaars" in noted.text
    await leader.press(noted, "Klaar")
    await leader.expect("Wanneer wil je nogmaals met Senne")
