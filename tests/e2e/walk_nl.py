"""Steps a Dutch-speaking leader takes, in the bot's Dutch words (see ``walk`` for English)."""

from __future__ import annotations

from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


async def new_case(leader: SimUser, victim: str, children: list[tuple[str, str]]) -> BotMessage:
    """/new, the victim, each (child, "Pest" | "Pest mee"); returns the step-1 screen."""
    await leader.send("/new")
    await leader.expect("Hoe noem je het kind dat gepest wordt?")
    await leader.send(victim)
    for number, (child, role) in enumerate(children):
        await leader.expect("pest")
        await leader.send(child)
        asked = await leader.expect("pesten of meepesten?")
        await leader.press(asked, role)
        listed = await leader.expect("Is er nog een kind")
        if number < len(children) - 1:
            await leader.press(listed, "Nog een kind")
    await leader.press(listed, "Dat is iedereen")
    return await leader.expect("Stap 1")


async def open_case(leader: SimUser, victim: str = "Noor") -> BotMessage:
    """/cases, then the case of ``victim``; returns its overview."""
    await leader.send("/cases")
    await leader.press(await leader.expect("Mijn pestsituaties"), f". {victim}")
    return await leader.expect(f"Pestsituatie rond {victim}")


async def settle_step1(leader: SimUser, step1: BotMessage, may_tell: list[str]) -> BotMessage:
    """Consent given and what may be told typed, for each child in turn; returns the
    "step 1 is done" screen."""
    for text in may_tell:
        await leader.press(step1, "Ja, akkoord")
        await leader.expect("Wat mag je aan")
        await leader.send(text)
        done = await leader.expect("vindt het goed dat je")
        if "Stap 1 is klaar" in done.text:
            return done
        await leader.press(done, "Verder met")
        step1 = await leader.expect("Stap 1")
    raise AssertionError("step 1 is not done after every child")


async def prepare_talk(
    leader: SimUser, screen: BotMessage, button: str, seen: str, facts: str, feeling: str
) -> BotMessage:
    """From a screen with a "prepare" button: seen or heard, facts, a feeling; returns the
    script."""
    await leader.press(screen, button)
    await leader.press(await leader.expect("Heb je zelf gezien"), seen)
    await leader.expect("Vul de zin aan")
    await leader.send(facts)
    feelings = await leader.expect("Benoem je gevoel")
    await leader.press(feelings, feeling)
    return await leader.expect("Jouw leidraad voor het gesprek met")


async def record_talk(
    leader: SimUser, script: BotMessage, agreements: list[str], follow_up: str = "Over 1 week"
) -> BotMessage:
    """Talk held, agreements typed, "Klaar", a follow-up planned; returns the reminder."""
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("voor om te doen?")
    noted = None
    for agreement in agreements:
        await leader.send(agreement)
        noted = await leader.expect("genoteerd")
    assert noted is not None
    await leader.press(noted, "Klaar")
    await leader.press(await leader.expect("Wanneer wil je nogmaals"), follow_up)
    return await leader.expect("herinner ik je eraan om nogmaals")
