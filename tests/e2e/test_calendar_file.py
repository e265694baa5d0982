"""A planned talk in the leader's calendar, in Dutch: the file, its update, its cancellation.

The file is RFC 5545 (read back here with the same library), names no child, and keeps
its UID when the talk moves or is cancelled, with a higher SEQUENCE each time. A leader
who never took the file for a talk gets none when it moves.
"""

from __future__ import annotations

from icalendar import Calendar
from telegram.ext import Application

from tests.e2e import walk_nl
from tests.e2e.test_when_it_does_not_fit import gesprek_gevoerd, nieuwe_situatie
from tests.support.bot_api_standin import BotApiStandin
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

TAKEN = "Open dit bestand om het gesprek in je agenda te zetten."
CANCELLED = "Het gesprek gaat niet door."


def read(message: BotMessage) -> tuple[Calendar, dict[str, str]]:
    """The calendar file a message carries, and its one event's fields as text."""
    assert message.document is not None
    assert message.document.filename.endswith(".ics")
    text = message.document.data.decode()
    for child in ("Tom", "Sam"):
        assert child not in text, "a calendar entry names no child"
    calendar = Calendar.from_ical(message.document.data)
    (event,) = calendar.walk("VEVENT")
    fields = {key: str(value) for key, value in event.items()}
    fields["DTSTART"] = event.decoded("DTSTART").isoformat()
    return calendar, fields


def documents(leader: SimUser) -> list[BotMessage]:
    return [m for m in leader.messages if m.document is not None]


async def test_the_planned_talk_goes_in_the_calendar_and_follows_a_move_and_a_cancel(
    api: BotApiStandin, bot: Application, leader: SimUser
) -> None:
    await gesprek_gevoerd(leader, await nieuwe_situatie(leader))
    planned = next(m for m in leader.messages if "herinner ik je eraan om nogmaals" in m.text)
    await leader.press(planned, "📅 In mijn agenda")
    calendar, first = read(await leader.expect(TAKEN))
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert first["SUMMARY"].startswith("Pestgesprek — opvolggesprek (situatie ")
    assert first["SEQUENCE"] == "0"

    # Moved to a week later: the same event, a higher sequence, the new moment.
    await leader.press(await walk_nl.open_case(leader, "Sam"), "Opvolggesprek met Tom verzetten")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Tom"), "Over 1 week")
    _calendar, moved = read(await leader.expect(TAKEN))
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == "1"
    assert moved["DTSTART"] > first["DTSTART"]

    # Cancelled: the same event, cancelled.
    await leader.press(await walk_nl.open_case(leader, "Sam"), "Opvolggesprek met Tom annuleren")
    calendar, cancelled = read(await leader.expect(CANCELLED))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] == "2"
    assert len(documents(leader)) == 3

    # A new plan whose file the leader did not take: moving it sends no file.
    await leader.press(await walk_nl.open_case(leader, "Sam"), "Verder")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Tom"), "Over 2 dagen")
    await leader.expect("herinner ik je eraan om nogmaals met Tom")
    await leader.press(await walk_nl.open_case(leader, "Sam"), "Opvolggesprek met Tom verzetten")
    await leader.press(await leader.expect("Wanneer wil je nogmaals met Tom"), "Over 1 week")
    await leader.expect("herinner ik je eraan om nogmaals met Tom")
    await leader.send("/cases")
    await leader.expect("Mijn pestsituaties")
    assert len(documents(leader)) == 3
