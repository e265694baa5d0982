"""The quick check's answer says what was ticked, and only that, once, in Dutch."""

from __future__ import annotations

from telegram.ext import Application

from tests.support.bot_api_standin import BotApiStandin
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


async def answer_for(leader: SimUser, ticks: list[str]) -> BotMessage:
    """/criteria, the ``ticks`` tapped, and the answer."""
    await leader.send("/criteria")
    checklist = await leader.expect("Snelle check")
    for tick in ticks:
        await leader.press(checklist, tick)
        checklist = await leader.expect("Snelle check")
    await leader.press(checklist, "Bekijk het antwoord")
    return await leader.expect("Snelle check: het antwoord")


async def test_nothing_ticked_is_not_read_as_what_was_ticked(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    answer = await answer_for(leader, [])
    assert "Je duidde geen enkele reden van het protocol aan." in answer.text
    assert "Niets van wat je aanduidde" not in answer.text
    # A restorative conversation fits for the same reasons: none of them holds.
    assert "Herstelgesprek" not in answer.text
    assert "Om dezelfde redenen" not in answer.text
    # Each thing is said once.
    assert answer.text.count("geen drempel") == 1
    assert "moet erachter staan" not in answer.text


async def test_support_not_ticked_is_not_known_yet_rather_than_against(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    answer = await answer_for(leader, ["Al lang(er) bezig", "Slachtoffer staat alleen"])
    assert "✋ Vraag eerst aan je medeleiding of ze deze aanpak steunt" in answer.text
    assert "staat (nog) niet achter" not in answer.text
    # Said once: the team's line does not repeat the answer, its button stays.
    assert "als je nog niet weet of je medeleiding de aanpak steunt" not in answer.text
    assert "🧭 Eerst afspreken met de ploeg" in answer.button_texts
    assert answer.text.count("geen drempel") == 1
    # The reasons that held are the ones ticked, and a restorative conversation may fit.
    assert "• Het pesten is al lang(er) bezig" in answer.text
    assert "Herstelgesprek" in answer.text or "herstelgesprek" in answer.text


async def test_the_dutch_of_the_approaches_reads_as_a_flemish_leader_writes_it(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    answer = await answer_for(leader, ["Al lang(er) bezig"])
    await leader.press(answer, "Eerst afspreken met de ploeg")
    team = await leader.expect("Eerst afspreken met de ploeg")
    # No capital after a colon; "ter sprake brengen"; /new does not "start bullying".
    assert "Wat je eerst doet: breng de situatie ter sprake op je volgende" in team.text
    assert "Wanneer het past: als je nog niet weet" in team.text
    assert "Wil je het opvolgen? Leg de situatie dan vast met /new" in team.text
    assert "start dan een pestsituatie" not in team.text
    assert "wat je koos, blijft bij de pestsituatie bewaard" in team.text
