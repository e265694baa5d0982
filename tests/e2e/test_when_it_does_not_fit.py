"""When the one-on-one conversation does not fit, or does not work: in Dutch, as a leader taps it.

The quick check names what fits better; a "no" in step 1 keeps the case open with a
reminder; facts with a label get a hint; the bullied child's view comes before the
outcome and weighs more; after two rounds without "gestopt" the nudge offers the
next steps, and the choice is kept in the case's history.
"""

from __future__ import annotations

import json

from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import count
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


async def nieuwe_situatie(leader: SimUser) -> BotMessage:
    """/new with Sam, who is bullied, and Tom, who bullies; returns step 1."""
    await leader.send("/new")
    await leader.expect("Hoe noem je het kind dat gepest wordt?")
    await leader.send("Sam")
    await leader.expect("Typ de bijnaam of initialen van één kind")
    await leader.send("Tom")
    await leader.press(await leader.expect("Wat doet Tom"), "Pest")
    await leader.press(await leader.expect("Is er nog een kind"), "naar stap 1")
    return await leader.expect("Stap 1 — met Sam")


async def gesprek_gevoerd(leader: SimUser, step1: BotMessage) -> None:
    """Step 1 settled, Tom's talk prepared and held, a follow-up in 2 days, reported back."""
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je")
    await leader.send("dat Sam niet meer wil dat er om hem gelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("je zaterdag de pet van Sam in de vijver gooide")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    script = await leader.expect("het gesprek met Tom")
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("Stuur elke afspraak")
    await leader.send("Tom laat de spullen van Sam met rust")
    await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Tom"), "Over 2 dagen")
    await leader.expect("herinner ik je eraan om nogmaals met Tom te spreken")
    await leader.send("/cases")
    await leader.press(await leader.expect("Mijn pestsituaties"), "1. Sam")
    await leader.press(await leader.expect("Pestsituatie rond Sam"), "Teruggekoppeld naar Sam")
    await leader.expect_new_message()


async def nieuw_voorstel(leader: SimUser, voorstel: str) -> None:
    """Not (fully) stopped: a new proposal, and the next follow-up in 2 days."""
    await leader.expect("Motiveer Tom eventueel om een nieuw voorstel te bedenken.")
    await leader.send(voorstel)
    await leader.press(await leader.expect("Nieuw voorstel tot nu toe"), "Klaar")
    await leader.press(await leader.expect("Gelden de eerdere afspraken van Tom nog?"), "Verder")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Tom"), "Over 2 dagen")
    await leader.expect("herinner ik je eraan om nogmaals met Tom te spreken")


async def test_a_quick_check_without_reasons_points_to_no_blame_and_its_short_check(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await leader.send("/criteria")
    checklist = await leader.expect("Snelle check")
    await leader.press(checklist, "Leiding steunt")
    await leader.press(await leader.expect("✅ Begeleider(s) steunen"), "Bekijk het antwoord")
    answer = await leader.expect("Snelle check: het antwoord")
    assert "Wat misschien beter past" in answer.text
    assert "No Blame (steungroepaanpak)" in answer.text
    assert "Pak deze situatie aan" not in " ".join(answer.button_texts)

    await leader.press(answer, "No Blame")
    no_blame = await leader.expect("No Blame (steungroepaanpak)")
    assert "Wanneer het past: voor pesten dat recent is en minder ernstig" in no_blame.text
    assert "Bron: allesoverpesten.be" in no_blame.text
    assert "https://www.allesoverpesten.be" in no_blame.text
    assert "Ik loop alleen het één-op-ééngesprek stap voor stap met je door." in no_blame.text

    await leader.press(no_blame, "korte check")
    check = await leader.expect("No Blame past als dit allemaal klopt.")
    for item in ["pas begonnen", "minder ernstig", "weinig steun", "gelooft", "steunt"]:
        await leader.press(check, item)
        check = await leader.expect("No Blame past als dit allemaal klopt.")
    await leader.press(check, "Bekijk het antwoord")
    verdict = await leader.expect("No Blame: het antwoord")
    assert "✅ No Blame past bij deze situatie." in verdict.text

    # Part of it does not hold: the answer says what, and what fits then.
    await leader.press(verdict, "Vinkjes aanpassen")
    check = await leader.expect("No Blame past als dit allemaal klopt.")
    await leader.press(check, "pas begonnen")
    await leader.press(
        await leader.expect("No Blame past als dit allemaal klopt."), "Bekijk het antwoord"
    )
    verdict = await leader.expect("No Blame: het antwoord")
    assert "❌ Niet alles klopt voor No Blame:" in verdict.text
    assert "• Het pesten is pas begonnen" in verdict.text
    assert "herstelgesprek" in verdict.text


async def test_a_case_records_the_approach_it_goes_on_with(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await nieuwe_situatie(leader)
    await leader.send("/cases")
    await leader.press(await leader.expect("Je hebt 1 open pestsituatie."), "1. Sam")
    overview = await leader.expect("Pestsituatie rond Sam")
    await leader.press(overview, "Andere aanpakken")
    listed = await leader.expect("Andere aanpakken")
    await leader.press(listed, "Herstelgesprek")
    restorative = await leader.expect("Over wat er gebeurd is")
    assert "Ik loop alleen het één-op-ééngesprek stap voor stap met je door." in restorative.text
    await leader.press(restorative, "We gaan hiermee verder")
    chosen = await leader.expect("Genoteerd: de pestsituatie rond Sam gaat verder met")
    await leader.press(chosen, "Terug naar de pestsituatie")
    overview = await leader.expect("Pestsituatie rond Sam")
    assert "Aanpak: Herstelgesprek" in overview.text
    assert "aanpak: Herstelgesprek" in overview.text  # in the choices made


async def test_a_refused_step_1_keeps_the_case_open_and_reminds_to_ask_again(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    step1 = await nieuwe_situatie(leader)
    await leader.press(step1, "Nee, (nog) niet")
    declined = await leader.expect("Stap 1 — Sam is (nog) niet akkoord")
    assert "Doe niets waar Sam niet van weet" in declined.text
    assert "zonder toestemming van Sam praat je niet met Tom" in declined.text
    assert "De pestsituatie blijft open in stap 1." in declined.text
    assert "🔔 Ik herinner je eraan op" in declined.text
    for option in ["Later opnieuw vragen", "Bespreken met de ploeg", "Blijven opvolgen"]:
        assert any(option in label for label in declined.button_texts)

    await leader.press(declined, "Bespreken met de ploeg")
    waiting = await leader.expect("Bespreek het met je ploeg")
    assert "opnieuw te vragen" in waiting.text
    await leader.send("/cases")
    listed = await leader.expect("Je hebt 1 open pestsituatie.")
    assert (
        "Stap 1: Sam gaat (nog) niet akkoord met een gesprek met Tom — herinnering op"
        in listed.text
    )

    # A week later, at the leader's preferred hour, the reminder comes.
    clock.advance(days=6)
    await leader.send("/help")
    await leader.expect("/cases")
    assert not any("Stap 1 — met Sam" in m.text for m in leader.messages if "🔔" in m.text)
    clock.advance(days=2)
    nudge = await leader.expect("🔔 Stap 1 — met Sam")
    assert "Toen je het over Tom vroeg, ging Sam (nog) niet akkoord." in nudge.text
    assert "Doe niets waar Sam niet van weet" in nudge.text
    await leader.press(nudge, "Nu opnieuw vragen")
    step1 = await leader.expect("Stap 1 — met Sam")
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je")
    # Agreed: no reminder to ask is left.
    clock.advance(weeks=3)
    await leader.send("/cases")
    assert "herinnering op" not in (await leader.expect("Je hebt 1 open pestsituatie.")).text
    assert sum("🔔 Stap 1 — met Sam" in m.text for m in leader.messages) == 1


async def test_not_asked_yet_brings_a_reminder_to_ask(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    step1 = await nieuwe_situatie(leader)
    await leader.press(step1, "Nog niet gevraagd")
    later = await leader.expect("Praat eerst met Sam")
    assert "🔔 Ik herinner je er op" in later.text
    clock.advance(days=2, hours=3)
    nudge = await leader.expect("🔔 Stap 1 — met Sam")
    assert "Heb je het Sam al gevraagd?" in nudge.text
    assert "“Mag ik met je Tom spreken om aan te geven dat ik wil dat het gedrag stopt?”" in (
        nudge.text
    )
    await leader.press(nudge, "Nee, (nog) niet")
    await leader.expect("Stap 1 — Sam is (nog) niet akkoord")


async def test_facts_with_a_label_get_a_gentle_hint_and_are_never_blocked(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await nieuwe_situatie(leader)
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je")
    await leader.send("dat Sam het niet leuk vindt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("Tom zoals altijd gemeen deed tegen Sam")
    hint = await leader.expect("Een kleine tip")
    assert "“<i>zoals altijd</i>”" not in hint.text  # the leader sees plain text
    assert "“zoals altijd”, “gemeen” klinken eerder als een oordeel" in hint.text
    assert "over een feit niet" in hint.text
    # Typing again replaces the facts; the hint does not come for plain facts.
    await leader.send("je zaterdag de pet van Sam in de vijver gooide")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    # And the leader may keep a text with a label: nothing is blocked.
    script = await leader.expect("het gesprek met Tom")
    await leader.press(script, "Feiten")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("Tom nooit luistert")
    hint = await leader.expect("Een kleine tip")
    await leader.press(hint, "Hou deze zin")
    script = await leader.expect("het gesprek met Tom")
    assert "“Ik zie dat Tom nooit luistert.”" in script.text
    # Step 2's script shows what may be told beside the facts.
    assert "🤝 Sam vindt het goed dat je Tom vertelt: dat Sam het niet leuk vindt" in script.text


async def test_the_bullied_childs_view_comes_first_and_weighs_more(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    await gesprek_gevoerd(leader, await nieuwe_situatie(leader))
    clock.advance(days=2, hours=3)
    nudge = await leader.expect("🔔 Stap 3: spreek nogmaals met Tom")
    assert "heb je ook even bij Sam gepolst? Wat zegt Sam?" in nudge.text
    assert nudge.button_texts[:4] == [
        "Sam: ✅ het is gestopt",
        "Sam: 🟡 het gebeurt minder",
        "Sam: ❌ het is niet gestopt",
        "⏭ Ik heb het Sam deze keer niet gevraagd",
    ]
    await leader.press(nudge, "Sam: ❌ het is niet gestopt")
    outcome = await leader.expect("En in je gesprek met Tom")
    assert "Sam zegt: het is niet gestopt." in outcome.text
    assert "Wat Sam zegt, weegt zwaarder dan het verhaal van Tom." in outcome.text
    await leader.press(outcome, "Pesten is gestopt")
    weighed = await leader.expect("weegt zwaarder")
    assert "Genoteerd: het pesten is niet gestopt — wat Sam zegt, weegt zwaarder." in weighed.text
    await nieuw_voorstel(leader, "Tom blijft uit de buurt van Sam")
    await leader.send("/cases")
    await leader.press(await leader.expect("Je hebt 1 open pestsituatie."), "1. Sam")
    overview = await leader.expect("Pestsituatie rond Sam")
    assert "het pesten is niet gestopt — Sam zegt: het is niet gestopt." in overview.text


async def test_after_two_rounds_without_stopped_the_nudge_offers_next_steps_and_keeps_the_choice(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser, database_url: str
) -> None:
    await gesprek_gevoerd(leader, await nieuwe_situatie(leader))
    # Round 1: not stopped. Round 2: partly stopped — that is not "gestopt" either.
    for outcome in ["Niet gestopt", "Gedeeltelijk gestopt"]:
        clock.advance(days=3)
        nudge = await leader.expect("🔔 Stap 3: spreek nogmaals met Tom")
        assert "Volgende stappen" not in " ".join(nudge.button_texts)
        await leader.press(nudge, "Sam: 🟡 het gebeurt minder")
        await leader.press(await leader.expect("En in je gesprek met Tom"), outcome)
        await nieuw_voorstel(leader, f"voorstel na {outcome.lower()}")

    clock.advance(days=3)
    third = await leader.expect("🔔 Stap 3: spreek nogmaals met Tom")
    assert "⚠️ Na 2 opvolggesprekken op rij is het pesten door Tom niet gestopt." in third.text
    await leader.press(third, "Volgende stappen")
    steps = await leader.expect("Tom: niet gestopt na 2 opvolggesprekken op rij")
    assert "Je moet dit niet alleen dragen." in steps.text
    # Background and sources are behind "Waarom?", never on the screen a leader acts on.
    assert "Garandeau" not in steps.text and "KiVa" not in steps.text
    await leader.press(steps, "ℹ️ Waarom?")
    why = await leader.expect("Waarom deze volgende stappen?")
    assert "Garandeau" in why.text
    # It never weighs against the protocol's reason "Het pesten is al lang(er) bezig".
    assert "recent" not in why.text and "al lang" not in why.text
    await leader.press(steps, "Praten met de ouders")
    chosen = await leader.expect("Genoteerd in de pestsituatie: praten met de ouders.")
    assert "Zeg het eerst aan Sam" in chosen.text
    await leader.press(chosen, "Volgende stappen")
    await leader.press(await leader.expect("Tom: niet gestopt"), "Steun voor Sam")
    support = await leader.expect("Genoteerd in de pestsituatie: steun voor")
    assert "Awel" in support.text and "102" in support.text

    history = "SELECT count(*) FROM case_events WHERE kind = 'next_step'"
    assert await count(database_url, history) == 2
    await leader.press(support, "Terug naar de pestsituatie")
    # Back on the follow-up that is still due: the next steps stay on it.
    again = await leader.expect("🔔 Stap 3: spreek nogmaals met Tom")
    assert any("Volgende stappen" in label for label in again.button_texts)
    await leader.send("/cases")
    await leader.press(await leader.expect("Je hebt 1 open pestsituatie."), "1. Sam")
    overview = await leader.expect("Pestsituatie rond Sam")
    assert "Gemaakte keuzes:" in overview.text
    assert "Tom: volgende stap: praten met de ouders" in overview.text
    assert "Tom: volgende stap: steun voor het kind dat gepest wordt" in overview.text
    await leader.send("/export")
    exported = await leader.expect("")
    while exported.document is None:
        exported = await leader.expect("")
    case = json.loads(exported.document.data)["cases"][0]
    chosen = [h for h in case["history"] if h["kind"] == "next_step"]
    assert [(h["child"], h["detail"], h["by"]) for h in chosen] == [
        ("Tom", "parents", "me"),
        ("Tom", "support", "me"),
    ]
    assert [f["bullied_child_says"] for f in case["children_who_bully"][0]["follow_ups"]] == [
        "less",
        "less",
    ]
