"""In Dutch: the export says only what was asked, /delete says what stays in the chat,
and the bot calls a leadership team by one word."""

from __future__ import annotations

import json
import re

from telegram.ext import Application

from tests.e2e import walk_nl
from tests.support.bot_api_standin import BotApiStandin


def words_for_team(text: str) -> set[str]:
    """The words a Dutch text uses for a team (the /team command aside)."""
    text = text.replace("/team", "")
    return {w.lower() for w in re.findall(r"\b(?:team|ploeg)", text, re.IGNORECASE)}


async def test_the_export_knows_what_was_never_asked_and_delete_names_the_files_in_the_chat(
    api: BotApiStandin, bot: Application
) -> None:
    leader = api.user(7101, "Jana", language_code="nl")
    step1 = await walk_nl.new_case(
        leader, "Noor", [("Senne", "Pest"), ("Wout", "Pest mee"), ("Lars", "Pest mee")]
    )
    done = await walk_nl.settle_step1(
        leader, step1, ["dat ze uitgelachen wordt", "hetzelfde", "hetzelfde"]
    )
    script = await walk_nl.prepare_talk(
        leader, done, "Bereid dat gesprek voor", "Ik hoorde het", "het uitlachen van Noor", "boos"
    )
    await walk_nl.record_talk(leader, script, ["Ik noem haar niet meer de kaars"])
    # For Wout the question is answered, and the facts not typed yet.
    await leader.send("/cases")
    await leader.press(await leader.expect("Mijn pestsituaties"), "Noor")
    case = await leader.expect("Pestsituatie rond Noor")
    await leader.press(case, "Verder")
    await leader.press(await leader.expect("Heb je zelf gezien"), "Ik zag het")
    await leader.expect("Vul de zin aan")

    await leader.send("/export")
    exported = await leader.expect("Al je gegevens in Pestgesprek")
    assert exported.document is not None
    children = {
        child["nickname"]: child
        for child in json.loads(exported.document.data)["cases"][0]["children_who_bully"]
    }
    assert children["Senne"]["saw_it_myself"] is False, "heard it from someone"
    assert children["Wout"]["saw_it_myself"] is True, "answered, the facts still to come"
    assert children["Lars"]["saw_it_myself"] is None, "never asked for Lars"

    await leader.send("/delete")
    await leader.press(await leader.expect("Alles wissen?"), "Ja, alles wissen")
    erased = await leader.expect("Alles is gewist.")
    assert "exports en geschiedenisdocumenten" in erased.text
    assert "wis die zelf" in erased.text


async def test_a_team_has_one_name_in_dutch(api: BotApiStandin, bot: Application) -> None:
    leader = api.user(7102, "Jana", language_code="nl")
    await leader.send("/criteria")
    await leader.press(await leader.expect("Snelle check"), "Bekijk het antwoord")
    answer = await leader.expect("Snelle check: het antwoord")
    seen = words_for_team(answer.text) | words_for_team(" ".join(answer.button_texts))
    await leader.send("/help")
    seen |= words_for_team((await leader.expect("Commando's")).text)
    await leader.send("/team")
    seen |= words_for_team((await leader.expect_new_message()).text)
    assert seen == {"ploeg"}, seen
