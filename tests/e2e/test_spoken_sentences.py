"""What a leader reads aloud reads right for the child who hears it, in Dutch.

The facts typed as people type them end in a sentence a person says; what the bullied
child allows to be told is shown as hers, not pasted into a sentence said to her; step
3's points name the child.
"""

from __future__ import annotations

from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

MAY_TELL = "dat ze in de groepsapp uitgelachen wordt en dat hij haar 'de kaars' noemt"


async def noor_senne_en_wout(leader: SimUser) -> BotMessage:
    """/new with Noor, who is bullied, Senne, who bullies, and Wout, who joins in."""
    await leader.send("/new")
    await leader.expect("Hoe noem je het kind dat gepest wordt?")
    await leader.send("Noor")
    await leader.expect("Typ de bijnaam of initialen van één kind")
    await leader.send("Senne")
    await leader.press(await leader.expect("Wat doet Senne"), "Pest")
    await leader.press(await leader.expect("Is er nog een kind"), "Nog een kind")
    await leader.expect("Hoe noem je het volgende kind")
    await leader.send("Wout")
    await leader.press(await leader.expect("Wat doet Wout"), "Pest mee")
    await leader.press(await leader.expect("Wout (pest mee)"), "naar stap 1")
    return await leader.expect("Stap 1 — met Noor")


async def step_1_settled(leader: SimUser, step1: BotMessage) -> None:
    """Noor agrees for Senne and Wout; on to step 2 with Senne."""
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Senne vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Noor vindt het goed"), "Verder met Wout")
    await leader.press(await leader.expect("Stap 1 — met Noor"), "Ja, akkoord")
    await leader.expect("Wat mag je aan Wout vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")


async def test_step_1_speaks_to_the_bullied_child_and_step_2_shows_what_she_allows(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await noor_senne_en_wout(leader)
    assert "Zoek een rustig moment met Noor en vraag:" in step1.text
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Senne vertellen?")
    await leader.send(MAY_TELL)
    then = await leader.expect("Noor vindt het goed dat je Senne vertelt:")
    # Said to Noor: her words are not repeated, so she is not spoken of to her face.
    assert "Zeg tegen Noor:\n“We spreken af dat ik Senne dat vertel en koppel het gesprek" in (
        then.text
    )
    assert "dat ze in de groepsapp uitgelachen wordt" not in then.text.split("Zeg tegen")[1]
    assert "Stel daarna, in hetzelfde gesprek, dezelfde vragen over Wout." in then.text
    await leader.press(then, "Verder met Wout")
    step1 = await leader.expect("Stap 1 — met Noor")
    # Still the same talk: no new quiet moment to find.
    assert "Vraag in hetzelfde gesprek met Noor:" in step1.text
    assert "rustig moment" not in step1.text
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Wout vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    done = await leader.expect("Stap 1 is klaar")
    assert "Sluit je gesprek met Noor af met:\n“We spreken af dat ik Wout dat vertel" in done.text

    # Step 2: the facts typed as a clause, as in a real walk.
    await leader.press(done, "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("zaterdag bij het vieruurtje Noor 'de kaars' noemde en iedereen liet lachen")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    script = await leader.expect("Jouw leidraad voor het gesprek met Senne")
    assert (
        "“Ik zie dat je zaterdag bij het vieruurtje Noor 'de kaars' noemde en iedereen "
        "liet lachen.”"
    ) in script.text
    assert "is gebeurd" not in script.text
    assert f"🤝 Noor vindt het goed dat je Senne vertelt: {MAY_TELL}" in script.text


async def test_facts_the_bot_is_unsure_of_are_shown_back_and_can_be_written_whole(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await noor_senne_en_wout(leader)
    await step_1_settled(leader, step1)
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik hoorde het")
    await leader.expect("Vul de zin aan")
    # Other names before the verb: they may be its subject, so the bot shows it first.
    await leader.send("Senne en Wout Noor uitlachten")
    shown = await leader.expect("Lees hem één keer hardop")
    assert "“Ik verneem dat Senne en Wout Noor uitlachten.”" in shown.text
    assert "te beginnen met “Ik verneem dat …”" in shown.text
    # The leader writes the whole sentence instead: kept as written.
    await leader.send("Ik hoorde dat je gisteren Noor uitlachte")
    await leader.press(await leader.expect("Benoem je gevoel"), "verdrietig")
    script = await leader.expect("Jouw leidraad voor het gesprek met Senne")
    assert "“Ik hoorde dat je gisteren Noor uitlachte.”" in script.text


async def test_a_main_clause_follows_the_frame_with_a_colon(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await step_1_settled(leader, await noor_senne_en_wout(leader))
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("gisteren lachte je Noor uit")
    feeling = await leader.expect("Benoem je gevoel")
    assert "“Ik zie dat dit is gebeurd: gisteren lachte je Noor uit.”" in feeling.text


async def test_step_3_names_the_child_in_the_protocols_points(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    step1 = await noor_senne_en_wout(leader)
    await step_1_settled(leader, step1)
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("je Noor uitlachte in de groepsapp")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    await leader.press(
        await leader.expect("Jouw leidraad voor het gesprek met Senne"), "Gesprek gevoerd"
    )
    await leader.expect("Stuur elke afspraak")
    await leader.send("Ik noem haar niet meer de kaars")
    await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Senne"), "Over 2 dagen")
    await leader.expect("herinner ik je eraan om nogmaals met Senne te spreken")
    clock.advance(days=2, hours=3)
    nudge = await leader.expect("🔔 Stap 3: spreek nogmaals met Senne")
    assert "1. Vraag Senne: in hoeverre hou je je aan de gemaakte afspraken?" in nudge.text
    assert "2. Motiveer Senne eventueel om een nieuw voorstel te bedenken." in nudge.text
    assert "hij/zij" not in nudge.text and "hem/haar" not in nudge.text
