"""Benchmark: what one update costs Pestgesprek, next to a durable bot written by hand.

Run it from the project folder::

    .venv/bin/python -m tests.bench.per_update [--pairs 3 --users 300 --per-user 10]
                                               [--stored-leaders 30000 --stored-cases 10000]

Two bots poll the same kind of stand-in Bot API server (``tests.support.bot_api_standin``),
each as its own process, one after the other, in alternating order, ``--pairs`` times:

* ``peer``: ``tests/bench/durable_bot.py``, the durable peer: python-telegram-bot that
  stores each update in a SQLite inbox (aiosqlite, WAL, ``synchronous=NORMAL``) and
  commits, then upserts the chat's state and marks the update done in a second
  transaction, then answers every text with one message and one inline button, a press
  with an answer and an edit;
* ``pestgesprek``: ``python -m bot`` on a migrated SQLite database (Telegram's rate limiter
  off, as the stand-in has no limits here), with ``--stored-leaders`` other leaders (each
  with a stored place in the flow and their share of ``--stored-cases`` open cases).

For each run: the start-up (from starting the process until its first ``getUpdates``, and the
process's CPU time by then, which a busy machine disturbs less; the median of
``--startups`` start-ups), the resident memory once it is idle, then ``--users`` users at
once, each sending ``--per-user`` updates one after the other, waiting for the answer to
each:

* ``mix``: ``/start``, ``/criteria``, a press of the first button of the reply to
  ``/criteria``, and so on;
* ``start``: ``/start`` only.

Then **tap to screen**: the stand-in holds back every reply (every call but getUpdates)
``--latency-ms`` (60), as a Telegram some way off does; ``--tap-users`` (15) users at once
each run the mix, one update at a time, ``--tap-updates`` (9) updates each; the time
from the user's tap (or text) until its screen (and, for a press, the press's answer)
arrived, p50 and p99 over all of them. Then one user alone presses the first button of a
new checklist, 9 times: the median time until both the new screen and the press's
answer are there says how many round trips to Telegram a press costs.

Before either, every user sends ``/start`` once (so both bots know them). The process's
CPU time (user + system, from ``/proc``) over each round, divided by the updates, is the
CPU per update; updates over the round's wall-clock seconds the throughput. The buttons
pressed are found in the bots' replies, so the benchmark follows the handlers wherever
they go. Medians over the pairs, and Pestgesprek's ratio to the peer (each pair's ratio,
and their median), are printed as a Markdown table and written as JSON to
``tests/bench/results/``. ``--bots bare,peer,pestgesprek`` adds the bare bot
(``tests/bench/echo_bot.py``, python-telegram-bot that keeps nothing). A script, not a
test.

``BENCH_PROFILE=FILE`` runs Pestgesprek under ``cProfile`` and leaves its statistics in
``FILE`` (the CPU figures then count the profiler too). ``BENCH_PYSPY=FILE`` samples
every start of it with py-spy instead (every thread, aiosqlite's too, which cProfile does
not see), each start's collapsed stacks in ``FILE.1``, ``FILE.2``, …
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Case, Leader
from flows.replies import Awaiting
from tests.support.bot_api_standin import BotApiStandin
from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_records import TOKEN, BotMessage
from tests.support.standin_users import SimUser

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = Path(__file__).resolve().parent / "results"
ECHO_BOT = Path(__file__).resolve().parent / "echo_bot.py"
PEER_BOT = Path(__file__).resolve().parent / "durable_bot.py"
BOTS = ("bare", "peer", "pestgesprek")
#: The benchmark's users; the stored leaders' ids start at STORED_FIRST_ID.
FIRST_USER_ID = 6_000_001
STORED_FIRST_ID = 7_000_001
#: How long one answer may take before the run is called off.
ANSWER_TIMEOUT = 120.0
#: Presses one user makes alone, Telegram held back, to count a press's round trips.
PRESSES_ALONE = 9
#: Idle time before the resident memory is read.
IDLE_SECONDS = 2.0
SEED_CHUNK = 5_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    """One run of one bot."""

    bot: str
    startup_seconds: float
    startup_cpu_seconds: float
    rss_idle_kib: int
    mix_cpu_ms: float
    mix_updates_per_second: float
    start_cpu_ms: float
    start_updates_per_second: float
    tap_p50_ms: float
    tap_p99_ms: float
    press_p50_ms: float

    @property
    def rss_idle_mib(self) -> float:
        """``rss_idle_kib`` in MiB."""
        return self.rss_idle_kib / 1024


# -- the processes ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kib(pid: int) -> int:
    """Resident memory now (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Contender:
    """A bot process polling the stand-in."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.workdir = workdir
        self.log = workdir / f"{name}.log"
        self.process: asyncio.subprocess.Process | None = None
        self.sampler: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, api: BotApiStandin) -> tuple[float, float]:
        """Start the process; returns the seconds until its first getUpdates, and its CPU time."""
        polls = api.count_calls("getUpdates")
        started = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.command,
                cwd=self.workdir,
                env=self.env,
                stdout=log,
                stderr=log,
                stdin=asyncio.subprocess.DEVNULL,
            )
        while api.count_calls("getUpdates") == polls:
            if self.process.returncode is not None:
                raise RuntimeError(f"{self.name} stopped:\n{self.log.read_text()[-3000:]}")
            if time.perf_counter() - started > 60:
                raise RuntimeError(f"{self.name} did not poll within 60 s")
            await asyncio.sleep(0.002)
        cpu = cpu_seconds(self.process.pid)
        self.starts += 1
        sampled = os.environ.get("BENCH_PYSPY") if self.name == "pestgesprek" else None
        if sampled:
            # It writes its file when the bot stops.
            spy = Path(sys.executable).with_name("py-spy")
            self.sampler = await asyncio.create_subprocess_exec(
                *[str(spy), "record", "--threads", "--format", "raw", "--rate", "250"],
                *["--pid", str(self.pid), "--output", f"{sampled}.{self.starts}"],
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
        return time.perf_counter() - started, cpu

    async def stop(self) -> None:
        """SIGTERM, and SIGKILL when it does not stop."""
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout=20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self.sampler is not None:
            await self.sampler.wait()
            self.sampler = None


def bare_bot(api: BotApiStandin, workdir: Path) -> Contender:
    """The echo bot."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.root}
    return Contender("bare", [sys.executable, str(ECHO_BOT)], env, workdir)


def durable_peer(api: BotApiStandin, workdir: Path) -> Contender:
    """The durable peer, on its own SQLite file in ``workdir``."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.root,
        "PEER_DATABASE": str(workdir / "peer.sqlite3"),
    }
    return Contender("peer", [sys.executable, str(PEER_BOT)], env, workdir)


def pestgesprek(api: BotApiStandin, workdir: Path, database: Path) -> Contender:
    """``python -m bot`` on ``database``."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api.root,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "DATA_KEY": TEST_DATA_KEY,
        "LOG_LEVEL": "INFO",
        "TELEGRAM_RATE_LIMIT": "off",
        "PYTHONPATH": str(ROOT),
    }
    profile = os.environ.get("BENCH_PROFILE")
    command = [sys.executable, *(["-m", "cProfile", "-o", profile] if profile else []), "-m", "bot"]
    return Contender("pestgesprek", command, env, workdir)


def compile_sources() -> None:
    """Compile the bot's modules to bytecode, as installing the wheel does.

    The bare bot's libraries were compiled when they were installed; a checkout run with
    ``PYTHONDONTWRITEBYTECODE`` set would compile the bot's changed modules at every
    start-up, which no installation does.
    """
    for package in ("bot", "flows"):
        compileall.compile_dir(ROOT / package, quiet=1)


# -- the database ----------------------------------------------------------------------------


async def seed_database(path: Path, stored_leaders: int, stored_cases: int) -> float:
    """A migrated SQLite file with the stored leaders and cases; returns the seconds it took."""
    started = time.perf_counter()
    cipher = DataCipher((TEST_DATA_KEY,))
    use_cipher(cipher)
    database = Database(f"sqlite+aiosqlite:///{path}")
    now = datetime.now(UTC)
    try:
        await database.migrate()
        await database.check_key(cipher)
        owners = max(stored_leaders, 1 if stored_cases else 0)
        ids = [STORED_FIRST_ID + n for n in range(owners)]
        for chunk in range(0, owners, SEED_CHUNK):
            part = ids[chunk : chunk + SEED_CHUNK]
            async with database.session() as session, session.begin():
                # Each stored leader is in the middle of something: waiting for the facts.
                waiting = chunk < stored_leaders
                await session.execute(insert(Leader), [_leader(i, now, waiting) for i in part])
        for chunk in range(0, stored_cases, SEED_CHUNK):
            numbers = range(chunk, min(chunk + SEED_CHUNK, stored_cases))
            async with database.session() as session, session.begin():
                # Encrypted like every nickname, through the model's own column type.
                session.add_all(_case(ids[n % owners], now) for n in numbers)
    finally:
        await database.dispose()
    return time.perf_counter() - started


def _leader(leader_id: int, now: datetime, waiting: bool) -> dict[str, Any]:
    return {
        "id": leader_id,
        "awaiting": Awaiting.FACTS if waiting else Awaiting.NOTHING,
        "language": "en",
        "created_at": now - timedelta(days=30),
        "last_seen_at": now - timedelta(days=2),
        "time_zone": "Europe/Brussels",
        "quiet_start": "22:00",
        "quiet_end": "08:00",
    }


def _case(leader_id: int, now: datetime) -> Case:
    return Case(
        leader_id=leader_id,
        victim_nickname="Sam",
        created_at=now - timedelta(days=7),
        updated_at=now - timedelta(days=2),
    )


# -- the users -------------------------------------------------------------------------------


async def command(user: SimUser, text: str) -> BotMessage:
    """Send a command; the bot's next new message is its answer."""
    await user.send(text)
    return await user.expect_new_message(ANSWER_TIMEOUT)


async def press_first(user: SimUser, message: BotMessage) -> None:
    """Press the first button of ``message``; done when the press is answered and shown."""
    label = message.button_texts[0]
    await user.press(message, label)
    await user.expect_callback_answer(ANSWER_TIMEOUT)
    await user.chat.expect("", ANSWER_TIMEOUT)  # the edit (or new message) it brought


async def mix(user: SimUser, count: int) -> None:
    """``/start``, ``/criteria``, a press on the checklist, … ``count`` updates in all."""
    checklist: BotMessage | None = None
    for number in range(count):
        match number % 3:
            case 0:
                await command(user, "/start")
            case 1:
                checklist = await command(user, "/criteria")
            case _:
                assert checklist is not None
                await press_first(user, checklist)


async def starts(user: SimUser, count: int) -> None:
    """``/start`` ``count`` times."""
    for _ in range(count):
        await command(user, "/start")


async def taps(user: SimUser, count: int, seconds: list[float]) -> None:
    """The mix, one update at a time; each update's seconds from tap to screen."""
    checklist: BotMessage | None = None
    for number in range(count):
        started = time.perf_counter()
        match number % 3:
            case 0:
                await command(user, "/start")
            case 1:
                checklist = await command(user, "/criteria")
            case _:
                assert checklist is not None
                await press_first(user, checklist)
        seconds.append(time.perf_counter() - started)


async def presses_alone(user: SimUser, count: int, seconds: list[float]) -> None:
    """A press on a new checklist, ``count`` times; each press's seconds until its new
    screen and its answer are both there (the round trips a press costs)."""
    for _ in range(count):
        checklist = await command(user, "/criteria")
        started = time.perf_counter()
        await press_first(user, checklist)
        seconds.append(time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


async def round_of(
    contender: Contender,
    users: list[SimUser],
    script: Callable[[SimUser, int], Awaitable[None]],
    count: int,
) -> tuple[float, float]:
    """Every user runs ``script`` at once; returns (CPU ms per update, updates a second)."""
    cpu = cpu_seconds(contender.pid)
    started = time.perf_counter()
    await asyncio.gather(*(script(user, count) for user in users))
    elapsed = time.perf_counter() - started
    updates = len(users) * count
    return (cpu_seconds(contender.pid) - cpu) * 1000 / updates, updates / elapsed


async def one_run(name: str, args: argparse.Namespace, template: Path, folder: Path) -> Figures:
    """Start one bot against a fresh stand-in, measure, stop."""
    workdir = folder / f"{name}-{time.monotonic_ns()}"
    workdir.mkdir()
    async with BotApiStandin(long_poll_cap=10.0) as api:
        if name == "bare":
            contender = bare_bot(api, workdir)
        elif name == "peer":
            contender = durable_peer(api, workdir)
        else:
            database = workdir / "bot.sqlite3"
            shutil.copyfile(template, database)
            contender = pestgesprek(api, workdir, database)
        users = [
            api.user(FIRST_USER_ID + n, f"Leider{n}", language_code="en") for n in range(args.users)
        ]
        try:
            startups = [await contender.start(api)]
            await asyncio.sleep(IDLE_SECONDS)
            rss = rss_kib(contender.pid)
            await asyncio.gather(*(starts(user, 1) for user in users))  # warm-up
            mix_cpu, mix_rate = await round_of(contender, users, mix, args.per_user)
            start_cpu, start_rate = await round_of(contender, users, starts, args.per_user)
            api.latency = args.latency_ms / 1000
            tapped: list[float] = []
            await asyncio.gather(
                *(taps(u, args.tap_updates, tapped) for u in users[: args.tap_users])
            )
            pressed: list[float] = []
            await presses_alone(users[0], PRESSES_ALONE, pressed)
            api.latency = 0.0
            for _ in range(args.startups - 1):
                await contender.stop()
                startups.append(await contender.start(api))
        finally:
            await contender.stop()
    wall = statistics.median(seconds for seconds, _ in startups)
    cpu = statistics.median(seconds for _, seconds in startups)
    return Figures(
        name,
        wall,
        cpu,
        rss,
        mix_cpu,
        mix_rate,
        start_cpu,
        start_rate,
        percentile(tapped, 0.5) * 1000,
        percentile(tapped, 0.99) * 1000,
        statistics.median(pressed) * 1000,
    )


# -- reporting -------------------------------------------------------------------------------

ROWS = [
    ("CPU per update, mix of /start, /criteria, a press", "mix_cpu_ms", "{:.2f} ms", "lower"),
    ("CPU per update, all /start", "start_cpu_ms", "{:.2f} ms", "lower"),
    ("updates per second, mix", "mix_updates_per_second", "{:.1f}", "higher"),
    ("updates per second, all /start", "start_updates_per_second", "{:.1f}", "higher"),
    ("start-up to the first getUpdates", "startup_seconds", "{:.2f} s", "lower"),
    ("CPU time of that start-up", "startup_cpu_seconds", "{:.2f} s", "lower"),
    ("RSS idle", "rss_idle_mib", "{:.0f} MiB", "lower"),
    ("tap to screen, replies held back, p50", "tap_p50_ms", "{:.1f} ms", "lower"),
    ("tap to screen, replies held back, p99", "tap_p99_ms", "{:.1f} ms", "lower"),
    ("a press alone, held back, median", "press_p50_ms", "{:.1f} ms", "lower"),
]


def median_of(runs: list[Figures], name: str, attribute: str) -> float:
    return statistics.median(float(getattr(r, attribute)) for r in runs if r.bot == name)


def markdown_table(runs: list[Figures]) -> str:
    """Medians per bot; Pestgesprek's ratio to the peer: the median of the pairs' ratios."""
    names = [name for name in BOTS if any(r.bot == name for r in runs)]
    lines = [
        "| figure | " + " | ".join(names) + " | ratio to the peer (pairs) |",
        "|---|" + "---:|" * len(names) + "---|",
    ]
    peers = [r for r in runs if r.bot == "peer"]
    ours = [r for r in runs if r.bot == "pestgesprek"]
    for label, attribute, shape, _better in ROWS:
        values = [shape.format(median_of(runs, name, attribute)) for name in names]
        pairs = [
            float(getattr(o, attribute)) / float(getattr(p, attribute))
            for p, o in zip(peers, ours, strict=False)
            if float(getattr(p, attribute))
        ]
        ratio = (
            f"{statistics.median(pairs):.2f}× ({', '.join(f'{r:.2f}' for r in pairs)})"
            if pairs
            else "—"
        )
        lines.append(f"| {label} | " + " | ".join(values) + f" | {ratio} |")
    return "\n".join(lines)


def write_json(runs: list[Figures], args: argparse.Namespace, stamp: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"per_update-{stamp}.json"
    payload = {
        "benchmark": "per_update",
        "started": stamp,
        "command": " ".join(["python -m tests.bench.per_update", *sys.argv[1:]]),
        "arguments": vars(args),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_end": os.getloadavg(),
        },
        "runs": [asdict(r) for r in runs],
        "table": markdown_table(runs),
    }
    path.write_text(json.dumps(payload, indent=2))
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.per_update",
        description="CPU, throughput, start-up and memory per update, next to a bare bot.",
    )
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--per-user", type=int, default=10, help="updates per user and round")
    parser.add_argument(
        "--startups", type=int, default=5, help="start-ups per run (their median counts)"
    )
    parser.add_argument("--stored-leaders", type=int, default=0)
    parser.add_argument("--stored-cases", type=int, default=0)
    parser.add_argument(
        "--bots", default="peer,pestgesprek", help="which bots, comma-separated: " + ", ".join(BOTS)
    )
    parser.add_argument("--only", choices=BOTS, help="run one bot only")
    parser.add_argument("--latency-ms", type=float, default=60.0, help="held back, tap to screen")
    parser.add_argument("--tap-users", type=int, default=15)
    parser.add_argument("--tap-updates", type=int, default=9)
    args = parser.parse_args(argv)
    if min(args.pairs, args.users, args.per_user, args.startups, args.tap_updates) < 1:
        parser.error("--pairs, --users, --per-user, --startups, --tap-updates must be positive")
    if not 1 <= args.tap_users <= args.users:
        parser.error("--tap-users must be between 1 and --users")
    args.names = [args.only] if args.only else args.bots.split(",")
    if not set(args.names) <= set(BOTS):
        parser.error("--bots: " + ", ".join(BOTS))
    return args


async def main(argv: list[str] | None = None) -> int:
    """Seed once, then alternate the two bots ``--pairs`` times."""
    args = parse_args(argv)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    names = args.names
    runs: list[Figures] = []
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="per-update-") as name:
        folder = Path(name)
        template = folder / "template.sqlite3"
        seconds = await seed_database(template, args.stored_leaders, args.stored_cases)
        print(f"seeded {args.stored_leaders} leaders, {args.stored_cases} cases in {seconds:.1f} s")
        for pair in range(args.pairs):
            order = names if pair % 2 == 0 else names[::-1]
            for bot in order:
                figures = await one_run(bot, args, template, folder)
                runs.append(figures)
                print(f"pair {pair + 1} {bot}: {figures}", flush=True)
    print()
    print(markdown_table(runs))
    print("\nload average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with contextlib.suppress(OSError):
        print(f"\nJSON: {write_json(runs, args, stamp)}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
