"""The tables: leaders, their cases, the children in a case, agreements, and conversation state.

Every free text about a child is an :class:`EncryptedText` column. Times are
stored in UTC and always come back time-zone aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot.storage.encryption import EncryptedText
from flows.case import Consent


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


class Agreement(Base):
    """Something the child proposed to do, recorded after a conversation."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    child: Mapped[Child] = relationship(back_populates="agreements")


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
