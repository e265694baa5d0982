"""Start-up on a migrated database: no migration tool loaded, nothing read per leader."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.storage.database import SCHEMA_REVISION, alembic_config
from tests.support.running_bot import TEST_DATA_KEY

# Start-up on each database: its driver and, on PostgreSQL, the start-up lock.
pytestmark = pytest.mark.both_databases

ROOT = Path(__file__).resolve().parents[2]

#: Run as the bot does at start-up; prints which modules it took in.
PREPARE = """
import asyncio, sys
from bot.__main__ import prepare
from bot.settings import load_settings
asyncio.run(prepare(load_settings(require_token=False)))
print(sorted({name.split(".")[0] for name in sys.modules}))
"""


def test_the_known_schema_revision_is_the_newest_migration() -> None:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head == SCHEMA_REVISION, "a new migration: set SCHEMA_REVISION to its revision"


async def started_modules(database_url: str) -> list[str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        PREPARE,
        env={**os.environ, "DATABASE_URL": database_url, "DATA_KEY": TEST_DATA_KEY},
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode().strip().strip("[]").replace("'", "").split(", ")


async def test_a_migrated_database_starts_without_the_migration_tool(database_url: str) -> None:
    assert "alembic" in await started_modules(database_url), "an empty database is migrated"
    assert "alembic" not in await started_modules(database_url)


@pytest.mark.parametrize("command", [["--version"], ["make-key"]])
def test_version_and_make_key_load_no_database_layer(command: list[str], tmp_path: Path) -> None:
    """Checking an installation, or making its key, is instant and needs no database."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *command],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert result.stdout.strip()
    assert not {name for name in imported if name.split(".")[0] in {"sqlalchemy", "aiosqlite"}}
    assert "bot.storage.database" not in imported


LOADED = """
import sys, bot.application
print(sorted({"icalendar", "sqlalchemy.dialects.postgresql"} & set(sys.modules)))
"""


def test_the_bot_starts_without_what_only_a_tap_or_another_database_needs(
    tmp_path: Path,
) -> None:
    """The calendar file's library is loaded when a leader asks for a file, and
    PostgreSQL's dialect when the database is PostgreSQL: not at every start."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"
