"""When the one-on-one conversation does not work: the rules of flows.escalation and friends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.screens.nudges import follow_up_nudge
from bot.settings import ConfigurationError, load_settings
from bot.storage.models import Agreement, Case, FollowUp, Reminder
from bot.storage.models import Child as ChildRow
from flows.escalation import VictimView, escalation_due, rounds_without_stop, weighed_outcome
from flows.follow_up import Outcome
from flows.help_lines import AWEL, help_line
from flows.language import SUPPORTED_LANGUAGES
from tests.support.plain_case import Child, Round

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
SEVERITY = {Outcome.STOPPED: 0, Outcome.PARTLY: 1, Outcome.NOT_STOPPED: 2}


def with_rounds(*outcomes: Outcome) -> Child:
    return Child(follow_ups=[Round(o, NOW) for o in outcomes])


@pytest.mark.parametrize(
    ("outcomes", "rounds"),
    [
        ((), 0),
        ((Outcome.NOT_STOPPED,), 1),
        ((Outcome.PARTLY, Outcome.PARTLY), 2),
        ((Outcome.NOT_STOPPED, Outcome.STOPPED), 0),
        ((Outcome.NOT_STOPPED, Outcome.STOPPED, Outcome.PARTLY), 1),
        ((Outcome.STOPPED, Outcome.PARTLY, Outcome.NOT_STOPPED, Outcome.PARTLY), 3),
    ],
)
def test_rounds_without_stopped_count_back_to_the_last_stopped(
    outcomes: tuple[Outcome, ...], rounds: int
) -> None:
    assert rounds_without_stop(with_rounds(*outcomes)) == rounds


def test_partly_stopped_twice_counts_as_two_rounds_without_stopped() -> None:
    assert escalation_due(with_rounds(Outcome.PARTLY, Outcome.PARTLY), after=2)
    assert not escalation_due(with_rounds(Outcome.PARTLY), after=2)
    assert not escalation_due(with_rounds(Outcome.PARTLY, Outcome.STOPPED), after=2)


def test_the_number_of_rounds_is_a_setting() -> None:
    child = with_rounds(Outcome.NOT_STOPPED, Outcome.NOT_STOPPED)
    assert escalation_due(child, after=2)
    assert not escalation_due(child, after=3)
    assert escalation_due(with_rounds(Outcome.NOT_STOPPED), after=1)


@given(st.lists(st.sampled_from(list(Outcome)), max_size=12), st.integers(-3, 12))
def test_escalation_is_due_exactly_after_so_many_rounds_in_a_row_without_stopped(
    outcomes: list[Outcome], after: int
) -> None:
    child = with_rounds(*outcomes)
    tail = 0
    for outcome in reversed(outcomes):
        if outcome is Outcome.STOPPED:
            break
        tail += 1
    assert rounds_without_stop(child) == tail
    assert escalation_due(child, after) == (tail >= max(1, after))


@given(st.sampled_from(list(Outcome)), st.one_of(st.none(), st.sampled_from(list(VictimView))))
def test_the_bullied_childs_view_only_ever_makes_the_outcome_weigh_more(
    outcome: Outcome, view: VictimView | None
) -> None:
    weighed = weighed_outcome(outcome, view)
    assert SEVERITY[weighed] >= SEVERITY[outcome]
    if view is VictimView.NOT_STOPPED:
        assert weighed is Outcome.NOT_STOPPED
    if view in (None, VictimView.STOPPED, VictimView.NOT_ASKED):
        assert weighed is outcome
    if view is VictimView.LESS:
        assert weighed is not Outcome.STOPPED


@pytest.mark.parametrize("language", sorted(set(SUPPORTED_LANGUAGES) - {"fr"}))
def test_awel_for_a_leader_in_belgium_unless_they_speak_french(language: str) -> None:
    found = help_line("Europe/Brussels", language)
    assert found == AWEL
    assert (found.name, found.phone) == ("Awel", "102")


def test_a_french_speaking_leader_in_belgium_is_given_the_french_speaking_line() -> None:
    found = help_line("Europe/Brussels", "fr")
    assert found is not None
    assert (found.name, found.phone) == ("Écoute-Enfants", "103")


def test_no_help_line_is_made_up_for_a_country_we_do_not_know() -> None:
    assert help_line("America/New_York", "en") is None
    assert help_line("Nowhere/Atlantis", "nl") is None


def test_the_number_of_rounds_is_read_from_the_environment() -> None:
    base = {"TELEGRAM_BOT_TOKEN": "1:x", "DATA_KEY": "k"}
    assert load_settings(environ=base).escalate_after_rounds == 2
    assert load_settings(environ={**base, "ESCALATE_AFTER_ROUNDS": "3"}).escalate_after_rounds == 3
    with pytest.raises(ConfigurationError, match="ESCALATE_AFTER_ROUNDS"):
        load_settings(environ={**base, "ESCALATE_AFTER_ROUNDS": "never"})


@pytest.mark.parametrize(("after", "offered"), [(2, True), (3, False)])
def test_the_nudge_offers_the_next_steps_from_the_set_number_of_rounds(
    after: int, offered: bool
) -> None:
    tom = ChildRow(
        id=2,
        nickname="Tom",
        agreements=[Agreement(text="say sorry")],
        follow_ups=[FollowUp(id=n, outcome=Outcome.PARTLY, recorded_at=NOW) for n in (1, 2)],
    )
    case = Case(id=1, victim_nickname="Sam", children=[tom])
    reminder = Reminder(kind="follow_up", due_at=NOW)
    text, rows = follow_up_nudge(case, tom, reminder, late=False, escalate_after=after)
    labels = [label for row in rows for label, _ in row]
    assert any("🧭" in label for label in labels) == offered
    assert ("⚠️" in text) == offered
    assert labels[-1].startswith("⏰"), "not talked yet stays the last choice"
