"""When a one-on-one conversation does not fit: which approach fits better, and why.

The protocol comes from allesoverpesten.be (Kies Kleur tegen Pesten, with Tumult
vzw), which describes sister approaches next to the one-on-one conversation. This
module holds what is known of them as facts, in our own words, and the router that
points from the quick check's ticks to the approach that fits better:

* **No Blame** (the support-group approach of Maines & Robinson, in Tumult's version
  for youth work): for bullying that is recent and less serious, where the one who
  bullies has little support, and the leaders believe in the group and support the
  approach. It has a short check of its own (:class:`NoBlameCheck`).
* **Herstelgesprek** (a restorative conversation): the same reasons as the one-on-one
  conversation, with the child who is bullied at the table.
* **The team first**: without the leaders' support no approach can be followed up.

The bot walks only the one-on-one conversation step by step; for the others it
explains what they are and what the leader does first, and a case records the
approach the leader goes on with.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from flows.criteria import Criterion, Verdict, assess
from flows.language import N_

#: The site the protocol and its sister approaches come from. Only its front page is
#: linked: it is the one address we are sure of.
SOURCE_SITE = "allesoverpesten.be"
SOURCE_URL = "https://www.allesoverpesten.be"


class Approach(StrEnum):
    """An approach to bullying a case can go on with (short values: they go in buttons)."""

    ONE_ON_ONE = "one"
    NO_BLAME = "noblame"
    RESTORATIVE = "restore"
    TEAM_FIRST = "team"


@dataclass(frozen=True)
class ApproachFacts:
    """What an approach is, when it fits, and what a leader does first (texts to translate)."""

    name: str
    what: tuple[str, str, str]
    """What it is, in three lines."""
    first: str
    """What the leader does first."""
    fits_when: str
    """Why it can fit better than a one-on-one conversation."""


FACTS: dict[Approach, ApproachFacts] = {
    Approach.ONE_ON_ONE: ApproachFacts(
        name=N_("One-on-one conversation"),
        what=(
            N_("A confrontational approach: you talk alone with each child who bullies."),
            N_("You disapprove of the behaviour, not the person, and ask for a proposal."),
            N_("You follow up after 1 to 2 days or 1 to 2 weeks until it has stopped."),
        ),
        first=N_("Ask the child who is bullied for permission (step 1)."),
        fits_when=N_(
            "When the bullying has gone on long or hits hard, the one who bullies has "
            "status and support, and a quick correction is needed."
        ),
    ),
    Approach.NO_BLAME: ApproachFacts(
        name=N_("No Blame (support-group approach)"),
        what=(
            N_(
                "A group of children — those who bully, those who join in, and friends — is "
                "made responsible for helping the child who is bullied."
            ),
            N_("Nobody is blamed or punished: the group is asked what each one will do."),
            N_("About a week later you follow up with each child of the group, one by one."),
        ),
        first=N_(
            "Talk with the child who is bullied about how it feels and who is involved, "
            "and agree on it with your team."
        ),
        fits_when=N_(
            "For bullying that is recent and less serious, where the one who bullies has "
            "little support, and when the leaders believe in the group and support the approach."
        ),
    ),
    Approach.RESTORATIVE: ApproachFacts(
        name=N_("Restorative conversation (herstelgesprek)"),
        what=(
            N_("The child who is bullied and the one who bullies talk together, with a leader."),
            N_("About what happened, what it did to each of them, and how to put it right."),
            N_("You follow up after 1 to 2 days or 1 to 2 weeks."),
        ),
        first=N_(
            "Ask the child who is bullied whether they want such a conversation; "
            "nothing happens without their agreement."
        ),
        fits_when=N_(
            "For the same reasons as a one-on-one conversation, when the child who is "
            "bullied wants to be there and both children can talk about repairing it."
        ),
    ),
    Approach.TEAM_FIRST: ApproachFacts(
        name=N_("First agree with the team"),
        what=(
            N_("Every approach needs the leaders to carry it, for the talks and the follow-up."),
            N_("Talk it through with your fellow leaders or the group leadership."),
            N_("Choose the approach together, and who does what."),
        ),
        first=N_("Bring the situation to your next leaders' meeting, or call the group leader."),
        fits_when=N_(
            "When you do not know yet whether your fellow leaders support the approach, or "
            "you are not sure which one fits."
        ),
    ),
}

#: Said with every approach the bot does not walk step by step.
ONLY_ONE_ON_ONE = N_(
    "I walk only the one-on-one conversation with you step by step. For this approach I "
    "explain what it is; the case keeps what you chose, and its reminders keep coming."
)


def recommended(ticked: frozenset[Criterion]) -> tuple[Approach, ...]:
    """The approaches that fit better than a one-on-one conversation, best first.

    Empty when the quick check's answer is that a one-on-one conversation fits. The
    protocol gives reasons, not a threshold: this reading is advice.
    """
    assessment = assess(ticked)
    if assessment.verdict is Verdict.FITS:
        return ()
    found: list[Approach] = []
    if Criterion.LEADERS_SUPPORT not in ticked:
        found.append(Approach.TEAM_FIRST)
    # No Blame is for bullying that is recent, less serious, by a child with little support.
    against_no_blame = {
        Criterion.GOING_ON_LONG,
        Criterion.HIGH_IMPACT,
        Criterion.BULLY_HIGH_STATUS,
    }
    if not ticked & against_no_blame:
        found.append(Approach.NO_BLAME)
    # A restorative conversation fits for the same reasons as a one-on-one conversation:
    # only when at least one of them holds.
    if assessment.reasons:
        found.append(Approach.RESTORATIVE)
    return tuple(found)


class NoBlameCheck(IntEnum):
    """No Blame's own short check: when it fits (bit positions of a small mask)."""

    RECENT = 0
    LESS_SERIOUS = 1
    LITTLE_SUPPORT = 2
    BELIEVE_IN_GROUP = 3
    LEADERS_SUPPORT = 4


NO_BLAME_CHECK_TEXT: dict[NoBlameCheck, str] = {
    NoBlameCheck.RECENT: N_("The bullying started recently"),
    NoBlameCheck.LESS_SERIOUS: N_("It is less serious (no violence, no lasting harm)"),
    NoBlameCheck.LITTLE_SUPPORT: N_("The one who bullies has little support in the group"),
    NoBlameCheck.BELIEVE_IN_GROUP: N_("The leaders believe the group can help"),
    NoBlameCheck.LEADERS_SUPPORT: N_("The leaders support a no-blame approach"),
}

NO_BLAME_FULL_MASK = (1 << len(NoBlameCheck)) - 1


def no_blame_missing(mask: int) -> tuple[NoBlameCheck, ...]:
    """What does not hold yet for No Blame (all five must hold); refuses a bad mask."""
    if mask < 0 or mask > NO_BLAME_FULL_MASK:
        raise ValueError(f"No Blame check mask out of range: {mask}")
    return tuple(item for item in NoBlameCheck if not mask & (1 << item))
