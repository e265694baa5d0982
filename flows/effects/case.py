"""The case as a whole: setting it up, closing it, and corrections at any step."""

from __future__ import annotations

from flows.case import (
    AGREEMENT_MAX,
    CHILDREN_PER_CASE_MAX,
    NICKNAME_MAX,
    AgreementRecord,
    CaseRecord,
    CaseStage,
    ChildRecord,
    Consent,
    case_stage,
    clean_text,
    role_of,
    same_nickname,
)
from flows.events import (
    AddChild,
    AgreementDeleted,
    AgreementEdited,
    ApproachChosen,
    ChildNamed,
    ChildRemoved,
    CloseConfirmed,
    Continue,
    ContinueWith,
    DeleteAgreement,
    EditAgreement,
    KeepOpen,
    NicknameCorrected,
    RoleChosen,
    SetupDone,
    ShowApproach,
    VictimRenamed,
)
from flows.history import HistoryKind, HistoryLine
from flows.moment import Moment
from flows.replies import Reply, Screen, Shown, continue_with, show, where_it_stands


def continue_(case: CaseRecord, event: Continue, at: Moment) -> Reply:
    """Straight to the next thing to do."""
    return where_it_stands(case, at.now)


def continue_with_child(
    case: CaseRecord, child: ChildRecord, event: ContinueWith, at: Moment
) -> Reply:
    """Straight to what is due for one child: a due follow-up, a question to ask again."""
    return continue_with(case, child, at.now)


def keep_open(case: CaseRecord, event: KeepOpen, at: Moment) -> Reply:
    """An inactive case stays open (and counts as active again)."""
    at.touch(case)
    return show(Screen.OVERVIEW)


def close_confirmed(case: CaseRecord, event: CloseConfirmed, at: Moment) -> Reply:
    """The case is closed; its reminders go."""
    case.closed_at = at.now
    at.touch(case)
    at.records.erase_reminders(case)
    return Reply((Shown(Screen.CLOSED),), history=(HistoryLine(HistoryKind.CLOSED),))


# --- Setting up the case. ------------------------------------------------------------------


def add_child(case: CaseRecord, event: AddChild, at: Moment) -> Reply:
    """Another child: their nickname is asked, unless the case is full."""
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        return show(Screen.CHILDREN_SO_FAR)
    return show(Screen.ASK_CHILD)


def child_named(case: CaseRecord, event: ChildNamed, at: Moment) -> Reply:
    """A new child, by the nickname typed; their role comes next."""
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return show(Screen.NICKNAME_REFUSED)
    if same_nickname(case, nickname):
        return show(Screen.NICKNAME_TAKEN)
    if len(case.children) >= CHILDREN_PER_CASE_MAX:
        return show(Screen.CHILDREN_SO_FAR)
    added = at.records.add_child(case, nickname)
    at.touch(case)
    return show(Screen.ASK_ROLE, added)


def nickname_corrected(
    case: CaseRecord, child: ChildRecord, event: NicknameCorrected, at: Moment
) -> Reply:
    """The role question stays open; the text is taken as the name it corrects."""
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return show(Screen.NICKNAME_REFUSED, child)
    if same_nickname(case, nickname, besides=child.id):
        return show(Screen.NICKNAME_TAKEN, child)
    child.nickname = nickname
    at.touch(case)
    return show(Screen.ASK_ROLE, child)


def role_chosen(case: CaseRecord, child: ChildRecord, event: RoleChosen, at: Moment) -> Reply:
    """Bullies or joins in: while setting up, on to the next child; later, a correction
    (a line in the case's history when the role changes)."""
    before = child.role
    child.role = event.role
    at.touch(case)
    if case_stage(case) is CaseStage.SETUP:
        return show(Screen.CHILDREN_SO_FAR)
    if child.consent == Consent.NOT_ASKED:
        return where_it_stands(case, at.now)  # a child added later: their step 1 is next
    # A correction, later on.
    changed = (
        (HistoryLine(HistoryKind.ROLE, child.id, event.role),)
        if before is not None and before != event.role
        else ()
    )
    return Reply((Shown(Screen.OVERVIEW),), history=changed)


def without_role(case: CaseRecord) -> ChildRecord | None:
    """The first child whose role is not picked yet."""
    return next((c for c in case.children if role_of(c) is None), None)


def setup_done(case: CaseRecord, event: SetupDone, at: Moment) -> Reply:
    """Everyone is in: step 1, once every role is picked."""
    if not case.children:
        return show(Screen.ASK_CHILD)
    unsure = without_role(case)
    if unsure is not None:
        # Step 1 names the children by what they do: every role is picked first.
        return show(Screen.ASK_ROLE, unsure)
    return where_it_stands(case, at.now)  # step 1, for the first child not asked yet


# --- Corrections: anything typed or picked can be corrected later. -------------------------


def victim_renamed(case: CaseRecord, event: VictimRenamed, at: Moment) -> Reply:
    """The nickname of the child who is bullied, typed again."""
    nickname = clean_text(event.text, NICKNAME_MAX, single_line=True)
    if nickname is None:
        return show(Screen.NICKNAME_REFUSED)
    if nickname.casefold() in {c.nickname.casefold() for c in case.children}:
        return show(Screen.NICKNAME_TAKEN)
    case.victim_nickname = nickname
    at.touch(case)
    return show(Screen.OVERVIEW)


def _agreement(child: ChildRecord, agreement_id: int) -> AgreementRecord | None:
    return next((a for a in child.agreements if a.id == agreement_id), None)


def edit_agreement(case: CaseRecord, child: ChildRecord, event: EditAgreement, at: Moment) -> Reply:
    """Ask for the agreement's text again."""
    if _agreement(child, event.agreement_id) is None:
        return where_it_stands(case, at.now)
    return Reply((Shown(Screen.ASK_AGREEMENT_TEXT, child, item=event.agreement_id),))


def agreement_edited(
    case: CaseRecord, child: ChildRecord, event: AgreementEdited, at: Moment
) -> Reply:
    """An agreement, typed again."""
    agreement = _agreement(child, event.agreement_id)
    if agreement is None:
        return where_it_stands(case, at.now)
    text = clean_text(event.text, AGREEMENT_MAX)
    if text is None:
        return show(Screen.AGREEMENT_REFUSED, child)
    agreement.text = text
    at.touch(case)
    return show(Screen.CORRECTIONS)


def ask_delete_agreement(
    case: CaseRecord, child: ChildRecord, event: DeleteAgreement, at: Moment
) -> Reply:
    """Before an agreement goes: the leader sees which one, and confirms or keeps it."""
    if _agreement(child, event.agreement_id) is None:
        return where_it_stands(case, at.now)
    return Reply((Shown(Screen.CONFIRM_DELETE_AGREEMENT, child, item=event.agreement_id),))


def delete_agreement(
    case: CaseRecord, child: ChildRecord, event: AgreementDeleted, at: Moment
) -> Reply:
    """An agreement written down by mistake, gone, confirmed."""
    agreement = _agreement(child, event.agreement_id)
    if agreement is None:
        return where_it_stands(case, at.now)
    at.records.remove_agreement(child, agreement)
    at.touch(case)
    return show(Screen.CORRECTIONS)


def child_removed(case: CaseRecord, child: ChildRecord, event: ChildRemoved, at: Moment) -> Reply:
    """A child added by mistake, removed with everything recorded for them."""
    at.records.remove_child(case, child)
    at.touch(case)
    return where_it_stands(case, at.now)


# --- When the protocol does not fit: another approach. -------------------------------------


def show_approach(case: CaseRecord, event: ShowApproach, at: Moment) -> Reply:
    """One approach: what it is, what the leader does first."""
    return Reply((Shown(Screen.APPROACH, detail=event.approach),))


def approach_chosen(case: CaseRecord, event: ApproachChosen, at: Moment) -> Reply:
    """The case goes on with this approach."""
    chosen = Shown(Screen.APPROACH_CHOSEN, detail=event.approach)
    if case.approach == event.approach:
        return Reply((chosen,))
    case.approach = event.approach
    at.touch(case)
    return Reply((chosen,), history=(HistoryLine(HistoryKind.APPROACH, detail=event.approach),))
