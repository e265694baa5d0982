"""The buttons of teams and of sharing a case (see ``bot.callback_data`` for the format).

Members are named by their row id in the team (a Telegram user id does not fit the
32 bits a button's id may have); 0 stands for "the whole team" when sharing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.callback_data import Callback

#: ``member_id`` of :class:`ShareToggle` for the whole team.
WHOLE_TEAM = 0


class TeamsPress(Callback):
    """The leader's teams (as /team)."""

    prefix: ClassVar[str] = "t"


class TeamNew(Callback):
    """Start a new team: its name comes next."""

    prefix: ClassVar[str] = "tn"


@dataclass(frozen=True)
class TeamOpen(Callback):
    """One team: its members and the cases shared with the leader in it."""

    prefix: ClassVar[str] = "to"
    team_id: int


@dataclass(frozen=True)
class TeamInvite(Callback):
    """A coordinator makes a new invitation link (the old one stops working)."""

    prefix: ClassVar[str] = "ti"
    team_id: int


@dataclass(frozen=True)
class TeamRevoke(Callback):
    """A coordinator revokes the team's invitation link."""

    prefix: ClassVar[str] = "tr"
    team_id: int


@dataclass(frozen=True)
class TeamMemberPress(Callback):
    """A coordinator opens one member: remove, or make coordinator."""

    prefix: ClassVar[str] = "tm"
    team_id: int
    member_id: int


@dataclass(frozen=True)
class TeamRemove(Callback):
    """A coordinator removes a member, at once."""

    prefix: ClassVar[str] = "tx"
    team_id: int
    member_id: int


@dataclass(frozen=True)
class TeamPromote(Callback):
    """A coordinator makes a member coordinator too."""

    prefix: ClassVar[str] = "tp"
    team_id: int
    member_id: int


@dataclass(frozen=True)
class TeamLeave(Callback):
    """Leave a team: asks first."""

    prefix: ClassVar[str] = "tl"
    team_id: int


@dataclass(frozen=True)
class TeamLeaveConfirmed(Callback):
    """Leave a team, now."""

    prefix: ClassVar[str] = "tlx"
    team_id: int


@dataclass(frozen=True)
class ShareOpen(Callback):
    """The case's leader opens "share this case"."""

    prefix: ClassVar[str] = "sh"
    case_id: int


@dataclass(frozen=True)
class ShareToggle(Callback):
    """Share the case in a team with one member (or :data:`WHOLE_TEAM`), or stop sharing."""

    prefix: ClassVar[str] = "sht"
    case_id: int
    team_id: int
    member_id: int


@dataclass(frozen=True)
class TeamEscalation(Callback):
    """A coordinator sets how long a nudge may go unanswered before co-leaders are asked."""

    prefix: ClassVar[str] = "te"
    team_id: int
    hours: int


@dataclass(frozen=True)
class TakeOver(Callback):
    """ "I'll take it": a co-leader takes a child's follow-up whose nudge went unanswered."""

    prefix: ClassVar[str] = "tk"
    case_id: int
    child_id: int


#: ``child_id`` of the hand-over buttons for the whole case.
WHOLE_CASE = 0


@dataclass(frozen=True)
class HandoverOpen(Callback):
    """Hand over the case or a child's follow-up: what?"""

    prefix: ClassVar[str] = "ho"
    case_id: int


@dataclass(frozen=True)
class HandoverWhat(Callback):
    """Hand over a child's follow-up (or :data:`WHOLE_CASE`): to whom?"""

    prefix: ClassVar[str] = "hw"
    case_id: int
    child_id: int


@dataclass(frozen=True)
class HandoverTo(Callback):
    """Offer it to this member of a team."""

    prefix: ClassVar[str] = "ht"
    case_id: int
    child_id: int
    team_id: int
    member_id: int


@dataclass(frozen=True)
class HandoverConfirm(Callback):
    """Offer the whole case to this member; whether the one who offers keeps seeing it."""

    prefix: ClassVar[str] = "hc"
    case_id: int
    team_id: int
    member_id: int
    keep: bool


@dataclass(frozen=True)
class HandoverAnswer(Callback):
    """The co-leader accepts or declines what was offered to them."""

    prefix: ClassVar[str] = "ha"
    case_id: int
    child_id: int
    accept: bool


@dataclass(frozen=True)
class TeamOverview(Callback):
    """A coordinator's overview of the team's open cases."""

    prefix: ClassVar[str] = "tv"
    team_id: int


@dataclass(frozen=True)
class TeamYearMonths(Callback):
    """A coordinator picks the month the working year starts in."""

    prefix: ClassVar[str] = "ty"
    team_id: int


@dataclass(frozen=True)
class TeamYearStart(Callback):
    """The working year starts on the 1st of ``month`` (1–12)."""

    prefix: ClassVar[str] = "tys"
    team_id: int
    month: int


#: The answers to the new working year's question (:class:`YearAnswer`).
YEAR_KEEP = 0
YEAR_HAND_OVER = 1
YEAR_CLOSE = 2


@dataclass(frozen=True)
class YearAnswer(Callback):
    """The case's leader answers the new working year's question: keep following it up,
    hand it over, or close it. Any answer closes the question."""

    prefix: ClassVar[str] = "yq"
    case_id: int
    choice: int


TEAM_BUTTONS: tuple[type[Callback], ...] = (
    TeamYearMonths,
    TeamYearStart,
    TeamOverview,
    TeamEscalation,
    TeamsPress,
    TeamNew,
    TeamOpen,
    TeamInvite,
    TeamRevoke,
    TeamMemberPress,
    TeamRemove,
    TeamPromote,
    TeamLeave,
    TeamLeaveConfirmed,
)


@dataclass(frozen=True)
class CaseHistory(Callback):
    """A case's history (who did what when)."""

    prefix: ClassVar[str] = "hy"
    case_id: int


@dataclass(frozen=True)
class CaseHistoryDocument(Callback):
    """A case's history as a print-ready document."""

    prefix: ClassVar[str] = "hd"
    case_id: int


#: The buttons of a case's history.
HISTORY_BUTTONS: tuple[type[Callback], ...] = (CaseHistory, CaseHistoryDocument)
#: Buttons about one case, handled with the case's access check.
CASE_TEAM_BUTTONS: tuple[type[Callback], ...] = (
    ShareOpen,
    ShareToggle,
    TakeOver,
    HandoverOpen,
    HandoverWhat,
    HandoverTo,
    HandoverConfirm,
    HandoverAnswer,
    YearAnswer,
)
