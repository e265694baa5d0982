"""What is said in a practice talk: the child's reactions, the leader's replies, the feedback.

The practice (:mod:`flows.practice`) walks through step 2's five sentences; after each,
the child reacts the way children do in these talks. Each reaction has three replies:
one in the protocol's spirit and two common traps. Each reply names the principle it
follows or breaks, so the feedback can name it. Texts are English message ids, translated
where they are shown; ``%(child)s``, ``%(victim)s`` and ``%(may_tell)s`` are filled in
(escaped) by :mod:`flows.practice`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from flows.language import N_
from flows.phrasing import DISAPPROVE_BEHAVIOUR, STEP2_PROMISE_FOLLOW_UP


class Principle(IntEnum):
    """The protocol's principles a reply follows or breaks (bits of a mask, in this order)."""

    BEHAVIOUR = 0
    """"Je keurt het gedrag af, niet de persoon." """
    FACTS = 1
    """"Zo concreet en feitelijk mogelijk zonder interpretaties." """
    WHAT_CAN_YOU_DO = 2
    """"Wat kan jij hiervoor doen?" """
    FULL_STOP = 3
    """"Dit zeg of doe je niet. Punt." """
    MAY_TELL = 4
    """Step 1's "Wat mag ik vertellen?": only what the bullied child allowed."""
    TOGETHER = 5
    """"Ik zal dit samen met jou opnemen en regelmatig bespreken." """


#: Each principle in the protocol's words (quoted on the screen).
PRINCIPLE_TEXT: dict[Principle, str] = {
    Principle.BEHAVIOUR: N_("You disapprove of the behaviour, not the person."),
    Principle.FACTS: N_("As concrete and factual as possible, without interpretations."),
    Principle.WHAT_CAN_YOU_DO: N_("What can you do about it?"),
    Principle.FULL_STOP: DISAPPROVE_BEHAVIOUR,
    Principle.MAY_TELL: N_("Tell only what the bullied child allowed you to tell."),
    Principle.TOGETHER: STEP2_PROMISE_FOLLOW_UP,
}

#: What went well, for a reply that follows the principle.
FOLLOWED_TEXT: dict[Principle, str] = {
    Principle.BEHAVIOUR: N_("You disapprove of what %(child)s did, not of %(child)s."),
    Principle.FACTS: N_("You stay with what happened: there is little to argue with."),
    Principle.WHAT_CAN_YOU_DO: N_("You hand the question back: what can %(child)s do?"),
    Principle.FULL_STOP: N_("Calm and clear: the rule stands, without a fight."),
    Principle.MAY_TELL: N_("You tell no more than you were allowed to."),
    Principle.TOGETHER: N_("%(child)s knows you will come back to it."),
}

#: What went well, at the end, for the first principle followed (after "What went well:").
WELL_TEXT: dict[Principle, str] = {
    Principle.BEHAVIOUR: N_("you disapproved of what %(child)s did, not of %(child)s."),
    Principle.FACTS: N_("you stayed with what happened."),
    Principle.WHAT_CAN_YOU_DO: N_("you asked what %(child)s can do about it."),
    Principle.FULL_STOP: N_("you said calmly and clearly that it stops."),
    Principle.MAY_TELL: N_("you told no more than you were allowed to."),
    Principle.TOGETHER: N_("you made clear you will come back to it."),
}


class Trap(IntEnum):
    """A common trap in these talks (0 is kept for "none" when packed)."""

    JUDGING = 1
    INTERPRETING = 2
    WHY = 3
    THREAT = 4
    LECTURE = 5
    VAGUE_PROMISE = 6
    TELLING_TOO_MUCH = 7


#: The principle each trap breaks.
TRAP_PRINCIPLE: dict[Trap, Principle] = {
    Trap.JUDGING: Principle.BEHAVIOUR,
    Trap.INTERPRETING: Principle.FACTS,
    Trap.WHY: Principle.WHAT_CAN_YOU_DO,
    Trap.THREAT: Principle.FULL_STOP,
    Trap.LECTURE: Principle.FULL_STOP,
    Trap.VAGUE_PROMISE: Principle.WHAT_CAN_YOU_DO,
    Trap.TELLING_TOO_MUCH: Principle.MAY_TELL,
}

#: What went wrong, said right after the reply.
TRAP_TEXT: dict[Trap, str] = {
    Trap.JUDGING: N_("That judges %(child)s as a person, not what %(child)s did."),
    Trap.INTERPRETING: N_("That is your reading of it, and %(child)s can argue with it."),
    Trap.WHY: N_("A why-question invites excuses: the talk is then about those."),
    Trap.THREAT: N_("A threat makes a child defensive or quiet. It does not stop the bullying."),
    Trap.LECTURE: N_("A long lecture loses %(child)s. Say the rule once, short."),
    Trap.VAGUE_PROMISE: N_("A vague promise gives you nothing to follow up."),
    Trap.TELLING_TOO_MUCH: N_("That tells more than the bullied child allowed."),
}

#: What to watch in a real talk, for the first trap a leader fell into.
WATCH_TEXT: dict[Trap, str] = {
    Trap.JUDGING: N_("talk about what %(child)s did, not about who %(child)s is."),
    Trap.INTERPRETING: N_("say what you saw or heard, not what you think lies behind it."),
    Trap.WHY: N_("ask what %(child)s can do, not why it happened."),
    Trap.THREAT: N_("no threats: say calmly that it stops."),
    Trap.LECTURE: N_("keep it short. One sentence says more than a lecture."),
    Trap.VAGUE_PROMISE: N_("do not settle for “sorry”: ask what %(child)s will do."),
    Trap.TELLING_TOO_MUCH: N_("do not say who told you, unless that was allowed."),
}


class Reaction(IntEnum):
    """How the child reacts; the value is what is packed."""

    DENIAL = 0
    PLAYING_DOWN = 1
    BLAMING = 2
    EVERYONE = 3
    SHRUG = 4
    ANGER = 5
    TEARS = 6
    VAGUE_PROMISE = 7
    WHO_SAID = 8


#: What the child says or does (HTML: an action is in italics).
REACTION_TEXT: dict[Reaction, str] = {
    Reaction.DENIAL: N_("I didn't do anything."),
    Reaction.PLAYING_DOWN: N_("It was just for a laugh."),
    Reaction.BLAMING: N_("They always start it!"),
    Reaction.EVERYONE: N_("But everyone does that!"),
    Reaction.SHRUG: N_("<i>(shrugs and says nothing)</i>"),
    Reaction.ANGER: N_("That's not true! It's always my fault!"),
    Reaction.TEARS: N_("<i>(starts to cry)</i> Everyone is against me…"),
    Reaction.VAGUE_PROMISE: N_("Okay, sorry. Can I go now?"),
    Reaction.WHO_SAID: N_("Who told you that?"),
}


@dataclass(frozen=True)
class Option:
    """One reply a leader can choose: in the protocol's spirit (``trap`` None) or a trap."""

    text: str
    principle: Principle
    trap: Trap | None = None
    told: str | None = None
    """The text instead, when the bullied child said what may be told (``%(may_tell)s``)."""


def _trap(text: str, trap: Trap) -> Option:
    return Option(text, TRAP_PRINCIPLE[trap], trap)


#: Each reaction's three replies: the one in the protocol's spirit first, then two traps.
OPTIONS: dict[Reaction, tuple[Option, Option, Option]] = {
    Reaction.DENIAL: (
        Option(
            N_("I am telling you what I saw and heard. That is what we are talking about now."),
            Principle.FACTS,
        ),
        _trap(N_("You did it on purpose, to hurt people."), Trap.INTERPRETING),
        _trap(N_("If you lie to me, you're out of the group."), Trap.THREAT),
    ),
    Reaction.PLAYING_DOWN: (
        Option(
            N_(
                "Maybe it was a laugh for you. Not for everyone. "
                "You don't say or do this. Full stop."
            ),
            Principle.FULL_STOP,
        ),
        _trap(
            N_(
                "Bullying is never funny. Do you know what it does to someone? "
                "Some children carry it with them for years, and…"
            ),
            Trap.LECTURE,
        ),
        _trap(N_("Then you have a weird sense of humour."), Trap.JUDGING),
    ),
    Reaction.BLAMING: (
        Option(
            N_("We can look at that separately. Now we are talking about what you did."),
            Principle.BEHAVIOUR,
        ),
        _trap(N_("Why would they start it, then?"), Trap.WHY),
        _trap(N_("You are always looking for excuses."), Trap.JUDGING),
    ),
    Reaction.EVERYONE: (
        Option(
            N_(
                "I am talking with you now, about what you did. "
                "You don't say or do this. Full stop."
            ),
            Principle.FULL_STOP,
        ),
        _trap(N_("Why do you go along with everyone, then?"), Trap.WHY),
        _trap(
            N_("If everyone jumped off a bridge, would you jump too? Think for yourself for once…"),
            Trap.LECTURE,
        ),
    ),
    Reaction.SHRUG: (
        Option(
            N_(
                "You don't have to say something right away. I would like it to stop. "
                "What can you do about it?"
            ),
            Principle.WHAT_CAN_YOU_DO,
        ),
        _trap(N_("If you say nothing, I will call your parents."), Trap.THREAT),
        _trap(N_("I can see you couldn't care less."), Trap.INTERPRETING),
    ),
    Reaction.ANGER: (
        Option(
            N_("I hear that you are angry. I am not against you. I am against what happened."),
            Principle.BEHAVIOUR,
        ),
        _trap(N_("See? That's just how you are."), Trap.JUDGING),
        _trap(N_("Keep that up and you can go home."), Trap.THREAT),
    ),
    Reaction.TEARS: (
        Option(
            N_("Take your time. I am not against you. But I do want it to stop."),
            Principle.BEHAVIOUR,
        ),
        _trap(N_("Okay, never mind. It will be fine."), Trap.VAGUE_PROMISE),
        _trap(
            N_("Crying doesn't help. Think of how the other one feels, every day, when…"),
            Trap.LECTURE,
        ),
    ),
    Reaction.VAGUE_PROMISE: (
        Option(
            N_("Good that you say sorry. What exactly will you do differently?"),
            Principle.WHAT_CAN_YOU_DO,
        ),
        _trap(N_("Okay, as long as it doesn't happen again. Off you go."), Trap.VAGUE_PROMISE),
        _trap(N_("Sorry is too easy. Next time it goes straight to your parents."), Trap.THREAT),
    ),
    Reaction.WHO_SAID: (
        Option(
            N_(
                "It doesn't matter now who said it. "
                "What matters is what happened, and that it stops."
            ),
            Principle.MAY_TELL,
            told=N_(
                "What I may tell you: %(may_tell)s. For the rest, this is about what happened, "
                "and that it stops."
            ),
        ),
        _trap(N_("%(victim)s came and told me."), Trap.TELLING_TOO_MUCH),
        _trap(N_("That doesn't matter. Everyone knows what you are like."), Trap.JUDGING),
    ),
}

#: Where a trap leads: the child's next reaction, or the second when the child just
#: reacted the first way (a child does not say the same thing twice in a row).
TRAP_LEADS_TO: dict[Trap, tuple[Reaction, Reaction]] = {
    Trap.JUDGING: (Reaction.ANGER, Reaction.SHRUG),
    Trap.INTERPRETING: (Reaction.DENIAL, Reaction.ANGER),
    Trap.WHY: (Reaction.BLAMING, Reaction.EVERYONE),
    Trap.THREAT: (Reaction.TEARS, Reaction.SHRUG),
    Trap.LECTURE: (Reaction.SHRUG, Reaction.VAGUE_PROMISE),
    Trap.VAGUE_PROMISE: (Reaction.PLAYING_DOWN, Reaction.SHRUG),
    Trap.TELLING_TOO_MUCH: (Reaction.ANGER, Reaction.DENIAL),
}

#: The reactions that fit after each of step 2's five sentences, for a varied talk.
SCENE_REACTIONS: tuple[tuple[Reaction, ...], ...] = (
    (Reaction.DENIAL, Reaction.WHO_SAID, Reaction.PLAYING_DOWN, Reaction.BLAMING),
    (Reaction.SHRUG, Reaction.PLAYING_DOWN, Reaction.EVERYONE, Reaction.ANGER),
    (Reaction.EVERYONE, Reaction.BLAMING, Reaction.TEARS, Reaction.SHRUG),
    (Reaction.VAGUE_PROMISE, Reaction.SHRUG, Reaction.EVERYONE, Reaction.DENIAL),
    (Reaction.VAGUE_PROMISE, Reaction.ANGER, Reaction.TEARS, Reaction.SHRUG),
)

#: The sentence to remember when the leader fell into no trap.
REMEMBER_DEFAULT = Principle.FULL_STOP
