"""Leaders: created at first contact, with their language and their place in the flow."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Leader
from flows.language import pick_language
from flows.replies import Awaiting

#: How precisely a leader's last contact is kept.
SEEN_GRANULARITY = timedelta(hours=1)


async def get_or_create(
    session: AsyncSession, user_id: int, language_code: str | None, now: datetime
) -> Leader:
    """The leader with Telegram ``user_id``; a new one speaks their Telegram language."""
    leader = await session.get(Leader, user_id)
    if leader is None:
        leader = Leader(
            id=user_id,
            language=pick_language(language_code),
            created_at=now,
            last_seen_at=now,
        )
        session.add(leader)
        await session.flush()
    else:
        # Seen "today" is all that is kept: a write on every update would cost a commit
        # with a write (an fsync on SQLite) even for a press that changes nothing.
        if now - leader.last_seen_at >= SEEN_GRANULARITY:
            leader.last_seen_at = now
        if leader.blocked_at is not None:
            # Writing to the bot again lifts a block: the paused reminders go out again.
            leader.blocked_at = None
    return leader


def place(
    leader: Leader,
    awaiting: Awaiting,
    case_id: int | None = None,
    child_id: int | None = None,
    item_id: int | None = None,
) -> None:
    """Remember what the leader's next typed answer is, and which case and child it is about."""
    _change(
        leader,
        awaiting=awaiting,
        active_case_id=case_id,
        active_child_id=child_id,
        active_item_id=item_id,
        draft=None,  # a kept text belongs to the question just left
    )


def _change(leader: Leader, **columns: object) -> None:
    """Set the columns whose value differs; a place that stays the same leaves the row clean.

    Even a column set to the value it has marks the row changed, and the commit then
    goes through the whole flush to find there is nothing to write.
    """
    for name, value in columns.items():
        if getattr(leader, name) != value:
            setattr(leader, name, value)


def awaiting(leader: Leader) -> Awaiting:
    """What typed answer the bot waits for from ``leader`` (nothing, for an unknown value)."""
    try:
        return Awaiting(leader.awaiting)
    except ValueError:
        return Awaiting.NOTHING
