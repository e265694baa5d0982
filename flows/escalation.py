"""When the one-on-one conversation does not work: the bullied child's view, and escalation.

At each follow-up the leader also checks in with the child who is bullied. What that
child says weighs more than the account of the one who bullies: "it has not stopped"
from the child who is bullied makes the round "not stopped", whatever the other said.

After a number of rounds in a row without "stopped" for one child (a setting; two
by default), the next steps come with the outcome that reaches that number, and the
follow-up's nudge says so and offers them: the team or the group leadership, the
parents, another approach, support for the child who is bullied. "Partly stopped" is
not "stopped": twice "partly" counts as two rounds without it.
"""

from __future__ import annotations

from enum import StrEnum

from flows.case import ChildRecord
from flows.follow_up import Outcome
from flows.language import N_

#: Rounds in a row without "stopped" after which the next steps are offered.
ESCALATE_AFTER_ROUNDS = 2


class VictimView(StrEnum):
    """What the child who is bullied says at a follow-up (short values: they go in buttons)."""

    STOPPED = "stopped"
    LESS = "less"
    NOT_STOPPED = "not"
    NOT_ASKED = "unasked"
    """The leader did not check in with the child who is bullied this time."""


VICTIM_VIEW_TEXT: dict[VictimView, str] = {
    VictimView.STOPPED: N_("it has stopped"),
    VictimView.LESS: N_("it happens less"),
    VictimView.NOT_STOPPED: N_("it has not stopped"),
    VictimView.NOT_ASKED: N_("not asked this time"),
}


def weighed_outcome(outcome: Outcome, view: VictimView | None) -> Outcome:
    """The outcome that counts: the bullied child's "not stopped" or "less" weighs more."""
    if view is VictimView.NOT_STOPPED:
        return Outcome.NOT_STOPPED
    if view is VictimView.LESS and outcome is Outcome.STOPPED:
        return Outcome.PARTLY
    return outcome


def rounds_without_stop(child: ChildRecord) -> int:
    """The follow-up rounds in a row, up to the last one, in which it had not stopped."""
    count = 0
    for round_ in reversed(child.follow_ups):
        if round_.outcome == Outcome.STOPPED:
            break
        count += 1
    return count


def escalation_due(child: ChildRecord, after: int = ESCALATE_AFTER_ROUNDS) -> bool:
    """Whether the next steps are to be offered for ``child`` (``after`` rounds or more)."""
    return rounds_without_stop(child) >= max(1, after)
