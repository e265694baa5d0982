"""Telegram's HTML parse mode, parsed the way the Bot API parses it.

``parse_html`` follows the parser in TDLib (``MessageEntity.cpp``, ``parse_html``) that the
Bot API runs for ``parse_mode="HTML"``: it walks the UTF-8 bytes, reports errors with byte
offsets and Telegram's wording, and returns the text the user sees plus its entities (offsets
in UTF-16 code units, as the Bot API counts them).

One deliberate difference: by default ``strict_entities=True`` also refuses a bare ``&``, an
unknown named entity such as ``&nbsp;`` and an entity without its ``;``. Telegram itself shows
those literally, but its documentation asks for them to be escaped, and a bot that escapes
every ``&`` is safe either way. The reasons given for these refusals are the stand-in's own
wording (Telegram has none). Pass ``strict_entities=False`` to get Telegram's lenient behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "MessageEntity",
    "ParsedText",
    "TelegramHtmlError",
    "html_to_text",
    "parse_html",
    "utf16_length",
]

# fmt: off
SUPPORTED_TAGS = frozenset({
    "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji",
    "span", "pre", "code", "blockquote"
})
# fmt: on
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_INT64_MAX = 2**63 - 1
_LT, _GT, _AMP, _SLASH, _EQ, _SEMI, _HASH = (ord(c) for c in "<>&/=;#")
_SPACES = frozenset(b" \t\r\n\v\0")


class TelegramHtmlError(ValueError):
    """Text that Telegram refuses to parse.

    ``reason`` is TDLib's message, e.g. ``Unsupported start tag "jo" at byte offset 0``;
    ``description`` is what the Bot API answers with a 400.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def description(self) -> str:
        return f"Bad Request: can't parse entities: {self.reason}"


@dataclass(frozen=True)
class MessageEntity:
    """One formatting entity; offsets and lengths in UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The entity as the Bot API returns it inside a Message."""
        data: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        for key in ("url", "language", "custom_emoji_id"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass(frozen=True)
class ParsedText:
    """The visible text and its entities."""

    text: str
    entities: tuple[MessageEntity, ...] = field(default_factory=tuple)


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    result_pos: int


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def html_to_text(html: str, *, strict_entities: bool = True) -> str:
    """The plain text a user sees for ``html``; raises ``TelegramHtmlError`` like Telegram."""
    return parse_html(html, strict_entities=strict_entities).text


def parse_html(html: str, *, strict_entities: bool = True) -> ParsedText:
    """Parse Telegram HTML into visible text and entities, or raise ``TelegramHtmlError``."""
    return _HtmlParser(html, strict_entities).parse()


class _HtmlParser:
    """A byte-for-byte port of TDLib's ``parse_html`` (see the module docstring)."""

    def __init__(self, html: str, strict_entities: bool) -> None:
        self.src = html.encode("utf-8", "surrogatepass")
        self.strict = strict_entities
        self.out = bytearray()
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[MessageEntity] = []

    def at(self, i: int) -> int:
        """The byte at ``i``, or 0 past the end (TDLib reads a NUL-terminated string)."""
        return self.src[i] if i < len(self.src) else 0

    def parse(self) -> ParsedText:
        i = 0
        while i < len(self.src):
            c = self.src[i]
            if c == _AMP:
                decoded = self._decode_entity(i)
                if decoded is not None:
                    char, i = decoded
                    self.out += char.encode("utf-8", "surrogatepass")
                    self.utf16 += utf16_length(char)
                    continue
                if self.strict:
                    raise TelegramHtmlError(self._entity_complaint(i))
            if c != _LT:
                self.out.append(c)
                if c & 0xC0 != 0x80:  # first byte of a character
                    self.utf16 += 2 if c >= 0xF0 else 1
                i += 1
                continue
            i = self._end_tag(i) if self.at(i + 1) == _SLASH else self._start_tag(i)
            i += 1  # past '>'
        if self.stack:
            raise TelegramHtmlError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        text = self.out.decode("utf-8", "surrogatepass")
        entities = sorted(self.entities, key=lambda e: (e.offset, -e.length))
        return ParsedText(text, tuple(entities))

    # -- tags -----------------------------------------------------------------------------

    def _start_tag(self, begin: int) -> int:
        """Parse ``<name attr=value ...>`` at ``begin``; return the index of its '>'."""
        i = begin + 1
        while self.at(i) not in _SPACES and self.at(i) != _GT:
            i += 1
        if self.at(i) == 0:
            raise TelegramHtmlError(f"Unclosed start tag at byte offset {begin}")
        name = self.src[begin + 1 : i].decode("utf-8", "replace").lower()
        if name not in SUPPORTED_TAGS:
            raise TelegramHtmlError(f'Unsupported start tag "{name}" at byte offset {begin}')

        argument = ""
        while self.at(i) != _GT:
            while self.at(i) != 0 and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == _GT:
                break
            attribute_begin = i
            while self.at(i) not in _SPACES and self.at(i) not in (_EQ, _GT):
                i += 1
            attribute = self.src[attribute_begin:i].decode("utf-8", "replace")
            if not attribute:
                raise TelegramHtmlError(
                    f'Empty attribute name in the tag "{name}" at byte offset {begin}'
                )
            while self.at(i) != 0 and self.at(i) in _SPACES:
                i += 1
            if self.at(i) != _EQ:
                if name == "blockquote" and attribute == "expandable":
                    argument = "1"
                    continue
                raise TelegramHtmlError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" at byte offset {begin}'
                )
            i += 1
            while self.at(i) != 0 and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == 0:
                raise TelegramHtmlError(f'Unclosed start tag "{name}" at byte offset {begin}')
            value, i = self._attribute_value(i)
            if self.at(i) == 0:
                raise TelegramHtmlError(f"Unclosed start tag at byte offset {begin}")
            argument = _tag_argument(name, attribute, value, argument)

        if name == "span" and argument != "spoiler":
            raise TelegramHtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.stack.append(_OpenTag(name, argument, self.utf16, len(self.out)))
        return i

    def _attribute_value(self, i: int) -> tuple[str, int]:
        """An attribute value at ``i`` (quoted string or name token) and the index after it."""
        quote = self.at(i)
        if quote not in (ord("'"), ord('"')):
            token_begin = i
            while _is_name_token_char(self.at(i)):
                i += 1
            if self.at(i) not in _SPACES and self.at(i) != _GT:
                raise TelegramHtmlError(
                    f"Unexpected end of name token at byte offset {token_begin}"
                )
            return self.src[token_begin:i].decode("ascii").lower(), i
        i += 1
        value = bytearray()
        while self.at(i) != quote and self.at(i) != 0:
            if self.at(i) == _AMP:
                decoded = self._decode_entity(i)
                if decoded is not None:
                    char, i = decoded
                    value += char.encode("utf-8", "surrogatepass")
                    continue
                if self.strict:
                    raise TelegramHtmlError(self._entity_complaint(i))
            value.append(self.at(i))
            i += 1
        if self.at(i) == quote:
            i += 1
        return value.decode("utf-8", "surrogatepass"), i

    def _end_tag(self, begin: int) -> int:
        """Parse ``</name>`` at ``begin``, closing the innermost tag; return its '>' index."""
        if not self.stack:
            raise TelegramHtmlError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 1
        while self.at(i) not in _SPACES and self.at(i) != _GT:
            i += 1
        end_name = self.src[begin + 2 : i].decode("utf-8", "replace")
        while self.at(i) != 0 and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != _GT:
            raise TelegramHtmlError(f"Unclosed end tag at byte offset {begin}")
        open_tag = self.stack[-1]
        if end_name and end_name != open_tag.name:
            raise TelegramHtmlError(
                f"Unmatched end tag at byte offset {begin}, "
                f'expected "</{open_tag.name}>", found "</{end_name}>"'
            )
        if self.utf16 > open_tag.utf16_offset:
            self._add_entity(open_tag)
        self.stack.pop()
        return i

    def _add_entity(self, tag: _OpenTag) -> None:
        offset, length = tag.utf16_offset, self.utf16 - tag.utf16_offset
        if tag.name in _SIMPLE_ENTITY_TYPES:
            self.entities.append(MessageEntity(_SIMPLE_ENTITY_TYPES[tag.name], offset, length))
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or not 0 < int(tag.argument) <= _INT64_MAX:
                raise TelegramHtmlError("Invalid custom emoji identifier specified")
            self.entities.append(
                MessageEntity("custom_emoji", offset, length, custom_emoji_id=tag.argument)
            )
        elif tag.name == "a":
            url = tag.argument or self.out[tag.result_pos :].decode("utf-8", "replace")
            if _looks_like_url(url):
                self.entities.append(MessageEntity("text_link", offset, length, url=url))
        elif tag.name == "code":
            self.entities.append(
                MessageEntity("code", offset, length, language=tag.argument or None)
            )
        elif tag.name == "pre":
            last = self.entities[-1] if self.entities else None
            if (
                last is not None
                and last.type == "code"
                and (last.offset, last.length) == (offset, length)
                and last.language
            ):
                self.entities[-1] = MessageEntity("pre", offset, length, language=last.language)
            else:
                self.entities.append(MessageEntity("pre", offset, length))
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append(MessageEntity(kind, offset, length))

    # -- character references ---------------------------------------------------------------

    def _decode_entity(self, pos: int) -> tuple[str, int] | None:
        """Decode ``&...;`` at ``pos`` as TDLib does: the character and the index after it."""
        end = pos + 1
        if self.at(end) == _HASH:
            end += 1
            value = 0
            if self.at(end) == ord("x"):
                end += 1
                while self.at(end) and chr(self.at(end)) in "0123456789abcdefABCDEF":
                    value = value * 16 + int(chr(self.at(end)), 16)
                    end += 1
                    if value >= 0x10FFFF:
                        return None
            else:
                while ord("0") <= self.at(end) <= ord("9"):
                    value = value * 10 + self.at(end) - ord("0")
                    end += 1
                    if value >= 0x10FFFF:
                        return None
            if value == 0 or end - pos >= 10:
                return None
            char = chr(value)
        else:
            while chr(self.at(end)).isascii() and chr(self.at(end)).isalpha():
                end += 1
            name = self.src[pos + 1 : end].decode("ascii")
            if name not in NAMED_ENTITIES:
                return None
            char = NAMED_ENTITIES[name]
        if self.at(end) == _SEMI:
            return char, end + 1
        if self.strict:
            return None
        return char, end

    def _entity_complaint(self, pos: int) -> str:
        """The stand-in's own reason for an '&' that does not start a well-formed entity."""
        end = pos + 1
        while end < len(self.src) and (chr(self.src[end]).isalnum() or self.src[end] == _HASH):
            end += 1
        name = self.src[pos + 1 : end].decode("utf-8", "replace")
        if self.at(end) == _SEMI:
            return (
                f'Unsupported HTML entity "&{name};" at byte offset {pos}; '
                "only &lt; &gt; &amp; &quot; and numeric entities are supported"
            )
        if name in NAMED_ENTITIES or (name.startswith("#") and len(name) > 1):
            return f'HTML entity "&{name}" at byte offset {pos} must end with ";"'
        return f'Unescaped "&" at byte offset {pos}; write it as &amp;'


def _is_name_token_char(c: int) -> bool:
    """Letters, digits, '.' and '-': what an unquoted attribute value may contain."""
    return c != 0 and chr(c).isascii() and (chr(c).isalnum() or chr(c) in ".-")


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The argument TDLib keeps from an attribute; unknown attributes are ignored."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def _looks_like_url(url: str) -> bool:
    """A rough version of TDLib's link check: a supported scheme (or none) and a host."""
    lowered = url.strip().lower()
    if lowered.startswith(("tg://", "ton://")):
        return True
    for scheme in ("http://", "https://"):
        if lowered.startswith(scheme):
            lowered = lowered[len(scheme) :]
            break
    else:
        if "://" in lowered:
            return False
    host = lowered.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return "." in host.strip(".") or host.startswith("localhost")
