"""The practice talk as a state machine: it ends, every trap is named, nothing is told."""

from __future__ import annotations

from html import escape

from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import practice
from flows.language import CATALOGS, SUPPORTED_LANGUAGES, using_language
from flows.practice import MAX_TAPS, SCENES, SEEDS, Answered, Position, Setup
from flows.practice_lines import (
    FOLLOWED_TEXT,
    OPTIONS,
    PRINCIPLE_TEXT,
    REACTION_TEXT,
    TRAP_LEADS_TO,
    TRAP_TEXT,
    WATCH_TEXT,
    WELL_TEXT,
    Principle,
    Reaction,
    Trap,
)

SENTENCES = tuple(f"sentence {n}" for n in range(1, SCENES + 1))
NAMES = st.text(st.characters(categories=("L",)), min_size=2, max_size=12)

#: Press one of the three replies (0–2) or "try again" (3), when it is offered.
ACTIONS = st.lists(st.integers(0, 3), min_size=1, max_size=60)


def walk(seed: int, actions: list[int]) -> tuple[Position, list[Answered]]:
    """A practice pressed through with ``actions``; a "try again" not offered is a first reply."""
    position = practice.begin(seed)
    answered: list[Answered] = []
    for action in actions:
        if position.ended:
            break
        last = answered[-1] if answered else None
        if action == 3 and last is not None and last.retry is not None:
            position = last.retry
            continue
        step = practice.choose(position, action % 3)
        answered.append(step)
        position = step.after
    while not position.ended:
        step = practice.choose(position, 0)
        answered.append(step)
        position = step.after
    return position, answered


@settings(max_examples=300, deadline=None)
@given(st.integers(0, SEEDS - 1), ACTIONS)
def test_every_practice_ends_within_the_tap_bound(seed: int, actions: list[int]) -> None:
    end, answered = walk(seed, actions)
    assert end.ended
    assert end.taps <= MAX_TAPS
    # Each of step 2's five sentences got an answer, in order.
    assert [a.before.scene for a in answered if a.after.scene > a.before.scene][-1] == SCENES - 1


@settings(max_examples=300, deadline=None)
@given(st.integers(0, SEEDS - 1), ACTIONS)
def test_every_trap_gets_feedback_naming_a_principle(seed: int, actions: list[int]) -> None:
    setup = Setup("Senne", "Noor", SENTENCES)
    _end, answered = walk(seed, actions)
    for step in answered:
        lines = practice.answer_lines(step, setup)
        assert 1 <= len(lines) <= 2
        if step.feedback[0].trap is not None:
            assert lines[0].startswith("⚠️")
            assert lines[1].startswith("📌 “")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, SEEDS - 1), ACTIONS)
def test_a_trap_leads_to_the_reaction_it_provokes_and_can_be_tried_again(
    seed: int, actions: list[int]
) -> None:
    _end, answered = walk(seed, actions)
    for step in answered:
        trap = step.feedback[0].trap
        if trap is not None and not step.after.ended:
            assert step.after.reaction in TRAP_LEADS_TO[trap]
            # A child does not say the same thing twice in a row.
            assert step.after.reaction is not step.before.reaction
        if step.retry is not None:
            assert step.retry.scene == step.before.scene
            assert step.retry.reaction == step.before.reaction


def test_a_trap_in_the_first_sentence_can_be_tried_again() -> None:
    position = practice.begin(7)
    trap = next(i for i, o in enumerate(practice.options(position)) if o.trap is not None)
    step = practice.choose(position, trap)
    assert step.retry is not None
    assert step.after.first_trap is not None


@settings(max_examples=300, deadline=None)
@given(
    NAMES,
    st.one_of(st.none(), st.text(min_size=1, max_size=40)),
    st.integers(0, SEEDS - 1),
    ACTIONS,
)
def test_who_said_is_answered_within_what_may_be_told(
    victim: str, may_tell: str | None, seed: int, actions: list[int]
) -> None:
    setup = Setup("Senne", victim, SENTENCES, may_tell)
    _end, answered = walk(seed, actions)
    for step in answered:
        if step.before.reaction is not Reaction.WHO_SAID:
            continue
        for option in practice.options(step.before):
            if option.trap is not None:
                continue
            said = practice.option_text(option, setup)
            other = practice.option_text(option, Setup("Senne", victim + "x", SENTENCES, may_tell))
            # The spirit reply does not depend on who the bullied child is: it names no one...
            assert said == other
            # ...and says what may be told, when the bullied child said it.
            if may_tell:
                assert escape(may_tell) in said
    spirit = next(o for o in OPTIONS[Reaction.WHO_SAID] if o.trap is None)
    said = practice.option_text(spirit, setup)
    assert said == practice.option_text(spirit, Setup("Senne", victim + "x", SENTENCES, may_tell))
    # Saying the name is the trap that tells too much.
    telling = next(o for o in OPTIONS[Reaction.WHO_SAID] if o.trap is Trap.TELLING_TOO_MUCH)
    assert escape(victim) in practice.option_text(telling, setup)


def test_who_said_without_a_may_tell_answer_says_nothing_about_who() -> None:
    spirit = OPTIONS[Reaction.WHO_SAID][0]
    with using_language("nl"):
        said = practice.option_text(spirit, Setup("Senne", "Noor", SENTENCES, None))
    assert "Noor" not in said
    assert said.startswith("Wie het zei, doet er nu niet toe.")


def test_at_least_eight_reactions_each_with_one_reply_in_spirit_and_two_traps() -> None:
    assert len(Reaction) >= 8
    for reaction in Reaction:
        replies = OPTIONS[reaction]
        assert len(replies) == 3
        assert [o.trap is None for o in replies].count(True) == 1


@settings(max_examples=100, deadline=None)
@given(st.integers(0, SEEDS - 1))
def test_the_talk_differs_from_one_practice_to_the_next(seed: int) -> None:
    talks = {tuple(a.before.reaction for a in walk(s, [0] * 5)[1]) for s in range(seed, seed + 8)}
    assert len(talks) > 1


def test_every_reaction_comes_up_in_some_practice() -> None:
    seen = {a.before.reaction for s in range(SEEDS) for a in walk(s, [s % 3] * 5)[1]}
    assert seen == set(Reaction)


@given(st.integers(0, 2**31 - 1))
def test_a_position_survives_packing(value: int) -> None:
    position = Position.unpack(value)
    if position is not None:
        assert Position.unpack(position.pack()) == position


@given(st.integers(0, SEEDS - 1), ACTIONS)
def test_every_position_of_a_walk_packs_into_a_button(seed: int, actions: list[int]) -> None:
    _end, answered = walk(seed, actions)
    for step in answered:
        for position in (step.before, step.after, step.retry):
            if position is not None:
                assert 0 <= position.pack() < 2**31
                assert Position.unpack(position.pack()) == position


def test_the_end_has_three_lines_what_went_well_what_to_watch_and_what_to_remember() -> None:
    setup = Setup("Senne", "Noor", SENTENCES)
    with using_language("nl"):
        end, _answered = walk(3, [0] * 5)
        lines = practice.summary_lines(end, setup)
    assert len(lines) == 3
    assert lines[0].startswith("👍 Wat goed ging: ")
    assert lines[1].startswith("👀 Let op: ")
    assert lines[2].startswith("💬 De zin om te onthouden: “")


def _texts() -> set[str]:
    """Every text a practice shows from its tables."""
    return {
        *PRINCIPLE_TEXT.values(),
        *FOLLOWED_TEXT.values(),
        *WELL_TEXT.values(),
        *TRAP_TEXT.values(),
        *WATCH_TEXT.values(),
        *REACTION_TEXT.values(),
        *(t for options in OPTIONS.values() for o in options for t in (o.text, o.told) if t),
    }


def test_every_text_is_translated_in_every_language() -> None:
    for language in SUPPORTED_LANGUAGES:
        with CATALOGS.joinpath(language, "LC_MESSAGES", "messages.po").open("rb") as po:
            translated = {m.id: m.string for m in read_po(po) if m.id and not m.fuzzy}
        missing = sorted(t for t in _texts() if not translated.get(t))
        assert missing == [], f"{language}: {missing}"
    with using_language("nl"):
        assert practice.reaction_text(Position(0, 0, Reaction.DENIAL)) == "Ik heb niks gedaan hé."
        assert practice.principle_line(Principle.FULL_STOP) == "📌 “Dit zeg of doe je niet. Punt.”"


# --- Typed replies, read by rules. ------------------------------------------------------

TYPED = {
    # (language, text): the traps found, in order; () is neutral.
    ("nl", "Noor heeft het mij verteld."): (Trap.TELLING_TOO_MUCH,),
    ("nl", "Jij bent gewoon een pestkop."): (Trap.JUDGING, Trap.INTERPRETING),
    ("nl", "Je doet dat altijd."): (Trap.INTERPRETING,),
    ("nl", "Waarom deed je dat?"): (Trap.WHY,),
    ("nl", "Oké, beloof je dat je het niet meer doet?"): (Trap.VAGUE_PROMISE,),
    ("nl", "Oké, je belooft het. Wat ga je concreet doen?"): (),
    ("nl", "Ik hoor dat je boos bent. Dit zeg of doe je niet. Punt."): (),
    ("en", "You are such a bully."): (Trap.JUDGING, Trap.INTERPRETING),
    ("en", "Why did you do that?"): (Trap.WHY,),
    ("en", "Noor told me."): (Trap.TELLING_TOO_MUCH,),
    ("en", "Okay, sorry accepted."): (Trap.VAGUE_PROMISE,),
    ("fr", "Tu es méchant."): (Trap.JUDGING, Trap.INTERPRETING),
    ("fr", "Pourquoi tu as fait ça ?"): (Trap.WHY,),
    ("fr", "Tu promets ? Bon, d'accord."): (Trap.VAGUE_PROMISE,),
    ("de", "Du bist gemein."): (Trap.JUDGING, Trap.INTERPRETING),
    ("de", "Warum hast du das gemacht?"): (Trap.WHY,),
    ("de", "Versprochen? Dann ist gut."): (Trap.VAGUE_PROMISE,),
    ("de", "Ich möchte, dass es aufhört. Was kannst du dafür tun?"): (),
}


def test_typed_replies_are_read_by_the_rules_of_their_language() -> None:
    from flows.practice_rules import read_reply

    setup = Setup("Senne", "Noor", SENTENCES)
    for (language, text), traps in TYPED.items():
        found = read_reply(text, setup, language)
        assert tuple(f.trap for f in found if f.trap) == traps, (language, text)
        if not traps:
            assert found == (practice.Feedback(None),)


def test_the_bullied_childs_name_may_be_said_when_what_may_be_told_names_them() -> None:
    from flows.practice_rules import read_reply

    allowed = Setup("Senne", "Noor", SENTENCES, "dat Noor het niet leuk vindt")
    assert read_reply("Noor vindt het niet leuk.", allowed, "nl") == (practice.Feedback(None),)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SUPPORTED_LANGUAGES), NAMES, st.text(max_size=40), st.text(max_size=40))
def test_a_typed_reply_with_the_name_that_may_not_be_told_is_always_named_a_trap(
    language: str, victim: str, before: str, after: str
) -> None:
    from flows.practice_rules import read_reply

    setup = Setup("Senne", victim, SENTENCES, None)
    found = read_reply(f"{before} {victim} {after}", setup, language)
    assert found[0].trap is Trap.TELLING_TOO_MUCH
    with using_language(language):
        lines = practice.feedback_lines(found[0], setup)
    assert lines[0].startswith("⚠️") and lines[1].startswith("📌 “")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SUPPORTED_LANGUAGES), st.text(max_size=200), st.integers(0, SEEDS - 1))
def test_every_typed_reply_gets_one_or_two_lines_and_the_practice_goes_on(
    language: str, text: str, seed: int
) -> None:
    from flows.practice_rules import read_reply

    setup = Setup("Senne", "Noor", SENTENCES)
    position = practice.begin(seed)
    found = read_reply(text, setup, language)
    step = practice.answer(position, found)
    assert step.after.scene == position.scene + 1
    with using_language(language):
        lines = practice.answer_lines(step, setup)
    # One or two lines, whatever was typed; a trap names its principle.
    assert 1 <= len(lines) <= 2
    if any(f.trap for f in found):
        assert lines[0].startswith("⚠️") and lines[1].startswith("📌 “")
