"""Starting the bot: a missing or wrong setting is one line that says what to do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_records import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATA_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_token_the_bot_says_how_to_get_one(tmp_path: Path) -> None:
    result = run_bot(tmp_path, DATA_KEY=TEST_DATA_KEY)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_without_a_data_key_the_bot_says_how_to_make_one(tmp_path: Path) -> None:
    result = run_bot(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "python -m bot make-key" in result.stderr


def test_make_key_prints_a_key_the_bot_accepts(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "make-key")
    assert result.returncode == 0
    key = result.stdout.strip()
    assert len(key) == 44


def test_a_token_in_a_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"DATA_KEY=not-a-key\nTELEGRAM_BOT_TOKEN={TOKEN}\n")
    result = run_bot(tmp_path)
    # The token was found (no complaint about it); the malformed key was refused.
    assert "TELEGRAM_BOT_TOKEN" not in result.stderr
    assert "DATA_KEY is not a valid key" in result.stderr
    assert result.returncode == 2


def test_version_says_which_database_it_would_use_without_a_token_or_key(
    tmp_path: Path,
) -> None:
    result = run_bot(tmp_path, "--version", DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"pestgesprek {version('pestgesprek')} (database: sqlite)\n"
    # DATABASE_URL from .env, as the bot reads it; the password is not shown.
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://bot:s3cret@db.example/bot\n")
    result = run_bot(tmp_path, "--version")
    assert result.stdout.endswith("(database: postgresql)\n"), result.stdout
    assert "s3cret" not in result.stdout + result.stderr
    # The environment wins over .env, as for the bot.
    result = run_bot(tmp_path, "--version", DATABASE_URL="sqlite:///elsewhere.sqlite3")
    assert result.stdout.endswith("(database: sqlite)\n"), result.stdout
    result = run_bot(tmp_path, "--version", DATABASE_URL="the database")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DATABASE_URL is not a database URL" in result.stderr


def test_python_m_bot_version_is_the_pestgesprek_command(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "pestgesprek"
    installed = subprocess.run(
        [str(command), "--version"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout == run_bot(tmp_path, "--version").stdout


def source_without_compiled_catalogs(folder: Path) -> Path:
    """The bot's source as a fresh clone has it: catalogs written, none compiled."""
    skip = shutil.ignore_patterns("*.mo", "__pycache__")
    for package in ("bot", "flows", "locales"):
        shutil.copytree(ROOT / package, folder / package, ignore=skip)
    return folder


def test_without_compiled_catalogs_the_bot_and_the_console_refuse_to_start(
    tmp_path: Path,
) -> None:
    source = source_without_compiled_catalogs(tmp_path / "clone")
    for command in ((), ("console",)):
        result = run_bot(
            tmp_path,
            *command,
            PYTHONPATH=str(source),
            TELEGRAM_BOT_TOKEN=TOKEN,
            DATA_KEY=TEST_DATA_KEY,
            # Were it to start after all, it would find no Bot API server here.
            TELEGRAM_API_URL="http://127.0.0.1:9",
        )
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "not compiled" in result.stderr
        assert "`make catalogs`" in result.stderr
        assert result.stdout == ""
    assert not (tmp_path / "data").exists(), "nothing was set up before refusing"
