"""The group's rhythm: reminders land just before an activity, where the leader can act.

In Dutch, the protocol's language. The clock starts on Tuesday 24 November 2026, 18:00 in
Brussels; the group meets on Saturday from 14:00 to 17:00.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from telegram.ext import Application

from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Child, Leader, Reminder
from flows.follow_up import OPEN_STATUSES
from tests.e2e import walk_nl
from tests.e2e.walk_nl import open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.dispatch_rounds import dispatch_round
from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(clock: TestClock) -> datetime:
    return clock.now.astimezone(BRUSSELS)


def brussels(*when: int) -> datetime:
    return datetime(*when, tzinfo=BRUSSELS).astimezone(UTC)  # type: ignore[misc]


def nudges(leader: SimUser) -> list[BotMessage]:
    return [m for m in leader.messages if "Stap 3: spreek nogmaals met" in m.text]


async def talk_held(leader: SimUser) -> BotMessage:
    """A case with Senne, up to the talk held and its agreement; returns the plan screen."""
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    done = await walk_nl.settle_step1(leader, step1, ["dat ze uitgelachen wordt"])
    script = await walk_nl.prepare_talk(
        leader, done, "Bereid dat gesprek voor", "Ik zag het", "het uitlachen van Noor", "boos"
    )
    await leader.press(script, "Gesprek gevoerd")
    await leader.expect("voor om te doen?")
    await leader.send("Ik laat Noor met rust")
    await leader.press(await leader.expect("genoteerd"), "Klaar")
    return await leader.expect("Wanneer wil je nogmaals")


async def test_the_rhythm_is_asked_at_the_first_plan_and_kept_in_the_settings(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7301, "An", language_code="nl")
    plan = await talk_held(leader)
    assert "💡 Wanneer komt je groep samen? Zeg het één keer" in plan.text
    await leader.press(plan, "🗓 Wanneer komt je groep samen?")
    days = await leader.expect("Op welke dag komt je groep samen?")
    assert "nooit erna" in days.text
    await leader.press(days, "zaterdag")
    await leader.press(await leader.expect("Om hoe laat"), "14:00")
    await leader.expect("Activiteit van je groep: zaterdag 14:00")
    # Back on the plan; the question is not asked again.
    plan = await leader.expect_new_message()
    assert "Wanneer wil je nogmaals met Senne spreken?" in plan.text
    assert "💡" not in plan.text

    # "Over 1 week": the Saturday a week on, an hour before the activity.
    await leader.press(plan, "Over 1 week")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "zaterdag 5 december, 13:00" in planned.text, planned.text
    assert "ik vraag je voor de volgende activiteit of je dat gedaan hebt" in planned.text

    await leader.send("/settings")
    overview = await leader.expect("Hiermee bepaal je wanneer herinneringen komen")
    assert "⏰ Herinneringen komen 1 uur voor de activiteit" in overview.text
    await leader.press(overview, "🕔 Einde van de activiteit")
    await leader.press(await leader.expect("Om hoe laat is de activiteit gedaan?"), "17:00")
    overview = await leader.expect("zaterdag 14:00–17:00")
    await leader.press(overview, "⏰ Tijd voor de activiteit")
    await leader.press(await leader.expect("Hoe lang voor de activiteit"), "2 uur")
    overview = await leader.expect("Herinneringen komen 2 uur voor de activiteit")
    # The follow-up and the reminder to report back to Noor.
    assert "2 geplande herinneringen zijn verschoven" in overview.text, overview.text

    # The reminder lands at 12:00 on that Saturday, not a minute before.
    clock.now = brussels(2026, 12, 5, 11, 58)
    await leader.send("/cases")
    await leader.expect("Mijn pestsituaties")
    assert nudges(leader) == []
    clock.now = brussels(2026, 12, 5, 12, 1)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Senne")
    assert local(clock).weekday() == 5

    # Not talked yet: the next activity is offered, not "this evening" after it.
    await leader.press(nudge, "⏰ Nog niet gesproken: herinner me later")
    options = await leader.expect("Wanneer zal ik je opnieuw herinneren")
    assert options.button_texts == ["Bij de volgende activiteit", "Over 1 week"]
    await leader.press(options, "Bij de volgende activiteit")
    snoozed = await leader.expect("Oké, ik herinner je op")
    assert "zaterdag 12 december, 12:00" in snoozed.text, snoozed.text


async def test_a_camp_and_no_fixed_rhythm_are_set_in_the_settings(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7302, "An", language_code="nl")
    await leader.send("/settings")
    overview = await leader.expect("Hiermee bepaal je")
    assert "⏰ Geen vaste werking: herinneringen komen om 19:00" in overview.text
    await leader.press(overview, "⛺ Kamp")
    await leader.expect("Typ de eerste en de laatste dag van het kamp")
    await leader.send("30 november")
    await leader.expect("Dat kan ik niet lezen als een kamp")
    await leader.send("30-11 tot 4-12")
    overview = await leader.expect("Kamp, elke dag")
    assert "⛺ Kamp, elke dag: 30 november 2026 tot 4 december 2026" in overview.text
    assert "Herinneringen komen 1 uur voor de activiteit" in overview.text

    # On camp, "over 1 dag" is the next morning, before the day starts.
    clock.now = brussels(2026, 12, 1, 21, 0)
    plan = await talk_held(leader)
    await leader.press(plan, "Over 1 dag")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "woensdag 2 december, 08:00" in planned.text, planned.text


async def open_moments(database_url: str, now: datetime) -> dict[str, list[datetime]]:
    """Each child's open reminders still ahead of ``now``, by nickname."""
    engine = create_async_engine(database_url)
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    try:
        async with AsyncSession(engine) as session:
            children = (await session.scalars(select(Child))).all()
            found: dict[str, list[datetime]] = {}
            for child in children:
                due = await session.scalars(
                    select(Reminder.due_at).where(
                        Reminder.child_id == child.id,
                        Reminder.status.in_([s.value for s in OPEN_STATUSES]),
                        Reminder.due_at > now,
                    )
                )
                found[child.nickname] = list(due)
            return found
    finally:
        await engine.dispose()


async def test_five_weeks_of_a_saturday_group_every_reminder_before_the_activity(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    """Saturday 14:00–17:00: three children who bully, a "no" for one, three rounds."""
    leader = api.user(7303, "An", language_code="nl")
    await leader.send("/settings")
    await leader.press(await leader.expect("Hiermee bepaal je"), "🗓 Activiteitsdag")
    await leader.press(await leader.expect("Op welke dag komt je groep samen?"), "zaterdag")
    await leader.press(await leader.expect("Om hoe laat"), "14:00")
    overview = await leader.expect("zaterdag 14:00")
    await leader.press(overview, "🕔 Einde van de activiteit")
    await leader.press(await leader.expect("Om hoe laat is de activiteit gedaan?"), "17:00")
    await leader.expect("zaterdag 14:00–17:00")

    # Saturday 28 November, during the activity: step 1 with Noor, two talks.
    clock.now = brussels(2026, 11, 28, 15, 0)
    children = [("Lars", "Pest"), ("Senne", "Pest"), ("Wout", "Pest")]
    step1 = await walk_nl.new_case(leader, "Noor", children)
    await leader.press(step1, "✋ Nee, (nog) niet")
    declined = await leader.expect("is (nog) niet akkoord")
    assert "zaterdag 5 december, 13:00" in declined.text, declined.text
    await leader.press(await open_case(leader), "▶️ Verder")
    step1 = await leader.expect("Stap 1")
    await leader.press(step1, "Ja, akkoord")
    await leader.send("dat ze uitgelachen wordt")
    await leader.press(await leader.expect("vindt het goed dat je"), "Verder met Wout")
    await leader.press(await leader.expect("Stap 1"), "Ja, akkoord")
    await leader.send("hetzelfde")
    screen = await leader.expect("Stap 1 is klaar")
    for child in ("Senne", "Wout"):
        if "Heb je zelf gezien" not in screen.text:
            await leader.press(screen, "Bereid dat gesprek voor")
            screen = await leader.expect("Heb je zelf gezien")
        await leader.press(screen, "Ik zag het")
        await leader.expect("Vul de zin aan")
        await leader.send("het uitlachen van Noor")
        await leader.press(await leader.expect("Benoem je gevoel"), "boos")
        script = await leader.expect("Jouw leidraad voor het gesprek met")
        assert child in script.text
        planned = await walk_nl.record_talk(leader, script, ["Ik laat Noor met rust"])
        assert "zaterdag 5 december, 13:00" in planned.text, planned.text
        await leader.press(await open_case(leader), "▶️ Verder")
        screen = await leader.expect_new_message()

    reminders: list[tuple[datetime, BotMessage]] = []
    end = brussels(2027, 1, 2, 18, 0)  # five Saturdays on
    while clock.now < end:
        step = timedelta(hours=1) if local(clock).weekday() == 5 else timedelta(hours=4)
        clock.now = min(clock.now + step, end)
        seen = len(leader.messages)
        await dispatch_round(bot)
        for message in list(leader.messages[seen:]):
            reminders.append((clock.now, message))
            await answer(leader, message)
        moments = await open_moments(database_url, clock.now)
        for child in ("Senne", "Wout", "Lars"):
            assert moments[child], f"{child} has no moment ahead on {local(clock)}"

    assert len(reminders) >= 10
    for when, message in reminders:
        at = when.astimezone(BRUSSELS)
        assert at.weekday() == 5 and time(13, 0) <= at.time() <= time(14, 0), (at, message.text)
    rounds = [m for _, m in reminders if "Stap 3: spreek nogmaals met" in m.text]
    assert len(rounds) == 6  # three rounds each for Senne and Wout


async def answer(leader: SimUser, message: BotMessage) -> None:
    """A reminder, answered as a leader at the activity would."""
    if "Stap 3: spreek nogmaals met" in message.text:
        await leader.press(message, "Noor: ✅ het is gestopt")
        await leader.press(
            await leader.expect("in hoeverre is het pesten gestopt?"), "✅ Pesten is gestopt"
        )
        good = await leader.expect("🎉 Goed nieuws")
        await leader.press(good, good.buttons[0][0][0])  # the proposed, longer interval
        planned = await leader.expect("herinner ik je eraan om nogmaals")
        assert "zaterdag" in planned.text and "13:00" in planned.text, planned.text
    elif "⏰ Later opnieuw vragen" in message.button_texts:
        # Noor still says no for Lars: ask again later.
        await leader.press(message, "⏰ Later opnieuw vragen")
        later = await leader.expect("aan om het Noor opnieuw te vragen")
        assert "zaterdag" in later.text and "13:00" in later.text, later.text
    elif any("teruggekoppeld" in text for text in message.button_texts):
        assert "⏰ Herinner me bij de volgende activiteit" in message.button_texts
        yes = next(text for text in message.button_texts if text.startswith("✅"))
        await leader.press(message, yes)
        await leader.expect("Genoteerd")
    else:
        raise AssertionError(f"a message nobody asked for: {message.text!r}")


async def saturday_group(leader: SimUser) -> None:
    """/settings: the group meets on Saturday at 14:00."""
    await leader.send("/settings")
    await leader.press(await leader.expect("Hiermee bepaal je"), "🗓 Activiteitsdag")
    await leader.press(await leader.expect("Op welke dag komt je groep samen?"), "zaterdag")
    await leader.press(await leader.expect("Om hoe laat"), "14:00")
    await leader.expect("zaterdag 14:00")


async def test_a_step1_reminder_left_unanswered_comes_again_at_the_next_activity(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7304, "An", language_code="nl")
    await saturday_group(leader)
    step1 = await walk_nl.new_case(leader, "Noor", [("Lars", "Pest")])
    await leader.press(step1, "✋ Nee, (nog) niet")
    declined = await leader.expect("is (nog) niet akkoord")
    assert "zaterdag 5 december, 13:00" in declined.text, declined.text

    clock.now = brussels(2026, 12, 5, 13, 0)
    first = await leader.expect("Is dit een goed moment om het opnieuw te vragen?")
    # It says which child the question was about.
    assert first.text.startswith("🔔 Stap 1 — met Noor, over Lars\n"), first.text
    assert "Toen je het over Lars vroeg, ging Noor (nog) niet akkoord." in first.text
    # Not answered. The day after, Lars still has a moment ahead, a week on.
    clock.now = brussels(2026, 12, 6, 10, 0)
    await dispatch_round(bot)
    await leader.send("/cases")
    listed = await leader.expect("Mijn pestsituaties")
    assert "herinnering op za 12 dec, 13:00" in listed.text, listed.text
    clock.now = brussels(2026, 12, 12, 13, 0)
    await dispatch_round(bot)
    again = [
        m for m in leader.messages if "Is dit een goed moment om het opnieuw te vragen?" in m.text
    ]
    assert len(again) == 2 and again[0] is first
    # The first message's buttons still answer it.
    await leader.press(first, "⏰ Later opnieuw vragen")
    later = await leader.expect("aan om het Noor opnieuw te vragen")
    assert "zaterdag 19 december, 13:00" in later.text, later.text


async def test_the_next_activity_the_morning_after_a_friday_night_talk_is_asked_about(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7305, "An", language_code="nl")
    await saturday_group(leader)
    clock.now = brussels(2026, 11, 27, 21, 0)  # Friday night
    plan = await talk_held(leader)
    await leader.press(plan, "Bij de volgende activiteit")
    asked = await leader.expect("De volgende activiteit is al heel snel")
    assert "zaterdag 28 november, 13:00" in asked.text, asked.text
    assert "1 à 2 dagen of 1 à 2 weken" in asked.text
    assert asked.button_texts == [
        "De activiteit erna: za 5 dec, 13:00",
        "Toch die: za 28 nov, 13:00",
    ]
    await leader.press(asked, "De activiteit erna: za 5 dec, 13:00")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "zaterdag 5 december, 13:00" in planned.text, planned.text


async def test_typed_dates_as_people_type_them(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7306, "An", language_code="nl")
    await saturday_group(leader)
    clock.now = brussels(2026, 12, 5, 10, 0)  # Saturday morning, before the activity
    plan = await talk_held(leader)
    await leader.press(plan, "📅 Op een datum die ik kies")
    asked = await leader.expect("Op welke dag?")
    assert "“vandaag”" in asked.text and "zaterdag over 2 weken" in asked.text
    # Today's date is today, at the activity: not next year.
    await leader.send("5-12")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "zaterdag 5 december, 13:00" in planned.text, planned.text

    async def move_to(typed: str) -> BotMessage:
        await leader.send("/cases")
        await leader.press(await leader.expect("Mijn pestsituaties"), ". Noor")
        overview = await leader.expect("Pestsituatie rond Noor")
        await leader.press(overview, "Opvolggesprek met Senne verzetten")
        await leader.press(await leader.expect("Wanneer wil je"), "Op een datum die ik kies")
        await leader.expect("Op welke dag?")
        await leader.send(typed)
        return await leader.expect_new_message()

    # A date that passed this year is asked about, not silently next year's.
    passed = await move_to("1-12")
    assert "1 december is dit jaar al voorbij. Bedoel je 1 december 2027?" in passed.text
    await leader.send("zaterdag over 2 weken")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "zaterdag 19 december, 13:00" in planned.text, planned.text
    for typed, expected in (
        ("overmorgen", "maandag 7 december, 19:00"),
        ("12 dec", "zaterdag 12 december, 13:00"),
        ("vandaag", "zaterdag 5 december, 13:00"),
    ):
        planned = await move_to(typed)
        assert expected in planned.text, (typed, planned.text)


async def test_a_follow_up_reminder_left_unanswered_comes_again_and_is_answered_once(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    leader = api.user(7307, "An", language_code="nl")
    await saturday_group(leader)
    plan = await talk_held(leader)
    await leader.press(plan, "Over 1 week")
    planned = await leader.expect("herinner ik je eraan om nogmaals")
    assert "zaterdag 5 december, 13:00" in planned.text, planned.text

    clock.now = brussels(2026, 12, 5, 13, 0)
    await dispatch_round(bot)
    [first] = nudges(leader)
    # Not answered, and no team to pass it on to. The day after, Senne still has a
    # moment ahead: the next activity.
    clock.now = brussels(2026, 12, 6, 10, 0)
    await dispatch_round(bot)
    moments = await open_moments(database_url, clock.now)
    assert brussels(2026, 12, 12, 13, 0) in moments["Senne"], moments
    await leader.send("/cases")
    listed = await leader.expect("Mijn pestsituaties")
    assert (
        "Stap 3: hoe verliep het opvolggesprek met Senne? — aan de beurt sinds za 5 dec, 13:00, "
        "herinnering op za 12 dec, 13:00"
    ) in listed.text, listed.text
    clock.now = brussels(2026, 12, 12, 13, 0)
    await dispatch_round(bot)
    again = nudges(leader)
    assert len(again) == 2 and again[0] is first
    assert "Stap 3: spreek nogmaals met Senne" in again[1].text

    # The repeat leads to the same outcome question.
    await leader.press(again[1], "Noor: ✅ het is gestopt")
    await leader.press(
        await leader.expect("in hoeverre is het pesten gestopt?"), "✅ Pesten is gestopt"
    )
    await leader.expect("🎉 Goed nieuws")
    # The first reminder's buttons answer the same talk: written down already.
    query = await leader.press(first, "Noor: ✅ het is gestopt")
    await wait_until(
        lambda: any(
            c.method == "answerCallbackQuery"
            and c.params.get("callback_query_id") == query
            and "Dat opvolggesprek is al genoteerd" in str(c.params.get("text"))
            for c in api.calls
        ),
        "the press refused as already written down",
    )
    # And no third reminder of that talk comes.
    clock.now = brussels(2026, 12, 19, 13, 0)
    await dispatch_round(bot)
    assert len(nudges(leader)) == 2


async def test_a_passed_reminder_is_said_due_since_never_as_if_it_were_coming(
    api: BotApiStandin, bot: Application, clock: TestClock, database_url: str
) -> None:
    leader = api.user(7308, "An", language_code="nl")
    await saturday_group(leader)
    step1 = await walk_nl.new_case(leader, "Noor", [("Lars", "Pest")])
    await leader.press(step1, "✋ Nee, (nog) niet")
    declined = await leader.expect("is (nog) niet akkoord")
    assert "zaterdag 5 december, 13:00 (over " in declined.text, declined.text
    overview = await open_case(leader)

    # An blocked the bot for a while: the reminder of Saturday 13:00 could not go out.
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(Leader).where(Leader.id == leader.id).values(blocked_at=clock.now)
            )
    finally:
        await engine.dispose()
    clock.now = brussels(2026, 12, 5, 13, 28)
    await dispatch_round(bot)

    # Back in the case half an hour later: the moment is due since then, not coming.
    await leader.press(overview, "▶️ Verder met Lars")
    again = await leader.expect("is (nog) niet akkoord")
    assert "geleden" not in again.text and "Ik herinner je eraan op" not in again.text, again.text
    assert (
        "🔔 Stap 1: Noor gaat (nog) niet akkoord met een gesprek met Lars — "
        "aan de beurt sinds za 5 dec, 13:00"
    ) in again.text, again.text
