"""A leader's data as a whole: export it, erase it, and erase what is kept too long."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.storage import history
from bot.storage.database import note_erasure
from bot.storage.models import Case, Leader, QuarantinedUpdate, Reminder
from bot.storage.teams import teams_of
from flows.criteria import CRITERION_TEXT, from_mask
from flows.follow_up import ReminderKind
from flows.language import _


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def _history(case: Case, leaders: dict[int, str], teams: dict[int, str]) -> list[dict[str, Any]]:
    """The case's history, every line of it: who did what when, and what was chosen."""
    children = {c.id: c.nickname for c in case.children}
    return [
        {
            "at": _time(event.at),
            "kind": event.kind,
            "child": children.get(event.child_id) if event.child_id is not None else None,
            "detail": event.detail,
            "by": _named(leaders, event.actor_id),
            "with": _named(leaders, event.other_id),
            "team": _named(teams, event.team_id),
        }
        for event in case.history
    ]


def _named(names: dict[int, str], key: int | None) -> str | None:
    return None if key is None else names.get(key, "?")


async def export(session: AsyncSession, leader: Leader) -> dict[str, Any]:
    """Everything stored about ``leader`` and their cases, as plain data."""
    cases = (
        await session.scalars(
            select(Case).where(Case.leader_id == leader.id).options(selectinload(Case.history))
        )
    ).all()
    reminders = (
        await session.scalars(select(Reminder).where(Reminder.leader_id == leader.id))
    ).all()
    memberships = await teams_of(session, leader.id)
    events = [event for case in cases for event in case.history]
    leaders = await history.names(
        session, {i for e in events for i in (e.actor_id, e.other_id) if i is not None}
    )
    # The leader's own lines say so; co-leaders by the name the team knows them by.
    leaders[leader.id] = "me"
    team_names = await history.team_names(
        session, {e.team_id for e in events if e.team_id is not None}
    )
    return {
        "leader": {
            "telegram_user_id": leader.id,
            "language": leader.language,
            "time_zone": leader.time_zone,
            "quiet_hours": [leader.quiet_start, leader.quiet_end],
            "meeting": {
                "weekdays": list(leader.weekdays),
                "time": leader.meeting_time,
                "end": leader.meeting_end,
                "reminder_minutes_before": leader.reminder_lead,
                "camp": [
                    None if leader.camp_start is None else leader.camp_start.isoformat(),
                    None if leader.camp_end is None else leader.camp_end.isoformat(),
                ],
            },
            "first_contact": _time(leader.created_at),
        },
        "cases": [
            {
                "child_who_is_bullied": case.victim_nickname,
                "quick_check": [
                    _(CRITERION_TEXT[c]) for c in sorted(from_mask(case.criteria_mask or 0))
                ],
                "started": _time(case.created_at),
                "closed": _time(case.closed_at),
                "approach": case.approach,
                "history": _history(case, leaders, team_names),
                "children_who_bully": [
                    {
                        "nickname": child.nickname,
                        "role": child.role,
                        "step1_consent": child.consent,
                        "may_tell": child.may_tell,
                        # Asked right before the facts: unknown until they are written down.
                        "saw_it_myself": child.witnessed,
                        "facts": child.facts,
                        "feeling": child.feeling,
                        "note": child.note,
                        "talk_held": _time(child.held_at),
                        "reported_back": _time(child.reported_back_at),
                        "agreements": [
                            {
                                "text": a.text,
                                "made": _time(a.created_at),
                                "at_follow_up": a.follow_up_id is not None,
                                "stands": a.ended_in is None,
                            }
                            for a in child.agreements
                        ],
                        "follow_ups": [
                            {
                                "outcome": f.outcome,
                                "bullied_child_says": f.victim_view,
                                "recorded": _time(f.recorded_at),
                            }
                            for f in child.follow_ups
                        ],
                    }
                    for child in case.children
                ],
            }
            for case in cases
        ],
        "teams": [
            {
                "team": m.team.name,
                "role": m.role,
                "known_as": m.display_name,
                "joined": _time(m.joined_at),
            }
            for m in memberships
        ],
        "reminders": [
            {"kind": r.kind, "due": _time(r.due_at), "status": r.status} for r in reminders
        ],
    }


async def erase_leader(session: AsyncSession, leader: Leader) -> None:
    """Erase the leader, their cases, everything in them and their reminders."""
    note_erasure(session)
    # Cases, children, agreements, follow-ups and reminders go with it (ON DELETE CASCADE).
    await session.execute(delete(Leader).where(Leader.id == leader.id))
    # An update of theirs that could not be read holds what they typed: it goes too.
    await session.execute(delete(QuarantinedUpdate).where(QuarantinedUpdate.sender_id == leader.id))


async def erase_closed_before(session: AsyncSession, cutoff: datetime) -> int:
    """Erase the cases closed before ``cutoff``; returns how many."""
    result = await session.execute(
        delete(Case).where(Case.closed_at.is_not(None), Case.closed_at < cutoff)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        note_erasure(session)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def inactive_without_reminder(session: AsyncSession, cutoff: datetime) -> list[Case]:
    """Open cases untouched since ``cutoff`` that were not yet asked about since then."""
    asked = exists().where(
        Reminder.case_id == Case.id,
        Reminder.kind == ReminderKind.INACTIVE,
        Reminder.created_at >= Case.updated_at,
    )
    found = await session.scalars(
        select(Case).where(Case.closed_at.is_(None), Case.updated_at < cutoff, ~asked)
    )
    return list(found.all())
