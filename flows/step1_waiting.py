"""Step 1 not asked yet, or refused: the case waits, never silently.

Nothing happens behind the back of the child who is bullied: without their "yes" in
step 1 there is no talk with the children who bully. So the case stays open in step 1
and a reminder comes: to ask (at the group's next meeting, or in two days), or,
after a "no", to ask again later, to talk about it with the team, or to look again
how things go.
"""

from __future__ import annotations

from datetime import datetime

from flows.follow_up_timing import FollowUpChoice, Rhythm, follow_up_moment
from flows.history import Step1Choice

#: After a "no": when to remind, for each thing the leader does meanwhile.
AFTER_NO: dict[Step1Choice, FollowUpChoice] = {
    Step1Choice.TRY_LATER: FollowUpChoice.IN_1_WEEK,
    Step1Choice.TEAM: FollowUpChoice.IN_1_WEEK,
    Step1Choice.WATCH: FollowUpChoice.IN_2_WEEKS,
}


def ask_reminder(rhythm: Rhythm) -> FollowUpChoice:
    """Not asked yet: remind at the group's next meeting, or else in two days."""
    return FollowUpChoice.NEXT_MEETING if rhythm.has_meeting else FollowUpChoice.IN_2_DAYS


def reminder_moment(choice: FollowUpChoice, now: datetime, rhythm: Rhythm) -> datetime:
    """When a step-1 reminder planned with ``choice`` is due, out of the quiet hours."""
    return follow_up_moment(choice, now, rhythm)
