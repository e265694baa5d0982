"""Configuration from environment variables (and from a ``.env`` file in the working folder)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

from bot.log_format import LOG_FORMATS, TEXT

DEFAULT_API_URL = "https://api.telegram.org"


class ConfigurationError(Exception):
    """A setting is missing or wrong; the message is one line a person can act on."""


@dataclass(frozen=True)
class Settings:
    """Every setting the bot reads, typed."""

    token: str
    api_url: str
    database_url: str
    data_keys: tuple[str, ...]
    log_level: str
    log_format: str = TEXT
    """``text`` (one line for a person) or ``json`` (one object per line for a collector)."""
    reminder_interval: float = 15.0
    """Seconds between two looks at the reminders that are due."""
    rate_limit: bool = True
    """Keep under Telegram's limits (off only for a Bot API server without them)."""
    retention_closed_days: int = 180
    """Closed cases are erased this many days after closing."""
    inactive_case_days: int = 365
    """An open case without activity this long gets one reminder asking to close it."""
    retention_interval: float = 3600.0
    """Seconds between two rounds of erasing what is kept too long."""
    webhook_url: str = ""
    """With a URL, Telegram posts updates to it (webhook mode); without, the bot polls."""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    escalate_after_rounds: int = 2
    """Follow-ups in a row without "stopped" for one child before the next steps are offered."""
    intake_concurrency: int = 32
    """How many leaders' updates are handled at once (each leader's in order)."""

    @property
    def bot_api_base_url(self) -> str:
        """The base for Bot API calls: ``{TELEGRAM_API_URL}/bot{token}/{method}``."""
        return f"{self.api_url.rstrip('/')}/bot"


def default_database_url(workdir: Path, filename: str = "pestgesprek.sqlite3") -> str:
    """A SQLite file in a ``data`` folder of the working directory."""
    return f"sqlite+aiosqlite:///{workdir / 'data' / filename}"


def normalise_database_url(url: str) -> str:
    """Use the async drivers for the plain URLs people write (``postgresql://``, ``sqlite://``)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url.split("://", 1)[1]
    return url


def read_environment() -> dict[str, str]:
    """The environment, with what ``.env`` in the working folder adds (never overrides)."""
    load_dotenv(Path.cwd() / ".env", override=False)
    return dict(os.environ)


def database_url_from(environ: dict[str, str]) -> str:
    """The database the bot uses: ``DATABASE_URL``, or a SQLite file in the working folder."""
    database_url = environ.get("DATABASE_URL", "").strip() or default_database_url(Path.cwd())
    return normalise_database_url(database_url)


def load_settings(*, require_token: bool = True, environ: dict[str, str] | None = None) -> Settings:
    """Read the settings, raising :class:`ConfigurationError` with a one-line explanation."""
    if environ is None:
        environ = read_environment()
    token = environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if require_token and not token:
        raise ConfigurationError(
            "TELEGRAM_BOT_TOKEN is not set: ask @BotFather in Telegram for a bot token "
            "(/newbot) and put TELEGRAM_BOT_TOKEN=<token> in the environment or in .env"
        )
    keys = tuple(k.strip() for k in environ.get("DATA_KEY", "").split(",") if k.strip())
    if not keys:
        raise ConfigurationError(
            "DATA_KEY is not set: the children's data is stored encrypted; make a key with "
            "`python -m bot make-key` and put DATA_KEY=<key> in the environment or in .env "
            "(keep it safe: without it the data cannot be read)"
        )
    webhook_url = environ.get("WEBHOOK_URL", "").strip()
    webhook_secret = environ.get("WEBHOOK_SECRET", "").strip()
    if webhook_url and not webhook_secret:
        raise ConfigurationError(
            "WEBHOOK_URL is set but WEBHOOK_SECRET is not: choose a secret of 1-256 characters "
            "A-Z, a-z, 0-9, _ and - so only Telegram can post updates to the bot"
        )
    raw_log_format = environ.get("LOG_FORMAT", "").strip()
    log_format = raw_log_format.lower() or TEXT
    if log_format not in LOG_FORMATS:
        raise ConfigurationError(
            f"LOG_FORMAT must be text (one line per event) or json, not {raw_log_format!r}"
        )
    port = environ.get("WEBHOOK_PORT", "8443").strip() or "8443"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigurationError(f"WEBHOOK_PORT must be a port number, not {port!r}")
    return Settings(
        token=token,
        api_url=environ.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL,
        database_url=database_url_from(environ),
        data_keys=keys,
        log_level=environ.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
        log_format=log_format,
        reminder_interval=_positive_float(environ, "REMINDER_INTERVAL_SECONDS", 15.0),
        rate_limit=environ.get("TELEGRAM_RATE_LIMIT", "on").strip().lower() not in ("off", "0"),
        retention_closed_days=int(_positive_float(environ, "RETENTION_CLOSED_DAYS", 180)),
        inactive_case_days=int(_positive_float(environ, "INACTIVE_CASE_DAYS", 365)),
        retention_interval=_positive_float(environ, "RETENTION_INTERVAL_SECONDS", 3600.0),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=environ.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        webhook_port=int(port),
        escalate_after_rounds=int(_positive_float(environ, "ESCALATE_AFTER_ROUNDS", 2)),
        intake_concurrency=int(_positive_float(environ, "INTAKE_CONCURRENCY", 32)),
    )


def _positive_float(environ: dict[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise ConfigurationError(f"{name} must be a positive number, not {raw!r}")
    return value
