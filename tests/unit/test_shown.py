"""How a message looks: two spellings of one screen look the same, any change does not."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.shown import look

BUTTONS = InlineKeyboardMarkup([[InlineKeyboardButton("Open", callback_data="c:1")]])


def test_two_spellings_of_one_screen_look_the_same() -> None:
    sent = "<strong>Sam</strong> &amp; Tom said &#x27;no&#x27;\n"
    written_back = "<b>Sam</b> &amp; Tom said 'no'"
    assert look(sent, BUTTONS) == look(written_back, BUTTONS)


def test_a_change_of_text_tag_or_buttons_is_a_change() -> None:
    other = InlineKeyboardMarkup([[InlineKeyboardButton("Open", callback_data="c:2")]])
    base = look("<b>Sam</b> said no", BUTTONS)
    assert look("<b>Sam</b> said yes", BUTTONS) != base
    assert look("<i>Sam</i> said no", BUTTONS) != base
    assert look("Sam said no", BUTTONS) != base
    assert look("&lt;b&gt;Sam&lt;/b&gt; said no", BUTTONS) != base
    assert look("<b>Sam</b> said no", other) != base
    assert look("<b>Sam</b> said no", None) != base
