"""Step 1 not asked yet, or refused: what the leader can do, and the reminder that comes."""

from __future__ import annotations

from bot.callback_data import CasePress, Menu, MenuPress, case_button
from bot.screens.format import moment, name, numbered, quoted, short_moment, title
from bot.screens.step1 import bullies
from bot.storage.models import Case
from bot.turn import Rows, Turn
from flows import phrasing, protocol
from flows.case import Consent, Next, NextStep, ReminderRecord, open_reminder
from flows.follow_up import ReminderKind
from flows.history import Step1Choice
from flows.language import _


def step1_reminder(case: Case) -> ReminderRecord | None:
    """The case's open step-1 reminder, if there is one."""
    for child in case.children:
        found = open_reminder(child, ReminderKind.STEP1)
        if found is not None:
            return found
    return None


def _when(turn: Turn, case: Case) -> str | None:
    reminder = step1_reminder(case)
    if reminder is None:
        return None
    return moment(reminder.due_at, turn.now, turn.leader.rhythm.zone)


def nothing_behind_their_back(case: Case) -> str:
    """Why nothing happens without the bullied child's "yes"."""
    return _(
        "Nothing happens behind %(victim)s's back: without %(victim)s's permission you "
        "do not talk with %(bullies)s. The case stays open in step 1."
    ) % {"victim": name(case.victim_nickname), "bullies": phrasing.names(bullies(case))}


def declined(turn: Turn, case: Case) -> None:
    """The child who is bullied did not agree (yet): why that counts, and what can be done."""
    victim = name(case.victim_nickname)
    parts = [
        title(_("Step 1 — %(victim)s does not agree (yet)") % {"victim": victim}),
        nothing_behind_their_back(case),
        _("What you can do now:")
        + "\n"
        + "\n".join(
            [
                "🔁 "
                + _("Ask again later, when %(victim)s has had time to think about it.")
                % {"victim": victim},
                "👥 " + _("Talk it over with your team: another approach may fit better."),
                "👀 "
                + _("Keep watching how things go for %(victim)s, and stay close.")
                % {"victim": victim},
            ]
        ),
    ]
    when = _when(turn, case)
    if when is not None:
        parts.append(_("🔔 I will remind you on %(moment)s.") % {"moment": when})
    turn.say("\n\n".join(parts), _declined_rows(case))


def _declined_rows(case: Case) -> Rows:
    def choose(choice: Step1Choice) -> CasePress:
        return case_button(case.id, protocol.Step1Chosen(0, choice))

    return [
        [(_("🔁 Ask again now"), case_button(case.id, protocol.AskAgain(0)))],
        [(_("⏰ Ask again later"), choose(Step1Choice.TRY_LATER))],
        [(_("👥 Talk it over with the team"), choose(Step1Choice.TEAM))],
        [(_("👀 Keep watching"), choose(Step1Choice.WATCH))],
        [(_("🧭 Other approaches"), case_button(case.id, protocol.ShowApproaches(0)))],
        [(_("🗂 Close the case"), case_button(case.id, protocol.Close(0)))],
        [(_("📂 My cases"), MenuPress(Menu.CASES))],
    ]


def not_asked_yet(turn: Turn, case: Case) -> None:
    """The leader has not talked with the child who is bullied yet: a reminder comes."""
    victim = name(case.victim_nickname)
    when = _when(turn, case)
    text = _(
        "Fine. Talk with %(victim)s first; come back to this case with /cases when you have."
    ) % {"victim": victim}
    if when is not None:
        text += "\n\n" + _("🔔 I will remind you to ask %(victim)s on %(moment)s.") % {
            "victim": victim,
            "moment": when,
        }
    turn.say(text, [[(_("📂 My cases"), MenuPress(Menu.CASES))]])


def waiting(turn: Turn, case: Case, choice: Step1Choice) -> None:
    """After a "no": what the leader chose to do meanwhile, and when the reminder comes."""
    victim = name(case.victim_nickname)
    texts = {
        Step1Choice.TRY_LATER: _(
            "OK. Give %(victim)s time. Until %(victim)s agrees, nothing happens behind "
            "%(victim)s's back."
        ),
        Step1Choice.TEAM: _(
            "Talk it over with your team: what do you see, what does %(victim)s need, and "
            "which approach fits? Nothing happens behind %(victim)s's back."
        ),
        Step1Choice.WATCH: _(
            "Keep an eye on how things go for %(victim)s, and stay close to %(victim)s. "
            "If it gets worse, talk with your team straight away."
        ),
    }
    parts = [texts[choice] % {"victim": victim}]
    when = _when(turn, case)
    if when is not None:
        parts.append(
            _("🔔 I will remind you on %(moment)s to ask %(victim)s again.")
            % {"moment": when, "victim": victim}
        )
    turn.say(
        "\n\n".join(parts),
        [
            [(_("🧭 Other approaches"), case_button(case.id, protocol.ShowApproaches(0)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )


def step1_nudge(case: Case) -> tuple[str, Rows]:
    """The reminder of step 1: ask the child who is bullied (again)."""
    victim = name(case.victim_nickname)
    heading = title(_("🔔 Step 1 — with %(victim)s") % {"victim": victim})
    if case.consent == Consent.DECLINED:
        text = "\n\n".join(
            [
                heading,
                _(
                    "When you asked, %(victim)s did not agree (yet). Is now a good moment to "
                    "ask again?"
                )
                % {"victim": victim},
                nothing_behind_their_back(case),
            ]
        )
        return text, [
            [(_("🔁 Ask again now"), case_button(case.id, protocol.AskAgain(0)))],
            [
                (
                    _("⏰ Ask again later"),
                    case_button(case.id, protocol.Step1Chosen(0, Step1Choice.TRY_LATER)),
                )
            ],
            [
                (
                    _("👀 Keep watching"),
                    case_button(case.id, protocol.Step1Chosen(0, Step1Choice.WATCH)),
                )
            ],
            [(_("🧭 Other approaches"), case_button(case.id, protocol.ShowApproaches(0)))],
        ]
    sentences = phrasing.step1_sentences(bullies(case), case.may_tell)
    text = "\n\n".join(
        [
            heading,
            _("Have you asked %(victim)s yet? Find a quiet moment and ask:") % {"victim": victim},
            numbered(quoted(s) for s in sentences[:2]),
            _("Did %(victim)s agree that you talk with %(bullies)s?")
            % {"victim": victim, "bullies": phrasing.names(bullies(case))},
        ]
    )
    return text, [
        [(_("✅ Yes, agreed"), case_button(case.id, protocol.ConsentAnswered(0, True)))],
        [(_("✋ No, not (yet)"), case_button(case.id, protocol.ConsentAnswered(0, False)))],
        [(_("⏳ Not asked yet"), case_button(case.id, protocol.NotAskedYet(0)))],
    ]


def next_note(turn: Turn, case: Case, step: NextStep) -> str:
    """For the case list: when a case waiting in step 1 will remind the leader."""
    if step.what not in (Next.ASK_CONSENT, Next.CONSENT_DECLINED):
        return ""
    reminder = step1_reminder(case)
    if reminder is None:
        return ""
    return " — " + _("reminder on %(when)s") % {
        "when": short_moment(reminder.due_at, turn.leader.rhythm.zone)
    }
