"""Encryption at rest of every free text about a child.

Texts are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the
``cryptography`` package) under the key(s) in ``DATA_KEY``. Several keys may be
given, comma-separated: the first encrypts, all of them decrypt. That is how a
key is rotated: put the new key first, keep the old one after it, run
``python -m bot rotate-key``, then drop the old key.

The columns use :class:`EncryptedText`, so a repository reads and writes plain
``str`` and the database only ever holds tokens.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class DataKeyError(Exception):
    """The data key is malformed or does not open this database."""


class DataCipher:
    """Encrypts with the first key, decrypts with any of them."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        if not keys:
            raise DataKeyError("no data key given")
        try:
            self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys])
        except (ValueError, UnicodeEncodeError) as exc:
            raise DataKeyError(
                "DATA_KEY is not a valid key: make one with `python -m bot make-key`"
            ) from exc

    def encrypt(self, text: str) -> str:
        """A token for ``text``."""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The text in ``token``; :class:`DataKeyError` if no key opens it."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise DataKeyError("DATA_KEY does not open the data in this database") from exc

    def rotate(self, token: str) -> str:
        """The same text, encrypted again under the first key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise DataKeyError("DATA_KEY does not open the data in this database") from exc


def make_key() -> str:
    """A new random data key."""
    return Fernet.generate_key().decode("ascii")


_cipher: DataCipher | None = None


def use_cipher(cipher: DataCipher) -> None:
    """Set the cipher the encrypted columns use (once, at start-up)."""
    global _cipher
    _cipher = cipher


def cipher() -> DataCipher:
    """The cipher in use; refusing to store anything in clear when none is set."""
    if _cipher is None:
        raise DataKeyError("no data key configured")
    return _cipher


class EncryptedText(TypeDecorator[str]):
    """A text column stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher().encrypt(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher().decrypt(str(value))
