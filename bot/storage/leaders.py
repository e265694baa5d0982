"""Leaders: created at first contact, with their language and where they are typing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Leader
from flows.language import pick_language


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
        leader.last_seen_at = now
        # Writing to the bot again lifts a block: the paused reminders go out again.
        leader.blocked_at = None
    return leader


def point_at(leader: Leader, case_id: int | None, child_id: int | None = None) -> None:
    """Remember which case (and child) the leader's next typed answer belongs to."""
    leader.active_case_id = case_id
    leader.active_child_id = child_id
