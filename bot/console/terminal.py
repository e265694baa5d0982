"""How the bot's messages look in a terminal: Telegram's HTML as text, buttons numbered."""

from __future__ import annotations

import os
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import TextIO

#: ANSI codes for the tags that change how text looks; plain text without a colour terminal.
_STYLES = {"b": "1", "strong": "1", "i": "3", "em": "3", "u": "4", "ins": "4", "code": "2"}
_RESET = "\x1b[0m"
#: Telegram's quote mark in front of each line of a <blockquote>.
QUOTE = "│ "


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class _TelegramHtml(HTMLParser):
    """Collects the text of a Telegram HTML message, with styles as ANSI codes."""

    def __init__(self, colour: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.colour = colour
        self.out: list[str] = []
        self.open: list[str] = []
        self.quoted = 0
        self.at_line_start = True
        self.link: str | None = None
        self.break_after_quote = False

    def _write(self, text: str) -> None:
        if self.break_after_quote and text:
            # A quote is a block of its own: what follows starts on a new line.
            self.break_after_quote = False
            if not text.startswith("\n"):
                text = "\n" + text
        for number, line in enumerate(text.split("\n")):
            if number:
                self.out.append("\n")
                self.at_line_start = True
            if line:
                if self.at_line_start and self.quoted:
                    self.out.append(QUOTE * self.quoted)
                self.out.append(line)
                self.at_line_start = False

    def _new_block(self) -> None:
        if not self.at_line_start:
            self._write("\n")

    def _restyle(self) -> None:
        if self.colour:
            codes = [_STYLES[tag] for tag in self.open if tag in _STYLES]
            self.out.append(_RESET + (f"\x1b[{';'.join(codes)}m" if codes else ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            self._new_block()
            self.quoted += 1
        if tag == "a":
            self.link = dict(attrs).get("href")
        self.open.append(tag)
        self._restyle()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]
        self._restyle()
        if tag == "blockquote":
            self.quoted = max(0, self.quoted - 1)
            self.break_after_quote = True
        if tag == "a" and self.link and not self.link.startswith("tg://"):
            self._write(f" ({self.link})")
            self.link = None

    def handle_data(self, data: str) -> None:
        self._write(data)


def html_to_text(html: str, *, colour: bool = False) -> str:
    """The text a leader reads in Telegram, for a terminal; quotes get a bar in front."""
    parser = _TelegramHtml(colour)
    parser.feed(html)
    parser.close()
    return "".join(parser.out).strip("\n")


def button_lines(rows: Sequence[Sequence[str]], first: int = 1) -> list[str]:
    """Rows of buttons as ``[1] label   [2] label``, numbered from ``first``."""
    lines = []
    number = first
    for row in rows:
        labels = []
        for label in row:
            labels.append(f"[{number}] {label}")
            number += 1
        lines.append("   ".join(labels))
    return lines


def indent(text: str, prefix: str = "  ") -> str:
    """Every line of ``text`` moved in by ``prefix``."""
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.split("\n"))
