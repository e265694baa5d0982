"""A team's rules, in Dutch, with three leaders: An the coordinator, Ben and Cas.

A case always has exactly one responsible leader, every leader who may see it is
named by an explicit share, and every change of who is responsible or who may see
it is told to each leader it touches.
"""

from __future__ import annotations

import re

from telegram.ext import Application

from tests.e2e.test_leader_walk import dutch_case, settle_step1_dutch, talk_held_with_jonas
from tests.e2e.walk_nl import open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.database_peek import count, eventually_count
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

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


async def case_with_step1(leader: SimUser, victim: str = "Lotte", child: str = "Jonas") -> None:
    """A case of ``leader`` with one child who bullies, step 1 settled."""
    await dutch_case(leader, victim, [(child, "Pest")])
    await settle_step1_dutch(leader, "dat het pijn doet")


async def offer_whole_case(owner: SimUser, victim: str, to: str, keep: bool = True) -> BotMessage:
    """Offer the whole case; returns what the leader read before confirming."""
    await owner.press(await open_case(owner, victim), "Overdragen")
    await owner.press(await owner.expect(f"Overdragen: {victim}"), "De hele pestsituatie")
    await owner.press(await owner.expect("Aan wie?"), to)
    confirm = await owner.expect(f"aan {to} aanbieden?")
    read = confirm.text
    await owner.press(confirm, "ik blijf ze zien" if keep else "ik zie ze niet meer")
    await owner.expect(f"Aangeboden aan {to}")
    return read


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


async def follow_up_shared_with_ben(
    an: SimUser, ben: SimUser, clock: TestClock, database_url: str
) -> BotMessage:
    """An's case Lotte / Jonas, talk held, reported back, shared with Ben; An's follow-up
    reminder went unanswered and went to Ben. Returns Ben's "will you take it?"."""
    await talk_held_with_jonas(an)
    await an.press(await an.expect("Wanneer wil je"), "Over 1 week")
    await an.expect("herinner ik je eraan")
    await an.press(await open_case(an, "Lotte"), "Teruggekoppeld naar Lotte over Jonas")
    await an.press(await open_case(an, "Lotte"), "Delen met medeleiding")
    await an.press(await an.expect("pestsituatie van Lotte delen"), "Ben")
    await an.expect("pestsituatie van Lotte delen")
    clock.advance(days=7, hours=1, minutes=5)
    await an.expect("Stap 3: spreek nogmaals met Jonas")
    sent = "SELECT count(*) FROM reminders WHERE kind = 'follow_up' AND status = 'sent'"
    await eventually_count(database_url, sent, 1)
    clock.advance(hours=24, minutes=5)
    asked = await ben.expect("niet beantwoord")
    assert "Jonas" in asked.text and "Lotte" in asked.text
    went = await an.expect("Je herinnering om opnieuw met Jonas te praten")
    assert "kreeg geen antwoord" in went.text
    return asked


async def test_one_follow_up_talk_has_one_answer_and_who_gave_it_is_named(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an, ben, cas = await dutch_team(api, 7400)
    asked = await follow_up_shared_with_ben(an, ben, clock, database_url)
    nudge_an = next(m for m in an.messages if "Stap 3: spreek nogmaals met Jonas" in m.text)

    await ben.press(asked, "Ik neem het over")
    await ben.expect("Vanaf nu volg jij Jonas op")
    nudge_ben = await ben.expect("Stap 3: spreek nogmaals met Jonas")
    took = await an.expect("Ben nam de opvolging van Jonas over")
    assert "Lotte" in took.text

    # An's reminder no longer answers the talk: Ben took it.
    await an.press(nudge_an, "deze keer niet gevraagd")
    refused = await an.expect("Ben nam de opvolging van Jonas over en noteert dit gesprek")
    assert "in hoeverre" not in refused.text
    assert not [m for m in an.messages if "in hoeverre is het pesten gestopt" in m.text]

    # Ben pressing "I'll take it" again is told it was Ben.
    await ben.press_data(asked.message_id, _data(asked, "Ik neem het over"))
    await ben.expect("Je nam de opvolging van Jonas al over")

    await ben.press(nudge_ben, "deze keer niet gevraagd")
    await ben.press(await ben.expect("in hoeverre is het pesten gestopt"), "Pesten is gestopt")
    await ben.expect("Goed nieuws over Jonas")

    # The talk is written down by Ben: An's old button says so, and by whom.
    await an.press_data(nudge_an.message_id, _data(nudge_an, "deze keer niet gevraagd"))
    await an.expect("al genoteerd door Ben")
    assert not [m for m in an.messages if "Goed nieuws over Jonas" in m.text]
    assert not [m for m in cas.messages if "Jonas" in m.text or "Lotte" in m.text]


async def test_the_reminders_own_leader_answering_first_wins_over_ill_take_it(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an, ben, _cas = await dutch_team(api, 7500)
    asked = await follow_up_shared_with_ben(an, ben, clock, database_url)
    nudge_an = next(m for m in an.messages if "Stap 3: spreek nogmaals met Jonas" in m.text)

    await an.press(nudge_an, "deze keer niet gevraagd")
    await an.press(await an.expect("in hoeverre is het pesten gestopt"), "Pesten is gestopt")
    await an.expect("Goed nieuws over Jonas")

    await ben.press(asked, "Ik neem het over")
    first = await ben.expect("An beantwoordde de herinnering als eerste")
    assert "al genoteerd" in first.text
    assert not [m for m in ben.messages if "Vanaf nu volg jij Jonas op" in m.text]


def _data(message: BotMessage, label: str) -> str:
    """The data of the button labelled ``label`` when the message was first sent."""
    return next(data for row in message.buttons for text, data in row if label in text and data)


async def test_handing_over_keeps_the_one_who_hands_over_seeing_the_case_unless_they_choose(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 7600)
    await case_with_step1(an, "Lotte", "Jonas")
    await case_with_step1(an, "Noor", "Mila")

    # Told before confirming: who becomes responsible, and that An keeps seeing it.
    confirm = await offer_whole_case(an, "Lotte", "Ben")
    assert "Zodra Ben aanvaardt, is Ben ervoor verantwoordelijk" in confirm
    assert "Je blijft de pestsituatie zien, gedeeld met jou in ploeg Kapoenen" in confirm
    await ben.press(await ben.expect("pestsituatie van Lotte"), "Aanvaarden")
    await ben.expect("Pestsituatie rond Lotte")
    await an.expect("Ben aanvaardde de pestsituatie van Lotte")

    # Noor's case: An chooses not to keep seeing it.
    await offer_whole_case(an, "Noor", "Cas", keep=False)
    await cas.press(await cas.expect("pestsituatie van Noor"), "Aanvaarden")
    await cas.expect("Pestsituatie rond Noor")
    told = await an.expect("Cas aanvaardde")
    assert "Noor" not in told.text and "Mila" not in told.text, "An no longer sees it"

    # Ben is responsible for Lotte's case; An still sees it, and not Noor's.
    await ben.send("/cases")
    assert "Lotte" in (await ben.expect("Mijn pestsituaties")).text
    await an.send("/team")
    listed = await an.expect("Mijn ploegen")
    assert "Lotte" in str(listed.button_texts) and "Noor" not in str(listed.button_texts)
    await an.press(listed, "Lotte")
    seen = await an.expect("Pestsituatie rond Lotte")
    assert "Jonas" in seen.text


async def remove_from_team(coordinator: SimUser, who: str) -> None:
    await coordinator.send("/team")
    await coordinator.press(await coordinator.expect("Mijn ploegen"), "Kapoenen")
    await coordinator.press(await coordinator.expect("Ploeg Kapoenen"), who)
    await coordinator.press(await coordinator.expect(f"{who} — leiding"), "Uit de ploeg halen")
    await coordinator.expect(f"{who} zit niet meer in ploeg Kapoenen")


async def test_a_removed_member_hands_back_the_teams_cases_and_keeps_nothing_of_them(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 7700)
    await case_with_step1(an, "Lotte", "Jonas")
    # Ben's own case, shared with the whole team.
    await case_with_step1(ben, "Noor", "Mila")
    await ben.press(await open_case(ben, "Noor"), "Delen met medeleiding")
    await ben.press(await ben.expect("pestsituatie van Noor delen"), "Hele ploeg Kapoenen")
    await ben.expect("pestsituatie van Noor delen")

    await offer_whole_case(an, "Lotte", "Ben")
    await ben.press(await ben.expect("pestsituatie van Lotte"), "Aanvaarden")
    await ben.expect("Pestsituatie rond Lotte")
    await an.expect("Ben aanvaardde")
    held = await open_case(ben, "Lotte")

    await remove_from_team(an, "Ben")
    # Lotte's case goes back to An, who handed it over; Noor's to An, the coordinator.
    back = await an.expect("Ben is niet meer in ploeg Kapoenen")
    assert "Lotte" in back.text and "ging terug naar jou" in back.text
    other = await an.expect("Ben is niet meer in ploeg Kapoenen")
    assert "Noor" in other.text
    await an.send("/cases")
    mine = await an.expect("Mijn pestsituaties")
    assert "Lotte" in mine.text and "Noor" in mine.text

    # Ben is told once, by whom, without the children's names, and keeps nothing of them.
    told = await ben.expect("An heeft je uit ploeg Kapoenen gehaald")
    assert "De 2 pestsituaties waarvoor je daar verantwoordelijk was" in told.text
    assert "Lotte" not in told.text and "Jonas" not in told.text
    await ben.send("/cases")
    await ben.expect("Je hebt geen open pestsituaties")
    await ben.press(held, "Delen met medeleiding")
    await ben.expect("Die situatie vond ik niet")

    # Cas still sees Noor's case, shared with the whole team: it stays the team's.
    await cas.send("/team")
    assert "Noor" in str((await cas.expect("Mijn ploegen")).button_texts)


async def test_every_team_question_names_the_leader_it_comes_from(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an, ben, cas = await dutch_team(api, 7800)
    asked = await follow_up_shared_with_ben(an, ben, clock, database_url)
    # Whose reminder, and since when.
    assert "De herinnering die An op " in asked.text and "kreeg" in asked.text
    assert "di 1 dec" in asked.text, asked.text

    await case_with_step1(an, "Noor", "Mila")
    await offer_whole_case(an, "Noor", "Cas")
    offer = await cas.expect("pestsituatie van Noor")
    assert "An vraagt of jij de pestsituatie van Noor overneemt" in offer.text
    assert "Iemand van je medeleiding" not in offer.text


async def test_the_team_screens_read_right_in_dutch(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, _cas = await dutch_team(api, 7900)
    await an.send("/team")
    teams_an = await an.expect("Mijn ploegen")
    assert "Kapoenen: jij bent er coördinator — 3 leden" in teams_an.text
    await ben.send("/team")
    teams_ben = await ben.expect("Mijn ploegen")
    assert "Kapoenen: jij bent er leiding — 3 leden" in teams_ben.text
    assert "3 leiding" not in teams_ben.text
    await an.press(teams_an, "Kapoenen")
    team = await an.expect("Ploeg Kapoenen")
    assert "✅ 24 u" in team.button_texts
    assert not [b for b in team.button_texts if b.endswith(" h")]


async def test_the_working_year_question_closes_on_any_answer_and_comes_again_next_year(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 7600)
    await an.send("/team")
    await an.press(await an.expect("Mijn ploegen"), "Kapoenen")
    await an.press(await an.expect("Ploeg Kapoenen"), "Nieuw werkjaar: 1 september")
    await an.press(await an.expect("Wanneer begint het werkjaar?"), "1 december")
    await an.expect("Ploeg Kapoenen")
    await case_with_step1(ben, "Lotte", "Jonas")
    await case_with_step1(cas, "Noor", "Wout")

    # 1 December, 09:00 in Brussels: each case's leader is asked about it.
    clock.advance(days=6, hours=15)
    asked_ben = await ben.expect("Een nieuw werkjaar begint")
    assert "Lotte" in asked_ben.text
    await ben.press(asked_ben, "Ik blijf ze opvolgen")
    await ben.expect("Pestsituatie rond Lotte")
    asked_cas = await cas.expect("Een nieuw werkjaar begint")
    await cas.press(asked_cas, "Overdragen")
    await cas.expect("Overdragen: Noor")

    # An reads the answers in one overview; Noor's case is not shared with her.
    await an.send("/team")
    await an.press(await an.expect("Mijn ploegen"), "Kapoenen")
    await an.press(await an.expect("Ploeg Kapoenen"), "Overzicht van de open pestsituaties")
    overview = await an.expect("Open pestsituaties van ploeg Kapoenen")
    assert "Het nieuwe werkjaar (1 december 2026): wat elke leiding antwoordde" in overview.text
    assert "— Ben: blijft ze opvolgen" in overview.text
    assert "— Cas: draagt ze over" in overview.text
    assert "Noor" not in overview.text

    # A year later both are asked again, once.
    clock.advance(days=365)
    again = await ben.expect("Een nieuw werkjaar begint")
    assert "Lotte" in again.text
    assert "Noor" in (await cas.expect("Een nieuw werkjaar begint")).text
    await an.send("/team")
    await an.press(await an.expect("Mijn ploegen"), "Kapoenen")
    await an.press(await an.expect("Ploeg Kapoenen"), "Overzicht van de open pestsituaties")
    overview = await an.expect("Open pestsituaties van ploeg Kapoenen")
    assert "Het nieuwe werkjaar (1 december 2027)" in overview.text
    assert overview.text.count("nog niet geantwoord") == 2


async def test_the_last_coordinators_delete_asks_who_takes_over_and_tells_the_team(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an, ben, cas = await dutch_team(api, 7700)
    await case_with_step1(an)
    await an.press(await open_case(an, "Lotte"), "Delen met medeleiding")
    await an.press(await an.expect("pestsituatie van Lotte delen"), "Hele ploeg Kapoenen")
    await an.expect("pestsituatie van Lotte delen")

    # An is the only coordinator: /delete first asks who becomes coordinator.
    await an.send("/delete")
    asked = await an.expect("Je bent de enige coördinator van ploeg Kapoenen")
    assert asked.button_texts == ["👑 Ben", "👑 Cas"]
    assert not [m for m in an.messages if "Alles wissen?" in m.text]
    await an.press(asked, "Cas")
    team = await an.expect("Ploeg Kapoenen")
    assert "Cas — coördinator" in team.text

    await an.send("/delete")
    said = await an.expect("Deze pestsituaties zijn gedeeld")
    assert "Lotte → Cas" in said.text
    assert "ook verwijderd" not in said.text
    await an.press(await an.expect("Alles wissen?"), "Ja, alles wissen")
    await an.expect("Alles is gewist")

    # The team goes on with Cas as coordinator; Cas and Ben are told what became of Lotte.
    told_cas = await cas.expect("wiste alle gegevens")
    assert "de pestsituatie van Lotte ging naar jou" in told_cas.text
    assert "Jij bent er nu verantwoordelijk voor" in told_cas.text
    told_ben = await ben.expect("wiste alle gegevens")
    assert "de pestsituatie van Lotte ging naar Cas" in told_ben.text
    # Cas, the coordinator now, is told someone left and no longer sees Lotte's case (she
    # does, now): not who, as An's name is erased; and once, not once more for the team.
    left = await cas.expect("zit niet meer in ploeg Kapoenen")
    assert left.text.startswith("🚪 Iemand van je medeleiding") and "An" not in left.text
    await eventually_count(database_url, notices_not_sent(cas.id), 0)
    assert not [m for m in cas.messages if "verlaten" in m.text]
    await cas.send("/team")
    await cas.press(await cas.expect("Mijn ploegen"), "Kapoenen")
    team = await cas.expect("Ploeg Kapoenen")
    assert "Ben — leiding" in team.text and "An" not in team.text
    await cas.send("/cases")
    assert "Lotte" in str((await cas.expect("Mijn pestsituaties")).button_texts)


async def test_a_co_leader_changing_a_role_or_consent_in_anothers_case_tells_its_leader(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 7800)
    await case_with_step1(an)
    await an.press(await open_case(an, "Lotte"), "Delen met medeleiding")
    await an.press(await an.expect("pestsituatie van Lotte delen"), "Hele ploeg Kapoenen")
    await an.expect("pestsituatie van Lotte delen")

    # Ben corrects Jonas's role in An's case: An is told, by name; Ben himself is not.
    await ben.send("/team")
    await ben.press(await ben.expect("Mijn ploegen"), "Lotte")
    await ben.press(await ben.expect("Pestsituatie rond Lotte"), "Iets verbeteren")
    await ben.press(await ben.expect("Iets verbeteren"), "Jonas: naam, rol")
    await ben.press(await ben.expect("pesten of meepesten?"), "Pest mee")
    await ben.expect("Pestsituatie rond Lotte")
    told = await an.expect("Ben paste de rol van Jonas aan")
    assert "(de pestsituatie van Lotte): pest mee." in told.text

    # An corrects it back herself: nobody else is told, and Cas, who changed nothing and
    # follows nothing up, hears nothing either.
    await an.press(await open_case(an, "Lotte"), "Iets verbeteren")
    await an.press(await an.expect("Iets verbeteren"), "Jonas: naam, rol")
    await an.press(await an.expect("pesten of meepesten?"), "Pest")
    await an.expect("Pestsituatie rond Lotte")
    await cas.send("/help")
    await cas.expect("/cases")
    assert not [m for m in ben.messages + cas.messages if "paste de rol" in m.text]
    assert [m.text for m in an.messages].count(told.text) == 1

    # Ben writes down step 1's answer in An's other case: An is told that too.
    await dutch_case(an, "Mona", [("Mats", "Pest")])
    await an.expect("Stap 1")
    await an.press(await open_case(an, "Mona"), "Delen met medeleiding")
    await an.press(await an.expect("pestsituatie van Mona delen"), "Hele ploeg Kapoenen")
    await an.expect("pestsituatie van Mona delen")
    await ben.send("/team")
    await ben.press(await ben.expect("Mijn ploegen"), "Mona")
    await ben.press(await ben.expect("Pestsituatie rond Mona"), "Verder")
    await ben.press(await ben.expect("Stap 1"), "Ja, akkoord")
    await ben.expect("vertellen?")
    told = await an.expect("Ben schreef op dat het kind dat gepest wordt akkoord gaat")
    assert "met een gesprek met Mats (de pestsituatie van Mona)." in told.text


async def test_links_shared_cases_and_unshared_ones_say_what_they_are(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 8000)

    # "/start hallo" is no invitation: the welcome. A made-up link is not "no longer".
    await cas.send("/start hallo")
    welcome = await cas.expect("Wat wil je doen?")
    assert "uitnodigingslink" not in welcome.text
    await cas.send("/start Zm9vYmFyYmF6cXV1eDEyMzQ1Ng")
    made_up = await cas.expect("Deze uitnodigingslink ken ik niet")
    assert "werkt niet meer" not in made_up.text

    # Ben's two cases, not shared with An: told apart in her overview.
    await case_with_step1(ben, "Noor", "Wout")
    await case_with_step1(ben, "Mona", "Mats")
    await an.send("/team")
    await an.press(await an.expect("Mijn ploegen"), "Kapoenen")
    await an.press(await an.expect("Ploeg Kapoenen"), "Overzicht van de open pestsituaties")
    overview = await an.expect("Open pestsituaties van ploeg Kapoenen")
    assert "📁 Pestsituatie 1, gestart op 24 nov 2026 — Ben" in overview.text
    assert "📁 Pestsituatie 2, gestart op 24 nov 2026 — Ben" in overview.text
    assert "Noor" not in overview.text and "Mona" not in overview.text

    # Shared with Cas: whose case, and through which team.
    await ben.press(await open_case(ben, "Noor"), "Delen met medeleiding")
    await ben.press(await ben.expect("pestsituatie van Noor delen"), "Cas")
    await ben.expect("pestsituatie van Noor delen")
    await cas.send("/team")
    listed = await cas.expect("Met jou gedeelde pestsituaties")
    assert "• Noor — pestsituatie van Ben, via ploeg Kapoenen" in listed.text
    assert "Mona" not in listed.text


async def test_a_removed_member_who_held_nothing_is_told_what_they_no_longer_see(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    an, ben, cas = await dutch_team(api, 8100)
    await case_with_step1(cas, "Noor", "Mila")
    await cas.press(await open_case(cas, "Noor"), "Delen met medeleiding")
    await cas.press(await cas.expect("pestsituatie van Noor delen"), "Hele ploeg Kapoenen")
    await cas.expect("pestsituatie van Noor delen")

    await remove_from_team(an, "Ben")
    told = await ben.expect("An heeft je uit ploeg Kapoenen gehaald")
    assert "De pestsituatie die daar met jou gedeeld was, zie je niet meer." in told.text
    assert "Noor" not in told.text and "Mila" not in told.text
    heard = await cas.expect("Ben zit niet meer in ploeg Kapoenen")
    assert "ziet de pestsituatie van Noor niet meer" in heard.text


def notices_about_leaving(leader_id: int) -> str:
    """How many notices ``leader_id`` got about someone leaving a team or being removed."""
    return (
        "SELECT count(*) FROM reminders r JOIN case_events e ON e.id = CAST(r.choice AS INTEGER)"
        f" WHERE r.kind = 'notice' AND r.leader_id = {leader_id}"
        " AND e.kind IN ('out_of_team', 'left_team', 'handed_back')"
    )


def notices_not_sent(leader_id: int) -> str:
    return (
        "SELECT count(*) FROM reminders WHERE kind = 'notice'"
        f" AND leader_id = {leader_id} AND status != 'sent'"
    )


async def team_screen(leader: SimUser) -> BotMessage:
    await leader.send("/team")
    await leader.press(await leader.expect("Mijn ploegen"), "Kapoenen")
    return await leader.expect("Ploeg Kapoenen")


async def test_a_removed_member_who_held_and_saw_nothing_is_told_by_whom_and_from_which_team(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an, ben, cas = await dutch_team(api, 8200)

    await remove_from_team(an, "Ben")
    told = await ben.expect("An heeft je uit ploeg Kapoenen gehaald")
    assert "Je ziet geen pestsituaties van die ploeg meer." in told.text
    assert "verantwoordelijk" not in told.text and "gedeeld" not in told.text
    # Told once, and nobody else is: An removed him herself, Cas is no coordinator.
    assert await count(database_url, notices_about_leaving(ben.id)) == 1
    await eventually_count(database_url, notices_not_sent(ben.id), 0)
    assert [m for m in ben.messages if "Kapoenen gehaald" in m.text] == [told]
    assert await count(database_url, notices_about_leaving(an.id)) == 0
    assert await count(database_url, notices_about_leaving(cas.id)) == 0

    # An and Cas see Ben gone; Ben no longer has the team.
    assert "Ben" not in (await team_screen(an)).text
    assert "Ben" not in (await team_screen(cas)).text
    await ben.send("/team")
    assert "Kapoenen" not in (await ben.expect("Mijn ploegen")).text

    # Cas leaves of her own accord: An, the coordinator, is told who left; Cas is not.
    await cas.press(await team_screen(cas), "Deze ploeg verlaten")
    await cas.press(await cas.expect("Ploeg Kapoenen verlaten?"), "Ja, verlaten")
    await cas.expect("Je hebt ploeg Kapoenen verlaten")
    left = await an.expect("Cas heeft ploeg Kapoenen verlaten")
    assert "👥 Naar de ploeg" in left.button_texts
    assert await count(database_url, notices_about_leaving(cas.id)) == 0
    assert not [m for m in ben.messages if "Cas" in m.text]

    # Dirk joins and erases all his data: An is told someone left, and not who.
    await an.press(await team_screen(an), "Uitnodigingslink")
    found = LINK.search((await an.expect("Uitnodiging voor ploeg Kapoenen")).text)
    assert found is not None
    dirk = api.user(8204, "Dirk", language_code="nl")
    await dirk.send(f"/start {found.group(2)}")
    await dirk.expect("Je zit nu in ploeg Kapoenen")
    await dirk.send("/delete")
    await dirk.press(await dirk.expect("Alles wissen?"), "Ja, alles wissen")
    await dirk.expect("Alles is gewist")
    erased = await an.expect("heeft ploeg Kapoenen verlaten")
    assert erased.text == "🚪 Iemand van je medeleiding heeft ploeg Kapoenen verlaten."


async def test_a_removed_member_who_held_a_case_gets_one_message_not_one_per_case(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    an, ben, cas = await dutch_team(api, 8300)
    await case_with_step1(an, "Lotte", "Jonas")
    await offer_whole_case(an, "Lotte", "Ben")
    await ben.press(await ben.expect("pestsituatie van Lotte"), "Aanvaarden")
    await ben.expect("Pestsituatie rond Lotte")
    await an.expect("Ben aanvaardde")
    # Cas's case, shared with the whole team: Ben sees it too.
    await case_with_step1(cas, "Noor", "Mila")
    await cas.press(await open_case(cas, "Noor"), "Delen met medeleiding")
    await cas.press(await cas.expect("pestsituatie van Noor delen"), "Hele ploeg Kapoenen")
    await cas.expect("pestsituatie van Noor delen")

    await remove_from_team(an, "Ben")
    told = await ben.expect("An heeft je uit ploeg Kapoenen gehaald")
    assert "De pestsituatie waarvoor je daar verantwoordelijk was, ging terug" in told.text
    assert "De pestsituatie die daar met jou gedeeld was, zie je niet meer." in told.text
    for child in ("Lotte", "Jonas", "Noor", "Mila"):
        assert child not in told.text
    # One message, not one more per case.
    assert await count(database_url, notices_about_leaving(ben.id)) == 1
    await eventually_count(database_url, notices_not_sent(ben.id), 0)
    assert not [m for m in ben.messages if "Je zit niet meer in ploeg" in m.text]
    assert not [m for m in ben.messages if "zie je niet meer" in m.text and m != told]

    # Each case's leader hears about their own case, not once more about the team.
    back = await an.expect("Ben is niet meer in ploeg Kapoenen")
    assert "Lotte" in back.text and "ging terug naar jou" in back.text
    heard = await cas.expect("Ben zit niet meer in ploeg Kapoenen")
    assert "Noor" in heard.text
    assert await count(database_url, notices_about_leaving(an.id)) == 1
    assert await count(database_url, notices_about_leaving(cas.id)) == 1
