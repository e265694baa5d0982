"""Webhook mode: Telegram posts updates to us instead of us polling for them.

A small tornado server (tornado comes with python-telegram-bot's webhooks extra)
serves two paths, in the manner of python-telegram-bot's custom-webhook example:
the webhook itself, at the path of ``WEBHOOK_URL``, which accepts only requests
carrying the secret token Telegram was given; and a health check at
:data:`HEALTH_PATH` for the container or service manager.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from sqlalchemy import text
from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.intake.dispatcher import InboxDispatcher
from bot.intake.polling import ALLOWED_UPDATES
from bot.intake.running import running
from bot.intake.unsaved import Unsaved
from bot.settings import Settings
from bot.storage import inbox
from bot.storage.database import Database

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookHandler(RequestHandler):
    """Takes one update from Telegram: stored in the inbox before the ``200`` says so."""

    def initialize(
        self,
        telegram: Application,  # type: ignore[type-arg]
        secret: str,
        dispatcher: InboxDispatcher,
        database: Database,
        unsaved: Unsaved,
    ) -> None:
        self.telegram = telegram
        self.secret = secret
        self.dispatcher = dispatcher
        self.database = database
        self.unsaved = unsaved

    async def post(self) -> None:
        if self.request.headers.get(SECRET_HEADER) != self.secret:
            log.warning("webhook request without the right secret token refused")
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
        except ValueError:
            self.set_status(400)
            return
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int):
            # Nothing to keep it by, and nothing Telegram would send.
            self.set_status(400)
            return
        try:
            update = Update.de_json(data, self.telegram.bot)
        except Exception as error:
            # One update python-telegram-bot cannot read must not hold up the others:
            # set aside, then acknowledged.
            try:
                await inbox.quarantine(
                    self.database, update_id, self.request.body.decode(errors="replace"), error
                )
            except Exception:
                log.exception("could not set update %s aside", update_id)
                self.set_status(500)
                return
            log.error(inbox.quarantine_line(update_id, error))
            self.set_status(200)
            return
        try:
            await self.dispatcher.take_in([update])
        except Exception as error:
            # Not stored, so not acknowledged: Telegram posts it again.
            await self.unsaved.not_stored([update], error)
            self.set_status(500)
            return
        self.unsaved.stored()
        self.set_status(200)


class HealthHandler(RequestHandler):
    """200 when the database answers and updates can be stored in it."""

    def initialize(self, database: Database) -> None:
        self.database = database

    async def get(self) -> None:
        if self.database.write_failure is not None:
            # Reading still works on a full disk; storing what leaders send does not.
            self.set_status(503)
            self.write("database cannot store updates\n")
            return
        try:
            async with self.database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            self.set_status(503)
            self.write("database unavailable\n")
            return
        self.write("ok\n")


async def run_webhook(application: Application, database: Database, settings: Settings) -> None:  # type: ignore[type-arg]
    """Register the webhook, serve it until SIGTERM or SIGINT, then stop cleanly."""
    assert settings.webhook_url and settings.webhook_secret
    path = urlsplit(settings.webhook_url).path or "/"
    dispatcher = InboxDispatcher(application, database, concurrency=settings.intake_concurrency)
    web = WebApplication(
        [
            (
                path,
                WebhookHandler,
                {
                    "telegram": application,
                    "secret": settings.webhook_secret,
                    "dispatcher": dispatcher,
                    "database": database,
                    "unsaved": Unsaved(application, database),
                },
            ),
            (HEALTH_PATH, HealthHandler, {"database": database}),
        ]
    )
    async with running(application) as stop:
        await dispatcher.start()
        server = HTTPServer(web)
        server.listen(settings.webhook_port, settings.webhook_listen)
        await application.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("webhook served on %s:%s", settings.webhook_listen, settings.webhook_port)
        await stop.wait()
        log.info("stopping: finishing the update in hand, reminders stay in the database")
        server.stop()
        await dispatcher.stop()
