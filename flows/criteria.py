"""The quick check: is a one-on-one conversation the right approach here?

The protocol first says what kind of approach this is — "= confronterende aanpak",
the nature of the approach, not a reason to tick (:data:`NATURE`) — and then gives
six reasons to choose a one-on-one conversation. The leader ticks the ones that
apply; :func:`assess` turns the ticks into an answer.

How the answer is reached (the protocol lists reasons, not a score, so this is
our reading of it, kept deliberately simple):

* The leaders' support is a condition, not just a reason: a confrontational
  approach that the team does not carry cannot be followed up. Without it the
  answer is "not yet: agree on it with your team first".
* The other five say why the confrontational approach is called for. Two or more
  of them: it fits. One: it can fit, but weigh a milder approach first. None: it
  does not fit for now.

The ticks travel as a bit mask (``Criterion`` values are bit positions), which
keeps the checklist stateless and small enough for Telegram's callback data. Bit 0
was once "a confrontational approach fits", when that was wrongly a reason: a mask
with it set is refused like any other that is not ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from flows.language import N_

#: What the protocol says the approach is, above its reasons: its nature, not a reason.
NATURE = N_("A one-on-one conversation is a confrontational approach.")


class Criterion(IntEnum):
    """One of the protocol's six reasons to choose a one-on-one conversation."""

    GOING_ON_LONG = 1
    HIGH_IMPACT = 2
    BULLY_HIGH_STATUS = 3
    VICTIM_ALONE = 4
    LEADERS_SUPPORT = 5
    QUICK_CORRECTION_NEEDED = 6


#: The protocol's own wording of each criterion (translated where shown).
CRITERION_TEXT: dict[Criterion, str] = {
    Criterion.GOING_ON_LONG: N_("The bullying has been going on for a long(er) time"),
    Criterion.HIGH_IMPACT: N_(
        "The bullying has a big impact on the victim (and his/her surroundings)"
    ),
    Criterion.BULLY_HIGH_STATUS: N_(
        "The one who bullies enjoys high status and gets broad support"
    ),
    Criterion.VICTIM_ALONE: N_("The victim stands (almost) alone"),
    Criterion.LEADERS_SUPPORT: N_("The leader(s) support the chosen approach"),
    Criterion.QUICK_CORRECTION_NEEDED: N_(
        "A firm and quick correction of the problem behaviour is needed"
    ),
}

ALL_CRITERIA: tuple[Criterion, ...] = tuple(Criterion)
FULL_MASK = sum(1 << c for c in ALL_CRITERIA)


class Verdict(StrEnum):
    """The answer of the quick check."""

    FITS = "fits"
    MAY_FIT = "may_fit"
    TEAM_FIRST = "team_first"
    DOES_NOT_FIT = "does_not_fit"


@dataclass(frozen=True)
class Assessment:
    """What the ticked criteria say about a one-on-one conversation."""

    verdict: Verdict
    ticked: frozenset[Criterion]
    reasons: tuple[Criterion, ...]
    """The ticked criteria other than the leaders' support, in the protocol's order."""

    @property
    def may_start_case(self) -> bool:
        """Whether the answer offers to go on and prepare the conversations."""
        return self.verdict in (Verdict.FITS, Verdict.MAY_FIT)


def from_mask(mask: int) -> frozenset[Criterion]:
    """Unpack a bit mask into ticked criteria; bits of no criterion are refused."""
    if mask < 0 or mask & ~FULL_MASK:
        raise ValueError(f"criteria mask out of range: {mask}")
    return frozenset(c for c in ALL_CRITERIA if mask & (1 << c))


def toggle(mask: int, criterion: Criterion) -> int:
    """Tick an unticked criterion or untick a ticked one."""
    from_mask(mask)  # validates
    return mask ^ (1 << criterion)


def assess(ticked: frozenset[Criterion]) -> Assessment:
    """Answer the quick check for the ticked criteria (see the module docstring)."""
    reasons = tuple(c for c in ALL_CRITERIA if c in ticked and c != Criterion.LEADERS_SUPPORT)
    if not reasons:
        verdict = Verdict.DOES_NOT_FIT
    elif Criterion.LEADERS_SUPPORT not in ticked:
        verdict = Verdict.TEAM_FIRST
    elif len(reasons) >= 2:
        verdict = Verdict.FITS
    else:
        verdict = Verdict.MAY_FIT
    return Assessment(verdict=verdict, ticked=ticked, reasons=reasons)
