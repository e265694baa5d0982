"""The leader's language: which catalogs exist, which one is in use, and translation.

Texts are written in English in the code and translated through gettext catalogs
made with Babel (see ``locales/``). Dutch is the default language: a leader whose
Telegram language we do not support reads Dutch.

The language in use is kept in a context variable, set once per update (or per
reminder job) by the bot, so that ``_()`` can be called anywhere without passing
a translator around. Module-level texts are marked with ``N_()`` and translated
with ``_()`` where they are shown.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

#: Languages a leader can choose, in the order the language menu shows them.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("nl", "en", "fr", "de")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "messages"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

_current: contextvars.ContextVar[str] = contextvars.ContextVar(
    "leader_language", default=DEFAULT_LANGUAGE
)


def pick_language(telegram_code: str | None) -> str:
    """Map Telegram's ``language_code`` (``fr-BE``, ``en``, ``pt-br``…) to a supported language."""
    if not telegram_code:
        return DEFAULT_LANGUAGE
    try:
        locale = Locale.parse(telegram_code.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return DEFAULT_LANGUAGE
    return locale.language if locale.language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language`` (cached; English ids if none is compiled)."""
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def current_language() -> str:
    """The language of the leader whose update or reminder is being handled."""
    return _current.get()


def set_language(language: str) -> None:
    """Use ``language`` for every text translated from now on in this task."""
    _current.set(language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def using_language(language: str) -> Iterator[None]:
    """Translate in ``language`` inside the ``with`` block, then restore the previous one."""
    token = _current.set(language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """Translate ``message`` into the current leader's language."""
    return translations(_current.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a text that depends on a count, with the language's plural rules."""
    return translations(_current.get()).ungettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet (translate with ``_()``)."""
    return message


def babel_locale() -> Locale:
    """The Babel locale of the current language, for dates, times and lists."""
    return Locale.parse(_current.get())
