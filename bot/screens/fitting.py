"""Keeping every message within Telegram's 4096 characters.

Screens are built from paragraphs, and a case can grow (many children, many
agreements, long facts). Rather than cutting anything a leader wrote, a text
that is too long is split into several messages, at a paragraph break where
possible, else at a line break, and never inside a tag.
"""

from __future__ import annotations

import re
from html import unescape

from telegram.constants import MessageLimit

#: Telegram's limit, in UTF-16 code units of the text as the leader sees it.
MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH
_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def visible_length(html: str) -> int:
    """The length Telegram counts: tags removed, entities resolved, in UTF-16 units."""
    return len(unescape(_TAG.sub("", html)).encode("utf-16-le")) // 2


def _tag_depth_after(line: str, depth: int) -> int:
    for closing, _name in _TAG.findall(line):
        depth += -1 if closing else 1
    return depth


def _pieces(html: str) -> list[str]:
    """The text cut at every line break that is outside any tag (lines keep their "\\n")."""
    pieces, current, depth = [], "", 0
    for line in html.splitlines(keepends=True):
        current += line
        depth = _tag_depth_after(line, depth)
        if depth == 0:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def split_for_telegram(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``html`` as one or more messages, each at most ``limit`` visible characters."""
    if visible_length(html) <= limit:
        return [html]
    chunks: list[str] = []
    current = ""
    for piece in _pieces(html):
        if current and visible_length(current + piece) > limit:
            chunks.append(current)
            current = ""
        if visible_length(piece) > limit:
            # One piece alone is too long (a very long typed text): cut it between words,
            # outside tags, as a last resort.
            chunks.extend(_hard_split(piece, limit))
            continue
        current += piece
    if current.strip():
        chunks.append(current)
    return [c.strip("\n") for c in chunks if c.strip()]


def _hard_split(piece: str, limit: int) -> list[str]:
    plain = _TAG.sub("", piece)
    words, chunks, current = plain.split(" "), [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if visible_length(candidate) > limit and current:
            chunks.append(current)
            current = word
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks
