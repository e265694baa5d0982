"""A throw-away PostgreSQL server on 127.0.0.1 for the test run, and a database per test.

The machine's PostgreSQL server binaries (``initdb``, ``pg_ctl``) make a cluster in
a temporary folder; PostgreSQL refuses to run as root, so as root the cluster is
made and run by the unprivileged user ``nobody``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg

UNPRIVILEGED = "nobody"


def server_binaries() -> Path:
    """The newest installed PostgreSQL server's bin folder."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if not found and shutil.which("initdb"):
        return Path(shutil.which("initdb") or "").parent
    if not found:
        raise RuntimeError(
            "no PostgreSQL server found: install it (Debian: apt-get install postgresql); "
            "the tests run against SQLite and PostgreSQL"
        )
    return Path(found[-1]).parent


def _version(path: str) -> int:
    part = path.split("/")[4]
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], as_root: bool) -> None:
    if as_root:
        command = ["runuser", "-u", UNPRIVILEGED, "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server for the duration of the block; yields an admin URL (no database)."""
    binaries = server_binaries()
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="pestgesprek-pg-"))
    data = folder / "data"
    if as_root:
        shutil.chown(folder, UNPRIVILEGED)
    port = _free_port()
    _run(
        [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        as_root,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='' -c fsync=off"
    )
    _run(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        as_root,
    )
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
    finally:
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], as_root)
        shutil.rmtree(folder, ignore_errors=True)


def _plain(url: str, database: str = "postgres") -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://") + f"/{database}"


async def create_database(admin_url: str) -> tuple[str, str]:
    """A new empty database; returns (its SQLAlchemy URL, its name)."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(_plain(admin_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{admin_url}/{name}", name


async def drop_database(admin_url: str, name: str) -> None:
    """Drop a test database, closing whatever still holds it."""
    connection = await asyncpg.connect(_plain(admin_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()
