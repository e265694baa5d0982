"""The tables: leaders, their cases, the children in a case, agreements, and conversation state.

Every free text about a child is an :class:`EncryptedText` column. Times are
stored in UTC and always come back time-zone aware.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.storage.encryption import EncryptedText
from flows.case import Consent
from flows.follow_up import OPEN_STATUSES, ReminderKind, ReminderStatus
from flows.follow_up_timing import DEFAULT_TIME_ZONE, Rhythm


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
    # Where the leader is typing: the case and child a text answer belongs to.
    active_case_id: Mapped[int | None] = mapped_column(Integer)
    active_child_id: Mapped[int | None] = mapped_column(Integer)
    # The quick check's ticks, carried into the case the leader is about to make.
    draft_criteria_mask: Mapped[int | None] = mapped_column(Integer)
    # The group's rhythm, for when reminders come (see flows.follow_up_timing.Rhythm).
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="08:00")
    meeting_weekday: Mapped[int | None] = mapped_column(Integer)
    meeting_time: Mapped[str | None] = mapped_column(String(5))
    # Set when Telegram says the leader blocked the bot: no reminders until they write again.
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def rhythm(self) -> Rhythm:
        """The leader's settings as the timing rules read them."""
        return Rhythm(
            time_zone=self.time_zone,
            quiet_start=time.fromisoformat(self.quiet_start),
            quiet_end=time.fromisoformat(self.quiet_end),
            meeting_weekday=self.meeting_weekday if self.meeting_time else None,
            meeting_time=time.fromisoformat(self.meeting_time) if self.meeting_time else None,
        )


class Case(Base):
    """One bullying situation, with its child who is bullied and step 1."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    leader_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("leaders.id", ondelete="CASCADE"), index=True
    )
    victim_nickname: Mapped[str] = mapped_column(EncryptedText)
    criteria_mask: Mapped[int | None] = mapped_column(Integer)
    consent: Mapped[str] = mapped_column(String(16), default=Consent.NOT_ASKED)
    may_tell: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    children: Mapped[list[Child]] = relationship(
        back_populates="case",
        order_by="Child.position",
        lazy="selectin",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Child(Base):
    """A child who bullies or joins in, with their step-2 conversation."""

    __tablename__ = "children"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    nickname: Mapped[str] = mapped_column(EncryptedText)
    role: Mapped[str] = mapped_column(String(16))
    # Step 2: "I see/hear that … has happened", "I feel …".
    witnessed: Mapped[bool] = mapped_column(default=True)
    facts: Mapped[str | None] = mapped_column(EncryptedText)
    feeling: Mapped[str | None] = mapped_column(EncryptedText)
    held_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reported_back_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

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

    def open_reminder(self, kind: str) -> Reminder | None:
        """The reminder of ``kind`` still waiting to be sent or answered, if any."""
        return next((r for r in self.reminders if r.kind == kind and r.is_open), None)

    @property
    def open_follow_up(self) -> Reminder | None:
        """The planned follow-up conversation (read by the rules in flows.case)."""
        return self.open_reminder(ReminderKind.FOLLOW_UP)

    @property
    def last_outcome(self) -> str | None:
        """How the last follow-up went, if there was one."""
        return self.follow_ups[-1].outcome if self.follow_ups else None


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
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
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
    # An error class name or Telegram's description: never a message text.
    last_error: Mapped[str | None] = mapped_column(String(200))

    child: Mapped[Child | None] = relationship(back_populates="reminders")

    @property
    def is_open(self) -> bool:
        """Still to be sent, or sent and not yet acted on."""
        return self.status in OPEN_STATUSES


class ConversationState(Base):
    """Where a leader is in a conversation handler, so a restart resumes there."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(64))


class Meta(Base):
    """Facts about the database itself, such as the check that the data key fits."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


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
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
