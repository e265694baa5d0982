"""Starting the bot: a missing or wrong setting is one line that says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.bot_api_standin import TOKEN
from tests.support.running_bot import TEST_DATA_KEY

ROOT = Path(__file__).resolve().parents[2]


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "DATA_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
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
