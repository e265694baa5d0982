"""A team of leaders (a "leidingsploeg"): who is in it, who may do what, and invitations.

Plain rules, no Telegram and no database: the bot's storage and handlers ask these
before they change anything, at the moment of each press.

An invitation is a random token in a Telegram deep link
(``https://t.me/<bot>?start=<token>``). Only its SHA-256 is stored, so a copy of the
database opens no team; it expires after :data:`INVITE_LIFETIME`, and a coordinator
can revoke it (a new link revokes the old one too).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from flows.language import N_

#: How long an invitation link can be used.
INVITE_LIFETIME = timedelta(days=7)
#: Random bytes in a token: 16 bytes are 22 characters of base64url, far within the
#: 64 characters Telegram allows after ``?start=``.
TOKEN_BYTES = 16
#: What Telegram passes on after ``/start``: base64url characters only.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
TEAM_NAME_MAX = 40
#: Teams one leader may be in, and members one team may have: enough for any youth
#: group, and a bound on every screen that lists them.
TEAMS_PER_LEADER_MAX = 8
MEMBERS_PER_TEAM_MAX = 30
#: After how many hours an unanswered follow-up nudge may go to the co-leaders who
#: share the case: the choices a coordinator has, and the default.
ESCALATION_HOURS = (12, 24, 48, 72)
DEFAULT_ESCALATION_HOURS = 24
#: The working year starts on the 1st of this month unless the coordinator picks another.
DEFAULT_YEAR_START_MONTH = 9


class TeamRole(StrEnum):
    """A member's role: a leader, or one of the group leadership ("groepsleiding")."""

    MEMBER = "member"
    COORDINATOR = "coordinator"


ROLE_TEXT = {
    TeamRole.MEMBER: N_("leader"),
    TeamRole.COORDINATOR: N_("coordinator"),
}


def new_token() -> str:
    """A fresh random invitation token (base64url)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Whether ``text`` (what came after ``/start``) can be a token of ours at all."""
    return bool(_TOKEN_SHAPE.fullmatch(text))


def invite_link(bot_username: str, token: str) -> str:
    """The deep link that opens the bot with ``/start <token>``."""
    return f"https://t.me/{bot_username}?start={token}"


def invite_usable(expires_at: datetime, now: datetime) -> bool:
    """Whether an invitation can still be used."""
    return now < expires_at


@dataclass(frozen=True)
class Membership:
    """One leader in one team, as the rules need it."""

    leader_id: int
    role: TeamRole


def is_coordinator(members: list[Membership], leader_id: int) -> bool:
    """Whether ``leader_id`` is a coordinator among ``members``."""
    return any(m.leader_id == leader_id and m.role is TeamRole.COORDINATOR for m in members)


def may_remove(members: list[Membership], by: int, whom: int) -> bool:
    """A coordinator may remove any other member (leaving is how one removes oneself)."""
    return by != whom and is_coordinator(members, by) and any(m.leader_id == whom for m in members)


def may_leave(members: list[Membership], leader_id: int) -> bool:
    """Anyone may leave, except the last coordinator of a team with other members.

    The team would have nobody to invite or remove anyone; they name another
    coordinator first. The last member leaving ends the team.
    """
    coordinators = [m for m in members if m.role is TeamRole.COORDINATOR]
    others = [m for m in members if m.leader_id != leader_id]
    alone_in_charge = [m.leader_id for m in coordinators] == [leader_id]
    return not (alone_in_charge and others)


def last_year_start(today: date, month: int) -> int:
    """The year of the newest working-year start (the 1st of ``month``) on or before ``today``."""
    return today.year if (today.month, today.day) >= (month, 1) else today.year - 1


def new_year_due(today: date, month: int, asked: int) -> int | None:
    """The working year whose start-of-year question is due now, if it was not asked yet."""
    year = last_year_start(today, month)
    return year if year > asked else None


def clean_team_name(text: str) -> str | None:
    """A team's name on one line, or ``None`` when it is empty or too long."""
    name = " ".join(text.split())
    if not name or len(name) > TEAM_NAME_MAX:
        return None
    return name
