"""Step 1 not asked yet, or refused: what the leader can do, and the reminder that comes."""

from __future__ import annotations

from bot.callback_data import CasePress, Menu, MenuPress, case_button
from bot.screens import next_up
from bot.screens.format import detail, moment, name, numbered, quoted, title
from bot.storage.models import Case, Child
from bot.turn import Rows, Turn
from flows import events, phrasing
from flows.case import Consent, Next, ReminderRecord, open_reminder
from flows.follow_up import ReminderKind
from flows.history import Step1Choice
from flows.language import _
from flows.replies import Shown


def step1_reminder(child: Child) -> ReminderRecord | None:
    """The open step-1 reminder about ``child``, if there is one."""
    return open_reminder(child, ReminderKind.STEP1)


def _when(turn: Turn, child: Child) -> str | None:
    """When the step-1 reminder comes; ``None`` without one or once it has passed."""
    reminder = step1_reminder(child)
    if reminder is None or reminder.due_at <= turn.now:
        return None
    return moment(reminder.due_at, turn.now, turn.leader.rhythm.zone)


def _passed(turn: Turn, case: Case, child: Child) -> list[str]:
    """The step-1 reminder's moment once it has passed: "due since …", as the case says."""
    reminder = step1_reminder(child)
    if reminder is None:
        return []
    what = Next.ASK_CONSENT if child.consent == Consent.NOT_ASKED else Next.CONSENT_DECLINED
    line = next_up.passed_line(turn, case, what, child.id, reminder.due_at)
    return [] if line is None else [line]


def nothing_behind_their_back(case: Case, child: Child) -> str:
    """Why nothing happens without the bullied child's "yes"."""
    return _(
        "Nothing happens behind %(victim)s's back: without %(victim)s's permission you "
        "do not talk with %(bullies)s. The case stays open in step 1."
    ) % {"victim": name(case.victim_nickname), "bullies": name(child.nickname)}


def declined(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The child who is bullied did not agree (yet): why that counts, and what can be done."""
    victim = name(case.victim_nickname)
    parts = [
        title(_("Step 1 — %(victim)s does not agree (yet)") % {"victim": victim}),
        nothing_behind_their_back(case, child),
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
    when = _when(turn, child)
    if when is not None:
        parts.append(_("🔔 I will remind you on %(moment)s.") % {"moment": when})
    parts += _passed(turn, case, child)
    # The talk with the bullied child may go on about the next child: one tap to it.
    turn.say("\n\n".join(parts), next_up.way_on(turn, case, child.id) + _declined_rows(case, child))


def _declined_rows(case: Case, child: Child) -> Rows:
    def choose(choice: Step1Choice) -> CasePress:
        return case_button(case.id, events.Step1Chosen(child.id, choice))

    return [
        [(_("🔁 Ask again now"), case_button(case.id, events.AskAgain(child.id)))],
        [(_("⏰ Ask again later"), choose(Step1Choice.TRY_LATER))],
        [(_("👥 Talk it over with the team"), choose(Step1Choice.TEAM))],
        [(_("👀 Keep watching"), choose(Step1Choice.WATCH))],
        [(_("🧭 Other approaches"), case_button(case.id, events.ShowApproaches(0)))],
        [(_("🗂 Close the case"), case_button(case.id, events.Close(0)))],
        [(_("📂 My cases"), MenuPress(Menu.CASES))],
    ]


def not_asked_yet(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """The leader has not talked with the child who is bullied yet: a reminder comes."""
    victim = name(case.victim_nickname)
    when = _when(turn, child)
    text = _(
        "Fine. Talk with %(victim)s first; come back to this case with /cases when you have."
    ) % {"victim": victim}
    if when is not None:
        text += "\n\n" + _("🔔 I will remind you to ask %(victim)s on %(moment)s.") % {
            "victim": victim,
            "moment": when,
        }
    text = "\n\n".join([text, *_passed(turn, case, child)])
    turn.say(
        text, [*next_up.way_on(turn, case, child.id), [(_("📂 My cases"), MenuPress(Menu.CASES))]]
    )


def waiting(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """After a "no": what the leader chose to do meanwhile, and when the reminder comes."""
    choice = Step1Choice(detail(shown))
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
    when = _when(turn, child)
    if when is not None:
        parts.append(
            _("🔔 I will remind you on %(moment)s to ask %(victim)s again.")
            % {"moment": when, "victim": victim}
        )
    parts += _passed(turn, case, child)
    turn.say(
        "\n\n".join(parts),
        [
            *next_up.way_on(turn, case, child.id),
            [(_("🧭 Other approaches"), case_button(case.id, events.ShowApproaches(0)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ],
    )


def step1_nudge(case: Case, child: Child) -> tuple[str, Rows]:
    """The reminder of step 1: ask the child who is bullied (again) about ``child``."""
    victim = name(case.victim_nickname)
    heading = title(
        _("🔔 Step 1 — with %(victim)s, about %(child)s")
        % {"victim": victim, "child": name(child.nickname)}
    )
    if child.consent == Consent.DECLINED:
        text = "\n\n".join(
            [
                heading,
                _(
                    "When you asked about %(child)s, %(victim)s did not agree (yet). Is now a "
                    "good moment to ask again?"
                )
                % {"victim": victim, "child": name(child.nickname)},
                nothing_behind_their_back(case, child),
            ]
        )
        return text, [
            [(_("🔁 Ask again now"), case_button(case.id, events.AskAgain(child.id)))],
            [
                (
                    _("⏰ Ask again later"),
                    case_button(case.id, events.Step1Chosen(child.id, Step1Choice.TRY_LATER)),
                )
            ],
            [
                (
                    _("👀 Keep watching"),
                    case_button(case.id, events.Step1Chosen(child.id, Step1Choice.WATCH)),
                )
            ],
            [(_("🧭 Other approaches"), case_button(case.id, events.ShowApproaches(0)))],
        ]
    sentences = phrasing.step1_sentences([child.nickname], child.may_tell)
    text = "\n\n".join(
        [
            heading,
            _("Have you asked %(victim)s yet? Find a quiet moment and ask:") % {"victim": victim},
            numbered(quoted(s) for s in sentences[:2]),
            _("Did %(victim)s agree that you talk with %(bullies)s?")
            % {"victim": victim, "bullies": name(child.nickname)},
        ]
    )
    agreed = events.ConsentAnswered(child.id, True)
    refused = events.ConsentAnswered(child.id, False)
    return text, [
        [(_("✅ Yes, agreed"), case_button(case.id, agreed))],
        [(_("✋ No, not (yet)"), case_button(case.id, refused))],
        [(_("⏳ Not asked yet"), case_button(case.id, events.NotAskedYet(child.id)))],
    ]
