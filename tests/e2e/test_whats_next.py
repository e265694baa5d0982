"""What is next in a case with three children, in Dutch: every child named, in time order.

Noor is bullied by Lars, Senne and Wouter. The case's list says what is next for each of
them with its moment, a moment that passed is due (never coming), a due follow-up opens
with one tap from the case, and a screen that ends one child's step leads on to the next
thing due for another.
"""

from __future__ import annotations

import asyncio

from telegram.ext import Application

from tests.e2e import walk_nl
from tests.e2e.test_when_it_does_not_fit import gesprek_gevoerd, nieuw_voorstel, nieuwe_situatie
from tests.e2e.walk_nl import open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import count
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


async def noor_and_three(leader: SimUser) -> BotMessage:
    """/new with Noor, bullied by Lars, Senne and Wouter; returns step 1 about Lars."""
    children = [("Lars", "Pest"), ("Senne", "Pest"), ("Wouter", "Pest mee")]
    return await walk_nl.new_case(leader, "Noor", children)


async def yes_for_senne_and_wouter(leader: SimUser, step1: BotMessage) -> BotMessage:
    """Noor agrees to a talk with Senne and with Wouter; returns "step 1 is done"."""
    await leader.press(step1, "Ja, akkoord")
    await leader.expect("Wat mag je aan Senne vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("Noor vindt het goed"), "Verder met Wouter")
    await leader.press(await leader.expect("Stap 1 — met Noor"), "Ja, akkoord")
    await leader.expect("Wat mag je aan Wouter vertellen?")
    await leader.send("dat ze uitgelachen wordt")
    return await leader.expect("Stap 1 is klaar")


async def talk_and_plan(leader: SimUser, child: str, when: str) -> None:
    """From "seen or heard" of step 2 with ``child``: the talk, one agreement, a follow-up."""
    await leader.press(await leader.expect(f"Stap 2 — het gesprek met {child}"), "Ik zag het")
    await leader.expect("Vul de zin aan")
    await leader.send("je Noor uitlachte in de groepsapp")
    await leader.press(await leader.expect("Benoem je gevoel"), "boos")
    script = await leader.expect(f"Jouw leidraad voor het gesprek met {child}")
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("Stuur elke afspraak")
    await leader.send("Ik lach Noor niet meer uit")
    await leader.press(await leader.expect("1 afspraak genoteerd"), "Klaar")
    await leader.press(await leader.expect(f"Wanneer wil je nogmaals met {child}"), when)
    await leader.expect(f"herinner ik je eraan om nogmaals met {child} te spreken")


def line_of(text: str, child: str) -> str:
    """The one line of the case's list about ``child`` (their step, or their follow-up)."""
    found = [line for line in text.splitlines() if f"met {child}" in line and "Stap" in line]
    assert len(found) == 1, (child, text)
    return found[0]


async def asked_again_planned(database_url: str) -> None:
    """Wait until the bot planned the next moment of both reminders it just sent (its
    round after sending does)."""
    query = (
        "SELECT count(*) FROM reminders WHERE status = 'pending'"
        " AND kind IN ('step1', 'follow_up_again')"
    )
    for _ in range(250):
        if await count(database_url, query) == 2:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the reminders sent were not planned again")


async def test_every_child_is_listed_with_its_moment_and_a_due_follow_up_opens_from_the_case(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser, database_url: str
) -> None:
    step1 = await noor_and_three(leader)
    await leader.press(step1, "Nog niet gevraagd")
    await leader.expect("Praat eerst met Noor")
    await leader.press(await open_case(leader), "Verder")
    done = await yes_for_senne_and_wouter(leader, await leader.expect("Stap 1 — met Noor"))
    await leader.press(done, "Bereid dat gesprek voor")
    await talk_and_plan(leader, "Senne", "Over 1 week")
    await talk_and_plan(leader, "Wouter", "Over 2 weken")
    for child in ("Senne", "Wouter"):
        await leader.press(await open_case(leader), f"Teruggekoppeld naar Noor over {child}")
        await leader.expect_new_message()

    # Eight days on: Lars's reminder to ask and Senne's follow-up have both come. Once
    # sent, each has its next moment planned by the bot's next round; both stay due.
    clock.advance(days=8)
    await leader.expect("🔔 Stap 1 — met Noor, over Lars")
    await leader.expect("🔔 Stap 3: spreek nogmaals met Senne")
    await asked_again_planned(database_url)
    await leader.send("/cases")
    listed = await leader.expect("Mijn pestsituaties")
    lars = line_of(listed.text, "Lars")
    senne = line_of(listed.text, "Senne")
    wouter = line_of(listed.text, "Wouter")
    # Lars's reminder went out unanswered: due since then, and when it comes again.
    assert "Stap 1: vraag Noor of je met Lars mag praten — aan de beurt sinds" in lars
    assert ", herinnering op" in lars
    assert "Stap 3: hoe verliep het opvolggesprek met Senne? — aan de beurt sinds" in senne
    assert "Stap 3: opvolggesprek met Wouter op" in wouter
    # In time order: Senne's talk was due first, then Lars's reminder went out; Wouter's
    # talk is still to come.
    order = listed.text.index
    assert order(senne) < order(lars) < order(wouter)

    overview = await open_case(leader)
    assert "Wat volgt, op volgorde van tijd:" in overview.text
    assert line_of(overview.text, "Senne") in overview.text
    # "Verder" is about Lars's step 1; Senne's due follow-up has a button of its own.
    assert "▶️ Verder met Lars: vraag het aan Noor" in overview.button_texts
    await leader.press(overview, "▶️ Senne: het opvolggesprek")
    talk = await leader.expect("Stap 3: spreek nogmaals met Senne")
    assert "Noor: ✅ het is gestopt" in talk.button_texts
    assert "Ik lach Noor niet meer uit" in talk.text


async def test_after_a_no_for_lars_one_tap_goes_on_to_senne(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    step1 = await noor_and_three(leader)
    await leader.press(step1, "Nee, (nog) niet")
    declined = await leader.expect("Stap 1 — Noor is (nog) niet akkoord")
    # The talk with Noor goes on about the next child, without a way round through /cases.
    assert declined.button_texts[0] == "▶️ Verder met Senne: vraag het aan Noor"
    await leader.press(declined, "Verder met Senne")
    about_senne = await leader.expect("Stap 1 — met Noor")
    assert "met Senne" in about_senne.text
    assert "Lars" not in about_senne.text
    done = await yes_for_senne_and_wouter(leader, about_senne)
    assert "Senne" in done.text

    # Choosing to ask about Lars again later ends his step for now: the way on is there.
    await leader.press(declined, "Later opnieuw vragen")
    waiting = await leader.expect("Geef Noor tijd")
    await leader.press(waiting, "▶️ Verder met Senne: bereid het gesprek voor")
    await leader.expect("Stap 2 — het gesprek met Senne")


async def test_the_outcome_that_reaches_the_rounds_brings_the_next_steps_at_once(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    await gesprek_gevoerd(leader, await nieuwe_situatie(leader))
    clock.advance(days=3)
    first = await leader.expect("🔔 Stap 3: spreek nogmaals met Tom")
    await leader.press(first, "Sam: ❌ het is niet gestopt")
    await leader.press(await leader.expect("En in je gesprek met Tom"), "Niet gestopt")
    await nieuw_voorstel(leader, "Tom blijft uit de buurt van Sam")
    assert not [m for m in leader.messages if "Volgende stappen:" in m.text]

    clock.advance(days=3)
    second = await leader.expect("🔔 Stap 3: spreek nogmaals met Tom")
    await leader.press(second, "Sam: ❌ het is niet gestopt")
    await leader.press(await leader.expect("En in je gesprek met Tom"), "Niet gestopt")
    # The second round without "gestopt": the next steps come now, not at the next reminder.
    steps = await leader.expect("Tom: niet gestopt na 2 opvolggesprekken op rij")
    assert "Je moet dit niet alleen dragen." in steps.text
    # The new proposal is still asked for, and what is typed is taken as one.
    await nieuw_voorstel(leader, "Tom zegt sorry aan Sam")
    await leader.press(steps, "Steun voor Sam")
    support = await leader.expect("Genoteerd in de pestsituatie: steun voor")
    assert "Awel" in support.text


async def test_closing_lists_what_is_open_for_each_child_and_is_offered_once_talks_stopped(
    api: BotApiStandin, bot: Application, clock: TestClock, leader: SimUser
) -> None:
    # Lars is never asked; Senne is talked to; Wouter may be talked to, but is not yet.
    step1 = await noor_and_three(leader)
    await leader.press(step1, "Nog niet gevraagd")
    await leader.expect("Praat eerst met Noor")
    await leader.press(await open_case(leader), "Verder")
    done = await yes_for_senne_and_wouter(leader, await leader.expect("Stap 1 — met Noor"))
    await leader.press(done, "Bereid dat gesprek voor")
    await talk_and_plan(leader, "Senne", "Over 1 week")

    clock.advance(days=8)
    nudge = await leader.expect("🔔 Stap 3: spreek nogmaals met Senne")
    await leader.press(nudge, "Noor: ✅ het is gestopt")
    await leader.press(await leader.expect("En in je gesprek met Senne"), "Pesten is gestopt")
    stopped = await leader.expect("Goed nieuws over Senne")
    # Every child who was talked to has stopped: closing is offered, Lars is no reason to wait.
    await leader.press(stopped, "Situatie afsluiten")
    confirm = await leader.expect("Nog open in deze pestsituatie:")
    assert "Noor is nooit gevraagd of je met Lars mag praten." in confirm.text
    assert "Nog geen gesprek met Wouter." in confirm.text
    assert "Je hebt nog niet teruggekoppeld naar Noor over het gesprek met Senne." in confirm.text
