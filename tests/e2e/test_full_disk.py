"""A full disk: the leader hears at once that their message waits, and nothing is lost.

The SQLite database lives on a small file system the test mounts itself (a 4 MiB
tmpfs), which the test fills to the last byte while the bot runs. The leader's
next message cannot be stored: it stays unconfirmed at Telegram, the leader is told
so in their language, ``/healthz`` says the database is failing, and the operator
reads one line about it. Once space is freed, the message is handled as if nothing
had happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.test_webhook import free_port
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

NOTICE = "Ik kan je bericht nu niet bewaren; ik neem het mee zodra het weer lukt."
ASKED = "Hoe noem je het kind dat gepest wordt?"


@contextlib.contextmanager
def small_disk(path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs at ``path``, for as long as the test needs it."""
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "a full disk needs a small file system of the test's own, and this machine "
            f"does not let the test mount one ({mounted.stderr.strip()}); run as root"
        )
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(disk: Path, database: Path) -> Path:
    """Fill ``disk`` to the last byte, after emptying the database's write-ahead log.

    An emptied log has to grow for the next write, so that write meets the full disk
    (a log with room left over from earlier writes would take a few more).
    """
    with contextlib.closing(sqlite3.connect(database)) as connection:
        busy = 1
        while busy:
            busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 1 << 12, 1):
            with contextlib.suppress(OSError):
                while os.write(descriptor, b"\0" * size):
                    pass
    finally:
        os.close(descriptor)
    with pytest.raises(OSError) as full:
        (disk / "one-more-byte").write_bytes(b"\0")
    assert full.value.errno == errno.ENOSPC
    return filler


def log_lines(bot: BotProcess, part: str) -> list[str]:
    return [line for line in bot.log.read_text().splitlines() if part in line]


async def told_at_once(leader: SimUser) -> float:
    """Seconds from the leader's message to the notice that it is not saved."""
    loop = asyncio.get_running_loop()
    sent = loop.time()
    await leader.send("/new")
    await leader.expect(NOTICE, timeout=10)
    return loop.time() - sent


def check_the_operators_log(bot: BotProcess, why: str = "database or disk is full") -> None:
    """One line when storing fails, saying why; one when it works again; no traceback."""
    failing = log_lines(bot, "the database cannot store updates")
    assert len(failing) == 1, failing
    assert why in failing[0]
    assert len(log_lines(bot, "the database stores updates again")) == 1
    assert "Traceback" not in bot.log.read_text()


async def test_a_full_disk_is_told_to_the_leader_at_once_and_loses_nothing(
    api: BotApiStandin, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk") as disk:
        database = disk / "bot.sqlite3"
        bot = BotProcess(api, f"sqlite+aiosqlite:///{database}", tmp_path)
        bot.env["LOG_LEVEL"] = "INFO"
        leader = api.user(6101, "Lien", language_code="nl")
        await bot.start(api)
        try:
            await leader.send("/start")
            await leader.expect("Wat wil je doen?")
            filler = fill(disk, database)

            handed_out: list[int] = []
            api.update_listeners.append(handed_out.extend)
            seconds = await told_at_once(leader)
            print(f"full disk: the leader was told after {seconds:.2f} s")
            assert seconds < 3
            waiting = [u["update_id"] for u in api.pending_updates]
            assert len(waiting) == 1, "the message is not confirmed to Telegram"
            await wait_until(lambda: len(handed_out) >= 3, "two more tries to store it", 10)
            assert waiting == [u["update_id"] for u in api.pending_updates]

            filler.unlink()
            await leader.expect(ASKED, timeout=10)
            await wait_until(lambda: not api.pending_updates, "the message to be confirmed")
            notices = [m for m in leader.messages if m.text == NOTICE]
            assert len(notices) == 1, "told once, however often storing was tried"
        finally:
            assert await bot.terminate() == 0
    check_the_operators_log(bot)


async def test_in_webhook_mode_a_full_disk_is_told_and_healthz_fails_until_it_clears(
    api: BotApiStandin, tmp_path: Path
) -> None:
    # Telegram keeps posting an update its webhook refused, for hours.
    api.webhook_attempts, api.webhook_retry_delay = 1000, 0.05
    port = free_port()
    health = f"http://127.0.0.1:{port}/healthz"
    with small_disk(tmp_path / "disk") as disk:
        database = disk / "bot.sqlite3"
        bot = BotProcess(api, f"sqlite+aiosqlite:///{database}", tmp_path)
        bot.env.update(
            LOG_LEVEL="INFO",
            WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram-hook",
            WEBHOOK_SECRET="s3cret-token",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        leader = api.user(6201, "Lien", language_code="nl")
        await bot.start_without_polling()
        try:
            await wait_until(lambda: api.webhook_url is not None, "the webhook to be set", 20)
            await leader.send("/start")
            await leader.expect("Wat wil je doen?")
            filler = fill(disk, database)

            seconds = await told_at_once(leader)
            print(f"full disk, webhook: the leader was told after {seconds:.2f} s")
            assert seconds < 3
            update_id = api.pending_updates[0]["update_id"]
            async with httpx.AsyncClient() as client:
                assert (await client.get(health)).status_code == 503
                await wait_until(
                    lambda: (
                        [d.status for d in api.webhook_deliveries if d.update_id == update_id][-2:]
                        == [500, 500]
                    ),
                    "Telegram to post the update again",
                )

                filler.unlink()
                await leader.expect(ASKED, timeout=10)
                assert (await client.get(health)).status_code == 200
            notices = [m for m in leader.messages if m.text == NOTICE]
            assert len(notices) == 1, "told once, however often Telegram posted it"
        finally:
            assert await bot.terminate() == 0
    check_the_operators_log(bot)


async def read_only(database_url: str, on: bool) -> None:
    """Make the PostgreSQL database refuse writes (or take them again), from now on.

    A session keeps the setting it started with: the bot's are ended, and it opens new.
    """
    # The test's own session takes writes whatever the database's default.
    writable = {"server_settings": {"default_transaction_read_only": "off"}}
    engine = create_async_engine(database_url, connect_args=writable)
    try:
        async with engine.connect() as connection:
            name = (await connection.execute(text("SELECT current_database()"))).scalar_one()
            await connection.execute(
                text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {on}')
            )
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            await connection.commit()
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_postgresql_database_that_refuses_writes_is_told_the_same_way(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    bot = BotProcess(api, database_url, tmp_path)
    bot.env["LOG_LEVEL"] = "INFO"
    leader = api.user(6301, "Lien", language_code="nl")
    await bot.start(api)
    try:
        await leader.send("/start")
        await leader.expect("Wat wil je doen?")
        await read_only(database_url, True)

        seconds = await told_at_once(leader)
        print(f"read-only PostgreSQL: the leader was told after {seconds:.2f} s")
        assert seconds < 3
        assert len(api.pending_updates) == 1, "the message is not confirmed to Telegram"
        await wait_until(
            lambda: log_lines(bot, "still not stored") or log_lines(bot, "read-only"),
            "the database to refuse the write",
            10,
        )

        await read_only(database_url, False)
        await leader.expect(ASKED, timeout=15)
        await wait_until(lambda: not api.pending_updates, "the message to be confirmed")
        assert len([m for m in leader.messages if m.text == NOTICE]) == 1
    finally:
        assert await bot.terminate() == 0
    failing = log_lines(bot, "the database cannot store updates")
    assert len(failing) == 1, failing
    assert len(log_lines(bot, "the database stores updates again")) == 1
    assert "Traceback" not in bot.log.read_text()
