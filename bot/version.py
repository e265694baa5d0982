"""``pestgesprek --version``: which Pestgesprek this is, and which database it would use.

Read the way the settings read it (the environment, then ``.env`` in the working
folder), but without a token or a data key, so an installation can be checked before
it is configured. Only the kind of database is shown, never the URL (it may hold a
password).
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot import __version__
from bot.settings import ConfigurationError, database_url_from


def version_line(environ: dict[str, str]) -> str:
    """``pestgesprek 0.1.0 (database: sqlite)``."""
    try:
        kind = make_url(database_url_from(environ)).get_backend_name()
    except ArgumentError as error:
        raise ConfigurationError(
            "DATABASE_URL is not a database URL; write it as "
            "postgresql://user:password@host/database or sqlite:///path/to/file.sqlite3"
        ) from error
    return f"pestgesprek {__version__} (database: {kind})"
