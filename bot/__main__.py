"""Command line: ``python -m bot`` runs the bot; ``python -m bot make-key`` makes a data key."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import __version__
from bot.application import build_application
from bot.settings import ConfigurationError, Settings, load_settings
from bot.storage.database import Database
from bot.storage.encryption import DataCipher, DataKeyError, make_key, use_cipher

log = logging.getLogger("bot")


def configure_logging(level: str) -> None:
    """One line per event on stdout; the HTTP client's request lines (they hold the token) off."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stdout,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def prepare(settings: Settings) -> None:
    """Migrate the schema and check that the data key opens this database."""
    database = Database(settings.database_url)
    try:
        await database.migrate()
        await database.check_key(DataCipher(settings.data_keys))
    finally:
        await database.dispose()


def run(settings: Settings) -> None:
    """Run the bot until it is stopped (Ctrl-C or SIGTERM)."""
    use_cipher(DataCipher(settings.data_keys))
    asyncio.run(prepare(settings))
    database = Database(settings.database_url)
    application = build_application(settings, database)
    log.info(
        "Pestgesprek %s starting: database %s, polling %s",
        __version__,
        database.kind,
        settings.api_url,
    )
    application.run_polling(
        allowed_updates=["message", "callback_query"], drop_pending_updates=False
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Pestgesprek Telegram bot")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "make-key"])
    args = parser.parse_args(argv)
    if args.command == "make-key":
        print(make_key())
        return 0
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        run(settings)
    except (ConfigurationError, DataKeyError) as error:
        print(f"pestgesprek: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
