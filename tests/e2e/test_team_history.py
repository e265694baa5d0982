"""A case's history: who did what when, in the chat and as a print-ready HTML document.

Three leaders work in one case; the document the bot sends is parsed with the
standard library's HTML parser and its timeline checked to be in order, with the
team's name, the date and the leader's language; /export includes it. What a leader
chose in a case is a line of the same history, in the chat, the document and the
JSON export alike.
"""

from __future__ import annotations

import json
from datetime import datetime
from html.parser import HTMLParser

from telegram.ext import Application

from tests.e2e import walk
from tests.e2e.test_team import open_case
from tests.e2e.test_team_follow_up import share_with, team_of_three
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser


class Timeline(HTMLParser):
    """The text of a history document: its language, headings, and each timeline line."""

    def __init__(self) -> None:
        super().__init__()
        self.language = ""
        self.headings: list[str] = []
        self.meta = ""
        self.lines: list[tuple[datetime, str]] = []
        self._in: list[str] = []
        self._time: datetime | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.language = values.get("lang") or ""
        if tag == "time" and values.get("datetime"):
            self._time = datetime.fromisoformat(values["datetime"] or "")
        if tag == "li":
            self._text = []
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._time is not None:
            self.lines.append((self._time, "".join(self._text).strip()))
            self._time = None
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "li" in self._in and "time" not in self._in:
            self._text.append(data)
        elif self._in and self._in[-1] in ("h1", "h2"):
            self.headings.append(data)
        elif self._in and self._in[-1] == "p" and not self.meta:
            self.meta = data


def parse(message: BotMessage) -> Timeline:
    assert message.document is not None
    assert message.document.filename.endswith(".html")
    timeline = Timeline()
    timeline.feed(message.document.data.decode("utf-8"))
    timeline.close()
    return timeline


async def step(clock: TestClock) -> None:
    """A few minutes pass between one leader's action and the next."""
    clock.advance(minutes=7)


async def open_shared_case(leader: SimUser, victim: str) -> BotMessage:
    """/team and a case shared with the leader; returns its overview."""
    await leader.send("/team")
    await leader.press(await leader.expect("Cases shared with you"), victim)
    return await leader.expect(f"Case {victim}")


async def document_of_case(leader: SimUser, victim: str, shared: bool = False) -> Timeline:
    overview = await (open_shared_case if shared else open_case)(leader, victim)
    await leader.press(overview, "History")
    shown = await leader.expect(f"History of the case of {victim}")
    await leader.press(shown, "Print-ready document")
    return parse(await leader.expect("ready to print"))


async def test_the_history_document_lists_who_did_what_in_order(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    ann, ben, cas = await team_of_three(api, 6300)
    step1 = await walk.new_case(ann, "Sam", [("Tom", "Bullies")])
    await step(clock)
    await ann.press(step1, "Yes, agreed")
    await ann.expect("What may you tell")
    await ann.send("that it hurts")
    await ann.expect("Step 1 is done")
    await step(clock)
    await share_with(ann, "Sam", "▫️ Ben")

    await step(clock)
    await ben.press(await open_shared_case(ben, "Sam"), "Continue")
    await ben.press(await ben.expect("Did you see what happened"), "I saw it")
    await ben.expect("Complete the sentence")
    await ben.send("Tom pushed Sam")
    await ben.send("angry")
    script = await ben.expect("Your script for the talk with")
    await step(clock)
    await walk.record_talk(ben, script, ["say sorry to Sam", "play fair"])
    await step(clock)
    overview = await open_shared_case(ben, "Sam")
    await ben.press(overview, "Reported back to Sam on Tom")
    await ben.expect_new_message()

    await step(clock)
    await ann.press(await open_case(ann, "Sam"), "Hand over")
    await ann.press(await ann.expect("Hand over: Sam"), "The follow-up with Tom")
    await ann.press(await ann.expect("To whom?"), "Cas")
    await step(clock)
    await cas.press(await cas.expect("take over the follow-up with Tom"), "Accept")
    await cas.expect("Case Sam")

    clock.advance(days=7, hours=1)
    await walk.answer_follow_up(
        cas, await cas.expect("Step 3: talk with Tom again"), "Bullying has stopped"
    )
    await cas.expect("Good news about Tom")

    # In the chat: the newest lines, in the leader's words.
    await ann.press(await open_case(ann, "Sam"), "History")
    shown = await ann.expect("History of the case of Sam")
    assert shown.text.index("Ann started the case") < shown.text.index("Cas followed up Tom")

    document = await document_of_case(ann, "Sam")
    assert document.language == "en"
    assert document.headings[0] == "History of the case of Sam"
    assert "Team: Kapoenen." in document.meta
    assert f"Made on {clock.now:%B} {clock.now.day}, {clock.now.year}." in document.meta
    moments = [at for at, _text in document.lines]
    assert moments == sorted(moments), "the timeline is in order"
    texts = [text for _at, text in document.lines]
    expected = [
        "Ann started the case",
        "Ann wrote down that Sam agreed to a talk with Tom",
        "Ann shared the case with Ben (team Kapoenen)",
        "Ben wrote down an agreement of Tom: say sorry to Sam",
        "Ben wrote down an agreement of Tom: play fair",
        "Ben held the talk with Tom",
        "Ben reported back to Sam on the talk with Tom",
        "Ann shared the case with Cas (team Kapoenen)",
        "Ann offered the follow-up with Tom to Cas",
        "Cas took over the follow-up with Tom from Ann",
        "Cas followed up Tom: the bullying has stopped",
    ]
    assert [t for t in texts if t in expected] == expected, texts
    # The agreements' texts come from the case's own rows; its history holds none.
    assert not any(secret in t for t in texts for secret in ("that it hurts", "pushed", "angry"))

    # Ben, who shares the case, gets the same document; /export of Ann includes it.
    assert [t for _at, t in (await document_of_case(ben, "Sam", shared=True)).lines] == texts
    await ann.send("/export")
    await ann.expect("All your data")
    exported = parse(await ann.expect("The history of each of your cases"))
    assert [t for _at, t in exported.lines] == texts
    assert exported.headings[:2] == ["History of my cases", "Sam"]


async def test_a_choice_and_a_share_are_in_every_history(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    ann, _ben, _cas = await team_of_three(api, 6400)
    await walk.new_case(ann, "Sam", [("Tom", "Bullies")])
    await step(clock)
    await ann.press(await open_case(ann, "Sam"), "Other approaches")
    await ann.press(await ann.expect("Other approaches"), "Restorative conversation")
    await ann.press(await ann.expect("Restorative conversation"), "We go on with this")
    await ann.expect("Written down: the case of Sam goes on with")
    await step(clock)
    await share_with(ann, "Sam", "▫️ Ben")
    chose = "Ann chose the approach: Restorative conversation (herstelgesprek)"
    shared = "Ann shared the case with Ben (team Kapoenen)"

    await ann.press(await open_case(ann, "Sam"), "History")
    shown = await ann.expect("History of the case of Sam")
    assert shown.text.index("Ann started the case") < shown.text.index(chose)
    assert shown.text.index(chose) < shown.text.index(shared)
    texts = [text for _at, text in (await document_of_case(ann, "Sam")).lines]
    assert texts == ["Ann started the case", chose, shared]

    await ann.send("/export")
    exported = await ann.expect("All your data")
    assert exported.document is not None
    data = json.loads(exported.document.data)
    history = data["cases"][0]["history"]
    assert [(h["kind"], h["detail"], h["by"], h["with"], h["team"]) for h in history] == [
        ("created", None, "me", None, None),
        ("approach", "restore", "me", None, None),
        ("shared", None, "me", "Ben", "Kapoenen"),
    ]
    assert [(t["team"], t["role"], t["known_as"]) for t in data["teams"]] == [
        ("Kapoenen", "coordinator", "Ann")
    ]
    assert data["teams"][0]["joined"] is not None
