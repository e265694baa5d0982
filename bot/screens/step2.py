"""Step 2: the talk with a child who bullies or joins in."""

from __future__ import annotations

from bot.callback_data import Menu, MenuPress, PracticeStart, case_button
from bot.screens.corrections import now_written
from bot.screens.format import bulleted, name, numbered, quoted, title, typed
from bot.screens.step1 import may_tell_line
from bot.storage import leaders
from bot.storage.models import Case, Child
from bot.turn import Keyboard, Turn
from flows import events, phrasing
from flows.case import (
    AGREEMENT_MAX,
    FEELING_MAX,
    FEELING_TEXT,
    LONG_TEXT_MAX,
    Feeling,
    current_round,
    round_agreements,
    saw_it,
)
from flows.language import _, ngettext
from flows.replies import Awaiting, Shown


def heading(child: Child) -> str:
    """The title of every step-2 screen for ``child``."""
    return title(_("Step 2 — the talk with %(child)s") % {"child": name(child.nickname)})


def ask_witnessed(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """Did the leader see it, or hear about it? ("Ik zie/verneem dat …")"""
    turn.say(
        heading(child)
        + "\n\n"
        + _("Did you see what happened yourself, or did you hear about it?"),
        [
            [
                (_("👀 I saw it"), case_button(case.id, events.Witnessed(child.id, seen=True))),
                (
                    _("👂 I heard about it"),
                    case_button(case.id, events.Witnessed(child.id, seen=False)),
                ),
            ],
            [(_("↩️ Back to the case"), case_button(case.id, events.Open(0)))],
        ],
    )


def ask_facts(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The concrete facts, typed: what goes on the dots of the first sentence."""
    first = phrasing.step2_sentences(None, None, witnessed=saw_it(child))[0]
    turn.say(
        "\n\n".join(
            [
                heading(child),
                _("Complete the sentence:") + " " + quoted(first),
                _(
                    "Type what happened, where and when, as concretely and factually as you "
                    "can — no interpretations. I build the sentence around it and show it "
                    "to you."
                ),
                _("For example: %(example)s or %(other)s")
                % {
                    # Quoted: two things a leader may type, not one sentence.
                    "example": quoted(
                        typed(
                            _("the laughing at %(victim)s in the group chat")
                            % {"victim": case.victim_nickname}
                        )
                    ),
                    "other": quoted(
                        typed(
                            _("you called %(victim)s names at the campfire yesterday")
                            % {"victim": case.victim_nickname}
                        )
                    ),
                },
                *now_written(child.facts),
            ]
        ),
        [
            *(
                [
                    (
                        _("📋 Same facts as for %(other)s") % {"other": other.nickname},
                        case_button(case.id, events.SameFactsAs(child.id, other.id)),
                    )
                ]
                for other in case.children
                if other.id != child.id and other.facts is not None and child.facts is None
            ),
            # Back to "seen or heard", and on without typing again what is written.
            [
                (_("↩️ Back"), case_button(case.id, events.EditFacts(child.id))),
                *(
                    [(_("➡️ Keep these facts"), case_button(case.id, events.FactsKept(child.id)))]
                    if child.facts is not None and child.held_at is None
                    else []
                ),
            ],
        ],
    )


def text_refused(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """A typed text that is empty or too long; the leader stays where they were."""
    limit = FEELING_MAX if leaders.awaiting(turn.leader) is Awaiting.FEELING else LONG_TEXT_MAX
    turn.say(
        _("That is empty or longer than %(max)d characters. Please type it again, shorter.")
        % {"max": limit}
    )


def ask_feeling(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """How does the leader feel about it? Buttons, or a word of their own.

    The first sentence, filled in, comes first: the leader reads it before saying it,
    and can fix the facts in one tap.
    """
    first, second = phrasing.step2_sentences(
        child.facts, None, witnessed=saw_it(child), victim=case.victim_nickname
    )[:2]
    buttons = [
        (_(FEELING_TEXT[f]), case_button(case.id, events.FeelingChosen(child.id, f)))
        for f in Feeling
    ]
    back = events.Witnessed(child.id, seen=saw_it(child))
    turn.say(
        "\n\n".join(
            [
                heading(child),
                _("Your first sentence:") + " " + quoted(first),
                _("Name your feeling:") + " " + quoted(second),
                _("Tap one, or type another word (at most %(max)d characters).")
                % {"max": FEELING_MAX},
                *now_written(_feeling_as_written(child.feeling)),
            ]
        ),
        [
            buttons[:2],
            buttons[2:],
            # Back to the facts, as written: kept unless typed again.
            [(_("↩️ Back: the facts"), case_button(case.id, back))],
            *(
                [
                    (
                        _("📋 Same feeling as for %(other)s") % {"other": other.nickname},
                        case_button(case.id, events.SameFeelingAs(child.id, other.id)),
                    )
                ]
                for other in case.children
                if other.id != child.id and other.feeling is not None and child.feeling is None
            ),
        ],
    )


def _feeling_as_written(feeling: str | None) -> str | None:
    """The feeling as plain text (``now_written`` escapes it): a button's word, or as typed."""
    if not feeling:
        return None
    try:
        return _(FEELING_TEXT[Feeling(feeling)])
    except ValueError:
        return feeling


def script(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The leader's whole script for the talk, to read from the phone."""
    sentences = phrasing.step2_sentences(
        child.facts,
        child.feeling,
        witnessed=saw_it(child),
        victim=case.victim_nickname,
    )
    rows: Keyboard = [
        [
            (
                _("✅ Talk held: write down the agreements"),
                case_button(case.id, events.TalkHeld(child.id)),
            )
        ],
        [
            (_("✏️ Facts"), case_button(case.id, events.EditFacts(child.id))),
            (_("✏️ Feeling"), case_button(case.id, events.AskFeeling(child.id))),
        ],
        [(_("🎭 Practise this talk first"), PracticeStart(case.id, child.id))],
        [(_("📂 My cases"), MenuPress(Menu.CASES))],
    ]
    if child.held_at is not None:
        rows = rows[3:]
    turn.say(
        "\n\n".join(
            [
                title(
                    _("Your script for the talk with %(child)s") % {"child": name(child.nickname)}
                ),
                _("Disapprove of the behaviour, not the person:")
                + " "
                + quoted(_(phrasing.DISAPPROVE_BEHAVIOUR)),
                numbered(quoted(s) for s in sentences),
                may_tell_line(case, child),
                _("After the talk, write down what %(child)s proposed to do.")
                % {"child": name(child.nickname)},
            ]
        ),
        rows,
    )


def ask_agreements(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """What did the child propose? One message per agreement."""
    turn.say(
        "\n\n".join(
            [
                heading(child),
                _("What did %(child)s propose to do? Send each agreement as a separate message.")
                % {"child": name(child.nickname)},
                _("Tap “Done” when all of them are in."),
            ]
        ),
        done_rows(case, child),
    )


def done_rows(case: Case, child: Child) -> Keyboard:
    """The button that closes the list of agreements; before the talk is recorded, a way
    back to the script (what is written down stays)."""
    done = [(_("✅ Done"), case_button(case.id, events.AgreementsDone(child.id)))]
    if child.held_at is not None:
        return [done]
    return [done, [(_("↩️ Back: the script"), case_button(case.id, events.ShowScript(child.id)))]]


def agreements_so_far(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The agreements of this proposal so far (step 2's or a new one), and how to go on."""
    round_ = current_round(child)
    texts = [a.text for a in round_agreements(child, round_)]
    if round_ is None:
        header = ngettext(
            "%(count)d agreement noted:", "%(count)d agreements noted:", len(texts)
        ) % {"count": len(texts)}
    else:
        header = _("New proposal so far:")
    turn.say(
        header
        + "\n"
        + bulleted(typed(t) for t in texts)
        + "\n\n"
        + _("Send another one, or tap “Done”."),
        done_rows(case, child),
    )


def agreement_refused(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """An agreement that is empty or too long."""
    turn.say(
        _("An agreement can be at most %(max)d characters. Please type it again, shorter.")
        % {"max": AGREEMENT_MAX},
        done_rows(case, child),
    )


def no_agreements_yet(
    turn: Turn, case: Case | None = None, child: Child | None = None, shown: Shown | None = None
) -> None:
    """ "Done" before anything was written down."""
    turn.toast(_("Write down at least one agreement first."))


def too_many_agreements(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The list is full."""
    turn.say(
        _("That is the most agreements I keep for one talk. Tap “Done” to finish."),
        done_rows(case, child),
    )


def reported_back(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The promise of step 1 kept: said in one line before what comes next."""
    turn.say(
        _("Noted: you reported back to %(victim)s on your talk with %(child)s.")
        % {"victim": name(case.victim_nickname), "child": name(child.nickname)}
    )


def held(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The talk is recorded."""
    turn.say(_("The talk with %(child)s is written down.") % {"child": name(child.nickname)})
