"""A turn's screens are committed with the turn, so that a process that dies cannot lose them.

A turn commits the leader's new place in the flow before it sends anything
(``bot.turn``). A process killed between that commit and the send used to lose the
reply: the leader pressed a button and saw nothing, and their update was done. Now
the turn's screens are written in its own transaction (as ``undelivered_replies``
rows, the table that keeps screens Telegram did not take), sent after the commit,
and deleted once sent (:func:`sent`).

So a leader's rows mean one of two things. With ``leaders.undelivered`` set, Telegram
refused them, and the leader's next update shows them first (``bot.turn``). Without
it, they are on their way, or their process died before they were sent: a process
holding the leader's claim (``bot.intake.dispatcher``) is the only one that can be
sending them, so when it takes the claim and finds such rows, they are left over,
and it sends them (:func:`resend`) before the leader's next update. A restart does
the same for every leader who has some, and so does the sweep of a surviving process.

At least once: a process killed after Telegram took a screen and before its row was
deleted sends that screen again; that window is one small transaction long.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from itertools import groupby

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup

from bot import delivery
from bot.storage.database import Database
from bot.storage.models import Leader, UndeliveredReply
from bot.telegram_faults import RetryPolicy

log = logging.getLogger(__name__)


async def hold(
    session: AsyncSession,
    leader_id: int,
    chat_id: int,
    screens: Sequence[tuple[str, InlineKeyboardMarkup | None]],
    now: datetime,
) -> list[int]:
    """Write a turn's screens in its transaction; their row ids, for :func:`sent`.

    A leader erased by this very turn has nothing kept: their screens are sent as before.
    """
    if not screens or await session.scalar(select(Leader.id).where(Leader.id == leader_id)) is None:
        return []
    rows = [
        UndeliveredReply(
            leader_id=leader_id,
            chat_id=chat_id,
            created_at=now,
            text=text,
            keyboard=delivery.Screen(text, markup).keyboard_json(),
        )
        for text, markup in screens
    ]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def sent(database: Database, ids: Sequence[int]) -> None:
    """The screens are shown, or kept anew for the leader's next update: their rows go."""
    if not ids:
        return
    async with database.write_turn(), database.session() as session, session.begin():
        await session.execute(
            delete(UndeliveredReply)
            .where(UndeliveredReply.id.in_(ids))
            .execution_options(synchronize_session=False)
        )


_LEFT_OVER = (
    select(UndeliveredReply.leader_id)
    .join(Leader, Leader.id == UndeliveredReply.leader_id)
    .where(Leader.undelivered.is_(False))
)


async def leaders_with_left_over(database: Database) -> list[int]:
    """Leaders with screens committed and not sent, as far as this moment can tell.

    Only the holder of a leader's claim may conclude they are left over (another
    process may be sending them right now).
    """
    async with database.session() as session:
        found = await session.scalars(_LEFT_OVER.distinct())
        return [int(leader_id) for leader_id in found.all()]


async def resend(
    bot: Bot, database: Database, leader_id: int, policy: RetryPolicy, now: datetime
) -> int:
    """Send a leader's left-over screens, oldest first; how many there were.

    Call only while holding the leader's claim. Those Telegram does not take are kept
    for the leader's next update, as any turn's are.
    """
    async with database.session() as session:
        rows = list(
            (
                await session.scalars(
                    select(UndeliveredReply)
                    .join(Leader, Leader.id == UndeliveredReply.leader_id)
                    .where(UndeliveredReply.leader_id == leader_id, Leader.undelivered.is_(False))
                    .order_by(UndeliveredReply.id)
                )
            ).all()
        )
    if not rows:
        return 0
    log.info("%d screen(s) of chat(s) of leader %s left unsent: sent now", len(rows), leader_id)
    try:
        for chat_id, of_chat in groupby(rows, key=lambda row: row.chat_id):
            screens = [delivery.Screen.from_kept(r.text, r.keyboard, bot) for r in of_chat]
            await delivery.show_all(bot, database, leader_id, chat_id, screens, None, policy, now)
    finally:
        await sent(database, [row.id for row in rows])
    return len(rows)
