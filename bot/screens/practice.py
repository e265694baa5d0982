"""The practice talk (``flows.practice``): the bot plays the child, the leader answers.

Each message holds the feedback on the last answer, then the leader's next sentence,
the child's reaction and three replies to choose from (A, B, C: a whole sentence does
not fit on a button). Nothing on it comes from a record of the practice: its position
travels with the buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.callback_data import Menu, MenuPress, PracticeGo, PracticeReply, PracticeStart, case_button
from bot.screens.format import name, quoted, title
from bot.turn import Rows, Turn
from flows import events, practice
from flows.language import _
from flows.practice import SCENES, Answered, Position, Setup

#: The letters of the three replies, on the screen and on their buttons.
LETTERS = ("A", "B", "C")


@dataclass(frozen=True)
class Talk:
    """Which practice: a case's child, or a made-up child (ids 0), and its starting lines."""

    case_id: int
    child_id: int
    setup: Setup

    @property
    def made_up(self) -> bool:
        """Whether the child is made up (no case behind the practice)."""
        return self.case_id == 0


def _heading(talk: Talk, position: Position) -> str:
    return title(
        _("🎭 Practice: the talk with %(child)s (%(sentence)d/%(sentences)d)")
        % {
            "child": name(talk.setup.child),
            "sentence": position.scene + 1,
            "sentences": SCENES,
        }
    )


def _answered(talk: Talk, answered: Answered | None, chosen: str | None) -> list[str]:
    """What the leader said (a chosen reply) and the feedback on it."""
    if answered is None:
        return []
    lines = [_("You: %(reply)s") % {"reply": quoted(chosen)}] if chosen else []
    return ["\n".join(lines + practice.answer_lines(answered, talk.setup))]


def _retry_row(talk: Talk, answered: Answered | None) -> Rows:
    retry = answered.retry if answered is not None else None
    if retry is None:
        return []
    return [[(_("🔁 Try that again"), PracticeGo(talk.case_id, talk.child_id, retry.pack()))]]


def scene(
    turn: Turn,
    talk: Talk,
    position: Position,
    answered: Answered | None = None,
    chosen: str | None = None,
) -> None:
    """The leader's sentence, the child's reaction, and three replies (or one typed)."""
    replies = practice.options(position)
    intro = (
        [
            _(
                "I play %(child)s. Your own sentences come first, then %(child)s reacts. "
                "Answer with A, B or C, or type what you would say."
            )
            % {"child": name(talk.setup.child)}
        ]
        if position.taps == 1
        else []
    )
    rows: Rows = [
        [
            (letter, PracticeReply(talk.case_id, talk.child_id, position.pack(), index))
            for index, letter in enumerate(LETTERS)
        ],
        *_retry_row(talk, answered),
    ]
    turn.say(
        "\n\n".join(
            [
                *_answered(talk, answered, chosen),
                _heading(talk, position),
                *intro,
                _("You say: %(sentence)s")
                % {"sentence": quoted(talk.setup.sentences[position.scene])},
                _("🧒 %(child)s: %(reaction)s")
                % {"child": name(talk.setup.child), "reaction": practice.reaction_text(position)},
                "\n".join(
                    f"{letter}. {practice.option_text(option, talk.setup)}"
                    for letter, option in zip(LETTERS, replies, strict=True)
                ),
                _("What do you answer? Tap A, B or C, or type your own reply."),
            ]
        ),
        rows,
    )


def end(turn: Turn, talk: Talk, answered: Answered, chosen: str | None = None) -> None:
    """The last feedback, and three lines: what went well, what to watch, what to remember."""
    rows: Rows = [
        *_retry_row(talk, answered),
        [(_("🎭 Once more"), PracticeStart(talk.case_id, talk.child_id))],
        [
            (_("↩️ Back to the script"), case_button(talk.case_id, events.ShowScript(talk.child_id)))
            if not talk.made_up
            else (_("🏠 Menu"), MenuPress(Menu.HOME))
        ],
    ]
    turn.say(
        "\n\n".join(
            [
                *_answered(talk, answered, chosen),
                title(
                    _("🎭 End of the practice with %(child)s") % {"child": name(talk.setup.child)}
                ),
                "\n".join(practice.summary_lines(answered.after, talk.setup)),
                _("Nothing of this practice is kept."),
            ]
        ),
        rows,
    )


def choose_child(turn: Turn, children: Sequence[tuple[int, int, str]]) -> None:
    """From the menu, with talks still to hold: one of those children, or a made-up one."""
    turn.say(
        "\n\n".join(
            [
                title(_("🎭 Practise a talk")),
                _("Who do you want to practise the talk with? I play that child."),
            ]
        ),
        [
            *(
                [(f"🎭 {nickname}", PracticeStart(case_id, child_id))]
                for case_id, child_id, nickname in children
            ),
            [(_("🎭 A made-up child"), PracticeStart(0, 0))],
        ],
    )
