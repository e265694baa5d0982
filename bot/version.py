"""``pestgesprek --version``: which Pestgesprek this is, and which database it would use.

Read the way the settings read it (the environment, then ``.env`` in the working
folder), but without a token or a data key, so an installation can be checked before
it is configured. Only the kind of database is shown, never the URL (it may hold a
password).
"""

from __future__ import annotations

import re

from bot import __version__
from bot.settings import ConfigurationError, database_url_from

#: The kind of database of a URL, read as SQLAlchemy reads it (``dialect+driver://``),
#: without importing SQLAlchemy: ``--version`` loads no database layer.
_SCHEME = re.compile(r"(?P<kind>[\w-]+)(?:\.[\w-]+)?(?:\+[\w-]+)?://")


def version_line(environ: dict[str, str]) -> str:
    """``pestgesprek 0.1.0 (database: sqlite)``."""
    found = _SCHEME.match(database_url_from(environ))
    if found is None:
        raise ConfigurationError(
            "DATABASE_URL is not a database URL; write it as "
            "postgresql://user:password@host/database or sqlite:///path/to/file.sqlite3"
        )
    return f"pestgesprek {__version__} (database: {found['kind']})"
