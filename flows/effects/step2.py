"""Step 2: with each child who bullies or joins in — the facts, the feeling, the talk."""

from __future__ import annotations

from flows import fact_words
from flows.case import (
    AGREEMENT_MAX,
    AGREEMENTS_PER_CONVERSATION_MAX,
    FEELING_MAX,
    LONG_TEXT_MAX,
    CaseRecord,
    ChildRecord,
    agreements_to_mark,
    clean_text,
    current_round,
    open_reminder,
    round_agreements,
)
from flows.events import (
    AgreementsDone,
    AgreementTyped,
    AskFeeling,
    FactsKept,
    FactsTyped,
    FeelingChosen,
    FeelingTyped,
    ReportBackLater,
    ReportedBack,
    SameFactsAs,
    SameFeelingAs,
    TalkHeld,
    Witnessed,
)
from flows.follow_up import (
    Outcome,
    ReminderKind,
    ReminderStatus,
    proposed_next_choice,
    report_back_moment,
)
from flows.follow_up_timing import FollowUpChoice, follow_up_moment
from flows.history import HistoryKind, HistoryLine
from flows.moment import Moment
from flows.replies import Reply, Screen, Shown, show, where_it_stands


def witnessed(case: CaseRecord, child: ChildRecord, event: Witnessed, at: Moment) -> Reply:
    """Seen or heard: the facts come next."""
    child.witnessed = event.seen
    return show(Screen.ASK_FACTS, child)


def facts_typed(case: CaseRecord, child: ChildRecord, event: FactsTyped, at: Moment) -> Reply:
    """The facts for "… has happened"; a hint when they sound like a judgement."""
    facts = clean_text(event.text, LONG_TEXT_MAX)
    if facts is None:
        return show(Screen.TEXT_REFUSED, child)
    child.facts = facts
    at.touch(case)
    if fact_words.worth_a_look(facts, case.victim_nickname):
        # A gentle hint, never a block: the facts are kept; typing again replaces them.
        return show(Screen.FACTS_HINT, child)
    return _after_facts(child)


def facts_kept(case: CaseRecord, child: ChildRecord, event: FactsKept, at: Moment) -> Reply:
    """The facts as typed, whatever the hint said."""
    if child.facts is None:
        return show(Screen.ASK_FACTS, child)
    return show(Screen.SCRIPT if child.feeling is not None else Screen.ASK_FEELING, child)


def _after_facts(child: ChildRecord) -> Reply:
    if child.held_at is not None:
        return show(Screen.OVERVIEW)  # a correction after the talk
    return show(Screen.SCRIPT if child.feeling is not None else Screen.ASK_FEELING, child)


def ask_feeling(case: CaseRecord, child: ChildRecord, event: AskFeeling, at: Moment) -> Reply:
    """The feeling question, once the facts are in."""
    return show(Screen.ASK_FACTS if child.facts is None else Screen.ASK_FEELING, child)


def feeling_chosen(case: CaseRecord, child: ChildRecord, event: FeelingChosen, at: Moment) -> Reply:
    """A feeling the protocol names."""
    return _feeling(case, child, event.feeling, at)


def feeling_typed(case: CaseRecord, child: ChildRecord, event: FeelingTyped, at: Moment) -> Reply:
    """A feeling in the leader's own word."""
    if child.facts is None:
        return show(Screen.ASK_FACTS, child)
    feeling = clean_text(event.text, FEELING_MAX, single_line=True)
    if feeling is None:
        return show(Screen.TEXT_REFUSED, child)
    return _feeling(case, child, feeling, at)


def _feeling(case: CaseRecord, child: ChildRecord, feeling: str, at: Moment) -> Reply:
    if child.facts is None:
        return show(Screen.ASK_FACTS, child)
    child.feeling = feeling
    at.touch(case)
    return show(Screen.OVERVIEW if child.held_at is not None else Screen.SCRIPT, child)


def _other(case: CaseRecord, child: ChildRecord, other_id: int) -> ChildRecord | None:
    return next((c for c in case.children if c.id == other_id and c.id != child.id), None)


def same_facts(case: CaseRecord, child: ChildRecord, event: SameFactsAs, at: Moment) -> Reply:
    """The facts already written for another child of the case."""
    other = _other(case, child, event.other_id)
    if other is None or other.facts is None:
        return where_it_stands(case, at.now)
    child.facts, child.witnessed = other.facts, other.witnessed
    at.touch(case)
    return _after_facts(child)


def same_feeling(case: CaseRecord, child: ChildRecord, event: SameFeelingAs, at: Moment) -> Reply:
    """The feeling already named for another child of the case."""
    other = _other(case, child, event.other_id)
    if other is None or other.feeling is None or child.facts is None:
        return where_it_stands(case, at.now)
    child.feeling = other.feeling
    at.touch(case)
    return show(Screen.OVERVIEW if child.held_at is not None else Screen.SCRIPT, child)


def talk_held(case: CaseRecord, child: ChildRecord, event: TalkHeld, at: Moment) -> Reply:
    """The talk took place: its agreements, with those already written down (after a
    way back to the script)."""
    written = round_agreements(child, None)
    return show(Screen.AGREEMENTS_SO_FAR if written else Screen.ASK_AGREEMENTS, child)


def agreement_typed(
    case: CaseRecord, child: ChildRecord, event: AgreementTyped, at: Moment
) -> Reply:
    """One collector for step 2's proposal and for a new proposal in step 3."""
    text = clean_text(event.text, AGREEMENT_MAX)
    if text is None:
        return show(Screen.AGREEMENT_REFUSED, child)
    round_ = current_round(child)
    if len(round_agreements(child, round_)) >= AGREEMENTS_PER_CONVERSATION_MAX:
        return show(Screen.AGREEMENTS_FULL, child)
    at.records.add_agreement(child, text, round_, at.now)
    at.touch(case)
    return Reply(
        (Shown(Screen.AGREEMENTS_SO_FAR, child),),
        history=(HistoryLine(HistoryKind.AGREEMENT, child.id),),
    )


def agreements_done(
    case: CaseRecord, child: ChildRecord, event: AgreementsDone, at: Moment
) -> Reply:
    """The proposal is in: the talk is held (step 2), or the next follow-up is planned."""
    if child.held_at is not None:
        # A new proposal is in: do the earlier agreements still stand? (With none, nothing
        # new was agreed and everything stands as it did.)
        if round_agreements(child, current_round(child)) and agreements_to_mark(child):
            return show(Screen.STILL_STANDS, child)
        return plan_after_proposal(child)
    if not round_agreements(child, None):
        return Reply((Shown(Screen.NO_AGREEMENTS_YET, child), Shown(Screen.ASK_AGREEMENTS, child)))
    child.held_at = at.now
    at.touch(case)
    # If the promise of step 1 is not kept by tomorrow, a reminder comes.
    at.records.plan_reminder(
        case, child, ReminderKind.REPORT_BACK, report_back_moment(at.now, at.rhythm), at.now
    )
    return Reply(
        (Shown(Screen.HELD, child), Shown(Screen.PLAN, child)),
        history=(HistoryLine(HistoryKind.TALK_HELD, child.id),),
    )


def plan_after_proposal(child: ChildRecord) -> Reply:
    """After a new proposal: when is the next follow-up?"""
    latest = child.follow_ups[-1]
    proposed = proposed_next_choice(Outcome(latest.outcome), latest.previous_choice)
    return Reply((Shown(Screen.PLAN, child, proposed),))


def reported_back(case: CaseRecord, child: ChildRecord, event: ReportedBack, at: Moment) -> Reply:
    """The promise of step 1 is kept."""
    if child.reported_back_at is not None:
        return where_it_stands(case, at.now)
    child.reported_back_at = at.now
    at.touch(case)
    reminder = open_reminder(child, ReminderKind.REPORT_BACK)
    if reminder is not None:
        reminder.status = ReminderStatus.CANCELLED
    return Reply(
        where_it_stands(case, at.now, Shown(Screen.REPORTED_BACK, child)).shown,
        history=(HistoryLine(HistoryKind.REPORTED_BACK, child.id),),
    )


def report_back_later(
    case: CaseRecord, child: ChildRecord, event: ReportBackLater, at: Moment
) -> Reply:
    """Remind me tomorrow of reporting back."""
    if child.reported_back_at is not None:
        return where_it_stands(case, at.now)
    when = follow_up_moment(FollowUpChoice.TOMORROW, at.now, at.rhythm)
    at.records.plan_reminder(case, child, ReminderKind.REPORT_BACK, when, at.now)
    return show(Screen.REPORT_BACK_SNOOZED, child)
