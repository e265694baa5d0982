"""What a leader hits walking the protocol with a real case: several children, corrections,
repeated follow-ups. Wording is checked in Dutch, the protocol's own language."""

from __future__ import annotations

import json
from typing import Any

from telegram.ext import Application

from tests.e2e.walk_nl import open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


def dutch_leader(api: BotApiStandin, user_id: int) -> SimUser:
    return api.user(user_id, "An", language_code="nl")


async def settle_step1_dutch(leader: SimUser, may_tell: str) -> BotMessage:
    """Step 1 in Dutch, a "yes" and the same text for each child in turn; returns its end."""
    step1 = await leader.expect("Stap 1")
    while True:
        await leader.press(step1, "Ja, akkoord")
        await leader.expect("vertellen?")
        await leader.send(may_tell)
        done = await leader.expect("vindt het goed dat je")
        if "Stap 1 is klaar" in done.text:
            return done
        await leader.press(done, "Verder met")
        step1 = await leader.expect("Stap 1")


async def dutch_case(leader: SimUser, victim: str, children: list[tuple[str, str]]) -> None:
    """/nieuw … in Dutch, up to step 1."""
    await leader.send("/new")
    await leader.expect("Hoe noem je het kind dat gepest wordt?")
    await leader.send(victim)
    for number, (child, role) in enumerate(children):
        await leader.expect("Typ de bijnaam" if number == 0 else "het volgende kind")
        await leader.send(child)
        asked = await leader.expect("pesten of meepesten?")
        await leader.press(asked, role)
        listed = await leader.expect("Is er nog een kind dat pest of meepest?")
        if number < len(children) - 1:
            await leader.press(listed, "Nog een kind")
    await leader.press(listed, "Dat is iedereen")


async def test_a_name_typed_while_the_role_question_is_open_corrects_the_name(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6101)
    await leader.send("/new")
    await leader.expect("Hoe noem je het kind dat gepest wordt?")
    await leader.send("Lotte")
    await leader.expect("pest of pest mee")
    await leader.send("Jonsa")
    asked = await leader.expect("Wat doet Jonsa: pesten of meepesten?")
    assert "Naam verkeerd getypt?" in asked.text
    # Typed again while the buttons are open: the name is corrected, the question stays.
    await leader.send("Jonas")
    again = await leader.expect("Wat doet Jonas: pesten of meepesten?")
    assert again.button_texts == ["Pest", "Pest mee"]
    # Nothing was picked for the leader in the meantime.
    overview = await open_case(leader, "Lotte")
    assert "Jonas (pest of pest mee: nog niet gekozen)" in overview.text
    assert "Jonsa" not in overview.text


async def test_the_same_nickname_twice_in_a_case_is_refused(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6102)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await leader.expect("Stap 1")
    await open_case(leader, "Lotte")
    await leader.send("/new")
    await leader.send("Mila")
    await leader.expect("pest of pest mee")
    await leader.send("mila")
    await leader.expect("Die bijnaam wordt al gebruikt in deze pestsituatie.")
    await leader.send("Jonas")
    await leader.expect("Wat doet Jonas: pesten of meepesten?")


async def test_a_text_typed_too_long_is_kept_and_its_first_part_taken(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6103)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.expect("Wat mag je aan Jonas vertellen?")
    long_text = ("dat het haar pijn doet als ze uitgelachen wordt " * 26).strip()
    assert len(long_text) == 1247
    await leader.send(long_text)
    kept = await leader.expect("Dat zijn 1.247 tekens; hier mogen het er hoogstens 1.000 zijn.")
    await leader.press(kept, "Neem dit deel")
    # The rest is given back, not dropped: kept at once as a note about Jonas.
    rest = await leader.expect(
        "Ik bewaarde de rest van wat je typte als notitie bij Jonas (in de pestsituatie en in "
        "/export):"
    )
    assert "…uitgelachen wordt dat het haar pijn doet" in rest.text
    done = await leader.expect("Stap 1 is klaar")
    assert "dat het haar pijn doet als ze uitgelachen wordt" in done.text
    overview = await open_case(leader, "Lotte")
    assert "notitie: …uitgelachen wordt dat het haar pijn doet" in overview.text
    await leader.send("/export")
    exported = await leader.expect_new_message()
    assert exported.document is not None
    jonas = json.loads(exported.document.data)["cases"][0]["children_who_bully"][0]
    may_tell, note = jonas["may_tell"], jonas["note"]
    # Cut after a word, and marked as cut.
    assert 900 < len(may_tell) <= 1000 and may_tell.endswith(" ze…")
    assert long_text.startswith(may_tell.removesuffix("…") + " ")
    # Nothing typed is lost: the part taken and the note are the whole text.
    assert may_tell.removesuffix("…") + " " + note.removeprefix("…") == long_text


_SENTENCE = (
    "Zin %d: Senne belooft dat hij Noor niet meer uitlacht en geen bijnaam meer geeft, "
    "ook niet in de groepsapp of op weg naar huis, en dat hij het zegt als hij ziet dat "
    "een ander het wel doet %s."
)
#: Six sentences, 1,200 characters, as a leader might type them in one message.
_LONG_AGREEMENT = " ".join(
    [*(_SENTENCE % (n, "bij de Chiro") for n in range(1, 6)), _SENTENCE % (6, "op kamp")]
)


async def _talk_held(leader: SimUser) -> None:
    """A case of Noor with Senne, to where the agreements of Senne's talk are typed."""
    await dutch_case(leader, "Noor", [("Senne", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.send("het uitlachen van Noor")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    await leader.press(await leader.expect("Jouw leidraad"), "Gesprek gevoerd")


async def test_an_agreement_typed_too_long_is_cut_at_a_sentence_and_its_rest_kept(
    api: BotApiStandin, bot: Application
) -> None:
    assert len(_LONG_AGREEMENT) == 1200
    leader = dutch_leader(api, 6111)
    await _talk_held(leader)
    await leader.send(_LONG_AGREEMENT)
    # The number in the leader's way of writing it, and the part shown before it is taken.
    kept = await leader.expect("Dat zijn 1.200 tekens; hier mogen het er hoogstens 500 zijn.")
    assert "Zin 2:" in kept.text and "Zin 3:" not in kept.text
    assert "doet bij de Chiro. …" in kept.text
    assert "de andere 798 tekens" in kept.text
    await leader.press(kept, "Neem dit deel")
    noted = await leader.expect("1 afspraak genoteerd")
    assert "Zin 3" not in noted.text
    # The rest is offered as the next agreement; still too long, it is cut again.
    rest = await leader.expect("Ik bewaarde de rest van wat je typte als notitie bij Senne")
    assert "Zin 3:" in rest.text and "Zin 6:" in rest.text
    await leader.press(rest, "Neem het als volgende afspraak")
    again = await leader.expect("Dat zijn 798 tekens")
    await leader.press(again, "Neem dit deel")
    await leader.expect("2 afspraken genoteerd")
    await leader.press(await leader.expect("als notitie bij Senne"), "volgende afspraak")
    noted = await leader.expect("3 afspraken genoteerd")
    await leader.press(noted, "Klaar")
    await leader.expect("Wanneer wil je nogmaals met Senne spreken?")
    child = await _exported_child(leader)
    texts = [a["text"] for a in child["agreements"]]
    # Nothing typed is lost: every sentence is in one of the three agreements, and what
    # became an agreement is no longer a note.
    assert len(texts) == 3 and all(len(t) <= 500 for t in texts)
    assert " ".join(texts) == _LONG_AGREEMENT
    assert not child["note"]


async def _exported_child(leader: SimUser) -> dict[str, Any]:
    await leader.send("/export")
    exported = await leader.expect_new_message()
    assert exported.document is not None
    child: dict[str, Any] = json.loads(exported.document.data)["cases"][0]["children_who_bully"][0]
    return child


async def test_the_rest_of_an_agreement_stays_a_note_when_the_leader_goes_on_without_it(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6112)
    await _talk_held(leader)
    await leader.send(_LONG_AGREEMENT)
    await leader.press(await leader.expect("Dat zijn 1.200 tekens"), "Neem dit deel")
    noted = await leader.expect("1 afspraak genoteerd")
    await leader.expect("Ik bewaarde de rest van wat je typte als notitie bij Senne")
    # "Klaar" instead of taking the rest: the rest is not lost, it is Senne's note.
    await leader.press(noted, "Klaar")
    await leader.expect("Wanneer wil je nogmaals met Senne spreken?")
    child = await _exported_child(leader)
    (agreement,) = [a["text"] for a in child["agreements"]]
    assert agreement.removesuffix("…") + " " + child["note"].removeprefix("…") == (_LONG_AGREEMENT)


async def test_the_feeling_not_filled_in_ends_without_a_second_full_stop(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6104)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.expect("Wat mag je aan Jonas vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("Lotte zaterdag werd uitgelachen")
    feeling = await leader.expect("Benoem je gevoel")
    assert "“Ik voel me …”" in feeling.text
    assert "…." not in feeling.text


async def test_after_a_language_switch_a_button_leads_back_to_the_case(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6105)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.expect("Wat mag je aan Jonas vertellen?")
    await leader.send("/language")
    await leader.press(await leader.expect_new_message(), "English")
    switched = await leader.expect("From now on I speak English with you.")
    await leader.press(switched, "Continue")
    await leader.expect("What may you tell Jonas?")


async def not_stopped(leader: SimUser, nudge: BotMessage) -> None:
    """On a nudge: Lotte was not asked this time; with Jonas, it has not stopped."""
    await leader.press(nudge, "Ik heb het Lotte deze keer niet gevraagd")
    asked = await leader.expect("in hoeverre is het pesten gestopt?")
    await leader.press(asked, "Niet gestopt")


async def talk_held_with_jonas(leader: SimUser) -> None:
    """A case Lotte / Jonas in Dutch, up to the plan after the talk."""
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Stap 1 is klaar"), "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.send("Lotte zaterdag werd uitgelachen")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    await leader.press(await leader.expect("Jouw leidraad"), "Gesprek gevoerd")
    await leader.send("Jonas lacht niet meer")
    await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")


async def test_a_weekday_or_tomorrow_is_a_follow_up_date(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = dutch_leader(api, 6106)
    await talk_held_with_jonas(leader)
    plan = await leader.expect("Wanneer wil je nogmaals met Jonas spreken?")
    assert "spreek je nogmaals met Jonas" in plan.text
    await leader.press(plan, "Op een datum die ik kies")
    asked = await leader.expect("Op welke dag?")
    assert "een weekdag (zaterdag, of zaterdag over 2 weken), “vandaag” of “morgen”" in asked.text
    # The clock stands on Tuesday 24 November 2026: Sunday is the 29th.
    await leader.send("zondag")
    planned = await leader.expect("herinner ik je eraan om nogmaals met Jonas te spreken")
    assert "zondag 29 november" in planned.text
    overview = await open_case(leader, "Lotte")
    await leader.press(overview, "Opvolggesprek met Jonas verzetten")
    await leader.press(await leader.expect("Wanneer wil je"), "Op een datum die ik kies")
    await leader.send("morgen")
    moved = await leader.expect("herinner ik je eraan om nogmaals met Jonas te spreken")
    assert "woensdag 25 november" in moved.text


async def test_setting_the_meeting_day_from_the_plan_returns_to_the_plan(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6107)
    await talk_held_with_jonas(leader)
    plan = await leader.expect("Wanneer wil je nogmaals met Jonas spreken?")
    assert "Bij de volgende activiteit" not in plan.button_texts
    assert "💡 Wanneer komt je groep samen?" in plan.text
    await leader.press(plan, "🗓 Wanneer komt je groep samen?")
    await leader.press(await leader.expect("Op welke dag komt je groep samen?"), "zaterdag")
    await leader.press(await leader.expect("Om hoe laat komt je groep samen op zaterdag?"), "14:00")
    await leader.expect("Instellingen")
    plan = await leader.expect("Wanneer wil je nogmaals met Jonas spreken?")
    await leader.press(plan, "Bij de volgende activiteit")
    planned = await leader.expect("herinner ik je eraan om nogmaals met Jonas te spreken")
    assert "zaterdag 28 november, 13:00" in planned.text  # an hour before the activity


async def test_a_nudge_shows_the_agreements_that_stand_and_asks_first(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = dutch_leader(api, 6108)
    await talk_held_with_jonas(leader)
    await leader.press(await leader.expect("Wanneer wil je"), "Over 1 week")
    await leader.expect("herinner ik je eraan")
    overview = await open_case(leader, "Lotte")
    await leader.press(overview, "Teruggekoppeld naar Lotte over Jonas")
    # Round 1: not stopped, and a new proposal.
    clock.advance(days=8)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Jonas")
    assert "Jonas lacht niet meer" in nudge.text
    assert nudge.text.index("Wat zegt Lotte?") < nudge.text.index("Vraag Jonas: in hoeverre")
    await not_stopped(leader, nudge)
    await leader.expect("Wat stelt Jonas nu voor?")
    await leader.send("Jonas gaat naast Lotte zitten")
    await leader.press(await leader.expect("Nieuw voorstel tot nu toe"), "Klaar")
    marking = await leader.expect("Gelden de eerdere afspraken van Jonas nog?")
    await leader.press(marking, "Jonas lacht niet meer")
    await leader.press(await leader.expect("❌ Jonas lacht niet meer"), "Verder")
    await leader.press(await leader.expect("Wanneer wil je"), "Over 1 week")
    await leader.expect("herinner ik je eraan")
    # Round 2: not stopped, no new proposal this time.
    clock.advance(days=8)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Jonas")
    assert "Jonas gaat naast Lotte zitten" in nudge.text
    await not_stopped(leader, nudge)
    await leader.press(await leader.expect("Wat stelt Jonas nu voor?"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je"), "Over 1 week")
    await leader.expect("herinner ik je eraan")
    # Round 3: the last proposal still stands, not the agreement marked as ended.
    clock.advance(days=8)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Jonas")
    assert "Jonas gaat naast Lotte zitten" in nudge.text
    assert "Jonas lacht niet meer" not in nudge.text


async def test_corrections_at_any_step_and_the_same_facts_for_the_next_child(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6109)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest"), ("Mila", "Pest mee"), ("Bo", "Pest")])
    done = await settle_step1_dutch(leader, "dat ze uitgelachen wordt")
    await leader.press(done, "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.send("Lotte zaterdag werd uitgelachen")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    await leader.press(await leader.expect("Jouw leidraad"), "Gesprek gevoerd")
    await leader.send("Jonas lacht niet meer")
    await leader.send("Jonas zegt sorry")
    await leader.press(await leader.expect("2 afspraken genoteerd"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je"), "Over 1 week")
    await leader.expect("herinner ik je eraan")
    # Mila's talk: the same facts and feeling as for Jonas, in one tap each.
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    facts = await leader.expect("Vul de zin aan")
    await leader.press(facts, "Dezelfde feiten als bij Jonas")
    feeling = await leader.expect("Benoem je gevoel")
    await leader.press(feeling, "Hetzelfde gevoel als bij Jonas")
    script = await leader.expect("Jouw leidraad voor het gesprek met Mila")
    assert "“Ik zie dat Lotte zaterdag werd uitgelachen.”" in script.text

    async def corrections() -> object:
        await leader.send("/cases")
        await leader.press(await leader.expect("Mijn pestsituaties"), "1. ")
        await leader.press(await leader.expect("Pestsituatie rond"), "Iets verbeteren")
        return await leader.expect("Iets verbeteren in de pestsituatie rond")

    # A name and a role, after the talk.
    await leader.press(await corrections(), "Jonas: naam, rol")
    await leader.expect("Wat doet Jonas: pesten of meepesten?")
    await leader.send("Jonah")
    await leader.press(await leader.expect("Wat doet Jonah: pesten of meepesten?"), "Pest mee")
    overview = await leader.expect("Pestsituatie rond Lotte")
    assert "Jonah (pest mee)" in overview.text
    # An agreement typed again, showing what stands now; another one deleted.
    await leader.press(await corrections(), "Jonas zegt sorry")
    asked = await leader.expect("Typ de afspraak zoals ze moet luiden")
    assert "Nu: Jonas zegt sorry" in asked.text
    await leader.send("Jonah zegt sorry tegen Lotte")
    menu = await leader.expect("Iets verbeteren in de pestsituatie rond Lotte")
    assert "✏️ 1. Jonas lacht niet meer" in menu.button_texts
    await leader.press(menu, "🗑 1")
    await leader.press(await leader.expect("Deze afspraak van Jonah wissen?"), "Ja, wissen")
    await leader.expect("Iets verbeteren in de pestsituatie rond Lotte")
    # The child who bullies is renamed; a child added by mistake is removed.
    await leader.press(await corrections(), "Naam van Lotte")
    assert "Nu: Lotte" in (await leader.expect("Typ de nieuwe bijnaam")).text
    await leader.send("Mila")
    await leader.expect("Die bijnaam wordt al gebruikt in deze pestsituatie.")
    await leader.send("Lotje")
    await leader.expect("Pestsituatie rond Lotje")
    await leader.press(await corrections(), "Bo weghalen uit deze pestsituatie")
    await leader.press(await leader.expect("Bo weghalen uit de pestsituatie"), "Ja, weghalen")
    overview = await open_case(leader, "Lotje")
    assert "Jonah zegt sorry tegen Lotte" in overview.text
    assert "Jonas lacht niet meer" not in overview.text
    assert "Bo" not in overview.text


async def test_the_filled_sentences_read_as_a_person_says_them(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6110)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    asked = await leader.expect("Wat mag je aan Jonas vertellen?")
    assert "Bijvoorbeeld" in asked.text
    await leader.send("dat het haar pijn doet als ze haar uitlachen")
    done = await leader.expect("Stap 1 is klaar")
    # Said to Lotte: her words are shown to the leader, not said back to her of herself.
    assert "🤝 Lotte vindt het goed dat je Jonas vertelt: dat het haar pijn doet" in done.text
    assert (
        "“We spreken af dat ik Jonas dat vertel en koppel het gesprek naar jou terug.”"
    ) in done.text
    await leader.press(done, "Bereid dat gesprek voor")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik hoorde het")
    await leader.send("het uitlachen van Lotte zaterdag bij het kampvuur")
    feeling = await leader.expect("Benoem je gevoel")
    # The first sentence, filled in, is shown before it is used; one tap fixes it.
    assert (
        "Je eerste zin: “Ik verneem dat het uitlachen van Lotte zaterdag bij het kampvuur "
        "is gebeurd.”"
    ) in feeling.text
    await leader.press(feeling, "Terug naar de feiten")
    await leader.press(await leader.expect("Vul de zin aan"), "Terug")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.send("het uitlachen van Lotte zaterdag")
    feeling = await leader.expect("Benoem je gevoel")
    assert "“Ik zie dat het uitlachen van Lotte zaterdag is gebeurd.”" in feeling.text


async def outcome(leader: SimUser, nudge: BotMessage, victim_view: str, result: str) -> None:
    """On a nudge: what the bullied child says, then how far it stopped with the child."""
    await leader.press(nudge, victim_view)
    await leader.press(await leader.expect("in hoeverre is het pesten gestopt?"), result)


async def test_two_cases_three_children_and_four_follow_up_rounds_in_dutch(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    """The whole walk of a real case: the first with two children, one through four rounds
    of follow-up until it stopped and the case is closed; a second case alongside."""
    leader = dutch_leader(api, 6120)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest"), ("Mila", "Pest mee")])
    done = await settle_step1_dutch(leader, "dat het haar pijn doet")
    await leader.press(done, "Bereid dat gesprek voor")
    for child, agreement in (("Jonas", "Jonas lacht niet meer"), ("Mila", "Mila lacht niet mee")):
        await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
        facts = await leader.expect("Vul de zin aan")
        if child == "Jonas":
            await leader.send("het uitlachen van Lotte zaterdag")
            await leader.press(await leader.expect("Benoem je gevoel"), "boos")
        else:
            await leader.press(facts, "Dezelfde feiten als bij Jonas")
            await leader.press(await leader.expect("Benoem je gevoel"), "verdrietig")
        script = await leader.expect(f"Jouw leidraad voor het gesprek met {child}")
        assert "“Dit zeg of doe je niet. Punt.”" in script.text
        await leader.press(script, "Gesprek gevoerd")
        await leader.send(agreement)
        await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")
        await leader.press(await leader.expect(f"nogmaals met {child} spreken"), "Over 1 week")
        await leader.expect(f"herinner ik je eraan om nogmaals met {child} te spreken")

    # A second case alongside, with one child: set up and step 1 only, for now.
    await dutch_case(leader, "Noor", [("Bram", "Pest")])
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.send("dat ze niet meer alleen wil zitten")
    await leader.expect("Stap 1 is klaar")

    # Reported back to Lotte on both talks.
    for child in ("Jonas", "Mila"):
        await leader.send("/cases")
        await leader.press(await leader.expect("Je hebt 2 open pestsituaties."), "Lotte")
        await leader.press(
            await leader.expect("Pestsituatie rond Lotte"),
            f"Teruggekoppeld naar Lotte over {child}",
        )
        await leader.expect_new_message()

    # Four rounds with Jonas (Mila's follow-up is moved out of the way).
    await leader.send("/cases")
    await leader.press(await leader.expect("Je hebt 2 open pestsituaties."), "Lotte")
    await leader.press(
        await leader.expect("Pestsituatie rond Lotte"), "Opvolggesprek met Mila verzetten"
    )
    await leader.press(await leader.expect("nogmaals met Mila spreken"), "Op een datum die ik kies")
    await leader.send("20-1")
    await leader.expect("herinner ik je eraan om nogmaals met Mila te spreken")
    rounds = [
        ("het gebeurt minder", "Gedeeltelijk gestopt", "Jonas zit naast Lotte"),
        ("het is niet gestopt", "Niet gestopt", None),
        ("het is gestopt", "Pesten is gestopt", None),
        ("het is gestopt", "Pesten is gestopt", None),
    ]
    standing = "Jonas lacht niet meer"
    for number, (view, result, proposal) in enumerate(rounds, start=1):
        # After "stopped" the next follow-up comes later: keep repeating, allow time.
        clock.advance(days=15)
        nudge = await leader.expect("Stap 3: spreek nogmaals met Jonas")
        assert standing in nudge.text, f"round {number}"
        await outcome(leader, nudge, view, result)
        if result != "Pesten is gestopt":
            asked = await leader.expect("Wat stelt Jonas nu voor?")
            if proposal is not None:
                await leader.send(proposal)
                await leader.press(await leader.expect("Nieuw voorstel tot nu toe"), "Klaar")
                await leader.press(await leader.expect("Gelden de eerdere afspraken"), "Verder")
                standing = proposal
            else:
                await leader.press(asked, "Klaar")
            await leader.press(await leader.expect("nogmaals met Jonas spreken"), "Over 1 week")
        else:
            good = await leader.expect("Goed nieuws over Jonas")
            # Keep repeating: a later follow-up first, closing second.
            assert good.button_texts[0].startswith("⭐")
            await leader.press(good, good.button_texts[0])
        await leader.expect("herinner ik je eraan om nogmaals met Jonas te spreken")

    # Closing says what is still open, then closes.
    await leader.send("/cases")
    await leader.press(await leader.expect("Je hebt 2 open pestsituaties."), "Lotte")
    await leader.press(await leader.expect("Pestsituatie rond Lotte"), "Situatie afsluiten")
    confirm = await leader.expect("Nog open in deze pestsituatie:")
    assert "Een opvolging met Jonas is gepland" in confirm.text
    # Mila's follow-up is due already: said so, never as if it were still to come.
    assert "Een opvolging met Mila is aan de beurt sinds" in confirm.text
    await leader.press(confirm, "Ja, afsluiten")
    await leader.send("/cases")
    listed = await leader.expect("Je hebt 1 open pestsituatie.")
    assert "Noor" in listed.text and "Lotte" not in listed.text


async def test_a_child_added_after_step_1_gets_their_own_step_1(
    api: BotApiStandin, bot: Application
) -> None:
    leader = dutch_leader(api, 6130)
    await dutch_case(leader, "Lotte", [("Jonas", "Pest")])
    await settle_step1_dutch(leader, "dat het haar pijn doet")
    await leader.press(await open_case(leader, "Lotte"), "Nog een kind")
    await leader.expect("het volgende kind")
    await leader.send("Mila")
    await leader.press(await leader.expect("Wat doet Mila: pesten of meepesten?"), "Pest mee")
    step1 = await leader.expect("Stap 1 — met Lotte")
    assert "“Mag ik met je Mila spreken" in step1.text
    assert "Jonas" not in step1.text
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Mila vertellen?")


async def test_earlier_agreements_stand_after_a_new_proposal_unless_marked_otherwise(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = dutch_leader(api, 6112)
    await _talk_held(leader)
    await leader.send("Ik noem haar niet meer de kaars")
    await leader.send("Ik lach haar niet meer uit")
    await leader.press(await leader.expect("2 afspraken genoteerd"), "Klaar")
    await leader.press(await leader.expect("Wanneer wil je"), "Over 1 week")
    await leader.expect("herinner ik je eraan")

    # Round 1: not stopped; a new proposal; one earlier agreement no longer stands.
    clock.advance(days=8)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Senne")
    await leader.press(nudge, "Ik heb het Noor deze keer niet gevraagd")
    await leader.press(await leader.expect("in hoeverre is het pesten gestopt?"), "Niet gestopt")
    await leader.expect("Wat stelt Senne nu voor?")
    await leader.send("Ik stuur geen memes meer over Noor in de groepsapp")
    await leader.press(await leader.expect("Nieuw voorstel tot nu toe"), "Klaar")
    marking = await leader.expect("Gelden de eerdere afspraken van Senne nog?")
    # Each earlier agreement stands until the leader taps it; this round's is not asked.
    assert marking.button_texts == [
        "✅ 1. Ik noem haar niet meer de kaars",
        "✅ 2. Ik lach haar niet meer uit",
        "▶️ Verder",
    ]
    await leader.press(marking, "Ik lach haar niet meer uit")
    marked = await leader.expect("❌ Ik lach haar niet meer uit (uit het gesprek)")
    assert "✅ Ik noem haar niet meer de kaars (uit het gesprek)" in marked.text
    assert marked.button_texts[1] == "❌ 2. Ik lach haar niet meer uit"
    await leader.press(marked, "Verder")
    await leader.press(await leader.expect("Wanneer wil je"), "Over 1 week")
    await leader.expect("herinner ik je eraan")

    # Round 2: the nudge and the case show exactly the agreements that stand, with their talk.
    clock.advance(days=8)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Senne")
    standing = (
        "afspraken die gelden:\n"
        "• Ik noem haar niet meer de kaars (uit het gesprek)\n"
        "• Ik stuur geen memes meer over Noor in de groepsapp (uit opvolggesprek 1)"
    )
    assert "De " + standing.replace("afspraken", "afspraken van Senne", 1) in nudge.text
    assert "Ik lach haar niet meer uit" not in nudge.text
    overview = await open_case(leader, "Noor")
    assert standing in overview.text
    assert "Ik lach haar niet meer uit" not in overview.text
    await leader.send("/export")
    exported = await leader.expect_new_message()
    assert exported.document is not None
    senne = json.loads(exported.document.data)["cases"][0]["children_who_bully"][0]
    assert [(a["text"], a["stands"]) for a in senne["agreements"]] == [
        ("Ik noem haar niet meer de kaars", True),
        ("Ik lach haar niet meer uit", False),
        ("Ik stuur geen memes meer over Noor in de groepsapp", True),
    ]
    overview = await open_case(leader, "Noor")
    # The history keeps the one that no longer stands.
    await leader.press(overview, "Geschiedenis")
    history = await leader.expect("Geschiedenis van de pestsituatie van Noor")
    assert (
        "duidde aan dat een afspraak van Senne niet meer geldt: Ik lach haar niet meer uit"
        in history.text
    )
