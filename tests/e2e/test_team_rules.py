"""A team's rules, in Dutch, with three leaders: An the coordinator, Ben and Cas.

A case always has exactly one responsible leader, every leader who may see it is
named by an explicit share, and every change of who is responsible or who may see
it is told to each leader it touches.
"""

from __future__ import annotations

import re

from telegram.ext import Application

from tests.e2e.test_leader_walk import dutch_case, settle_step1_dutch
from tests.support.bot_api_standin import BotApiStandin, BotMessage, SimUser
from tests.support.clock import TestClock

LINK = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]+)")


async def dutch_team(api: BotApiStandin, base: int) -> tuple[SimUser, SimUser, SimUser]:
    """An (coordinator), Ben and Cas in ploeg Kapoenen, all three in Dutch."""
    an = api.user(base + 1, "An", language_code="nl")
    ben = api.user(base + 2, "Ben", language_code="nl")
    cas = api.user(base + 3, "Cas", language_code="nl")
    await an.send("/team")
    await an.press(await an.expect("Mijn ploegen"), "Nieuwe ploeg")
    await an.expect("Hoe heet de ploeg?")
    await an.send("Kapoenen")
    team = await an.expect("Ploeg Kapoenen")
    await an.press(team, "Uitnodigingslink")
    found = LINK.search((await an.expect("Uitnodiging voor ploeg Kapoenen")).text)
    assert found is not None
    for joining in (ben, cas):
        await joining.send(f"/start {found.group(2)}")
        await joining.expect("Je zit nu in ploeg Kapoenen")
    return an, ben, cas


async def open_case(leader: SimUser, victim: str) -> BotMessage:
    """/cases, then the case of ``victim``; returns its overview."""
    await leader.send("/cases")
    await leader.press(await leader.expect("Mijn pestsituaties"), f". {victim}")
    return await leader.expect(f"Pestsituatie rond {victim}")


async def case_with_step1(leader: SimUser, victim: str = "Lotte", child: str = "Jonas") -> None:
    """A case of ``leader`` with one child who bullies, step 1 settled."""
    await dutch_case(leader, victim, [(child, "Pest")])
    await settle_step1_dutch(leader, "dat het pijn doet")


async def offer_whole_case(owner: SimUser, victim: str, to: str) -> None:
    await owner.press(await open_case(owner, victim), "Overdragen")
    await owner.press(await owner.expect(f"Overdragen: {victim}"), "De hele pestsituatie")
    await owner.press(await owner.expect("Aan wie?"), to)
    await owner.expect(f"Aangeboden aan {to}")


async def test_declining_an_offered_case_undoes_the_share_and_tells_who_offered(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 7300)
    await case_with_step1(an)

    await offer_whole_case(an, "Lotte", "Cas")
    offer = await cas.expect("pestsituatie van Lotte")
    # While the offer stands, Cas sees the case, so as to weigh it.
    await cas.send("/team")
    before = await cas.expect("Mijn ploegen")
    assert "Lotte" in str(before.button_texts)

    await cas.press(offer, "Weigeren")
    await cas.expect("Geweigerd")
    told = await an.expect("Cas weigerde")
    assert "Lotte" in told.text and "Jij blijft verantwoordelijk" in told.text

    # Declining undoes what the offer opened: Cas no longer sees Lotte's case.
    await cas.send("/team")
    listed = await cas.expect("Mijn ploegen")
    assert "Lotte" not in listed.text + str(listed.button_texts)
    await cas.press(before, "Lotte")
    await cas.expect("Die situatie vond ik niet")
    assert not [m for m in ben.messages if "Lotte" in m.text]

    # A share An made on purpose before an offer stays when the offer is declined.
    await an.press(await open_case(an, "Lotte"), "Delen met medeleiding")
    await an.press(await an.expect("pestsituatie van Lotte delen"), "Ben")
    await an.expect("pestsituatie van Lotte delen")
    await offer_whole_case(an, "Lotte", "Ben")
    await ben.press(await ben.expect("pestsituatie van Lotte"), "Weigeren")
    await ben.expect("Geweigerd")
    await an.expect("Ben weigerde")
    await ben.send("/team")
    assert "Lotte" in str((await ben.expect("Mijn ploegen")).button_texts)
