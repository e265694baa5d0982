"""Looking into the bot's database from a test, as an attacker with a copy of it would."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import MetaData, select, text
from sqlalchemy.ext.asyncio import create_async_engine


async def all_stored_text(database_url: str) -> str:
    """Every value of every table, as stored (tokens, not decrypted texts), in one string."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            metadata = MetaData()
            await connection.run_sync(metadata.reflect)
            values = []
            for table in metadata.sorted_tables:
                for row in (await connection.execute(select(table))).all():
                    values.extend(str(v) for v in row)
            return "\n".join(values)
    finally:
        await engine.dispose()


async def count(database_url: str, query: str) -> int:
    """The single number a counting query returns."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(query))).scalar_one())
    finally:
        await engine.dispose()


def sqlite_files(database_url: str) -> list[Path]:
    """The SQLite file and its journal files, if the URL is a SQLite file."""
    if not database_url.startswith("sqlite"):
        return []
    main = Path(database_url.split("///", 1)[1])
    return [p for p in (main, Path(f"{main}-wal"), Path(f"{main}-shm")) if p.exists()]


async def eventually_count(
    database_url: str,
    query: str,
    expected: int,
    timeout: float = 5.0,  # noqa: ASYNC109
) -> None:
    """Wait until a counting query gives ``expected`` (a background job's work)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (found := await count(database_url, query)) != expected:
        if loop.time() > deadline:
            raise AssertionError(f"{query} gave {found}, not {expected}, after {timeout} s")
        await asyncio.sleep(0.05)
