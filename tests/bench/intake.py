"""Benchmark: updates per second through the durable inbox, one leader at a time vs 32 at once.

Run it from the project folder::

    .venv/bin/python -m tests.bench.intake [--leaders 300 --updates 10 --runs 3]
                                           [--database sqlite|postgresql|both]
                                           [--latency-ms 20]

Each run starts the real bot (``python -m bot``, ``TELEGRAM_RATE_LIMIT=off``) on a fresh
database against the stand-in Bot API server, then ``--leaders`` leaders talk to it at
once, each waiting for the answer before the next step, as a person does: ``/start``,
``/criteria``, a press on the quick check's first criterion, and again, ``--updates``
updates each (3,000 by default). Both modes take updates through the durable inbox:

* ``sequential``: ``INTAKE_CONCURRENCY=1``, one update at a time, as before;
* ``concurrent``: ``INTAKE_CONCURRENCY=32``, different leaders at once, each in order.

``--latency-ms`` makes the stand-in answer every call but getUpdates that much later, as
Telegram, which is not on loopback, does: waiting on Telegram is where handling leaders
at once gains most. The modes alternate (sequential, concurrent, sequential, …) so that
a busy machine slows both alike; the table gives every run, the medians and their ratio. Updates per
second count from the first update sent to the last answer; CPU is the bot process's
(user + system, from ``/proc``) over the same span. Results also go to
``tests/bench/results/intake-*.json``. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.postgres import create_database, drop_database, postgres_server
from tests.support.standin_users import SimUser

RESULTS = Path(__file__).resolve().parent / "results"
FIRST_LEADER_ID = 7_000_001
MODES = {"sequential": 1, "concurrent": 32}


@dataclass
class Run:
    database: str
    mode: str
    updates: int
    seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / self.updates


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def converse(leader: SimUser, updates: int) -> None:
    """``updates`` steps, each waiting for the bot's answer before the next."""
    checklist = None
    for step in range(updates):
        kind = step % 3
        if kind == 0:
            await leader.send("/start")
            await leader.expect("What do you want to do?", timeout=600)
        elif kind == 1:
            await leader.send("/criteria")
            checklist = await leader.expect("Quick check", timeout=600)
        else:
            assert checklist is not None
            first = checklist.buttons[0][0][1]
            assert first is not None
            await leader.press_data(checklist.message_id, first)
            await leader.expect_callback_answer(timeout=600)


async def one_run(
    database: str,
    database_url: str,
    mode: str,
    leaders: int,
    updates: int,
    folder: Path,
    latency: float,
) -> Run:
    async with BotApiStandin() as api:
        api.latency = latency
        bot = BotProcess(api, database_url, folder)
        bot.env.update(
            INTAKE_CONCURRENCY=str(MODES[mode]), TELEGRAM_RATE_LIMIT="off", LOG_LEVEL="WARNING"
        )
        await bot.start(api)
        assert bot.process is not None
        try:
            people = [
                api.user(FIRST_LEADER_ID + n, "Jo", language_code="en") for n in range(leaders)
            ]
            cpu_before = cpu_seconds(bot.process.pid)
            started = time.perf_counter()
            await asyncio.gather(*(converse(person, updates) for person in people))
            seconds = time.perf_counter() - started
            cpu = cpu_seconds(bot.process.pid) - cpu_before
        finally:
            await bot.terminate()
        assert not api.refusals, api.refusals
    return Run(database, mode, leaders * updates, seconds, cpu)


@contextlib.contextmanager
def admin_url(wanted: list[str]) -> Iterator[str | None]:
    if "postgresql" not in wanted:
        yield None
        return
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        yield given
        return
    with postgres_server() as url:
        yield url


async def fresh_database(database: str, admin: str | None, folder: Path) -> tuple[str, str | None]:
    if database == "sqlite":
        return f"sqlite+aiosqlite:///{folder / 'bot.sqlite3'}", None
    assert admin is not None
    url, name = await create_database(admin)
    return url, name


async def main(args: argparse.Namespace) -> list[Run]:
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    runs: list[Run] = []
    with admin_url(databases) as admin:
        for database in databases:
            for number in range(args.runs):
                for mode in MODES:
                    with tempfile.TemporaryDirectory(prefix="pestgesprek-bench-") as workdir:
                        folder = Path(workdir)
                        url, name = await fresh_database(database, admin, folder)
                        try:
                            run = await one_run(
                                database,
                                url,
                                mode,
                                args.leaders,
                                args.updates,
                                folder,
                                args.latency_ms / 1000,
                            )
                        finally:
                            if name is not None and admin is not None:
                                await drop_database(admin, name)
                    runs.append(run)
                    print(
                        f"{database} run {number + 1} {mode}: {run.per_second:.1f} updates/s, "
                        f"{run.cpu_ms_per_update:.2f} ms CPU per update",
                        flush=True,
                    )
    return runs


def table(runs: list[Run]) -> str:
    lines = [
        "| database | mode | updates/s (each run) | median updates/s | median CPU ms/update |",
        "|---|---|---|---:|---:|",
    ]
    medians: dict[tuple[str, str], float] = {}
    for database in dict.fromkeys(r.database for r in runs):
        for mode in MODES:
            mine = [r for r in runs if r.database == database and r.mode == mode]
            rate = statistics.median(r.per_second for r in mine)
            medians[(database, mode)] = rate
            cpu = statistics.median(r.cpu_ms_per_update for r in mine)
            each = " / ".join(f"{r.per_second:.1f}" for r in mine)
            lines.append(f"| {database} | {mode} | {each} | {rate:.1f} | {cpu:.2f} |")
    for database in dict.fromkeys(r.database for r in runs):
        ratio = medians[(database, "concurrent")] / medians[(database, "sequential")]
        lines.append(f"\n{database}: concurrent / sequential = {ratio:.2f}×")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, default=300)
    parser.add_argument("--updates", type=int, default=10, help="updates per leader")
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode, alternating")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="every Bot API call but getUpdates answers this much later (Telegram is not on "
        "loopback: a round trip from Europe takes some tens of milliseconds)",
    )
    arguments = parser.parse_args()
    results = asyncio.run(main(arguments))
    print(
        f"\n{arguments.leaders} leaders × {arguments.updates} updates, "
        f"latency {arguments.latency_ms:g} ms"
    )
    print(table(results))
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"intake-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "arguments": vars(arguments),
                "runs": [asdict(r) | {"per_second": r.per_second} for r in results],
            },
            indent=2,
        )
    )
