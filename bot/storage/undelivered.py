"""Screens Telegram did not take: kept (encrypted) until the leader's next update shows them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import UndeliveredReply


def keep(
    session: AsyncSession,
    leader_id: int,
    chat_id: int,
    screens: Sequence[tuple[str, str | None]],
    now: datetime,
) -> None:
    """Keep ``screens`` — (HTML text, keyboard JSON) — for the leader, in this order."""
    for text, keyboard in screens:
        session.add(
            UndeliveredReply(
                leader_id=leader_id, chat_id=chat_id, created_at=now, text=text, keyboard=keyboard
            )
        )


async def of_leader(session: AsyncSession, leader_id: int, chat_id: int) -> list[UndeliveredReply]:
    """The leader's undelivered screens in that chat, oldest first."""
    found = await session.scalars(
        select(UndeliveredReply)
        .where(UndeliveredReply.leader_id == leader_id, UndeliveredReply.chat_id == chat_id)
        .order_by(UndeliveredReply.id)
    )
    return list(found.all())


async def forget(session: AsyncSession, ids: Sequence[int]) -> None:
    """Drop the screens that have now been delivered."""
    if ids:
        await session.execute(delete(UndeliveredReply).where(UndeliveredReply.id.in_(ids)))
