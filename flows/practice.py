"""Practising step 2's talk before holding it: the bot plays the child who bullies.

A state machine of its own, apart from the case's (:mod:`flows.protocol`): a practice
stores nothing about a child and is no part of a case's history. It walks through step
2's five sentences (the leader's own, as prepared in the case); after each, the child
reacts (:mod:`flows.practice_lines`), the leader answers with one of three replies or
types one, and gets one or two lines of feedback naming the protocol's principle. The
child's next reaction follows from the answer: a trap leads to the reaction it provokes,
a reply in the protocol's spirit to the next of a talk varied by the practice's seed. A
trap can be tried again while the practice stays within :data:`MAX_TAPS`.

The whole position fits in one integer (:meth:`Position.pack`), carried by the buttons
and kept in the leader's row for a typed answer; no clock and no global random are read:
the seed is passed in when the practice starts.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from flows.language import _
from flows.practice_lines import (
    FOLLOWED_TEXT,
    OPTIONS,
    PRINCIPLE_TEXT,
    REACTION_TEXT,
    REMEMBER_DEFAULT,
    SCENE_REACTIONS,
    TRAP_LEADS_TO,
    TRAP_PRINCIPLE,
    TRAP_TEXT,
    WATCH_TEXT,
    WELL_TEXT,
    Option,
    Principle,
    Reaction,
    Trap,
)

#: Step 2's five sentences: one scene each.
SCENES = 5
#: A practice ends within this many taps, the one that starts it included.
MAX_TAPS = 15
#: How many different talks there are; the bot picks a seed below this when one starts.
SEEDS = 256

_SEED_BITS, _SCENE_BITS, _REACTION_BITS, _TAP_BITS, _MASK_BITS, _TRAP_BITS = 8, 3, 4, 5, 6, 3


@dataclass(frozen=True)
class Setup:
    """The leader's own starting lines, and who the talk is about (never stored)."""

    child: str
    victim: str
    sentences: tuple[str, ...]
    """Step 2's five sentences as the leader prepared them (HTML, escaped)."""
    may_tell: str | None = None
    """What the bullied child allowed to be told, as typed in step 1."""

    @property
    def name_may_be_told(self) -> bool:
        """Whether the bullied child's name may be said: only when what may be told names them."""
        return bool(self.may_tell) and self.victim.casefold() in (self.may_tell or "").casefold()


@dataclass(frozen=True)
class Position:
    """Where a practice is: the scene, the child's reaction waiting for an answer, the score."""

    seed: int
    scene: int
    reaction: Reaction
    taps: int = 1
    followed: int = 0
    """The principles followed so far, as bits of :class:`Principle`."""
    first_trap: Trap | None = None

    @property
    def ended(self) -> bool:
        """Whether all five sentences have been answered."""
        return self.scene >= SCENES

    def pack(self) -> int:
        """The position as one non-negative integer below 2**31."""
        value = 0
        for field, bits in (
            (self.seed, _SEED_BITS),
            (self.scene, _SCENE_BITS),
            (int(self.reaction), _REACTION_BITS),
            (min(self.taps, 2**_TAP_BITS - 1), _TAP_BITS),
            (self.followed, _MASK_BITS),
            (int(self.first_trap or 0), _TRAP_BITS),
        ):
            value = (value << bits) | field
        return value

    @staticmethod
    def unpack(value: int) -> Position | None:
        """The position packed in ``value``, or ``None`` when it cannot be one."""
        fields = []
        for bits in (_TRAP_BITS, _MASK_BITS, _TAP_BITS, _REACTION_BITS, _SCENE_BITS, _SEED_BITS):
            fields.append(value & (2**bits - 1))
            value >>= bits
        if value:
            return None
        trap, followed, taps, reaction, scene, seed = fields
        if scene > SCENES or reaction >= len(Reaction) or taps == 0:
            return None
        return Position(
            seed, scene, Reaction(reaction), taps, followed, Trap(trap) if trap else None
        )


@dataclass(frozen=True)
class Feedback:
    """One point of feedback on an answer: a trap, a principle followed, or neutral."""

    principle: Principle | None
    trap: Trap | None = None
    words: tuple[str, ...] = ()
    """Judgement words found in a typed answer."""


@dataclass(frozen=True)
class Answered:
    """An answer given: where the practice was, where it is now, and the feedback."""

    before: Position
    after: Position
    feedback: tuple[Feedback, ...]

    @property
    def retry(self) -> Position | None:
        """The scene to try again after a trap, when the practice stays within its taps."""
        if not any(f.trap for f in self.feedback):
            return None
        still_to_answer = SCENES - self.before.scene - 1
        if self.after.taps + 2 + still_to_answer > MAX_TAPS:
            return None
        return replace(
            self.before,
            taps=self.after.taps + 1,
            followed=self.after.followed,
            first_trap=self.after.first_trap,
        )


def begin(seed: int) -> Position:
    """A new practice with ``seed`` (below :data:`SEEDS`), at the first sentence."""
    seed %= SEEDS
    return Position(seed, 0, _pick(seed, 0, None))


def _pick(seed: int, scene: int, after: Reaction | None) -> Reaction:
    """The child's reaction to ``scene``'s sentence in a talk with ``seed``."""
    pool = [r for r in SCENE_REACTIONS[scene] if r is not after]
    return random.Random(seed * SCENES + scene).choice(pool)


def options(position: Position) -> tuple[Option, ...]:
    """The three replies to the child's reaction, in this practice's order."""
    shown = list(OPTIONS[position.reaction])
    random.Random(position.seed * 64 + position.scene * 16 + position.reaction).shuffle(shown)
    return tuple(shown)


def choose(position: Position, index: int) -> Answered:
    """The leader chose reply ``index`` (as :func:`options` lists them)."""
    option = options(position)[index]
    feedback = Feedback(option.principle, option.trap)
    return Answered(position, _advance(position, (feedback,)), (feedback,))


def answer(position: Position, feedback: Sequence[Feedback]) -> Answered:
    """A typed answer, read by the rules (:mod:`flows.practice_rules`) into ``feedback``."""
    found = tuple(feedback)
    return Answered(position, _advance(position, found), found)


def _advance(position: Position, feedback: Sequence[Feedback]) -> Position:
    """The next scene, with the child's reaction following from the answer."""
    traps = [f.trap for f in feedback if f.trap is not None]
    followed = position.followed
    for f in feedback:
        if f.trap is None and f.principle is not None:
            followed |= 1 << f.principle
    scene = position.scene + 1
    if scene >= SCENES:
        reaction = position.reaction
    elif traps:
        first, second = TRAP_LEADS_TO[traps[0]]
        reaction = first if first is not position.reaction else second
    else:
        reaction = _pick(position.seed, scene, position.reaction)
    return Position(
        position.seed,
        scene,
        reaction,
        position.taps + 1,
        followed,
        position.first_trap or (traps[0] if traps else None),
    )


# --- What the leader reads. -----------------------------------------------------------------


def _filled(setup: Setup) -> dict[str, str]:
    return {
        "child": f"<b>{escape(setup.child)}</b>",
        "victim": escape(setup.victim),
        "may_tell": escape(setup.may_tell or ""),
    }


def reaction_text(position: Position) -> str:
    """What the child says or does (HTML)."""
    return _(REACTION_TEXT[position.reaction])


def option_text(option: Option, setup: Setup) -> str:
    """A reply as the leader would say it (HTML, everything typed escaped).

    "Who told you that?" is answered within what may be told: with what the bullied
    child allowed to be told, or else without a word about who.
    """
    text = option.told if option.told is not None and setup.may_tell else option.text
    return _(text) % _filled(setup)


def principle_line(principle: Principle) -> str:
    """A principle in the protocol's words, quoted."""
    return "📌 “" + _(PRINCIPLE_TEXT[principle]) + "”"


def feedback_lines(feedback: Feedback, setup: Setup) -> list[str]:
    """One or two lines on an answer: what it did, and the principle it follows or breaks."""
    names = _filled(setup)
    if feedback.words:
        words = ", ".join(f"“{escape(w)}”" for w in feedback.words)
        line = _("%(words)s: a label or a judgement, and %(child)s can argue with it.") % {
            **names,
            "words": words,
        }
        return ["⚠️ " + line, principle_line(Principle.FACTS)]
    if feedback.trap is not None:
        return [
            "⚠️ " + _(TRAP_TEXT[feedback.trap]) % names,
            principle_line(feedback.principle or TRAP_PRINCIPLE[feedback.trap]),
        ]
    if feedback.principle is None:
        return [
            "🙂 "
            + _(
                "I find none of the usual traps in that. Check it yourself: is it about the "
                "behaviour, and may %(child)s say what they can do?"
            )
            % names
        ]
    return [
        "✅ " + _(FOLLOWED_TEXT[feedback.principle]) % names,
        principle_line(feedback.principle),
    ]


def answer_lines(answered: Answered, setup: Setup) -> list[str]:
    """The feedback on an answer in one or two lines, however many rules a typed one broke.

    Two traps in one typed reply are said side by side, with both principles on the
    line below.
    """
    lines = [feedback_lines(f, setup) for f in answered.feedback]
    if len(lines) == 1:
        return lines[0]
    said = " ".join(
        line[0] if i == 0 else line[0].removeprefix("⚠️ ") for i, line in enumerate(lines)
    )
    principles = [line[1].removeprefix("📌 ") for line in lines if len(line) > 1]
    return [said, "📌 " + " · ".join(dict.fromkeys(principles))]


def _first(mask: int) -> Principle | None:
    return next((p for p in Principle if mask & (1 << p)), None)


def summary_lines(position: Position, setup: Setup) -> list[str]:
    """The end: what went well, what to watch, and the sentence to remember."""
    names = _filled(setup)
    well = _first(position.followed)
    what_went_well = (
        _(WELL_TEXT[well]) % names
        if well is not None
        else _("you went through the whole talk. That is the hardest part.")
    )
    watch = (
        _(WATCH_TEXT[position.first_trap]) % names
        if position.first_trap is not None
        else _("in a real talk it can sound harsher. Stay calm and short.")
    )
    remember = (
        TRAP_PRINCIPLE[position.first_trap] if position.first_trap is not None else REMEMBER_DEFAULT
    )
    return [
        "👍 " + _("What went well: %(what)s") % {"what": what_went_well},
        "👀 " + _("What to watch: %(what)s") % {"what": watch},
        "💬 "
        + _("The sentence to remember: %(sentence)s")
        % {"sentence": "“" + _(PRINCIPLE_TEXT[remember]) + "”"},
    ]
