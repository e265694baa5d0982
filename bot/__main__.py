"""Command line: ``python -m bot`` runs the bot; ``python -m bot make-key`` makes a data key."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.log_format import TEXT, WithoutUpdateContents, make_formatter
from bot.settings import ConfigurationError, Settings, load_settings, read_environment

if TYPE_CHECKING:
    from bot.storage.database import Database

# ``make-key`` and ``--version`` import neither the database layer nor the bot: the
# commands that need them import them when they run.

log = logging.getLogger("bot")


#: Libraries whose debug lines carry message texts, update contents or the token: at DEBUG
#: they would log what a leader typed about a child. They never log below INFO here.
QUIET_LIBRARIES = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    # One line per job run ("Running job nudges") every few seconds is noise.
    "apscheduler": logging.WARNING,
    "aiosqlite": logging.INFO,
    "asyncpg": logging.INFO,
    "sqlalchemy": logging.WARNING,
    "alembic": logging.INFO,
    # Drawing the history PDF: ten progress lines per document, and font subsetting.
    "weasyprint": logging.WARNING,
    "fontTools": logging.WARNING,
}


def configure_logging(level: str, log_format: str = TEXT) -> None:
    """One line per event on stdout, text or JSON: ids and events only, never a message text."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(WithoutUpdateContents())
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        handlers=[handler],
        force=True,
    )
    for name, floor in QUIET_LIBRARIES.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLogger().level))


async def prepare(settings: Settings, database: Database | None = None) -> None:
    """Check that the data key opens this database, then migrate the schema.

    A wrong key is refused before anything is changed. Processes starting together on
    one PostgreSQL database take turns (see ``Database.startup_lock``). Given the bot's
    own ``database``, the checks use it and leave it open; without, they open and close
    one of their own.
    """
    from bot.storage.database import Database
    from bot.storage.encryption import DataCipher

    given = database
    database = given or Database(settings.database_url)
    cipher = DataCipher(settings.data_keys)
    try:
        async with database.startup_lock():
            checked = await database.has_key_check()
            if checked:
                await database.check_key(cipher)
            await database.migrate()
            if not checked:
                await database.check_key(cipher)
    finally:
        if given is None:
            await database.dispose()


async def rotate_key(settings: Settings) -> int:
    """Re-encrypt everything under the first key of DATA_KEY."""
    from bot.storage import key_rotation  # the bot's own start-up does without it
    from bot.storage.database import Database
    from bot.storage.encryption import DataCipher

    await prepare(settings)
    database = Database(settings.database_url)
    try:
        return await key_rotation.rotate(database, DataCipher(settings.data_keys))
    finally:
        await database.dispose()


def run(settings: Settings) -> None:
    """Run the bot until it is stopped (Ctrl-C or SIGTERM)."""
    # Importing and building the bot makes no garbage worth collecting, and the
    # collector's passes over the growing heap cost a sixth of the start-up: off until
    # the bot is built, which then goes out of its sight (below).
    gc.disable()
    import sniffio

    from bot.application import build_application
    from bot.intake.polling import run_polling
    from bot.storage.database import Database
    from bot.storage.encryption import DataCipher, use_cipher

    use_cipher(DataCipher(settings.data_keys))
    database = Database(settings.database_url)
    # asyncio, unlike trio, does not declare itself to sniffio: httpcore and anyio would
    # find it by looking up the running task, several times per request to Telegram.
    # Declared once here, in the context every task of the bot's loop is copied from.
    sniffio.current_async_library_cvar.set("asyncio")
    # One event loop for the checks and the bot, with the bot's own engine: the checks'
    # connection serves the first update (a second engine of their own cost a
    # connection, a thread and 2 MiB), and no connection crosses from one loop to another.
    with asyncio.Runner() as runner:
        try:
            runner.run(prepare(settings, database))
        except BaseException:
            runner.run(database.dispose())
            raise
        application = build_application(settings, database)
        # Everything made so far (the imported modules, the application) lives as long as
        # the process: out of the collector's sight, a full collection no longer walks it.
        gc.freeze()
        gc.enable()
        mode = "webhook" if settings.webhook_url else "polling"
        log.info("Pestgesprek %s starting: database %s, %s", __version__, database.kind, mode)
        if settings.webhook_url:
            from bot.webhook import run_webhook  # polling does without the web server

            runner.run(run_webhook(application, database, settings))
        else:
            runner.run(run_polling(application, database, settings.intake_concurrency))


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Pestgesprek Telegram bot")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "console", "make-key", "rotate-key"],
        help="run the bot (default); try it in this terminal without Telegram; make a new "
        "data key; re-encrypt under the first DATA_KEY",
    )
    parser.add_argument(
        "--version",
        action="store_true",
        help="print the version and the kind of database it would use, then stop",
    )
    args = parser.parse_args(argv)
    if args.command == "make-key":
        from cryptography.fernet import Fernet  # what bot.storage.encryption reads keys with

        print(Fernet.generate_key().decode("ascii"))
        return 0
    if args.version:
        from bot.version import version_line

        try:
            print(version_line(read_environment()))
        except ConfigurationError as error:
            print(f"pestgesprek: {error}", file=sys.stderr)
            return 2
        return 0
    from bot.storage.encryption import DataCipher, DataKeyError, use_cipher
    from flows.language import CatalogsNotCompiled, require_compiled_catalogs

    try:
        if args.command in ("run", "console"):
            # Without compiled catalogs every answer would silently be the code's English.
            require_compiled_catalogs()
        if args.command == "rotate-key":
            settings = load_settings(require_token=False)
            configure_logging(settings.log_level, settings.log_format)
            use_cipher(DataCipher(settings.data_keys))
            count = asyncio.run(rotate_key(settings))
            print(f"pestgesprek: {count} texts re-encrypted under the first key of DATA_KEY")
            return 0
        if args.command == "console":
            from bot.console.session import console_settings, run_console  # this command only

            settings = console_settings(load_settings(require_token=False), Path.cwd())
            # The terminal is the conversation: only warnings and errors, on stderr.
            logging.basicConfig(level=logging.WARNING, stream=sys.stderr, force=True)
            use_cipher(DataCipher(settings.data_keys))
            asyncio.run(prepare(settings))
            run_console(settings)
            return 0
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        run(settings)
    except (ConfigurationError, DataKeyError, CatalogsNotCompiled) as error:
        print(f"pestgesprek: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
