"""Step 3 when it does not work: the bullied child's view, and the next steps."""

from __future__ import annotations

from bot.callback_data import Background, Menu, MenuPress, Why, case_button
from bot.screens import next_up
from bot.screens.approaches import NEXT_STEP_TEXT
from bot.screens.format import bulleted, detail, name, title
from bot.storage.models import Case, Child
from bot.turn import Rows, Turn
from flows import events
from flows.case import follow_up_number
from flows.escalation import VICTIM_VIEW_TEXT, VictimView, escalation_due, rounds_without_stop
from flows.follow_up import OUTCOME_TEXT, Outcome
from flows.help_lines import help_line
from flows.history import NextStepChoice
from flows.language import _, current_language, ngettext
from flows.replies import Shown


def escalation_note(child: Child, escalate_after: int) -> str | None:
    """Said on the nudge once the bullying has not stopped for ``escalate_after`` rounds."""
    if not escalation_due(child, escalate_after):
        return None
    rounds = rounds_without_stop(child)
    return (
        ngettext(
            "⚠️ After %(rounds)d follow-up the bullying has not stopped for %(child)s.",
            "⚠️ After %(rounds)d follow-ups in a row the bullying has not stopped for %(child)s.",
            rounds,
        )
        % {"rounds": rounds, "child": name(child.nickname)}
        + " "
        + _(
            "Talking again is still possible, but it is time for a next step as well: "
            "see “Next steps”."
        )
    )


def check_in_question(case: Case) -> str:
    """The question before the outcome: did the leader check in with the bullied child?"""
    return _(
        "Before you ask how it went with the one who bullies: did you also check in with "
        "%(victim)s? What does %(victim)s say?"
    ) % {"victim": name(case.victim_nickname)}


def check_in_rows(case: Case, child: Child, escalate_after: int) -> Rows:
    """The bullied child's view, then (when due) the next steps, then "not talked yet"."""
    victim = case.victim_nickname
    talk = follow_up_number(child)

    rows: Rows = [
        [
            (
                _("%(victim)s: ✅ it has stopped") % {"victim": victim},
                case_button(case.id, events.VictimViewGiven(child.id, talk, VictimView.STOPPED)),
            )
        ],
        [
            (
                _("%(victim)s: 🟡 it happens less") % {"victim": victim},
                case_button(case.id, events.VictimViewGiven(child.id, talk, VictimView.LESS)),
            )
        ],
        [
            (
                _("%(victim)s: ❌ it has not stopped") % {"victim": victim},
                case_button(
                    case.id, events.VictimViewGiven(child.id, talk, VictimView.NOT_STOPPED)
                ),
            )
        ],
        [
            (
                _("⏭ I did not ask %(victim)s this time") % {"victim": victim},
                case_button(case.id, events.VictimViewGiven(child.id, talk, VictimView.NOT_ASKED)),
            )
        ],
    ]
    if escalation_due(child, escalate_after):
        rows.append([(_("🧭 Next steps"), case_button(case.id, events.ShowNextSteps(child.id)))])
    rows.append(
        [
            (
                _("⏰ Not talked yet: remind me later"),
                case_button(case.id, events.AskSnooze(child.id, talk)),
            )
        ]
    )
    return rows


def victim_says(case: Case, view: VictimView) -> str:
    """What the child who is bullied says, in one line."""
    if view is VictimView.NOT_ASKED:
        return _(
            "You did not check in with %(victim)s this time: do so before the next follow-up."
        ) % {"victim": name(case.victim_nickname)}
    return _("%(victim)s says: <b>%(view)s</b>.") % {
        "victim": name(case.victim_nickname),
        "view": _(VICTIM_VIEW_TEXT[view]),
    }


def outcome_with_view(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """The outcome question, with what the bullied child said above it."""
    view = VictimView(detail(shown))
    talk = follow_up_number(child)
    parts = [
        title(_("Step 3 — follow-up with %(child)s") % {"child": name(child.nickname)}),
        victim_says(case, view),
    ]
    if view in (VictimView.NOT_STOPPED, VictimView.LESS):
        parts.append(
            _("What %(victim)s says weighs more than the account of %(child)s.")
            % {"victim": name(case.victim_nickname), "child": name(child.nickname)}
        )
    parts.append(
        _("And in your talk with %(child)s: how far has the bullying stopped?")
        % {"child": name(child.nickname)}
    )

    turn.say(
        "\n\n".join(parts),
        [
            [
                (
                    _("✅ Bullying has stopped"),
                    case_button(
                        case.id, events.OutcomeWithView(child.id, talk, Outcome.STOPPED, view)
                    ),
                )
            ],
            [
                (
                    _("🟡 Partly stopped"),
                    case_button(
                        case.id, events.OutcomeWithView(child.id, talk, Outcome.PARTLY, view)
                    ),
                )
            ],
            [
                (
                    _("❌ Not stopped"),
                    case_button(
                        case.id, events.OutcomeWithView(child.id, talk, Outcome.NOT_STOPPED, view)
                    ),
                )
            ],
        ],
    )


def views_weighed(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """The two views differed: the bullied child's counts, and says so."""
    view = VictimView(detail(shown))
    latest = child.follow_ups[-1]
    turn.say(
        "\n".join(
            [
                victim_says(case, view),
                _("Written down: %(outcome)s — what %(victim)s says weighs more.")
                % {
                    "outcome": _(OUTCOME_TEXT[Outcome(latest.outcome)]),
                    "victim": name(case.victim_nickname),
                },
            ]
        )
    )


def next_steps(turn: Turn, case: Case, child: Child, shown: Shown | None = None) -> None:
    """It does not stop: what else can be done, beside talking again."""
    victim = name(case.victim_nickname)
    rounds = rounds_without_stop(child)
    steps = [
        _("Involve your team or the group leadership: share what you see and decide together."),
        _("Talk with the parents, agreed with your team; keep to the facts, as in step 2."),
        _("Another approach may work better now."),
        _("Support for %(victim)s: someone to talk to, inside and outside the group.")
        % {"victim": victim},
    ]
    parts = [
        title(
            ngettext(
                "%(child)s: not stopped after %(rounds)d follow-up",
                "%(child)s: not stopped after %(rounds)d follow-ups in a row",
                rounds,
            )
            % {"child": name(child.nickname), "rounds": rounds}
        ),
        _("You don't have to carry this alone. Next steps:") + "\n" + bulleted(steps),
    ]

    rows: Rows = [
        [
            (
                _("👥 Team or group leadership"),
                case_button(case.id, events.NextStepChosen(child.id, NextStepChoice.TEAM)),
            )
        ],
        [
            (
                _("👪 Talk with the parents"),
                case_button(case.id, events.NextStepChosen(child.id, NextStepChoice.PARENTS)),
            )
        ],
        [
            (
                _("🧭 Another approach"),
                case_button(case.id, events.NextStepChosen(child.id, NextStepChoice.APPROACH)),
            )
        ],
        [
            (
                _("💬 Support for %(victim)s") % {"victim": case.victim_nickname},
                case_button(case.id, events.NextStepChosen(child.id, NextStepChoice.SUPPORT)),
            )
        ],
        [
            (
                _("🔁 One more round first"),
                case_button(case.id, events.NextStepChosen(child.id, NextStepChoice.GO_ON)),
            )
        ],
        [(_("ℹ️ Why?"), Why(Background.NEXT_STEPS))],
        [(_("▶️ Back to the case"), case_button(case.id, events.Continue(0)))],
    ]
    turn.say("\n\n".join(parts), rows)


def why_next_steps(turn: Turn) -> None:
    """The background of the next steps, with its source: off the screen a leader acts on.

    It never weighs the protocol's reasons against each other: whatever the leader ticked
    in the quick check stands.
    """
    turn.say(
        "\n\n".join(
            [
                title(_("ℹ️ Why these next steps?")),
                _(
                    "The protocol asks you to keep following up until the bullying has "
                    "stopped, with an approach your fellow leaders support. When talks alone "
                    "do not stop it, more people around the children help: your team, the "
                    "parents, support for the child who is bullied, or another approach."
                ),
                _(
                    "Background: in research on the KiVa anti-bullying programme, talks with "
                    "the children who bully stopped the bullying in nearly 4 out of 5 cases, "
                    "as the children who were bullied told it. Neither a confronting nor a "
                    "non-confronting approach worked better overall; which one did depended "
                    "on the situation (Garandeau, Poskiparta and Salmivalli, 2014)."
                ),
            ]
        )
    )


def help_line_text(turn: Turn) -> str:
    """The help line for children where the leader is, or how to find one."""
    line = help_line(turn.leader.time_zone, current_language())
    if line is None:
        return _("Look up the free help line for children and young people in your country.")
    return _(
        "Children and young people can call or chat with %(name)s, for free and "
        "anonymously: %(phone)s (%(url)s)."
    ) % {"name": line.name, "phone": line.phone, "url": line.url}


def next_step_chosen(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
    """The next step is written down in the case's history; what it means in practice."""
    choice = NextStepChoice(detail(shown))
    victim = name(case.victim_nickname)
    guide = {
        NextStepChoice.TEAM: _(
            "Bring it to your next leaders' meeting or call the group leader. Decide "
            "together who talks with whom, and keep following up."
        ),
        NextStepChoice.PARENTS: _(
            "Agree with your team who contacts the parents and what you tell them. Tell "
            "%(victim)s first: nothing happens behind %(victim)s's back."
        ),
        NextStepChoice.APPROACH: _("Here are the other approaches:"),
        NextStepChoice.SUPPORT: _(
            "Make sure %(victim)s has someone to talk to: a leader %(victim)s trusts, the "
            "parents, and a help line."
        ),
        NextStepChoice.GO_ON: _(
            "OK: one more round. The next steps stay on the reminder until it has stopped."
        ),
    }[choice] % {"victim": victim}
    parts = [
        _("Written down in the case: %(choice)s.") % {"choice": _(NEXT_STEP_TEXT[choice])},
        guide,
    ]
    if choice is NextStepChoice.SUPPORT:
        parts.append(help_line_text(turn))
    rows: Rows = []
    if choice is not NextStepChoice.APPROACH:
        rows = [
            *next_up.way_on(turn, case, child.id),
            [(_("▶️ Back to the case"), case_button(case.id, events.Continue(0)))],
            [(_("🧭 Next steps"), case_button(case.id, events.ShowNextSteps(child.id)))],
            [(_("📂 My cases"), MenuPress(Menu.CASES))],
        ]
    turn.say("\n\n".join(parts), rows)
