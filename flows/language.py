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
from importlib.resources import files
from importlib.resources.abc import Traversable

from babel import Locale, UnknownLocaleError
from babel.support import Translations

DEFAULT_LANGUAGE = "nl"
DOMAIN = "messages"
#: The ``locales`` package: the same lookup in a checkout, an editable install and a wheel.
CATALOGS: Traversable = files("locales")
#: The command that compiles the catalogs in a checkout.
COMPILE_COMMAND = "make catalogs"


def catalog_languages(catalogs: Traversable) -> tuple[str, ...]:
    """The languages with a ``.po`` file in ``catalogs``: Dutch first, then by code."""
    codes = [
        entry.name
        for entry in catalogs.iterdir()
        if entry.joinpath("LC_MESSAGES", f"{DOMAIN}.po").is_file()
    ]
    return tuple(sorted(codes, key=lambda code: (code != DEFAULT_LANGUAGE, code)))


#: Languages a leader can choose, in the order the language menu shows them. A language
#: is supported when its catalog exists: adding one is adding its ``.po`` file.
SUPPORTED_LANGUAGES: tuple[str, ...] = catalog_languages(CATALOGS)


class CatalogsNotCompiled(Exception):
    """A supported language has no compiled catalog; the message says what to run."""


def uncompiled_languages(catalogs: Traversable = CATALOGS) -> list[str]:
    """The languages whose ``.po`` file has no compiled ``.mo`` beside it."""
    return [
        code
        for code in catalog_languages(catalogs)
        if not catalogs.joinpath(code, "LC_MESSAGES", f"{DOMAIN}.mo").is_file()
    ]


def require_compiled_catalogs(catalogs: Traversable = CATALOGS) -> None:
    """Refuse to go on with a catalog missing: the bot would answer in the code's English."""
    missing = uncompiled_languages(catalogs)
    if missing:
        raise CatalogsNotCompiled(
            f"the language catalogs are not compiled ({', '.join(missing)} missing): "
            f"run `{COMPILE_COMMAND}` in the source folder, or install the built wheel"
        )
    if DEFAULT_LANGUAGE not in catalog_languages(catalogs):
        raise CatalogsNotCompiled(f"there is no catalog for {DEFAULT_LANGUAGE}, the default")


def native_name(code: str) -> str:
    """The language's name in itself, as a menu item: ``Français``, ``Nederlands``.

    Babel gives the name as used in running text (``français``); a menu item starts
    with a capital in every language that has capitals (CLDR's ``uiListOrMenu``).
    """
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


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
def translations(language: str) -> Translations:
    """The compiled catalog for ``language`` (cached); never a silent fall-back to English."""
    compiled = CATALOGS.joinpath(language, "LC_MESSAGES", f"{DOMAIN}.mo")
    if language not in SUPPORTED_LANGUAGES or not compiled.is_file():
        raise CatalogsNotCompiled(
            f"no compiled catalog for {language!r}: run `{COMPILE_COMMAND}` in the source folder"
        )
    with compiled.open("rb") as catalog:
        return Translations(catalog, domain=DOMAIN)


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
