"""The tables: leaders and their place in the flow, cases, children, agreements, reminders.

Every free text about a child is an :class:`EncryptedText` column. Times are
stored in UTC and always come back time-zone aware.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.storage.encryption import EncryptedText
from flows.case import Consent
from flows.follow_up import OPEN_STATUSES, ReminderStatus
from flows.follow_up_timing import DEFAULT_TIME_ZONE, Rhythm
from flows.history import CHOICE_KINDS
from flows.replies import Awaiting
from flows.team import DEFAULT_ESCALATION_HOURS, DEFAULT_YEAR_START_MONTH


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC timestamp that comes back aware on every database (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Base of every table."""


class Leader(Base):
    """A youth leader: a Telegram user who talks with the bot in a private chat."""

    __tablename__ = "leaders"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The leader's place in the flow, all in this one row: which typed answer the bot
    # waits for (flows.replies.Awaiting), and the case and child that answer is about.
    awaiting: Mapped[str] = mapped_column(String(32), default=Awaiting.NOTHING)
    active_case_id: Mapped[int | None] = mapped_column(Integer)
    active_child_id: Mapped[int | None] = mapped_column(Integer)
    # The record within the child that answer is about (an agreement being corrected).
    active_item_id: Mapped[int | None] = mapped_column(Integer)
    # A typed answer longer than its limit, kept until the leader keeps its first part.
    draft: Mapped[str | None] = mapped_column(EncryptedText)
    # The quick check's ticks, carried into the case the leader is about to make.
    draft_criteria_mask: Mapped[int | None] = mapped_column(Integer)
    # The name teams know the leader by (their Telegram first name when they last made
    # or joined a team), kept once they are out of every team: who they were is told.
    team_name: Mapped[str | None] = mapped_column(EncryptedText)
    # The group's rhythm, for when reminders come (see flows.follow_up_timing.Rhythm).
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    # Weekly activities: their days ("5", "2,5"; 0 = Monday), start and end ("14:00").
    meeting_days: Mapped[str | None] = mapped_column(String(20))
    meeting_time: Mapped[str | None] = mapped_column(String(5))
    meeting_end: Mapped[str | None] = mapped_column(String(5))
    # Minutes before an activity at which its reminders land.
    reminder_lead: Mapped[int] = mapped_column(Integer, default=60)
    # A camp: daily activities from the first to the last day (local dates).
    camp_start: Mapped[date | None] = mapped_column(Date)
    camp_end: Mapped[date | None] = mapped_column(Date)
    # Whether the leader said how the group works (weekly, camp or no fixed rhythm).
    rhythm_asked: Mapped[bool] = mapped_column(default=False)
    # Set when Telegram says the leader blocked the bot: no reminders until they write again.
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Screens Telegram did not take are kept for this leader (see bot.delivery).
    undelivered: Mapped[bool] = mapped_column(default=False)

    @property
    def rhythm(self) -> Rhythm:
        """The leader's settings as the timing rules read them."""
        return Rhythm(
            time_zone=self.time_zone,
            quiet_start=time.fromisoformat(self.quiet_start),
            quiet_end=time.fromisoformat(self.quiet_end),
            meeting_days=self.weekdays if self.meeting_time else (),
            meeting_time=time.fromisoformat(self.meeting_time)
            if self.meeting_time and self.weekdays
            else None,
            meeting_end=time.fromisoformat(self.meeting_end) if self.meeting_end else None,
            lead=timedelta(minutes=self.reminder_lead or 0),
            camp_start=self.camp_start if self.camp_end else None,
            camp_end=self.camp_end if self.camp_start else None,
        )

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The weekly activity days (0 = Monday), in order."""
        if not self.meeting_days:
            return ()
        return tuple(sorted({int(d) for d in self.meeting_days.split(",") if d.isdigit()}))


class Case(Base):
    """One bullying situation: the child who is bullied, and the children who bully."""

    __tablename__ = "cases"
    # A leader's open cases, newest first, counted and paged from the index alone.
    __table_args__ = (Index("ix_cases_leader_open", "leader_id", "closed_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"))
    victim_nickname: Mapped[str] = mapped_column(EncryptedText)
    criteria_mask: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The approach the case goes on with, once the leader chose one (flows.approaches).
    approach: Mapped[str | None] = mapped_column(String(16))

    children: Mapped[list[Child]] = relationship(
        back_populates="case",
        order_by="Child.position",
        lazy="selectin",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # Its history, oldest first: who did what when, and what the leader chose. Read only
    # where it is shown (/history, the document, the export): a case's every turn does not
    # load every line it ever had.
    history: Mapped[list[CaseEvent]] = relationship(
        order_by=lambda: (CaseEvent.at, CaseEvent.id),
        lazy="raise_on_sql",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # The lines of it that the case shows at a glance: what the leader chose.
    choices: Mapped[list[CaseEvent]] = relationship(
        primaryjoin=lambda: and_(
            CaseEvent.case_id == Case.id, CaseEvent.kind.in_([k.value for k in CHOICE_KINDS])
        ),
        order_by=lambda: (CaseEvent.at, CaseEvent.id),
        lazy="selectin",
        viewonly=True,
    )


class Child(Base):
    """A child who bullies or joins in, with their step-2 conversation."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    nickname: Mapped[str] = mapped_column(EncryptedText)
    role: Mapped[str] = mapped_column(String(16))
    # Step 1, for this child: may the leader talk with them, and what may be told.
    consent: Mapped[str] = mapped_column(String(16), default=Consent.NOT_ASKED)
    may_tell: Mapped[str | None] = mapped_column(EncryptedText)
    # Step 2: "I see/hear that … has happened", "I feel …".
    # None until the leader says whether they saw it themselves or heard it.
    witnessed: Mapped[bool | None] = mapped_column(default=None)
    facts: Mapped[str | None] = mapped_column(EncryptedText)
    feeling: Mapped[str | None] = mapped_column(EncryptedText)
    held_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reported_back_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The follow-up talk (its number) whose calendar file the leader took, and the file's
    # last SEQUENCE: moving or cancelling that talk sends them the update.
    calendar_talk: Mapped[int | None] = mapped_column(Integer)
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What the leader kept aside about this child: the rest of a text typed too long.
    note: Mapped[str | None] = mapped_column(EncryptedText)

    case: Mapped[Case] = relationship(back_populates="children")
    agreements: Mapped[list[Agreement]] = relationship(
        back_populates="child",
        order_by="Agreement.id",
        lazy="selectin",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="child",
        order_by="FollowUp.id",
        lazy="selectin",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    reminders: Mapped[list[Reminder]] = relationship(
        back_populates="child",
        order_by="Reminder.id",
        lazy="selectin",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # Who follows this child up, when it is not the case's own leader.
    responsibility: Mapped[Responsibility | None] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def responsible_id(self) -> int:
        """The leader who follows this child up: the one it was handed to, or the case's."""
        return self.responsibility.leader_id if self.responsibility else self.case.leader_id


class Agreement(Base):
    """Something the child proposed to do, recorded after a conversation or a follow-up."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set for a new proposal made at a follow-up; empty for the step-2 agreements.
    follow_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="CASCADE")
    )
    # The follow-up (its id) with whose new proposal the leader marked that this agreement
    # no longer stands; empty while it stands (flows.case.standing_agreements).
    ended_in: Mapped[int | None] = mapped_column(Integer)

    child: Mapped[Child] = relationship(back_populates="agreements")


class FollowUp(Base):
    """Step 3: a follow-up conversation with a child, and how far the bullying stopped."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The interval chosen before it, so a longer one can be proposed after "stopped".
    previous_choice: Mapped[str | None] = mapped_column(String(16))
    # What the child who is bullied said at this follow-up (flows.escalation.VictimView).
    victim_view: Mapped[str | None] = mapped_column(String(16))

    child: Mapped[Child] = relationship(back_populates="follow_ups")


class Reminder(Base):
    """A nudge to send a leader at ``due_at``: the database is the source of truth.

    ``pending`` → ``sending`` (claimed by one process) → ``sent``; ``answered``
    once the leader acted on it, ``cancelled`` when it is no longer wanted,
    ``failed`` when Telegram refuses it for good (the leader blocked the bot).
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )
    # Empty only for a notice about a line of a team's own history (``bot.storage.notices``).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING)
    choice: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    late: Mapped[bool] = mapped_column(default=False)
    # When the unanswered nudge went to the co-leaders who share the case (bot.team_rounds).
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    child: Mapped[Child | None] = relationship(back_populates="reminders")

    @property
    def is_open(self) -> bool:
        """Still to be sent, or sent and not yet acted on."""
        return self.status in OPEN_STATUSES


class Meta(Base):
    """Facts about the database itself, such as the check that the data key fits."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class UndeliveredReply(Base):
    """A screen that never reached the leader: Telegram kept failing after the commit.

    The leader's place in the flow had already moved on, so their next update is answered
    with these screens first (see ``bot.delivery``). The text names children: encrypted.
    """

    __tablename__ = "undelivered_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(EncryptedText)
    # The inline keyboard as Telegram's JSON; button data carry ids only, never a text.
    keyboard: Mapped[str | None] = mapped_column(Text)


class Team(Base):
    """A team of leaders ("leidingsploeg") that can share cases; see ``flows.team``."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A group's name can point to a place and its children: encrypted like them.
    name: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # A follow-up nudge unanswered this long goes to the others who share the case.
    escalate_after_hours: Mapped[int] = mapped_column(Integer, default=DEFAULT_ESCALATION_HOURS)
    # The working year starts on the 1st of this month; ``year_asked`` is the last year
    # whose start its members were asked about their open cases.
    year_start_month: Mapped[int] = mapped_column(Integer, default=DEFAULT_YEAR_START_MONTH)
    year_asked: Mapped[int] = mapped_column(Integer)

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team",
        order_by="TeamMember.joined_at",
        lazy="selectin",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class TeamMember(Base):
    """A leader in a team, with their role and the name the others know them by."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "leader_id"),)

    # Buttons name a member by this id: a Telegram user id does not fit in 32 bits.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    leader_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    # The leader's first name in Telegram when they joined: how the team sees them.
    display_name: Mapped[str] = mapped_column(EncryptedText)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime)

    team: Mapped[Team] = relationship(back_populates="members")


class TeamInvite(Base):
    """An invitation link: only the token's hash is kept, and it expires."""

    __tablename__ = "team_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseShare(Base):
    """A case shared by its leader in a team: with the whole team (no leader), or one leader."""

    __tablename__ = "case_shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    leader_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )


class CaseEvent(Base):
    """One line of a case's history: who did what when (ids and kinds, never a text).

    Its kind is a ``bot.storage.history.EventKind``: what happened in the case (a talk
    held, a share, …) or what the leader chose (an approach, what to do after a "no" in
    step 1, a next step: ``flows.history``). A line without a case is one of a team's
    own history (a member out of the team), so a notice can point at it as at any other.
    """

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Empty for a line of a team's own history (``team_id``): a member out of it.
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(24))
    # Who did it, and whom it concerns (shared with, handed to); empty once erased.
    actor_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="SET NULL")
    )
    other_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="SET NULL")
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    # The child it is about, if one; and a value such as the outcome (never a typed text).
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"))
    detail: Mapped[str | None] = mapped_column(String(24))


class Responsibility(Base):
    """The leader a child's follow-up was handed to (see ``bot.storage.handovers``)."""

    __tablename__ = "responsibilities"

    child_id: Mapped[int] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), primary_key=True
    )
    leader_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )


class Handover(Base):
    """A case, or one child's follow-up, offered to a co-leader who has not answered yet."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # Empty: the whole case.
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    from_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )
    # Whether whoever offers the whole case keeps seeing it once it is accepted.
    keeps_sight: Mapped[bool] = mapped_column(default=True, server_default=true())


class InboxUpdate(Base):
    """An update from Telegram, stored before Telegram is told it arrived (see ``bot.intake``).

    ``payload`` is the update as JSON, encrypted: it holds what the leader typed. Once
    the update is handled, ``done_at`` is set in the same transaction as its effects and
    the payload is cleared; the row stays a little while as a tombstone, so that Telegram
    delivering the update again (after a restart, or a lost acknowledgement) is skipped.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        Index("ix_inbox_sender", "sender_id", "update_id"),
        Index("ix_inbox_done", "done_at"),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # Whose updates must be handled in order: the user's id (a leader), else the chat's.
    sender_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str | None] = mapped_column(EncryptedText)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class QuarantinedUpdate(Base):
    """An update python-telegram-bot could not read, set aside (see ``bot.storage.inbox``).

    Telegram is told it arrived, so that it does not hold up every update after it;
    its JSON is kept, encrypted like the inbox's, for the operator to look into, and
    deleted after :data:`bot.storage.inbox.QUARANTINE_KEPT`.
    """

    __tablename__ = "quarantine"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # Whose update it seems to be (0: none found), so that an erasure can find it.
    sender_id: Mapped[int] = mapped_column(BigInteger, index=True)
    payload: Mapped[str] = mapped_column(EncryptedText)
    # What python-telegram-bot said, encrypted too: its message may quote a value.
    error: Mapped[str] = mapped_column(EncryptedText)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
