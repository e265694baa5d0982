"""Benchmark: what the database part of one update costs, in this process, on SQLite.

Run it from the project folder::

    .venv/bin/python -m tests.bench.turn_database [--turns 3000 --rounds 3]

On a migrated SQLite file in a temporary folder with 100 leaders, the CPU time (this
process, all its threads) of:

* **turn**: what ``bot.turn.leader_turn`` does with the database for a ``/start``: a
  session and a transaction, the leader by primary key, their place set to where they
  are, the commit, the session closed;
* **turn, place moved**: the same, with the place moving between two values, so the
  row is written (an UPDATE and a commit with a write) every time;
* **one SELECT 1**: a connection from the pool, one statement, back to the pool: what
  any statement costs through SQLAlchemy's asyncio engine and the driver;
* **the driver's SELECT 1**: one statement on the driver's own connection (``sqlite3``
  on the loop's thread, see ``bot.storage.inline_sqlite``), without SQLAlchemy.

Medians of ``--rounds`` rounds of ``--turns`` each, in µs. A script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.storage import leaders
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from flows.replies import Awaiting
from tests.support.running_bot import TEST_DATA_KEY

LEADERS = 100
FIRST_ID = 5_000_001


def leader_id(number: int) -> int:
    return FIRST_ID + number % LEADERS


async def cpu_per_call(call: Callable[[int], Awaitable[None]], turns: int) -> float:
    """CPU µs per call, after a warm-up."""
    for number in range(turns // 10):
        await call(number)
    started = time.process_time()
    for number in range(turns):
        await call(number)
    return (time.process_time() - started) * 1e6 / turns


async def measure(folder: Path, turns: int, rounds: int) -> dict[str, float]:
    use_cipher(DataCipher((TEST_DATA_KEY,)))
    database = Database(f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}")
    now = datetime.now(UTC)
    await database.migrate()
    async with database.session() as session, session.begin():
        for number in range(LEADERS):
            await leaders.get_or_create(session, FIRST_ID + number, "en", now)

    async def turn(number: int) -> None:
        async with database.session() as session:
            async with session.begin():
                leader = await leaders.get_or_create(
                    session, FIRST_ID + number % LEADERS, "en", now
                )
                leaders.place(leader, Awaiting.NOTHING)
            await database.erased(session)

    async def moving_turn(number: int) -> None:
        async with database.session() as session:
            async with session.begin():
                leader = await leaders.get_or_create(
                    session, FIRST_ID + number % LEADERS, "en", now
                )
                leaders.place(leader, Awaiting.NOTHING, case_id=number % 2 or None)
            await database.erased(session)

    async def select_one(_number: int) -> None:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def driver_select_one(_number: int) -> None:
        async with database.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            for _ in range(100):
                driver.execute("SELECT 1").fetchall()

    figures: dict[str, list[float]] = {}
    cases: list[tuple[str, Callable[[int], Awaitable[None]], float]] = [
        ("turn", turn, 1.0),
        ("turn, place moved", moving_turn, 1.0),
        ("one SELECT 1", select_one, 1.0),
        # A hundred per call.
        ("the driver's SELECT 1", driver_select_one, 100.0),
    ]
    try:
        for _ in range(rounds):
            for name, call, per in cases:
                runs = turns if per == 1.0 else max(turns // 100, 10)
                figures.setdefault(name, []).append(await cpu_per_call(call, runs) / per)
    finally:
        await database.dispose()
    return {name: statistics.median(values) for name, values in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.turn_database")
    parser.add_argument("--turns", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="turn-database-") as name:
        figures = asyncio.run(measure(Path(name), args.turns, args.rounds))
    print("| what | CPU µs |")
    print("|---|---:|")
    for what, micros in figures.items():
        print(f"| {what} | {micros:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
