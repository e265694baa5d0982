"""/privacy, /export and /delete: what is kept, a copy of it, and erasing it."""

from __future__ import annotations

from bot.callback_data import Erasure, PrivacyPress
from bot.screens.format import title
from bot.turn import Turn
from flows.language import _, ngettext


def statement(turn: Turn) -> None:
    """What is stored, where, for how long, who sees it, how to export or erase it."""
    days = turn.settings.retention_closed_days
    turn.say(
        "\n\n".join(
            [
                title(_("Privacy")),
                _(
                    "<b>What I store:</b> the nicknames or initials you give the children, what "
                    "you type about the situation (facts, what you may tell, agreements, "
                    "follow-ups), the quick check's ticks, and your settings. No full names, "
                    "ages, schools or photos: please don't type them."
                ),
                _(
                    "<b>Where:</b> in the database of the organisation that runs this bot. "
                    "Everything you typed about a child is stored encrypted."
                ),
                _(
                    "<b>Who sees it:</b> in this bot, only you: no other leader can open your "
                    "cases, and in a group chat I show nothing of them. The organisation "
                    "that runs the bot holds the key to the encrypted data."
                ),
                ngettext(
                    "<b>How long:</b> as long as a case is open. A closed case is erased "
                    "%(days)d day after closing; a case without activity for a long time "
                    "gets a reminder asking whether it can be closed.",
                    "<b>How long:</b> as long as a case is open. A closed case is erased "
                    "%(days)d days after closing; a case without activity for a long time "
                    "gets a reminder asking whether it can be closed.",
                    days,
                )
                % {"days": days},
                _(
                    "<b>Your rights:</b> /export sends you a file with all your data; "
                    "/delete erases all of it for good."
                ),
            ]
        )
    )


def export_caption() -> str:
    """The caption of the export file."""
    return _("All your data in Pestgesprek. Keep this file safe: it is about children.")


def confirm_delete(turn: Turn) -> None:
    """A clear confirmation before everything is erased."""
    turn.say(
        _(
            "⚠️ This erases <b>all</b> your data: every case, every child's nickname, "
            "facts, agreements, follow-ups and reminders, and your settings. It cannot "
            "be undone. Erase everything?"
        ),
        [
            [(_("🗑 Yes, erase everything"), PrivacyPress(Erasure.ERASE))],
            [(_("↩️ No, keep it"), PrivacyPress(Erasure.KEEP))],
        ],
    )


def erased(turn: Turn) -> None:
    """Done."""
    turn.show(
        _(
            "Everything is erased. The files I already sent in this chat (exports "
            "and history documents) are still in it: delete them yourself. If you send me a "
            "message again, I start from scratch."
        )
    )


def kept(turn: Turn) -> None:
    """Nothing erased."""
    turn.show(_("Nothing was erased."))
