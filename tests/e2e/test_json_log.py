"""LOG_FORMAT=json: the real process writes nothing but JSON lines on stdout, even at DEBUG."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import __version__
from tests.e2e import walk
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import ROOT, BotProcess
from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_records import TOKEN

# The database driver's own log lines differ: asyncpg's and aiosqlite's.
pytestmark = pytest.mark.both_databases

VICTIM = "Ymke-R"
BULLY = "Quinten-V"
FACTS = "hid her sleeping bag in the rain barrel"
MAY_TELL = "that she cried all evening"
AGREEMENT = "dry the sleeping bag by the fire"
SECRETS = [VICTIM, BULLY, FACTS, MAY_TELL, AGREEMENT]


async def start(
    api: BotApiStandin, env: dict[str, str], workdir: Path
) -> asyncio.subprocess.Process:
    """``python -m bot`` with stdout and stderr in files of their own; waits until it polls."""
    polls_before = sum(1 for c in api.calls if c.method == "getUpdates")
    with (workdir / "stdout.log").open("wb") as out, (workdir / "stderr.log").open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=err,
            stdin=asyncio.subprocess.DEVNULL,
        )
    for _ in range(300):
        if sum(1 for c in api.calls if c.method == "getUpdates") > polls_before:
            return process
        if process.returncode is not None:
            break
        await asyncio.sleep(0.05)
    raise AssertionError(
        "the bot did not start polling:\n"
        + (workdir / "stdout.log").read_text()
        + (workdir / "stderr.log").read_text()
    )


def parse(stdout: str) -> list[dict[str, Any]]:
    entries = []
    for number, line in enumerate(stdout.splitlines(), start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise AssertionError(f"stdout line {number} is not JSON ({error}): {line!r}") from None
        assert isinstance(entry, dict), f"stdout line {number} is not a JSON object: {line!r}"
        entries.append(entry)
    return entries


async def test_a_json_log_holds_only_json_lines_and_no_child_text(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    leader = api.user(7011, "Jo", language_code="en")
    # The environment of the other process tests (the stand-in, the test key, LOG_LEVEL=DEBUG).
    env = {**BotProcess(api, database_url, tmp_path).env, "LOG_FORMAT": "json"}
    process = await start(api, env, tmp_path)
    try:
        step1 = await walk.new_case(leader, VICTIM, [(BULLY, "Bullies")])
        done = await walk.settle_step1(leader, step1, MAY_TELL)
        script = await walk.prepare_talk(leader, done, "Prepare", FACTS, "sad")
        await walk.record_talk(leader, script, [AGREEMENT])
        await leader.send("/export")
        await leader.expect("All your data")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=20) == 0

    stdout = (tmp_path / "stdout.log").read_text()
    stderr = (tmp_path / "stderr.log").read_text()
    entries = parse(stdout)
    assert {"bot", "alembic.runtime.migration", "telegram.ext.Application"} <= {
        entry["logger"] for entry in entries
    }, stdout
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= set(entry), entry
        assert entry["time"].endswith("Z"), entry
    assert "DEBUG" in {entry["level"] for entry in entries}, "the log really was at debug level"

    kind = database_url.split(":", 1)[0].split("+", 1)[0]
    started = [e for e in entries if e["message"].startswith("Pestgesprek ")]
    assert [(e["level"], e["logger"], e["message"]) for e in started] == [
        ("INFO", "bot", f"Pestgesprek {__version__} starting: database {kind}, polling")
    ]

    # A collector reads both streams: nothing but JSON comes out of a clean run.
    assert stderr == ""
    for secret in SECRETS:
        assert secret not in stdout, f"{secret!r} in the log"


def test_an_unknown_log_format_stops_the_bot_with_one_line(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={
            **clean,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATA_KEY": TEST_DATA_KEY,
            "LOG_FORMAT": "xml",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "LOG_FORMAT must be text" in result.stderr and "'xml'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "data").exists(), "nothing was created before the refusal"
