"""Benchmark: a burst of due nudges, sent by the real bot process through the stand-in Bot API.

Run it from the project folder::

    .venv/bin/python -m tests.bench.nudge_burst [--reminders 10000 --leaders 2000]
                                                [--scenario all|limited|killed|unlimited]
                                                [--database sqlite|postgresql]
                                                [--stored-cases N]

Every scenario seeds a fresh database (a SQLite file, or with ``--database postgresql`` a
database on a throw-away PostgreSQL server on 127.0.0.1) with ``--reminders`` follow-up
reminders spread over ``--leaders`` leaders, all due one minute ago, starts ``python -m bot``
against the stand-in Bot API server (``tests.support.bot_api_standin``) and watches what arrives
there:

* ``limited``: the stand-in refuses with 429 beyond Telegram's limits (30 messages a second,
  1 a second per chat); the ideal time is ``reminders / 30`` seconds;
* ``killed``: the same, but the bot is killed with SIGKILL when half the nudges have arrived
  and started again at once; the reminders it had claimed but not yet marked sent are counted
  right after the kill (claimed again once their claims lapse, after ``CLAIM_LEASE``: at
  least once);
* ``unlimited``: no limits anywhere (``TELEGRAM_RATE_LIMIT=off``): the raw dispatch rate.

Each child's nickname ("K00001", ...) is unique, so every message the stand-in accepted is
matched to its reminder: duplicates and losses are counted per reminder. The results are
printed as a Markdown table and written as JSON (with the bot's logs) to
``tests/bench/results/``. This is a script, not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage.database import Database
from bot.storage.encryption import DataCipher, use_cipher
from bot.storage.models import Agreement, Case, Child, Leader, Reminder
from bot.storage.reminders import CLAIM_LEASE
from flows.case import Consent, Role
from flows.follow_up import ReminderKind, ReminderStatus
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.postgres import create_database, drop_database, postgres_server
from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_users import SimUser

#: Telegram's limit for a bot: messages a second over all chats.
TELEGRAM_MESSAGES_PER_SECOND = 30
#: The first leader's Telegram id; the others follow.
FIRST_LEADER_ID = 5_000_001
#: Rows per INSERT transaction when seeding.
SEED_CHUNK = 5_000
#: How often the stand-in's chats are looked at, and how often progress is printed.
POLL_SECONDS = 0.1
PROGRESS_SECONDS = 10.0
#: After the last nudge and an empty queue, how long to keep watching for stray duplicates.
QUIET_SECONDS = 3.0
#: A stretch this long without any accepted message counts as a pause in sending.
PAUSE_SECONDS = 0.5
RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Scenario:
    """How one run differs from the others."""

    name: str
    rate_limited: bool
    """Telegram's limits on both sides: the bot's rate limiter and 429s from the stand-in."""
    kill_at_half: bool
    """SIGKILL the bot when half the nudges have arrived, and start it again at once."""


SCENARIOS = {
    "limited": Scenario("limited", rate_limited=True, kill_at_half=False),
    "killed": Scenario("killed", rate_limited=True, kill_at_half=True),
    "unlimited": Scenario("unlimited", rate_limited=False, kill_at_half=False),
}


@dataclass
class Seed:
    """What was put in the database: who gets which nudge."""

    database_url: str
    leader_ids: list[int]
    nicknames: dict[int, str]
    """Reminder id → the unique nickname of its child, which its nudge shows."""
    seconds: float


@dataclass
class KillReport:
    """The state of things right after the SIGKILL."""

    at_seconds: float
    delivered_before: int
    in_flight: int
    """Reminders in ``sending`` right after the kill: claimed, not recorded as sent."""
    in_flight_already_delivered: int
    """Of those, how many the stand-in had accepted already (each becomes a duplicate)."""
    restart_seconds: float
    """From the kill until the new process polled for updates."""


@dataclass
class Result:
    """One scenario's measurements (``seconds`` is ``None`` when not all nudges came)."""

    scenario: str
    reminders: int
    leaders: int
    ideal_seconds: float
    deadline_seconds: float
    seconds: float | None
    """From starting the bot process until every nudge had arrived at least once."""
    first_nudge_seconds: float | None
    settled_seconds: float
    """Until nothing was pending or sending any more (or the deadline)."""
    delivered: int
    messages: int
    duplicates: int
    duplicated_reminders: int
    losses: int
    late_nudges: int
    paused_seconds: float
    """Seconds between the first and the last nudge in which nothing was sent (≥ 0.5 s)."""
    longest_pause_seconds: float
    unmatched_messages: int
    flood_429s: int
    other_refusals: int
    peak_rss_kib: int
    peak_rss_kib_per_process: list[int]
    final_statuses: dict[str, int]
    seed_seconds: float
    cpu_seconds: float = 0.0
    """The bot processes' CPU time (user + system), start-up included."""
    last_nudge_seconds: float | None = None
    kill: KillReport | None = None
    log_levels: dict[str, int] = field(default_factory=dict)
    log_top_lines: list[tuple[str, int]] = field(default_factory=list)
    log_file: str | None = None

    @property
    def ratio(self) -> float | None:
        """Time taken over the time Telegram's 30 messages a second allow."""
        return None if self.seconds is None else self.seconds / self.ideal_seconds

    @property
    def sending_per_second(self) -> float:
        """Distinct nudges a second from the first to the last one (start-up left out)."""
        first, last = self.first_nudge_seconds, self.last_nudge_seconds
        if first is None or last is None or last <= first:
            return 0.0
        return self.delivered / (last - first)

    @property
    def cpu_ms_per_nudge(self) -> float:
        """The bot's CPU time per distinct nudge, start-up included."""
        return self.cpu_seconds * 1000 / self.delivered if self.delivered else 0.0

    @property
    def messages_per_second(self) -> float:
        """Distinct nudges a second, up to the last one (or the deadline)."""
        elapsed = self.seconds if self.seconds is not None else self.deadline_seconds
        return self.delivered / elapsed if elapsed else 0.0


# -- seeding ---------------------------------------------------------------------------------


def nickname_width(reminders: int) -> int:
    """Digits in a nickname: at least five ("K00001"), more for a bigger run."""
    return max(5, len(str(reminders)))


async def seed_database(
    database_url: str, reminders: int, leaders: int, now: datetime, stored_cases: int = 0
) -> Seed:
    """A fresh, migrated database with ``reminders`` due follow-ups over ``leaders`` leaders.

    Leader ``l`` has one open case; reminder ``i`` (1-based) belongs to child ``i`` of
    the case of leader ``(i - 1) % leaders``, so consecutive reminders go to different
    leaders, as when reminders are planned over days. Every child has one agreement
    and one pending follow-up reminder, due a minute ago (not late: see
    ``flows.follow_up_timing.is_late``). ``stored_cases`` more open cases without
    reminders are spread over the leaders: what is stored but not due.
    """
    started = time.perf_counter()
    cipher = DataCipher((TEST_DATA_KEY,))
    use_cipher(cipher)
    database = Database(database_url)
    width = nickname_width(reminders)
    leader_ids = [FIRST_LEADER_ID + n for n in range(leaders)]
    due_at = now - timedelta(minutes=1)
    held_at = now - timedelta(days=2)
    try:
        await database.migrate()
        await database.check_key(cipher)
        await _insert(database, Leader, [_leader_row(lid, now) for lid in leader_ids])
        await _insert(
            database, Case, [_case_row(n + 1, lid, now) for n, lid in enumerate(leader_ids)]
        )
        for chunk_start in range(0, reminders, SEED_CHUNK):
            indexes = range(chunk_start + 1, min(chunk_start + SEED_CHUNK, reminders) + 1)
            async with database.session() as session, session.begin():
                children, agreements, rows = [], [], []
                for i in indexes:
                    leader_index = (i - 1) % leaders
                    children.append(
                        {
                            "id": i,
                            "case_id": leader_index + 1,
                            "position": (i - 1) // leaders,
                            "nickname": f"K{i:0{width}d}",
                            "role": Role.PESTER,
                            "consent": Consent.AGREED,
                            "may_tell": "that it hurts",
                            "witnessed": True,
                            "facts": "pushed Sam at the campfire",
                            "feeling": "sad",
                            "held_at": held_at,
                        }
                    )
                    agreements.append(
                        {"id": i, "child_id": i, "text": "say sorry to Sam", "created_at": held_at}
                    )
                    rows.append(
                        {
                            "id": i,
                            "leader_id": leader_ids[leader_index],
                            "case_id": leader_index + 1,
                            "child_id": i,
                            "kind": ReminderKind.FOLLOW_UP,
                            "due_at": due_at,
                            "status": ReminderStatus.PENDING,
                            "choice": "2d",
                            "attempts": 0,
                            "created_at": held_at,
                            "late": False,
                        }
                    )
                await session.execute(insert(Child), children)
                await session.execute(insert(Agreement), agreements)
                await session.execute(insert(Reminder), rows)
        for chunk_start in range(0, stored_cases, SEED_CHUNK):
            numbers = range(chunk_start, min(chunk_start + SEED_CHUNK, stored_cases))
            extra = [_case_row(leaders + n + 1, leader_ids[n % leaders], now) for n in numbers]
            await _insert(database, Case, extra)
    finally:
        await database.dispose()
    nicknames = {i: f"K{i:0{width}d}" for i in range(1, reminders + 1)}
    return Seed(database_url, leader_ids, nicknames, time.perf_counter() - started)


async def _insert(database: Database, model: type, rows: list[dict[str, Any]]) -> None:
    """One bulk INSERT in its own transaction."""
    async with database.session() as session, session.begin():
        await session.execute(insert(model), rows)


def _leader_row(leader_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": leader_id,
        "language": "en",
        "created_at": now - timedelta(days=30),
        "last_seen_at": now - timedelta(days=2),
        "time_zone": "Europe/Brussels",
        "quiet_start": "22:00",
        "quiet_end": "08:00",
    }


def _case_row(case_id: int, leader_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": case_id,
        "leader_id": leader_id,
        "victim_nickname": "Sam",
        "created_at": now - timedelta(days=7),
        "updated_at": now - timedelta(days=2),
    }


def sqlite_url(path: Path) -> str:
    """The bot's DATABASE_URL for a SQLite file."""
    return f"sqlite+aiosqlite:///{path}"


class Peek:
    """Reads the reminders' statuses beside the running bot (WAL or MVCC allows it)."""

    def __init__(self, database_url: str) -> None:
        self.engine = create_async_engine(database_url)

    async def status_counts(self) -> dict[str, int]:
        """How many reminders are in each status now."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT status, COUNT(*) FROM reminders GROUP BY status")
            )
            return {status: count for status, count in rows}

    async def due_or_sending(self) -> int:
        """How many reminders are due now and not sent, or being sent.

        A follow-up reminder sent and not answered is planned again for later (the
        leader's next activity): pending, but not due, so not part of the burst.
        """
        async with self.engine.connect() as connection:
            found = await connection.scalar(
                select(func.count())
                .select_from(Reminder)
                .where(
                    or_(
                        Reminder.status == ReminderStatus.SENDING.value,
                        and_(
                            Reminder.status == ReminderStatus.PENDING.value,
                            Reminder.due_at <= datetime.now(UTC),
                        ),
                    )
                )
            )
            return int(found or 0)

    async def claimed_ids(self) -> list[int]:
        """The reminders in ``sending``: claimed by a process, not yet recorded as sent."""
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT id FROM reminders WHERE status = :sending"),
                {"sending": ReminderStatus.SENDING.value},
            )
            return [reminder_id for (reminder_id,) in rows]

    async def dispose(self) -> None:
        await self.engine.dispose()


# -- watching the stand-in -------------------------------------------------------------------


class DeliveryTracker:
    """Counts the nudges the stand-in accepted, per nickname, as they arrive."""

    def __init__(self, users: list[SimUser], width: int) -> None:
        self.users = users
        self.pattern = re.compile(rf"\bK\d{{{width}}}\b")
        self.counts: Counter[str] = Counter()
        self.messages = 0
        self.late = 0
        self.unmatched = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.arrivals: list[float] = []
        self._cursors = [0] * len(users)

    def poll(self, now: float) -> None:
        """Take in the messages sent since the last poll (``now`` stamps them)."""
        for index, user in enumerate(self.users):
            events = user.chat.events
            for event in events[self._cursors[index] :]:
                if event.kind == "message":
                    self._take(event.text, now)
            self._cursors[index] = len(events)

    def _take(self, text: str, now: float) -> None:
        self.messages += 1
        self.last_at = now
        self.arrivals.append(now)
        if self.first_at is None:
            self.first_at = now
        if text.startswith("⏰"):  # the late note, above the nudge
            self.late += 1
        found = set(self.pattern.findall(text))
        if len(found) != 1:
            self.unmatched += 1
            return
        self.counts[found.pop()] += 1

    @property
    def delivered(self) -> int:
        """Distinct nudges that arrived at least once."""
        return len(self.counts)

    @property
    def duplicates(self) -> int:
        """Messages beyond the first for the same nudge."""
        return sum(count - 1 for count in self.counts.values() if count > 1)

    @property
    def duplicated(self) -> int:
        """Nudges that arrived more than once."""
        return sum(1 for count in self.counts.values() if count > 1)

    def pauses(self, until: float | None) -> tuple[float, float]:
        """Seconds without any message (stretches of ``PAUSE_SECONDS`` or more) and the longest.

        Counted from the first message to ``until`` (the last nudge); the resolution is
        ``POLL_SECONDS``. Pauses are where the bot claimed and rendered the next batch,
        waited out a 429, or waited for stale claims.
        """
        times = [t for t in self.arrivals if until is None or t <= until]
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        long_gaps = [gap for gap in gaps if gap >= PAUSE_SECONDS]
        return sum(long_gaps), max(gaps, default=0.0)


def mark_started(api: BotApiStandin, leader_ids: list[int]) -> list[SimUser]:
    """Simulated leaders who wrote to the bot before, so it may message them.

    Not with ``send("/start")``: the bot would answer that, and those answers are not nudges.
    """
    users = []
    for number, leader_id in enumerate(leader_ids, start=1):
        user = api.user(leader_id, f"Leider{number}", language_code="en")
        user.seen = user.started = True
        users.append(user)
    return users


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system); 0 when it cannot be read."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def peak_rss_kib(pid: int) -> int:
    """The process's peak resident set size (VmHWM), in KiB; 0 when it cannot be read."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


# -- the bot's log ---------------------------------------------------------------------------

_LOG_LINE = re.compile(r"^\S+ \S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (.*)$")


def summarise_log(path: Path, top: int = 12) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Lines per level, and the most frequent WARNING/ERROR lines and other oddities.

    Numbers are replaced by ``#`` so lines that differ only in ids or times count together;
    lines that are not log records (tracebacks) are counted as ``other``.
    """
    levels: Counter[str] = Counter()
    notable: Counter[str] = Counter()
    if not path.exists():
        return {}, []
    for line in path.read_text(errors="replace").splitlines():
        match = _LOG_LINE.match(line)
        if match is None:
            levels["other"] += 1
            if line.strip() and not line.startswith(" "):
                notable[re.sub(r"\d+(\.\d+)?", "#", line)[:160]] += 1
            continue
        level, message = match.groups()
        levels[level] += 1
        if level in ("WARNING", "ERROR", "CRITICAL") or "Rate limit" in message:
            notable[f"{level} " + re.sub(r"\d+(\.\d+)?", "#", message)[:160]] += 1
    return dict(levels), notable.most_common(top)


# -- one scenario ----------------------------------------------------------------------------


def ideal_seconds(reminders: int) -> float:
    """What Telegram's limit allows: ``reminders / 30`` seconds."""
    return reminders / TELEGRAM_MESSAGES_PER_SECOND


def deadline_seconds(scenario: Scenario, reminders: int) -> float:
    """Three times the ideal; a killed run also waits for its claims to lapse."""
    deadline = 3 * ideal_seconds(reminders)
    if scenario.kill_at_half:
        deadline += CLAIM_LEASE.total_seconds() + 30
    return deadline


class Run:
    """One scenario from a fresh database to a stopped bot."""

    def __init__(
        self,
        scenario: Scenario,
        reminders: int,
        leaders: int,
        log_level: str,
        *,
        postgres_admin_url: str | None = None,
        stored_cases: int = 0,
    ) -> None:
        self.scenario = scenario
        self.reminders = reminders
        self.leaders = leaders
        self.log_level = log_level
        self.postgres_admin_url = postgres_admin_url
        self.stored_cases = stored_cases
        self.rss: list[int] = []
        self.cpu: list[float] = []
        self.kill: KillReport | None = None
        self.peek: Peek | None = None

    def say(self, text: str) -> None:
        """A progress line."""
        print(f"[{self.scenario.name}] {text}", flush=True)

    async def execute(self, keep_log: Path) -> Result:
        """Seed, start the stand-in and the bot, wait for the nudges, stop everything."""
        with tempfile.TemporaryDirectory(prefix="nudge-burst-") as folder:
            workdir = Path(folder)
            admin = self.postgres_admin_url
            if admin is None:
                url, name = sqlite_url(workdir / "bot.sqlite3"), ""
            else:
                url, name = await create_database(admin)
            try:
                return await self._execute(workdir, url, keep_log)
            finally:
                if self.peek is not None:
                    await self.peek.dispose()
                if admin is not None:
                    await drop_database(admin, name)

    async def _execute(self, workdir: Path, url: str, keep_log: Path) -> Result:
        seed = await seed_database(
            url, self.reminders, self.leaders, datetime.now(UTC), self.stored_cases
        )
        self.peek = peek = Peek(url)
        self.say(
            f"seeded {self.reminders} reminders for {self.leaders} leaders in {seed.seconds:.1f} s"
        )
        async with BotApiStandin() as api:
            if self.scenario.rate_limited:
                api.limit_rate(global_per_second=30, per_chat_per_second=1)
            tracker = DeliveryTracker(
                mark_started(api, seed.leader_ids), nickname_width(self.reminders)
            )
            bot = BotProcess(api, url, workdir)
            bot.env.update(
                {
                    "REMINDER_INTERVAL_SECONDS": "1",
                    "TELEGRAM_RATE_LIMIT": "on" if self.scenario.rate_limited else "off",
                    "LOG_LEVEL": self.log_level,
                }
            )
            try:
                timings = await self._watch(api, bot, tracker, seed)
            finally:
                await self._stop(bot)
                if bot.log.exists():
                    shutil.copyfile(bot.log, keep_log)
            statuses = await peek.status_counts()
        return self._result(api, tracker, seed, statuses, timings, keep_log)

    async def _watch(
        self, api: BotApiStandin, bot: BotProcess, tracker: DeliveryTracker, seed: Seed
    ) -> tuple[float | None, float]:
        """Start the bot and follow the nudges; returns (all delivered, settled) in seconds."""
        loop = asyncio.get_running_loop()
        deadline = deadline_seconds(self.scenario, self.reminders)
        start = loop.time()
        await bot.start(api)
        self.say(f"bot polling after {loop.time() - start:.1f} s")
        all_delivered: float | None = None
        next_progress = PROGRESS_SECONDS
        while (elapsed := loop.time() - start) < deadline:
            tracker.poll(elapsed)
            if all_delivered is None and tracker.delivered >= self.reminders:
                all_delivered = elapsed
                self.say(f"all {self.reminders} nudges delivered after {elapsed:.1f} s")
            if (
                self.scenario.kill_at_half
                and self.kill is None
                and tracker.delivered >= self.reminders // 2
            ):
                await self._kill_and_restart(api, bot, tracker, seed, start)
            if elapsed >= next_progress:
                next_progress += PROGRESS_SECONDS
                await self._progress(api, tracker, elapsed)
            if all_delivered is not None and await self._settled(tracker, elapsed):
                return all_delivered, elapsed
            await asyncio.sleep(POLL_SECONDS)
        self.say(f"deadline of {deadline:.0f} s reached")
        return all_delivered, loop.time() - start

    async def _settled(self, tracker: DeliveryTracker, elapsed: float) -> bool:
        """Nothing due or being sent, and no message for a few seconds."""
        if tracker.last_at is not None and elapsed - tracker.last_at < QUIET_SECONDS:
            return False
        assert self.peek is not None
        return await self.peek.due_or_sending() == 0

    async def _progress(self, api: BotApiStandin, tracker: DeliveryTracker, elapsed: float) -> None:
        assert self.peek is not None
        statuses = await self.peek.status_counts()
        self.say(
            f"{elapsed:6.1f} s: {tracker.delivered}/{self.reminders} delivered, "
            f"{tracker.messages} messages, {len(api.flood_refusals)} × 429, db {statuses}"
        )

    async def _kill_and_restart(
        self,
        api: BotApiStandin,
        bot: BotProcess,
        tracker: DeliveryTracker,
        seed: Seed,
        start: float,
    ) -> None:
        """SIGKILL, count the claimed reminders and which of them already arrived, restart."""
        loop = asyncio.get_running_loop()
        assert bot.process is not None
        self.rss.append(peak_rss_kib(bot.process.pid))
        self.cpu.append(cpu_seconds(bot.process.pid))
        await bot.kill()
        killed_at = loop.time() - start
        tracker.poll(killed_at)  # whatever the stand-in accepted before the process died
        assert self.peek is not None
        in_flight = await self.peek.claimed_ids()
        already = sum(1 for rid in in_flight if tracker.counts[seed.nicknames[rid]] > 0)
        await bot.start(api)
        self.kill = KillReport(
            at_seconds=killed_at,
            delivered_before=tracker.delivered,
            in_flight=len(in_flight),
            in_flight_already_delivered=already,
            restart_seconds=loop.time() - start - killed_at,
        )
        self.say(
            f"killed at {killed_at:.1f} s with {tracker.delivered} delivered: "
            f"{len(in_flight)} reminders in 'sending', {already} of them already delivered; "
            f"restarted in {self.kill.restart_seconds:.1f} s"
        )

    async def _stop(self, bot: BotProcess) -> None:
        """Read the peak RSS, then stop the bot (SIGTERM, SIGKILL if it hangs)."""
        process = bot.process
        if process is None or process.returncode is not None:
            return
        self.rss.append(peak_rss_kib(process.pid))
        self.cpu.append(cpu_seconds(process.pid))
        try:
            await bot.terminate()
        except TimeoutError:
            self.say("the bot did not stop within 20 s of SIGTERM: killed")
            await bot.kill()

    def _result(
        self,
        api: BotApiStandin,
        tracker: DeliveryTracker,
        seed: Seed,
        statuses: dict[str, int],
        timings: tuple[float | None, float],
        log: Path,
    ) -> Result:
        all_delivered, settled = timings
        levels, top = summarise_log(log)
        paused, longest = tracker.pauses(all_delivered)
        return Result(
            scenario=self.scenario.name,
            reminders=self.reminders,
            leaders=self.leaders,
            ideal_seconds=ideal_seconds(self.reminders),
            deadline_seconds=deadline_seconds(self.scenario, self.reminders),
            seconds=all_delivered,
            first_nudge_seconds=tracker.first_at,
            settled_seconds=settled,
            delivered=tracker.delivered,
            messages=tracker.messages,
            duplicates=tracker.duplicates,
            duplicated_reminders=tracker.duplicated,
            losses=self.reminders - tracker.delivered,
            late_nudges=tracker.late,
            paused_seconds=paused,
            longest_pause_seconds=longest,
            unmatched_messages=tracker.unmatched,
            flood_429s=len(api.flood_refusals),
            other_refusals=len(api.refusals),
            peak_rss_kib=max(self.rss, default=0),
            peak_rss_kib_per_process=self.rss,
            cpu_seconds=sum(self.cpu),
            last_nudge_seconds=tracker.last_at,
            final_statuses=statuses,
            seed_seconds=seed.seconds,
            kill=self.kill,
            log_levels=levels,
            log_top_lines=top,
            log_file=str(log),
        )


# -- reporting -------------------------------------------------------------------------------


def markdown_table(results: list[Result]) -> str:
    """The summary table."""
    ideal = results[0].ideal_seconds if results else 0.0
    lines = [
        f"| scenario | nudges | seconds | ratio to {ideal:.0f} s | msgs/s | sending msgs/s "
        "| CPU/nudge | duplicates | losses | 429s | peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        seconds = f"{r.seconds:.1f}" if r.seconds is not None else f"> {r.deadline_seconds:.0f}"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "—"
        lines.append(
            f"| {r.scenario} | {r.delivered}/{r.reminders} | {seconds} | {ratio} "
            f"| {r.messages_per_second:.1f} | {r.sending_per_second:.1f} "
            f"| {r.cpu_ms_per_nudge:.2f} ms | {r.duplicates} | {r.losses} | {r.flood_429s} "
            f"| {r.peak_rss_kib / 1024:.0f} MiB |"
        )
    return "\n".join(lines)


def notes(results: list[Result]) -> str:
    """What the table does not show: the kill, late nudges, refusals, the bot's log."""
    out = []
    for r in results:
        out.append(
            f"- {r.scenario}: first nudge after {r.first_nudge_seconds or 0:.1f} s, settled after "
            f"{r.settled_seconds:.1f} s; nothing sent for {r.paused_seconds:.1f} s in pauses "
            f"(longest {r.longest_pause_seconds:.1f} s); "
            f"{r.messages} messages, {r.late_nudges} marked late, "
            f"{r.unmatched_messages} unmatched, {r.other_refusals} other refusals; "
            f"final statuses {r.final_statuses}; seeding took {r.seed_seconds:.1f} s"
        )
        if r.kill is not None:
            k = r.kill
            out.append(
                f"  - killed at {k.at_seconds:.1f} s ({k.delivered_before} delivered): "
                f"{k.in_flight} in flight ('sending'), {k.in_flight_already_delivered} of them "
                f"already delivered → expected duplicates; measured {r.duplicates} "
                f"({r.duplicated_reminders} reminders); restart took {k.restart_seconds:.1f} s"
            )
        out.append(f"  - bot log lines per level: {r.log_levels}")
        out.extend(f"    - {count} × {line}" for line, count in r.log_top_lines)
    return "\n".join(out)


def write_json(results: list[Result], args: argparse.Namespace, stamp: str) -> Path:
    """The results, with the run's parameters and machine, as JSON."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"nudge_burst-{stamp}.json"
    payload = {
        "benchmark": "nudge_burst",
        "started": stamp,
        "command": " ".join(["python -m tests.bench.nudge_burst", *sys.argv[1:]]),
        "arguments": vars(args),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "results": [
            {
                **asdict(r),
                "ratio": r.ratio,
                "messages_per_second": r.messages_per_second,
                "sending_per_second": r.sending_per_second,
                "cpu_ms_per_nudge": r.cpu_ms_per_nudge,
            }
            for r in results
        ],
    }
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path


# -- command line ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """``--reminders``, ``--leaders``, ``--scenario``, ``--log-level``."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.nudge_burst",
        description="How fast the bot sends a burst of due nudges, and whether any is lost.",
    )
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--leaders", type=int, default=2_000)
    parser.add_argument("--scenario", choices=["all", *SCENARIOS], default="all")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="a SQLite file, or a throw-away PostgreSQL server on 127.0.0.1 "
        "(the machine's initdb and pg_ctl, as the tests use)",
    )
    parser.add_argument(
        "--stored-cases",
        type=int,
        default=0,
        help="open cases without reminders besides the due ones (stored, not due)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        help="the bot's LOG_LEVEL (INFO, as in production; DEBUG logs every request)",
    )
    args = parser.parse_args(argv)
    if args.reminders < 1 or args.leaders < 1 or args.stored_cases < 0:
        parser.error("--reminders and --leaders must be positive, --stored-cases not negative")
    return args


async def main(argv: list[str] | None = None) -> int:
    """Run the chosen scenarios one after the other and report."""
    args = parse_args(argv)
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    with contextlib.ExitStack() as stack:
        admin = stack.enter_context(postgres_server()) if args.database == "postgresql" else None
        for name in names:
            run = Run(
                SCENARIOS[name],
                args.reminders,
                args.leaders,
                args.log_level,
                postgres_admin_url=admin,
                stored_cases=args.stored_cases,
            )
            log = RESULTS_DIR / f"nudge_burst-{stamp}-{name}-bot.log"
            results.append(await run.execute(log))
    print()
    print(markdown_table(results))
    print()
    print(notes(results))
    print(f"\nJSON: {write_json(results, args, stamp)}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
