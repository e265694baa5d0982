"""What Telegram refuses in a message the bot sends: the parse mode, entities, inline
keyboards and their buttons' URLs, as the stand-in Bot API server checks them."""

from __future__ import annotations

import re
from typing import Any

from tests.support.standin_records import ApiError
from tests.support.telegram_html import (
    MessageEntity,
    ParsedText,
    utf16_length,
)

MAX_CALLBACK_DATA_BYTES = 64


MAX_INLINE_BUTTONS = 100


_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def check_parse_mode(parse_mode: str | None) -> None:
    if not parse_mode:
        return
    if parse_mode.lower() in ("markdown", "markdownv2"):
        raise ApiError(
            400, f"Bad Request: the stand-in does not implement parse_mode {parse_mode}; use HTML"
        )
    if parse_mode.lower() != "html":
        raise ApiError(400, "Bad Request: unsupported parse_mode")


_ENTITY_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)


def explicit_entities(text: str, raw: Any) -> tuple[MessageEntity, ...]:
    """Check an ``entities`` parameter like the Bot API does."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ApiError(400, "Bad Request: can't parse entities JSON object")
    length = utf16_length(text)
    entities = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type") not in _ENTITY_TYPES:
            raise ApiError(
                400, "Bad Request: can't parse MessageEntity: Unsupported type specified"
            )
        offset, size = int(item.get("offset", 0)), int(item.get("length", 0))
        if offset < 0:
            raise ApiError(400, f"Bad Request: receive an entity with incorrect offset {offset}")
        if offset > length:
            raise ApiError(
                400,
                f"Bad Request: entity begins after the end of the text at UTF-16 offset {offset}",
            )
        if offset + size > length:
            raise ApiError(
                400,
                f"Bad Request: entity beginning at UTF-16 offset {offset} ends after the end of "
                f"the text at UTF-16 offset {offset + size}",
            )
        if item["type"] == "text_link" and "url" not in item:
            raise ApiError(400, "Bad Request: can't parse MessageEntity: Can't find field \"url\"")
        entities.append(
            MessageEntity(
                item["type"],
                offset,
                size,
                url=item.get("url"),
                language=item.get("language"),
                custom_emoji_id=item.get("custom_emoji_id"),
            )
        )
    return tuple(sorted(entities, key=lambda e: (e.offset, -e.length)))


def trimmed(parsed: ParsedText) -> ParsedText:
    """Trim surrounding whitespace as Telegram does, moving the entities along."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    shift = utf16_length(text[: len(text) - len(text.lstrip())])
    end = utf16_length(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity.offset - shift, 0)
        stop = min(entity.offset + entity.length - shift, end)
        if stop > start:
            entities.append(
                MessageEntity(
                    entity.type,
                    start,
                    stop - start,
                    entity.url,
                    entity.language,
                    entity.custom_emoji_id,
                )
            )
    return ParsedText(stripped, tuple(entities))


def check_inline_button(button: Any) -> None:
    prefix = "Bad Request: can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise ApiError(400, prefix + "Object expected")
    if "text" not in button:
        raise ApiError(400, prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise ApiError(400, prefix + 'Field "text" must be of type String')
    data = button.get("callback_data")
    if data is not None and not isinstance(data, str):
        raise ApiError(400, prefix + 'Field "callback_data" must be of type String')
    actions = [key for key in _BUTTON_ACTIONS if button.get(key) not in (None, "")]
    actions += [
        key
        for key in ("switch_inline_query", "switch_inline_query_current_chat")
        if button.get(key) == ""
    ]
    if not actions:
        raise ApiError(400, prefix + "Text buttons are unallowed in the inline keyboard")
    url = button.get("url")
    if isinstance(url, str) and url:
        problem = _url_problem(url)
        if problem:
            raise ApiError(
                400, f"Bad Request: inline keyboard button URL '{url}' is invalid: {problem}"
            )
    web_app = button.get("web_app")
    if isinstance(web_app, dict):
        app_url = str(web_app.get("url", ""))
        if not app_url.lower().startswith("https://"):
            raise ApiError(
                400,
                f"Bad Request: inline keyboard button Web App URL '{app_url}' is invalid: "
                "Only HTTPS links are allowed",
            )


def _url_problem(url: str) -> str | None:
    """Why Telegram refuses a button URL, or ``None``."""
    lowered = url.lower()
    scheme, separator, rest = lowered.partition("://")
    if not separator:
        scheme, rest = "http", lowered
    if scheme not in ("http", "https", "tg", "ton"):
        return "Unsupported URL protocol"
    if scheme in ("tg", "ton"):
        return None
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    if not host:
        return "URL host is empty"
    if "." not in host.strip(".") and host != "localhost":
        return "Wrong HTTP URL"
    return None


def check_markup_limits(markup: dict[str, Any] | None) -> None:
    """The server-side checks of an inline keyboard (after the chat is known)."""
    if markup is None or "inline_keyboard" not in markup:
        return
    buttons = [button for row in markup["inline_keyboard"] for button in row]
    if len(buttons) > MAX_INLINE_BUTTONS:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for button in buttons:
        if not button["text"].strip():
            raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
        data = button.get("callback_data")
        if isinstance(data, str) and len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "callback_game" in button or "pay" in button:
            raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")


def inline_keyboard_of(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Telegram shows (and returns) only inline keyboards as part of a message."""
    if markup is None or "inline_keyboard" not in markup:
        return None
    if not markup["inline_keyboard"]:
        return None
    return markup
