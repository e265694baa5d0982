"""The Alembic migrations, on SQLite and on PostgreSQL.

An empty database and a database the previous release wrote (revision 0001, with
rows in every table) both reach the newest revision through the code path the bot
takes at start-up (:meth:`Database.migrate`); every row stays readable through the
models, and the schema is the one the models describe. Downgrades, which only an
operator runs (the bot never does), go back to 0001 and to an empty database and
up again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, bindparam, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.storage import history
from bot.storage.database import KEY_CHECK, Database, alembic_config
from bot.storage.encryption import DataCipher, DataKeyError, make_key, use_cipher
from bot.storage.models import (
    Agreement,
    Base,
    Case,
    CaseShare,
    Child,
    FollowUp,
    Handover,
    InboxUpdate,
    Leader,
    Meta,
    Reminder,
    Responsibility,
    Team,
    TeamMember,
)
from flows.case import last_outcome, planned_follow_up, standing_agreements
from flows.follow_up_timing import DEFAULT_TIME_ZONE, Rhythm
from tests.support.running_bot import TEST_DATA_KEY

# Migrations and the schema: each database's own DDL.
pytestmark = pytest.mark.both_databases

PREVIOUS = "0001"
CIPHER = DataCipher((TEST_DATA_KEY,))

#: The tables of revision 0001, those later ones add; 0003 drops conversation_states and
#: 0011 case_history.
TABLES_0001 = {"leaders", "cases", "children", "agreements", "conversation_states", "meta"}
TABLES_0002 = {"follow_ups", "reminders"}
TABLES_0005 = {"undelivered_replies"}
TABLES_0006 = {"case_history"}
TABLES_0009 = {
    "teams",
    "team_members",
    "team_invites",
    "case_shares",
    "case_events",
    "responsibilities",
    "handovers",
}
TABLES_0010 = {"inbox"}
TABLES_0013 = {"quarantine"}
TABLES_HEAD = (
    TABLES_0001 | TABLES_0002 | TABLES_0005 | TABLES_0009 | TABLES_0010 | TABLES_0013
) - {"conversation_states"}
COLUMNS_0002 = {
    "leaders": {
        "time_zone",
        "quiet_start",
        "quiet_end",
        "meeting_weekday",
        "meeting_time",
        "blocked_at",
    },
    "agreements": {"follow_up_id"},
}
#: 0002's columns that a later revision took away: 0018 made the meeting's one weekday
#: a list of days (leaders.meeting_days).
DROPPED_LATER = {"meeting_weekday"}

# A Telegram user id beyond 32 bits, as real ones are.
LEADER_ID = 6_123_456_789
OTHER_LEADER_ID = 401_002
CREATED = datetime(2026, 3, 2, 18, 30, 5, 123000, tzinfo=UTC)
SEEN = datetime(2026, 3, 9, 20, 15, tzinfo=UTC)
HELD = datetime(2026, 3, 4, 19, 45, tzinfo=UTC)
CLOSED = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)

VICTIM = "Noor"
MAY_TELL = "that the leaders talk with the others"
BULLY = "Wout"
FACTS = "took Noor's cap and threw it in the river at the campfire"
FEELING = "sad"
FOLLOWER = "Lotte"
AGREEMENTS = ["give Noor a new cap", "sit next to Noor on the bus"]
CLOSED_VICTIM = "Jens"


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


async def run_alembic(engine: AsyncEngine, action: Callable[[Config], None]) -> None:
    """Run an Alembic command on one connection of ``engine``, as Database.migrate does."""

    def run(connection: Connection) -> None:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        action(config)

    async with engine.begin() as connection:
        await connection.run_sync(run)


def operator_engine(url: str) -> AsyncEngine:
    """An engine as the ``alembic`` command line opens it (bot/migrations/env.py).

    Unlike the bot's own engine it sets no SQLite pragma, so foreign keys are off.
    That matters on SQLite: 0002's downgrade rebuilds ``leaders`` (copy, drop,
    rename), and with foreign keys on, dropping it cascades to every case.
    """
    return create_async_engine(url)


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda c: MigrationContext.configure(c).get_current_revision()
        )


async def tables_and_columns(engine: AsyncEngine) -> dict[str, set[str]]:
    def read(connection: Connection) -> dict[str, set[str]]:
        inspector = inspect(connection)
        return {
            table: {column["name"] for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def schema_differences(engine: AsyncEngine) -> list[Any]:
    """What autogenerate would write into a new revision: nothing, if the models match.

    Alembic's default comparison: tables, columns, types, nullability, indexes and
    foreign keys. Server defaults are not compared: 0002 gives its new ``leaders``
    columns one to fill the rows already there, the models set them in Python.
    """

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def insert_0001_rows(engine: AsyncEngine) -> dict[str, int]:
    """Rows as the previous release wrote them, in plain SQL on the 0001 schema.

    Texts about a child are Fernet tokens under the test key; ids come from the
    database, as they did then.
    """
    stamp = DateTime(timezone=True)

    def timed(sql: str, *names: str) -> Any:
        return text(sql).bindparams(*(bindparam(name, type_=stamp) for name in names))

    async with engine.begin() as connection:
        await connection.execute(
            timed(
                "INSERT INTO leaders (id, language, created_at, last_seen_at, "
                "active_case_id, active_child_id, draft_criteria_mask) "
                "VALUES (:id, :language, :created, :seen, NULL, NULL, :mask)",
                "created",
                "seen",
            ),
            [
                {"id": LEADER_ID, "language": "nl", "created": CREATED, "seen": SEEN, "mask": None},
                # A leader half-way through the quick check, with no case yet.
                {
                    "id": OTHER_LEADER_ID,
                    "language": "fr",
                    "created": CREATED,
                    "seen": CREATED,
                    "mask": 45,
                },
            ],
        )
        case_id = (
            await connection.execute(
                timed(
                    "INSERT INTO cases (leader_id, victim_nickname, criteria_mask, consent, "
                    "may_tell, created_at, updated_at, closed_at) "
                    "VALUES (:leader, :victim, 127, 'agreed', :may_tell, :created, :seen, NULL) "
                    "RETURNING id",
                    "created",
                    "seen",
                ),
                {
                    "leader": LEADER_ID,
                    "victim": CIPHER.encrypt(VICTIM),
                    "may_tell": CIPHER.encrypt(MAY_TELL),
                    "created": CREATED,
                    "seen": SEEN,
                },
            )
        ).scalar_one()
        closed_case_id = (
            await connection.execute(
                timed(
                    "INSERT INTO cases (leader_id, victim_nickname, criteria_mask, consent, "
                    "may_tell, created_at, updated_at, closed_at) "
                    "VALUES (:leader, :victim, NULL, 'not_asked', NULL, :created, :closed, "
                    ":closed) RETURNING id",
                    "created",
                    "closed",
                ),
                {
                    "leader": LEADER_ID,
                    "victim": CIPHER.encrypt(CLOSED_VICTIM),
                    "created": CREATED,
                    "closed": CLOSED,
                },
            )
        ).scalar_one()
        bully_id = (
            await connection.execute(
                timed(
                    "INSERT INTO children (case_id, position, nickname, role, witnessed, "
                    "facts, feeling, held_at, reported_back_at) "
                    "VALUES (:case, 0, :nickname, 'pester', :witnessed, :facts, :feeling, "
                    ":held, NULL) RETURNING id",
                    "held",
                ),
                {
                    "case": case_id,
                    "nickname": CIPHER.encrypt(BULLY),
                    "witnessed": True,
                    "facts": CIPHER.encrypt(FACTS),
                    "feeling": CIPHER.encrypt(FEELING),
                    "held": HELD,
                },
            )
        ).scalar_one()
        follower_id = (
            await connection.execute(
                text(
                    "INSERT INTO children (case_id, position, nickname, role, witnessed, "
                    "facts, feeling, held_at, reported_back_at) "
                    "VALUES (:case, 1, :nickname, 'meepester', :witnessed, NULL, NULL, NULL, "
                    "NULL) RETURNING id"
                ),
                {"case": case_id, "nickname": CIPHER.encrypt(FOLLOWER), "witnessed": False},
            )
        ).scalar_one()
        for agreement in AGREEMENTS:
            await connection.execute(
                timed(
                    "INSERT INTO agreements (child_id, text, created_at) "
                    "VALUES (:child, :text, :created)",
                    "created",
                ),
                {"child": bully_id, "text": CIPHER.encrypt(agreement), "created": HELD},
            )
        await connection.execute(
            text(
                "UPDATE leaders SET active_case_id = :case, active_child_id = :child WHERE id = :id"
            ),
            {"case": case_id, "child": follower_id, "id": LEADER_ID},
        )
        await connection.execute(
            text(
                "INSERT INTO conversation_states (name, chat_id, user_id, state) "
                "VALUES ('leader', :id, :id, :state)"
            ),
            {"id": LEADER_ID, "state": '"facts"'},
        )
        await connection.execute(
            text("INSERT INTO meta (key, value) VALUES (:key, :value)"),
            {"key": KEY_CHECK, "value": CIPHER.encrypt("pestgesprek")},
        )
    return {
        "case": case_id,
        "closed_case": closed_case_id,
        "bully": bully_id,
        "follower": follower_id,
    }


async def release_rows_then(engine: AsyncEngine, revision: str | None = None) -> dict[str, int]:
    """The previous release's schema and its rows (:func:`insert_0001_rows`), then
    upgraded to ``revision`` if one is given; the rows' ids."""
    await run_alembic(engine, lambda config: command.upgrade(config, PREVIOUS))
    ids = await insert_0001_rows(engine)
    if revision is not None:
        await run_alembic(engine, lambda config: command.upgrade(config, revision))
    return ids


async def insert_team(connection: AsyncConnection) -> None:
    """Team 7, "Kapoenen", in plain SQL (the schema must have teams)."""
    await connection.execute(
        text(
            "INSERT INTO teams (id, name, created_at, escalate_after_hours,"
            " year_start_month, year_asked) VALUES (7, 'Kapoenen', :at, 24, 9, 2026)"
        ),
        {"at": CREATED},
    )


async def assert_0001_rows_read_through_the_models(
    database: Database, ids: dict[str, int], agreements: list[str] = AGREEMENTS
) -> None:
    """Every row written on 0001 is there, decrypted, with sensible values for 0002's columns."""
    use_cipher(CIPHER)
    async with database.session() as session:
        leader = await session.get(Leader, LEADER_ID)
        assert leader is not None
        assert leader.language == "nl"
        assert leader.created_at == CREATED and leader.created_at.tzinfo is not None
        assert leader.last_seen_at == SEEN
        assert (leader.active_case_id, leader.active_child_id) == (ids["case"], ids["follower"])
        assert leader.draft_criteria_mask is None
        # 0002's columns: the defaults a leader who never opened /settings has.
        assert leader.time_zone == DEFAULT_TIME_ZONE
        assert (leader.quiet_start, leader.quiet_end) == ("22:00", "08:00")
        assert leader.weekdays == () and leader.meeting_time is None
        assert leader.blocked_at is None
        assert leader.rhythm == Rhythm(
            time_zone=DEFAULT_TIME_ZONE, quiet_start=time(22, 0), quiet_end=time(8, 0)
        )
        other = await session.get(Leader, OTHER_LEADER_ID)
        assert other is not None
        assert (other.language, other.draft_criteria_mask) == ("fr", 45)
        assert other.time_zone == DEFAULT_TIME_ZONE

        cases = (
            await session.scalars(select(Case).where(Case.leader_id == LEADER_ID).order_by(Case.id))
        ).all()
        assert [c.id for c in cases] == [ids["case"], ids["closed_case"]]
        case, closed = cases
        assert case.victim_nickname == VICTIM
        assert case.criteria_mask == 127
        assert (case.created_at, case.updated_at, case.closed_at) == (CREATED, SEEN, None)
        assert closed.victim_nickname == CLOSED_VICTIM
        assert closed.criteria_mask is None
        assert closed.closed_at == CLOSED
        assert closed.children == []

        bully, follower = case.children
        # Step 1 was the case's: since 0008 each child has the case's answer and text.
        for child in (bully, follower):
            assert (child.consent, child.may_tell) == ("agreed", MAY_TELL)
        assert (bully.id, bully.position, bully.role) == (ids["bully"], 0, "pester")
        assert (bully.nickname, bully.facts, bully.feeling) == (BULLY, FACTS, FEELING)
        assert bully.witnessed is True
        assert (bully.held_at, bully.reported_back_at) == (HELD, None)
        assert [a.text for a in bully.agreements] == agreements
        assert bully.agreements[0].created_at == HELD
        # The step-2 agreements belong to no follow-up; nothing was planned yet.
        assert all(a.follow_up_id is None for a in bully.agreements)
        assert bully.follow_ups == [] and bully.reminders == []
        assert planned_follow_up(bully) is None and last_outcome(bully) is None
        assert (follower.id, follower.position, follower.role) == (ids["follower"], 1, "meepester")
        assert (follower.nickname, follower.witnessed, follower.facts) == (FOLLOWER, False, None)
        assert follower.agreements == []

        # The leader was typing the facts: 0003 keeps that place in the leader's row.
        assert leader.awaiting == "facts"
        assert other.awaiting == "nothing"
        key_check = await session.get(Meta, KEY_CHECK)
        assert key_check is not None and CIPHER.decrypt(key_check.value) == "pestgesprek"
        assert await session.scalar(select(func.count()).select_from(FollowUp)) == 0
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 0
    # The start-up check accepts the key the old rows were written with, and only that one.
    await database.check_key(CIPHER)
    with pytest.raises(DataKeyError):
        await database.check_key(DataCipher((make_key(),)))


async def write_step_3(
    database: Database, ids: dict[str, int], earlier: list[str] = AGREEMENTS
) -> None:
    """What the new revision is for: a follow-up, its new agreement and a reminder, on old rows."""
    use_cipher(CIPHER)
    async with database.session() as session, session.begin():
        follow_up = FollowUp(
            child_id=ids["bully"], outcome="partly", recorded_at=SEEN, previous_choice="2d"
        )
        session.add(follow_up)
        await session.flush()
        session.add(
            Agreement(
                child_id=ids["bully"],
                text="say sorry to Noor",
                created_at=SEEN,
                follow_up_id=follow_up.id,
            )
        )
        session.add(
            Reminder(
                leader_id=LEADER_ID,
                case_id=ids["case"],
                child_id=ids["bully"],
                kind="follow_up",
                due_at=CLOSED,
                created_at=SEEN,
            )
        )
    async with database.session() as session:
        bully = await session.get(Child, ids["bully"])
        assert bully is not None
        assert [a.text for a in bully.agreements] == [*earlier, "say sorry to Noor"]
        assert [f.outcome for f in bully.follow_ups] == ["partly"]
        assert bully.agreements[-1].follow_up_id == bully.follow_ups[0].id
        reminder = planned_follow_up(bully)
        assert reminder is not None
        assert (reminder.status, reminder.attempts, reminder.late) == ("pending", 0, False)
        assert reminder.due_at == CLOSED


async def test_an_empty_database_is_migrated_to_the_newest_revision(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert await current_revision(database.engine) is None
        await database.migrate()
        assert await current_revision(database.engine) == head_revision()
        schema = await tables_and_columns(database.engine)
        assert set(schema) == TABLES_HEAD | {"alembic_version"}
        assert schema == {
            "alembic_version": {"version_num"},
            **{table.name: set(table.columns.keys()) for table in Base.metadata.sorted_tables},
        }
        assert await schema_differences(database.engine) == []
        # The bot migrates at every start: a second time changes nothing.
        await database.migrate()
        assert await current_revision(database.engine) == head_revision()
    finally:
        await database.dispose()


async def test_the_previous_revisions_rows_survive_the_upgrade(database_url: str) -> None:
    database = Database(database_url)
    try:
        await run_alembic(database.engine, lambda config: command.upgrade(config, PREVIOUS))
        assert await current_revision(database.engine) == PREVIOUS
        before = await tables_and_columns(database.engine)
        assert set(before) == TABLES_0001 | {"alembic_version"}
        assert not COLUMNS_0002["leaders"] & before["leaders"]
        assert await schema_differences(database.engine) != [], "0001 lacks what 0002 adds"
        ids = await insert_0001_rows(database.engine)

        # What the bot does at start-up (bot.__main__.prepare): key check, migrate, key check.
        assert await database.has_key_check()
        await database.check_key(CIPHER)
        await database.migrate()

        assert await current_revision(database.engine) == head_revision()
        after = await tables_and_columns(database.engine)
        assert set(after) >= TABLES_0002
        for table, columns in COLUMNS_0002.items():
            assert columns - DROPPED_LATER <= after[table]
        assert await schema_differences(database.engine) == []
        await assert_0001_rows_read_through_the_models(database, ids)
        await write_step_3(database, ids)
    finally:
        await database.dispose()


async def test_downgrade_to_the_previous_revision_and_up_again(database_url: str) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        await write_step_3(database, ids)

        await run_alembic(operator, lambda config: command.downgrade(config, PREVIOUS))
        assert await current_revision(operator) == PREVIOUS
        schema = await tables_and_columns(operator)
        assert set(schema) == TABLES_0001 | {"alembic_version"}
        for table, columns in COLUMNS_0002.items():
            assert not columns & schema[table], f"{table} still has 0002's columns"
        async with operator.connect() as connection:
            # The agreement made at the follow-up stays an agreement of the child.
            texts = (
                await connection.scalars(
                    text("SELECT text FROM agreements WHERE child_id = :child ORDER BY id"),
                    {"child": ids["bully"]},
                )
            ).all()
            assert [CIPHER.decrypt(t) for t in texts] == [*AGREEMENTS, "say sorry to Noor"]
            assert (await connection.execute(text("SELECT count(*) FROM cases"))).scalar() == 2

        await database.migrate()
        assert await current_revision(database.engine) == head_revision()
        assert await schema_differences(database.engine) == []
        # As upgraded from 0001, with the follow-up's agreement as a plain one.
        await assert_0001_rows_read_through_the_models(
            database, ids, agreements=[*AGREEMENTS, "say sorry to Noor"]
        )
        await write_step_3(database, ids, earlier=[*AGREEMENTS, "say sorry to Noor"])
    finally:
        await operator.dispose()
        await database.dispose()


async def test_downgrade_to_an_empty_database_and_up_again(database_url: str) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        await database.migrate()
        await run_alembic(operator, lambda config: command.downgrade(config, "base"))
        assert await current_revision(operator) is None
        assert set(await tables_and_columns(operator)) == {"alembic_version"}
        await database.migrate()
        assert await current_revision(database.engine) == head_revision()
        assert await schema_differences(database.engine) == []
    finally:
        await operator.dispose()
        await database.dispose()


async def store_in_inbox(database: Database) -> None:
    """What 0003 is for: an update waiting in the inbox, and one handled (a tombstone)."""
    use_cipher(CIPHER)
    async with database.session() as session, session.begin():
        session.add(InboxUpdate(update_id=900_000_001, sender_id=LEADER_ID, payload='{"x": 1}'))
        session.add(InboxUpdate(update_id=900_000_002, sender_id=LEADER_ID, done_at=SEEN))
    async with database.session() as session:
        waiting = await session.get(InboxUpdate, 900_000_001)
        assert waiting is not None and waiting.payload == '{"x": 1}'
        assert waiting.done_at is None


async def test_rows_survive_the_inbox_revision_and_its_downgrade(database_url: str) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        await write_step_3(database, ids)
        assert await current_revision(database.engine) == head_revision()
        assert await schema_differences(database.engine) == []
        await store_in_inbox(database)
        async with operator.connect() as connection:
            stored = (await connection.execute(text("SELECT payload FROM inbox"))).scalars().all()
        # The payload holds what the leader typed: only its token is in the database.
        assert '{"x": 1}' not in stored and CIPHER.decrypt(str(stored[0])) == '{"x": 1}'

        await run_alembic(operator, lambda config: command.downgrade(config, "0009"))
        assert await current_revision(operator) == "0009"
        assert set(await tables_and_columns(operator)) == (
            TABLES_HEAD - TABLES_0010 - TABLES_0013 | TABLES_0006 | {"alembic_version"}
        )
        await database.migrate()
        assert await schema_differences(database.engine) == []
        async with database.session() as session:
            # The step-3 rows written on 0002 are all there, read through the models.
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and bully.nickname == BULLY
            assert [a.text for a in bully.agreements] == [*AGREEMENTS, "say sorry to Noor"]
            assert [f.outcome for f in bully.follow_ups] == ["partly"]
            planned = planned_follow_up(bully)
            assert planned is not None and planned.due_at == CLOSED
            assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 0
        await store_in_inbox(database)
    finally:
        await operator.dispose()
        await database.dispose()


#: A case's history on 0010: the leader's choices in ``case_history``, the rest in
#: ``case_events`` (kind, child, detail, moment).
CHOICES_0010 = [
    ("approach", None, "restore", HELD),
    ("next_step", "bully", "parents", CLOSED),
]
EVENTS_0010 = [
    ("created", None, None, CREATED),
    ("talk_held", "bully", None, SEEN),
]


async def insert_0010_history(engine: AsyncEngine, ids: dict[str, int]) -> None:
    """Both of a case's histories as 0010 wrote them, in plain SQL."""
    at = bindparam("at", type_=DateTime(timezone=True))
    async with engine.begin() as connection:
        for kind, child, detail, moment in CHOICES_0010:
            await connection.execute(
                text(
                    "INSERT INTO case_history (case_id, child_id, at, kind, detail) "
                    "VALUES (:case, :child, :at, :kind, :detail)"
                ).bindparams(at),
                {
                    "case": ids["case"],
                    "child": ids.get(child or ""),
                    "at": moment,
                    "kind": kind,
                    "detail": detail,
                },
            )
        for kind, child, detail, moment in EVENTS_0010:
            await connection.execute(
                text(
                    "INSERT INTO case_events (case_id, at, kind, actor_id, child_id, detail) "
                    "VALUES (:case, :at, :kind, :actor, :child, :detail)"
                ).bindparams(at),
                {
                    "case": ids["case"],
                    "at": moment,
                    "kind": kind,
                    "actor": LEADER_ID,
                    "child": ids.get(child or ""),
                    "detail": detail,
                },
            )


async def choices_in_case_history(engine: AsyncEngine) -> list[tuple[Any, ...]]:
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT kind, child_id, detail FROM case_history ORDER BY at, id")
        )
        return [tuple(row) for row in found.all()]


async def test_the_choices_join_the_case_events_and_go_back_on_downgrade(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine, "0010")
        await insert_0010_history(database.engine, ids)
        choices = [(kind, ids.get(child or ""), detail) for kind, child, detail, _ in CHOICES_0010]
        assert await choices_in_case_history(database.engine) == choices

        await database.migrate()
        assert "case_history" not in await tables_and_columns(database.engine)
        assert await schema_differences(database.engine) == []
        everything = sorted([*CHOICES_0010, *EVENTS_0010], key=lambda line: line[3])
        use_cipher(CIPHER)
        async with database.session() as session:
            events = await history.timeline(session, ids["case"])
            # One history, in order; each choice made by the case's leader.
            assert [(e.kind, e.child_id, e.detail, e.at, e.actor_id) for e in events] == [
                (kind, ids.get(child or ""), detail, moment, LEADER_ID)
                for kind, child, detail, moment in everything
            ]

        await run_alembic(operator, lambda config: command.downgrade(config, "0010"))
        assert await choices_in_case_history(operator) == choices
        async with operator.connect() as connection:
            kinds = await connection.scalars(text("SELECT kind FROM case_events ORDER BY at"))
            assert kinds.all() == [kind for kind, _, _, _ in EVENTS_0010]

        await database.migrate()
        async with database.session() as session:
            events = await history.timeline(session, ids["case"])
            assert [(e.kind, e.detail) for e in events] == [
                (kind, detail) for kind, _, detail, _ in everything
            ]
    finally:
        await operator.dispose()
        await database.dispose()


#: The columns 0012 drops, each of a table with a row in the test below.
DROPPED_0012 = [
    ("reminders", "last_error"),
    ("case_shares", "shared_at"),
    ("responsibilities", "since"),
    ("handovers", "offered_at"),
    ("inbox", "received_at"),
]


async def share_and_hand_over(database: Database, ids: dict[str, int]) -> None:
    """A team, the case shared in it, a child followed up by the other, an offer, an update."""
    use_cipher(CIPHER)
    async with database.session() as session, session.begin():
        team = Team(name="Kapoenen", created_at=CREATED, year_asked=2026, members=[])
        for leader_id in (LEADER_ID, OTHER_LEADER_ID):
            team.members.append(
                TeamMember(leader_id=leader_id, role="member", display_name="?", joined_at=SEEN)
            )
        session.add(team)
        await session.flush()
        session.add(CaseShare(case_id=ids["case"], team_id=team.id, leader_id=None))
        session.add(Responsibility(child_id=ids["bully"], leader_id=OTHER_LEADER_ID))
        session.add(
            Handover(
                case_id=ids["case"],
                child_id=ids["follower"],
                team_id=team.id,
                from_id=LEADER_ID,
                to_id=OTHER_LEADER_ID,
            )
        )
        session.add(InboxUpdate(update_id=900_000_003, sender_id=LEADER_ID, payload="{}"))


async def test_the_unread_columns_go_and_come_back_filled_on_downgrade(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        await write_step_3(database, ids)
        await share_and_hand_over(database, ids)
        schema = await tables_and_columns(database.engine)
        for table, column in DROPPED_0012:
            assert column not in schema[table]
        assert "joined_at" in schema["team_members"], "the export says when a leader joined"

        await run_alembic(operator, lambda config: command.downgrade(config, "0011"))
        schema = await tables_and_columns(operator)
        async with operator.connect() as connection:
            for table, column in DROPPED_0012:
                assert column in schema[table]
                rows = await connection.scalar(text(f"SELECT count(*) FROM {table}"))
                assert rows == 1, table
                if column != "last_error":
                    empty = f"SELECT count(*) FROM {table} WHERE {column} IS NULL"
                    assert await connection.scalar(text(empty)) == 0, (table, column)

        await database.migrate()
        assert await schema_differences(database.engine) == []
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and bully.responsible_id == OTHER_LEADER_ID
            assert await session.scalar(select(func.count()).select_from(CaseShare)) == 1
            assert await session.scalar(select(func.count()).select_from(Handover)) == 1
            assert planned_follow_up(bully) is not None
    finally:
        await operator.dispose()
        await database.dispose()


async def test_every_agreement_stands_after_0014_and_what_ended_goes_on_downgrade(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        assert await schema_differences(database.engine) == []
        await write_step_3(database, ids)
        use_cipher(CIPHER)
        async with database.session() as session, session.begin():
            bully = await session.get(Child, ids["bully"])
            assert bully is not None
            # Nothing was marked yet: every agreement made so far stands.
            assert standing_agreements(bully) == list(bully.agreements)
            assert len(bully.agreements) == 3
            bully.agreements[0].ended_in = bully.follow_ups[-1].id
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None
            assert [a.text for a in standing_agreements(bully)] == [
                AGREEMENTS[1],
                "say sorry to Noor",
            ]

        await run_alembic(operator, lambda config: command.downgrade(config, "0013"))
        assert "ended_in" not in (await tables_and_columns(operator))["agreements"]
        async with operator.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM agreements")) == 3

        await database.migrate()
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and len(standing_agreements(bully)) == 3
    finally:
        await operator.dispose()
        await database.dispose()


async def test_a_childs_note_comes_with_0015_and_goes_on_downgrade(database_url: str) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        use_cipher(CIPHER)
        async with database.session() as session, session.begin():
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and bully.note is None
            bully.note = "…and at the campfire too"
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and bully.note == "…and at the campfire too"

        await run_alembic(operator, lambda config: command.downgrade(config, "0014"))
        assert "note" not in (await tables_and_columns(operator))["children"]
        await database.migrate()
        assert await schema_differences(database.engine) == []
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and bully.note is None and bully.nickname == BULLY
    finally:
        await operator.dispose()
        await database.dispose()


async def test_offers_made_before_keep_the_one_who_offers_seeing_the_case(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine, "0015")
        async with database.engine.begin() as connection:
            await insert_team(connection)
            await connection.execute(
                text(
                    "INSERT INTO handovers (case_id, team_id, from_id, to_id)"
                    " VALUES (:case, 7, :from_id, :to_id)"
                ),
                {"case": ids["case"], "from_id": LEADER_ID, "to_id": OTHER_LEADER_ID},
            )
        await database.migrate()
        async with database.session() as session:
            offer = await session.scalar(select(Handover))
            assert offer is not None and offer.keeps_sight is True

        await run_alembic(operator, lambda config: command.downgrade(config, "0015"))
        async with operator.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM handovers")) == 1
        await database.migrate()
        assert await schema_differences(database.engine) == []
        async with database.session() as session:
            assert await session.scalar(select(func.count()).select_from(Handover)) == 1
    finally:
        await operator.dispose()
        await database.dispose()


async def test_leaders_in_a_team_keep_the_name_the_team_knows_them_by(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        await release_rows_then(database.engine, "0016")
        async with database.engine.begin() as connection:
            await insert_team(connection)
            await connection.execute(
                text(
                    "INSERT INTO team_members (team_id, leader_id, role, display_name, joined_at)"
                    " VALUES (7, :leader, 'coordinator', :name, :at)"
                ),
                {"leader": LEADER_ID, "name": CIPHER.encrypt("Ann"), "at": CREATED},
            )
        await database.migrate()
        use_cipher(CIPHER)
        async with database.session() as session:
            leader = await session.get(Leader, LEADER_ID)
            other = await session.get(Leader, OTHER_LEADER_ID)
            assert leader is not None and leader.team_name == "Ann"
            assert other is not None and other.team_name is None

        await run_alembic(operator, lambda config: command.downgrade(config, "0016"))
        async with operator.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM team_members")) == 1
        await database.migrate()
        assert await schema_differences(database.engine) == []
    finally:
        await operator.dispose()
        await database.dispose()


async def test_0018_keeps_every_answer_and_agreement_and_lets_witnessed_wait(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        use_cipher(CIPHER)
        async with database.session() as session, session.begin():
            bully = await session.get(Child, ids["bully"])
            follower = await session.get(Child, ids["follower"])
            assert bully is not None and follower is not None
            # The answers given before, and the children's agreements, are all there.
            assert (bully.witnessed, follower.witnessed) == (True, False)
            assert [a.text for a in bully.agreements] == AGREEMENTS
            follower.witnessed = None  # not answered yet: possible now
        async with database.session() as session:
            follower = await session.get(Child, ids["follower"])
            assert follower is not None and follower.witnessed is None

        await run_alembic(operator, lambda config: command.downgrade(config, "0017"))
        async with operator.connect() as connection:
            rows = await connection.execute(text("SELECT id, witnessed FROM children ORDER BY id"))
            assert {row.id: bool(row.witnessed) for row in rows} == {
                ids["bully"]: True,
                ids["follower"]: True,  # not answered reads as seen, as before
            }
            assert await connection.scalar(text("SELECT count(*) FROM agreements")) == len(
                AGREEMENTS
            )
        await database.migrate()
        assert await schema_differences(database.engine) == []
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and len(bully.agreements) == len(AGREEMENTS)
    finally:
        await operator.dispose()
        await database.dispose()


async def test_the_calendar_columns_come_with_0019_and_go_on_downgrade(database_url: str) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine)
        await database.migrate()
        use_cipher(CIPHER)
        async with database.session() as session, session.begin():
            bully = await session.get(Child, ids["bully"])
            # A child from before: no calendar file taken for any talk.
            assert bully is not None and bully.calendar_talk is None
            assert bully.calendar_sequence == 0
            bully.calendar_talk = 2
            bully.calendar_sequence = 3
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and (bully.calendar_talk, bully.calendar_sequence) == (2, 3)

        await run_alembic(operator, lambda config: command.downgrade(config, "0018"))
        columns = (await tables_and_columns(operator))["children"]
        assert "calendar_talk" not in columns and "calendar_sequence" not in columns
        await database.migrate()
        assert await schema_differences(database.engine) == []
        async with database.session() as session:
            bully = await session.get(Child, ids["bully"])
            assert bully is not None and bully.calendar_talk is None
            assert bully.calendar_sequence == 0 and bully.nickname == BULLY
    finally:
        await operator.dispose()
        await database.dispose()


async def test_a_leader_s_meeting_day_becomes_the_group_s_weekly_rhythm(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        await release_rows_then(database.engine, "0019")
        async with database.engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE leaders SET meeting_weekday = 5, meeting_time = '14:00' WHERE id = :id"
                ),
                {"id": LEADER_ID},
            )
        await database.migrate()
        async with database.session() as session:
            leader = await session.get(Leader, LEADER_ID)
            other = await session.get(Leader, OTHER_LEADER_ID)
            assert leader is not None and other is not None
            assert leader.weekdays == (5,) and leader.rhythm.meeting_time == time(14, 0)
            assert leader.rhythm_asked is True and leader.reminder_lead == 60
            assert leader.rhythm.lead == timedelta(hours=1)
            assert other.weekdays == () and other.rhythm_asked is False
            assert not other.rhythm.has_activities

        await run_alembic(operator, lambda config: command.downgrade(config, "0019"))
        async with operator.connect() as connection:
            assert (
                await connection.scalar(
                    text("SELECT meeting_weekday FROM leaders WHERE id = :id"), {"id": LEADER_ID}
                )
                == 5
            )
        await database.migrate()
        assert await schema_differences(database.engine) == []
    finally:
        await operator.dispose()
        await database.dispose()


async def test_0021_lets_a_line_and_its_notice_be_the_teams_and_keeps_every_row(
    database_url: str,
) -> None:
    database = Database(database_url)
    operator = operator_engine(database_url)
    try:
        ids = await release_rows_then(database.engine, "0020")
        async with database.engine.begin() as connection:
            await insert_team(connection)
            await connection.execute(
                text(
                    "INSERT INTO case_events (id, case_id, at, kind, actor_id, other_id, team_id,"
                    " child_id, detail) VALUES (31, :case, :at, 'left_team', :leader, :other, 7,"
                    " NULL, '1')"
                ),
                {"case": ids["case"], "at": SEEN, "leader": LEADER_ID, "other": OTHER_LEADER_ID},
            )
            await connection.execute(
                text(
                    "INSERT INTO reminders (id, leader_id, case_id, child_id, kind, due_at,"
                    " status, choice, attempts, created_at, late) VALUES (41, :other, :case,"
                    " NULL, 'notice', :at, 'pending', '31', 0, :at, false)"
                ),
                {"case": ids["case"], "at": SEEN, "other": OTHER_LEADER_ID},
            )
        children = "SELECT count(*) FROM children"
        async with database.engine.connect() as connection:
            before = await connection.scalar(text(children))
        await database.migrate()
        use_cipher(CIPHER)
        async with database.session() as session, session.begin():
            # Every line and every reminder from before is still there, with its case.
            case = await session.get(Case, ids["case"])
            assert case is not None and case.victim_nickname == VICTIM
            notice = await session.get(Reminder, 41)
            assert notice is not None and notice.case_id == ids["case"]
            line = history.record(
                session,
                None,
                history.EventKind.OUT_OF_TEAM,
                LEADER_ID,
                HELD,
                other=OTHER_LEADER_ID,
                team_id=7,
            )
            await session.flush()
            session.add(
                Reminder(
                    leader_id=OTHER_LEADER_ID,
                    case_id=None,
                    kind="notice",
                    due_at=HELD,
                    status="pending",
                    choice=str(line.id),
                    attempts=0,
                    created_at=HELD,
                    late=False,
                )
            )
        async with database.engine.connect() as connection:
            assert (
                await connection.scalar(
                    text("SELECT count(*) FROM case_events WHERE case_id IS NULL AND team_id = 7")
                )
                == 1
            )
            assert await connection.scalar(text("SELECT count(*) FROM reminders")) == 2

        await run_alembic(operator, lambda config: command.downgrade(config, "0020"))
        async with operator.connect() as connection:
            # The team's own line and its notice go; the case's line and notice stay.
            events = (await connection.execute(text("SELECT id, case_id FROM case_events"))).all()
            assert [(row.id, row.case_id) for row in events] == [(31, ids["case"])]
            reminders = (await connection.execute(text("SELECT id FROM reminders"))).all()
            assert [row.id for row in reminders] == [41]
            assert await connection.scalar(text(children)) == before
        await database.migrate()
        assert await schema_differences(database.engine) == []
    finally:
        await operator.dispose()
        await database.dispose()
