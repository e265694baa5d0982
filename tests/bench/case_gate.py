"""Benchmark: what the team-aware case gate costs a button press, next to the owner-only one.

Run it from the project folder::

    .venv/bin/python -m tests.bench.case_gate [--leaders 3000 --cases 20000 --lookups 2000]

Every case button and typed answer finds its case through ``visible_case`` (the case's
own leader, or a co-leader it is shared with in a team they are in now). Before teams
the gate was one query on the case's id and leader. On a migrated SQLite file with
``--leaders`` leaders in teams of ten, ``--cases`` open cases and one case in five
shared (half with the whole team, half with one co-leader), each round looks up
``--lookups`` random (leader, case) pairs — a third their own case, a third one shared
with them, a third another's — first with the owner-only query, then with
``visible_case``, and times each lookup. Medians of three rounds, and their ratio, are
printed as a Markdown table. A script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from bot.storage.cases import visible_case
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Case, CaseShare, Leader, Team, TeamMember
from tests.support.running_bot import TEST_DATA_KEY

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TEAM_SIZE = 10


async def fill(
    database: Database, leaders: int, cases: int, rng: random.Random
) -> dict[str, list[tuple[int, int]]]:
    """Leaders in teams, cases, shares; returns lookups by kind: own, shared, other's."""
    cipher_text = "x"
    async with database.session() as session, session.begin():
        await session.execute(
            insert(Leader),
            [
                {"id": 1000 + i, "language": "en", "created_at": NOW, "last_seen_at": NOW}
                for i in range(leaders)
            ],
        )
        teams = leaders // TEAM_SIZE
        await session.execute(
            insert(Team),
            [
                {
                    "id": t + 1,
                    "name": f"team {t}",
                    "created_at": NOW,
                    "escalate_after_hours": 24,
                    "year_start_month": 9,
                    "year_asked": 2026,
                }
                for t in range(teams)
            ],
        )
        await session.execute(
            insert(TeamMember),
            [
                {
                    "team_id": i // TEAM_SIZE + 1,
                    "leader_id": 1000 + i,
                    "role": "member",
                    "display_name": "L",
                    "joined_at": NOW,
                }
                for i in range(teams * TEAM_SIZE)
            ],
        )
        await session.execute(
            insert(Case),
            [
                {
                    "id": c + 1,
                    "leader_id": 1000 + c % leaders,
                    "victim_nickname": cipher_text,
                    "consent": "not_asked",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for c in range(cases)
            ],
        )
        shares = []
        shared_with: list[tuple[int, int]] = []
        for c in range(0, cases, 5):
            owner = c % leaders
            team = owner // TEAM_SIZE
            if team >= teams:
                continue
            mate = team * TEAM_SIZE + (owner + 1) % TEAM_SIZE
            whole = c % 10 == 0
            shares.append(
                {
                    "case_id": c + 1,
                    "team_id": team + 1,
                    "leader_id": None if whole else 1000 + mate,
                }
            )
            shared_with.append((1000 + mate, c + 1))
        await session.execute(insert(CaseShare), shares)
    own = [(1000 + c % leaders, c + 1) for c in rng.sample(range(cases), 500)]
    others = [(1000 + (c + leaders // 2) % leaders, c + 1) for c in rng.sample(range(cases), 500)]
    return {
        "own": own,
        "shared": rng.sample(shared_with, min(500, len(shared_with))),
        "other": others,
    }


async def owner_only(database: Database, pairs: list[tuple[int, int]]) -> list[float]:
    """The gate before teams: the case with this id and this leader."""
    timings = []
    async with database.session() as session:
        for leader_id, case_id in pairs:
            start = time.perf_counter()
            await session.scalar(
                select(Case).where(Case.id == case_id, Case.leader_id == leader_id)
            )
            timings.append(time.perf_counter() - start)
            session.expunge_all()
    return timings


async def team_aware(database: Database, pairs: list[tuple[int, int]]) -> list[float]:
    """``visible_case``: own, or shared in a team the leader is in."""
    timings = []
    async with database.session() as session:
        for leader_id, case_id in pairs:
            leader = Leader(id=leader_id)
            start = time.perf_counter()
            await visible_case(session, leader, case_id)
            timings.append(time.perf_counter() - start)
            session.expunge_all()
    return timings


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leaders", type=int, default=3000)
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}")
        await database.migrate()
        kinds = await fill(database, args.leaders, args.cases, rng)
        pairs = [p for kind in kinds.values() for p in kind]
        rows = []
        for kind, chosen in [("all", pairs), *kinds.items()]:
            medians_old, medians_new = [], []
            for _round in range(3):
                lookups = [rng.choice(chosen) for _ in range(args.lookups)]
                medians_old.append(statistics.median(await owner_only(database, lookups)))
                medians_new.append(statistics.median(await team_aware(database, lookups)))
            old, new = statistics.median(medians_old), statistics.median(medians_new)
            rows.append((kind, old * 1e6, new * 1e6, new / old))
        await database.dispose()
    print("| lookups | owner-only µs | visible_case µs | ratio |")
    print("|---|---:|---:|---:|")
    for kind, old, new, ratio in rows:
        print(f"| {kind} | {old:.0f} | {new:.0f} | {ratio:.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
