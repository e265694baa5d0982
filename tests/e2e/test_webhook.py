"""Webhook mode: the stand-in posts updates to the bot's webhook, with the secret token."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_startup import run_bot
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.running_bot import TEST_DATA_KEY
from tests.support.standin_records import TOKEN
from tests.support.waiting import wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_bot_answers_through_its_webhook_and_refuses_posts_without_the_secret(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    process = BotProcess(api, database_url, tmp_path)
    process.env.update(
        WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram-hook",
        WEBHOOK_SECRET="s3cret-token",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    await process.start_without_polling()
    try:
        await wait_until(lambda: api.webhook_url is not None, "the webhook to be set", 20)
        leader = api.user(9001, "Jo", language_code="en")
        await leader.send("/start")
        await leader.expect("What do you want to do?")
        # The bot may answer before the stand-in has noted the webhook's answer: wait for it.
        await wait_until(lambda: api.webhook_deliveries, "the delivery to be recorded")
        assert [d.status for d in api.webhook_deliveries] == [200]

        async with httpx.AsyncClient() as client:
            forged = await client.post(
                f"http://127.0.0.1:{port}/telegram-hook",
                json={"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/start"}},
            )
            wrong = await client.post(
                f"http://127.0.0.1:{port}/telegram-hook",
                json={},
                headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert (forged.status_code, wrong.status_code) == (403, 403)
        assert health.status_code == 200
    finally:
        assert await process.terminate() == 0, "SIGTERM ends the webhook server cleanly"


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATA_KEY=TEST_DATA_KEY,
        WEBHOOK_URL="https://bot.example.org/hook",
    )
    assert result.returncode == 2
    assert "WEBHOOK_SECRET" in result.stderr
    assert result.stderr.count("\n") == 1
