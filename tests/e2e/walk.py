"""Steps a leader takes again and again in the end-to-end tests, in English.

Tests about a language use Dutch (or French) explicitly; everything else talks
to the bot as an English-speaking leader so the tests read like the code's texts.
"""

from __future__ import annotations

from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


async def new_case(leader: SimUser, victim: str, children: list[tuple[str, str]]) -> BotMessage:
    """/new, the victim, each (child, "Bullies" | "Joins in"); returns the step-1 screen."""
    await leader.send("/new")
    await leader.expect("What do you call the child who is bullied?")
    await leader.send(victim)
    for number, (child, role) in enumerate(children):
        await leader.expect("bullies or joins in")
        await leader.send(child)
        asked = await leader.expect("bully, or join in?")
        await leader.press(asked, role)
        listed = await leader.expect("Is there another child")
        if number < len(children) - 1:
            await leader.press(listed, "Another child")
    await leader.press(listed, "That's everyone")
    return await leader.expect("Step 1")


async def settle_step1(leader: SimUser, step1: BotMessage, may_tell: str) -> BotMessage:
    """Consent given and what may be told typed, for each child in turn; returns the
    "step 1 is done" screen."""
    while True:
        await leader.press(step1, "Yes, agreed")
        await leader.expect("What may you tell")
        await leader.send(may_tell)
        done = await leader.expect("is fine with you telling")
        if "Step 1 is done" in done.text:
            return done
        await leader.press(done, "Go on with")
        step1 = await leader.expect("Step 1")


async def reach_facts(leader: SimUser, seen: str = "I saw it") -> None:
    """A case with Sam and Tom, step 1 settled, step 2 waiting for the typed facts."""
    step1 = await new_case(leader, "Sam", [("Tom", "Bullies")])
    done = await settle_step1(leader, step1, "it hurts")
    await leader.press(done, "Prepare")
    await leader.press(await leader.expect("Did you see"), seen)
    await leader.expect("Complete the sentence")


async def prepare_talk(
    leader: SimUser, screen: BotMessage, button: str, facts: str, feeling: str
) -> BotMessage:
    """From a screen with a "prepare" button: seen, facts, a feeling; returns the script."""
    await leader.press(screen, button)
    asked = await leader.expect("Did you see what happened")
    await leader.press(asked, "I saw it")
    await leader.expect("Complete the sentence")
    await leader.send(facts)
    feelings = await leader.expect("Name your feeling")
    if feeling in feelings.button_texts:
        await leader.press(feelings, feeling)
    else:
        await leader.send(feeling)
    return await leader.expect("Your script for the talk with")


async def record_talk(
    leader: SimUser, script: BotMessage, agreements: list[str], follow_up: str = "In 1 week"
) -> BotMessage:
    """Talk held, agreements typed, "Done", a follow-up planned; returns "I will remind you"."""
    await leader.press(script, "Talk held")
    await leader.expect("What did")
    noted = None
    for agreement in agreements:
        await leader.send(agreement)
        noted = await leader.expect("noted")
    assert noted is not None
    await leader.press(noted, "Done")
    plan = await leader.expect("When do you want to talk with")
    await leader.press(plan, follow_up)
    return await leader.expect("I will remind you to talk with")


async def report_back(leader: SimUser, victim: str, child: str) -> None:
    """From the case list: the promise of step 1 kept for the talk with ``child``, and
    confirmed; what comes next is left to read."""
    await leader.send("/cases")
    await leader.press(await leader.expect("My cases"), f". {victim}")
    overview = await leader.expect(f"Case {victim}")
    await leader.press(overview, f"Reported back to {victim} on {child}")
    await leader.expect(f"Noted: you reported back to {victim} on your talk with {child}.")


async def answer_follow_up(
    leader: SimUser, nudge: BotMessage, outcome: str, victim: str = "I did not ask"
) -> None:
    """On a follow-up's nudge: what the bullied child says (the button), then ``outcome``."""
    await leader.press(nudge, victim)
    asked = await leader.expect("how far has the bullying stopped?")
    await leader.press(asked, outcome)
