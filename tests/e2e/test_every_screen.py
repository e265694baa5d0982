"""Every screen of every flow, in every language: what it says and which buttons it has.

The leader presses buttons by their label in their own language, and every screen
is checked against the texts the code itself translates: its title and question (in
order), and the exact rows of button labels. A screen that lost its question, a
button with a wrong or untranslated label, or a button in the wrong place fails
here. The stand-in also refuses malformed HTML, texts over 4096 characters and
callback data over 64 bytes, and the ``api`` fixture fails the test on any refusal;
the nicknames and texts typed are long and full of markup, so nothing typed can
break a message. The walk draws every screen of :class:`flows.replies.Screen`.

Nothing here waits for a moment: each screen is the stand-in's own record of what the
bot sent, and a reminder is awaited as the message it is, after the test clock moved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

import pytest
from babel.dates import format_date
from telegram.ext import Application

from bot.handlers.commands import COMMANDS
from bot.screens import reply, setup
from bot.screens.approaches import IN_CASE_ORDER, NEXT_STEP_TEXT, STEP1_CHOICE_TEXT
from bot.screens.check import CRITERION_LABEL, VERDICT_TEXT
from bot.screens.follow_up import CHOICE_TEXT
from bot.screens.settings import HOURS, QUIET, ZONES, weekday_name
from bot.storage.models import Case, Child
from bot.turn import Turn
from flows import phrasing
from flows.approaches import (
    FACTS,
    NO_BLAME_CHECK_TEXT,
    ONLY_ONE_ON_ONE,
    SOURCE_SITE,
    SOURCE_URL,
    Approach,
    NoBlameCheck,
    recommended,
)
from flows.case import (
    AGREEMENT_MAX,
    AGREEMENTS_PER_CONVERSATION_MAX,
    FEELING_MAX,
    FEELING_TEXT,
    LONG_TEXT_MAX,
    NICKNAME_MAX,
    ROLE_TEXT,
    Feeling,
    Role,
)
from flows.criteria import ALL_CRITERIA, CRITERION_TEXT, NATURE, Criterion, assess
from flows.escalation import VICTIM_VIEW_TEXT, VictimView
from flows.fact_words import judgements
from flows.follow_up import OUTCOME_TEXT, SNOOZE_TEXT, Outcome, Snooze
from flows.follow_up_timing import FOLLOW_UP_CHOICES, FollowUpChoice
from flows.help_lines import help_line
from flows.history import NextStepChoice, Step1Choice
from flows.language import (
    SUPPORTED_LANGUAGES,
    _,
    babel_locale,
    native_name,
    ngettext,
    using_language,
)
from flows.protocol import TOMORROW_WORD, first_part
from flows.replies import Screen, Shown
from flows.team import (
    DEFAULT_ESCALATION_HOURS,
    DEFAULT_YEAR_START_MONTH,
    ESCALATION_HOURS,
    TEAM_NAME_MAX,
)
from tests.e2e.test_team_history import parse as parse_history
from tests.support.bot_api_standin import BotApiStandin, BotMessage, SimUser
from tests.support.clock import TestClock
from tests.support.telegram_html import html_to_text

#: Long, markup-like input at the limits: nothing may break a message.
LONG_FACTS = "<b>&amp;</b> " * 76  # 988 characters
NICK = "<Jo> & \u201cBo\u201d"  # 11 characters, but full of HTML
#: What is kept of LONG_FACTS (typed texts are trimmed).
KEPT = LONG_FACTS.strip()
FIRST, SECOND, THIRD = NICK + "1", NICK + "2", NICK + "3"
#: Only blanks: an empty answer, refused where it is typed.
BLANK = " \u3000 "
#: Texts that read the same in English and in the language.
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "Pestgesprek": set(SUPPORTED_LANGUAGES),
    "Privacy": {"nl"},
    "Team %(team)s": {"de"},
}


class Texts:
    """The code's own texts in one language, as the leader sees them on the screen.

    ``values`` are HTML, as the screens fill them in (typed text escaped). Every
    message id used is noted: outside English, one that comes back untranslated
    is a defect of the catalog the test reports at the end.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.untranslated: set[str] = set()

    def raw(self, msgid: str) -> str:
        """The translation of ``msgid``, as it is (HTML, placeholders unfilled)."""
        with using_language(self.language):
            translated = _(msgid)
        if (
            self.language != "en"
            and translated == msgid
            and self.language not in SAME_AS_ENGLISH.get(msgid, set())
        ):
            self.untranslated.add(msgid)
        return translated

    def __call__(self, msgid: str, /, **values: object) -> str:
        """The visible text of ``msgid`` with ``values`` filled in."""
        return html_to_text(self.raw(msgid) % values)

    def label(self, msgid: str, /, **values: object) -> str:
        """A button's label: plain text, nothing escaped."""
        return self.raw(msgid) % values

    def plural(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        with using_language(self.language):
            translated = ngettext(singular, plural, n)
        if self.language != "en" and translated in (singular, plural):
            self.untranslated.add(singular)
        return html_to_text(translated % values)

    def around(self, msgid: str, hole: str, /, **values: object) -> list[str]:
        """The visible pieces of ``msgid`` around a value the test does not predict."""
        pieces = self.raw(msgid).split(f"%({hole})s")
        return [html_to_text(piece % values) for piece in pieces if piece.strip()]

    def run(self, make: Callable[[], str]) -> str:
        """Visible text made by code of :mod:`flows` in this language (the protocol)."""
        with using_language(self.language):
            return html_to_text(make())

    def lines(self, make: Callable[[], list[str]]) -> list[str]:
        """Visible lines made by code of :mod:`flows` in this language (the protocol)."""
        with using_language(self.language):
            return [html_to_text(line) for line in make()]


@dataclass
class Seen:
    """A screen: its visible text (several messages when it was split) and its last message."""

    text: str
    message: BotMessage

    @property
    def labels(self) -> list[list[str]]:
        return [[label for label, _ in row] for row in self.message.buttons]


Expected = tuple[list[str], list[list[str]]]


def quoted(sentence: str) -> str:
    return f"\u201c{sentence}\u201d"


def name(nickname: str) -> str:
    """A nickname as the screens fill it in (escaped HTML)."""
    return escape(nickname)


async def screen(leader: SimUser) -> Seen:
    """The next new message or edit; a text split over several messages as one."""
    message = await leader.expect("")
    texts = [message.text]
    # A text over Telegram's limit comes as several messages; only the last has buttons.
    while not message.buttons and len(message.text) > 3000:
        message = await leader.expect("")
        texts.append(message.text)
    return Seen("\n".join(texts), message)


def check(seen: Seen, parts: Sequence[str], buttons: Sequence[Sequence[str]] = ()) -> None:
    """``parts`` appear in this order, and the buttons are exactly ``buttons``, row by row."""
    at = 0
    for part in parts:
        found = seen.text.find(part, at)
        assert found >= 0, f"{part!r} missing (or out of order) after {at} in {seen.text!r}"
        at = found + len(part)
    assert seen.labels == [list(row) for row in buttons], seen.text


async def see(
    leader: SimUser, parts: Sequence[str], buttons: Sequence[Sequence[str]] = ()
) -> BotMessage:
    """The next screen, checked; returns its (last) message to press on."""
    seen = await screen(leader)
    check(seen, parts, buttons)
    return seen.message


async def toast(leader: SimUser, query_id: str, text: str) -> None:
    """The press ``query_id`` was answered with ``text`` at the top of the screen."""
    answer = await leader.answer_to(query_id)
    assert answer.text == text


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> set[Screen]:
    """The protocol screens drawn while the test runs (recorded around ``DRAW``)."""
    seen: set[Screen] = set()

    def recording(screen: Screen, draw: reply.Draw) -> reply.Draw:
        def recorded(turn: Turn, case: Case, child: Child, shown: Shown) -> None:
            seen.add(screen)
            draw(turn, case, child, shown)

        return recorded

    for shown, draw in list(reply.DRAW.items()):
        monkeypatch.setitem(reply.DRAW, shown, recording(shown, draw))

    # The victim's question opens a case before there is one: the handler draws it
    # itself (``bot.handlers.case.begin``), not through ``DRAW``.
    ask_victim = setup.ask_victim

    def victim_asked(turn: Turn) -> None:
        seen.add(Screen.ASK_VICTIM)
        ask_victim(turn)

    monkeypatch.setattr(setup, "ask_victim", victim_asked)
    return seen


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
async def test_every_screen_says_its_texts_and_has_its_buttons_in_every_language(
    api: BotApiStandin,
    bot: Application,  # type: ignore[type-arg]
    clock: TestClock,
    drawn: set[Screen],
    language: str,
) -> None:
    t = Texts(language)
    leader = api.user(5000 + SUPPORTED_LANGUAGES.index(language), "Jo", language_code=language)
    menu = [[t("✅ Quick check")], [t("➕ New case")], [t("📂 My cases")], [t("❓ Help")]]
    my_cases = [[t("📂 My cases")]]

    # --- The menu, the help, and the answers to what the bot does not expect. -------------
    await leader.send("/start")
    welcome = await see(
        leader,
        [
            t("Pestgesprek"),
            t(
                "I help you with the one-on-one conversation with a child who bullies "
                "or joins in bullying: check whether this approach fits, prepare the "
                "talks in the protocol's own words, and follow up until the bullying "
                "has stopped."
            ),
            t("What do you want to do?"),
        ],
        menu,
    )
    await leader.send("/help")
    await see(
        leader,
        [t("Commands"), *(f"/{c.name} \u2013 {t(c.description)}" for c in COMMANDS)],
        menu,
    )
    await leader.send(LONG_FACTS)
    await see(
        leader, [t("I am not waiting for a message right now. Pick what you want to do:")], menu
    )
    await leader.send("/nonsense")
    await see(leader, [t("I don't know that command. /help lists the ones I do know.")])
    await leader.send("/cancel")
    await see(
        leader,
        [t("Stopped. Everything you entered is saved: continue any time with /cases.")],
        menu,
    )
    await leader.send("/cases")
    await see(leader, [t("You have no open cases. Start one with /new.")], [[t("➕ New case")]])

    # --- The quick check: nothing ticked points elsewhere; No Blame's short check. --------
    def source() -> str:
        return t(
            "Source: %(site)s (Kies Kleur tegen Pesten, with Tumult vzw) \u2014 %(url)s",
            site=SOURCE_SITE,
            url=SOURCE_URL,
        )

    def describe(approach: Approach) -> list[str]:
        facts = FACTS[approach]
        parts = [
            t(facts.name),
            *(f"\u2022 {t(line)}" for line in facts.what),
            t("<b>When it fits:</b> %(text)s", text=t.raw(facts.fits_when)),
            t("<b>What you do first:</b> %(text)s", text=t.raw(facts.first)),
            source(),
        ]
        if approach is not Approach.ONE_ON_ONE:
            parts.append(t(ONLY_ONE_ON_ONE))
        return parts

    def mark(on: bool) -> str:
        return "\u2705" if on else "\u25ab\ufe0f"

    def checklist(ticked: set[Criterion]) -> Expected:
        parts = [
            t("Quick check: is a one-on-one conversation the right approach?"),
            t(NATURE),
            t(
                "The protocol's reasons to choose it. Tap what applies, then "
                "\u201cSee the answer\u201d."
            ),
            *(f"{mark(c in ticked)} {t(CRITERION_TEXT[c])}" for c in ALL_CRITERIA),
        ]
        rows = [[f"{mark(c in ticked)} {t(CRITERION_LABEL[c])}"] for c in ALL_CRITERIA]
        return parts, [*rows, [t("See the answer \u27a1\ufe0f")]]

    def answer(ticked: set[Criterion]) -> Expected:
        assessment = assess(frozenset(ticked))
        parts = [t("Quick check: the answer")]
        holds = [c for c in ALL_CRITERIA if c in ticked]
        if holds:
            parts += [
                t("The protocol's reasons that hold here:"),
                *(f"\u2022 {t(CRITERION_TEXT[c])}" for c in holds),
            ]
        parts += [
            t("Our advice (the protocol gives reasons, not a threshold):"),
            t(VERDICT_TEXT[assessment.verdict]),
        ]
        if Criterion.LEADERS_SUPPORT not in ticked:
            parts.append(
                t(
                    "Keep in mind: a one-on-one conversation is a confrontational approach. "
                    "The leaders must support it."
                )
            )
        if assessment.may_start_case:
            parts.append(
                t("You disapprove of the behaviour, not the person, and you say clearly:")
                + " "
                + quoted(t(phrasing.DISAPPROVE_BEHAVIOUR))
            )
        better = recommended(frozenset(ticked))
        if better:
            parts.append(
                t("What may fit better (advice: the protocol gives reasons, not a threshold):")
            )
            parts += [f"\u2022 {t(FACTS[a].name)}: {t(FACTS[a].fits_when)}" for a in better]
        rows = [[t("➕ Start a case with this")]] if assessment.may_start_case else []
        rows += [["🧭 " + t(FACTS[a].name)] for a in better]
        return parts, [*rows, [t("✏️ Change the ticks")], [t("🏠 Main menu")]]

    def no_blame_check(checked: set[NoBlameCheck]) -> Expected:
        return (
            [
                t("No Blame: short check"),
                t("No Blame fits when all of these hold. Tap what applies."),
            ],
            [
                *(
                    [f"{mark(item in checked)} {t(NO_BLAME_CHECK_TEXT[item])}"]
                    for item in NoBlameCheck
                ),
                [t("See the answer \u27a1\ufe0f")],
                [t("⬅️ Back")],
            ],
        )

    await leader.send("/criteria")
    shown = await see(leader, *checklist(set()))
    await leader.press(shown, t("See the answer \u27a1\ufe0f"))
    shown = await see(leader, *answer(set()))
    await leader.press(shown, "🧭 " + t(FACTS[Approach.NO_BLAME].name))
    shown = await see(
        leader,
        [
            *describe(Approach.NO_BLAME),
            t("To keep track of it, start a case with /new and choose the approach in the case."),
        ],
        [[t("🔎 No Blame: short check")], [t("⬅️ Back to the answer")], [t("🏠 Main menu")]],
    )
    await leader.press(shown, t("🔎 No Blame: short check"))
    shown = await see(leader, *no_blame_check(set()))
    first_item = next(iter(NoBlameCheck))
    await leader.press(shown, f"{mark(False)} {t(NO_BLAME_CHECK_TEXT[first_item])}")
    shown = await see(leader, *no_blame_check({first_item}))
    await leader.press(shown, t("See the answer \u27a1\ufe0f"))
    shown = await see(
        leader,
        [
            t("No Blame: the answer"),
            t("❌ Not everything holds for No Blame:"),
            *(f"\u2022 {t(NO_BLAME_CHECK_TEXT[item])}" for item in list(NoBlameCheck)[1:]),
            t(
                "Then a one-on-one conversation or a restorative conversation may fit "
                "better \u2014 or agree first with your team."
            ),
            source(),
        ],
        [[t("✏️ Change the ticks")], [t("⬅️ Back to the answer")], [t("🏠 Main menu")]],
    )
    await leader.press(shown, t("⬅️ Back to the answer"))
    await see(leader, *answer(set()))

    # --- The quick check from the menu: three ticks, the answer, changed, a case. ---------
    await leader.press(welcome, t("✅ Quick check"))
    ticked: set[Criterion] = set()
    shown = await see(leader, *checklist(ticked))
    for criterion in (
        Criterion.LEADERS_SUPPORT,
        Criterion.GOING_ON_LONG,
        Criterion.VICTIM_ALONE,
    ):
        await leader.press(shown, f"{mark(False)} {t(CRITERION_LABEL[criterion])}")
        ticked.add(criterion)
        shown = await see(leader, *checklist(ticked))
    await leader.press(shown, t("See the answer \u27a1\ufe0f"))
    shown = await see(leader, *answer(ticked))
    await leader.press(shown, t("✏️ Change the ticks"))
    shown = await see(leader, *checklist(ticked))
    await leader.press(shown, t("See the answer \u27a1\ufe0f"))
    shown = await see(leader, *answer(ticked))
    await leader.press(shown, t("➕ Start a case with this"))

    # --- Set-up: the victim, two children, names refused, taken, and too long. -------------
    advice = t(
        "A nickname or initials are enough: I only need to tell the children apart. "
        "Please don't type a full name, age, school or anything else \u2014 the less is "
        "stored about a child, the better."
    )
    await see(leader, [t("New case"), t("What do you call the child who is bullied?"), advice])
    await leader.send("x" * (NICKNAME_MAX + 20))
    await see(
        leader,
        [
            t(
                "That is %(length)d characters; here it can be at most %(limit)d. I kept what "
                "you typed: take its first part, or type it again, shorter.",
                length=NICKNAME_MAX + 20,
                limit=NICKNAME_MAX,
            )
        ],
        [[t("✂️ Take the first part")]],
    )
    # Typed again, shorter (taking the first part is pressed below, on an agreement).
    await leader.send(NICK)
    one_at_a_time = t("One child at a time: you can add more after this one.")
    await see(
        leader,
        [t("Who bullies or joins in? Type the nickname or initials of one child."), one_at_a_time],
    )
    await leader.send(BLANK)
    await see(
        leader,
        [t("Please type a nickname or initials of at most %(max)d characters.", max=NICKNAME_MAX)],
    )

    def children(*listed: tuple[str, Role]) -> list[str]:
        return [
            t("Children who bully or join in, in the case of %(victim)s:", victim=name(NICK)),
            *(f"\u2022 {child} ({t(ROLE_TEXT[role])})" for child, role in listed),
            t("Is there another child who bullies or joins in?"),
        ]

    def ask_role(child: str) -> Expected:
        return (
            [
                t("Does %(child)s bully, or join in?", child=name(child)),
                t("Typed the name wrong? Type it again and tap the role after."),
            ],
            [[t("Bullies"), t("Joins in")]],
        )

    everyone = [t("✅ That's everyone: go to step 1")]
    await leader.send(FIRST)
    asked = await see(leader, *ask_role(FIRST))
    await leader.press(asked, t("Bullies"))
    listed = await see(leader, children((FIRST, Role.PESTER)), [[t("➕ Another child")], everyone])
    await leader.press(listed, t("➕ Another child"))
    await see(
        leader, [t("What do you call the next child who bullies or joins in?"), one_at_a_time]
    )
    await leader.send(FIRST)
    await see(
        leader,
        [
            t(
                "That nickname is already used in this case. Please type another one, so the "
                "children can be told apart."
            )
        ],
    )
    await leader.send(SECOND)
    asked = await see(leader, *ask_role(SECOND))
    await leader.press(asked, t("Joins in"))
    listed = await see(
        leader,
        children((FIRST, Role.PESTER), (SECOND, Role.MEEPESTER)),
        [[t("➕ Another child")], everyone],
    )
    await leader.press(listed, everyone[0])

    # --- Step 1, per child: a "no", what can be done meanwhile, an approach, a "yes". ------
    def step1_sentences(child: str, may_tell: str | None = None) -> list[str]:
        return t.lines(lambda: phrasing.step1_sentences([child], may_tell))

    def ask_consent(child: str) -> Expected:
        return (
            [
                t("Step 1 \u2014 with %(victim)s, the child who is bullied", victim=name(NICK)),
                t("Find a quiet moment with %(victim)s and ask:", victim=name(NICK)),
                *(f"{n}. {quoted(s)}" for n, s in enumerate(step1_sentences(child), start=1)),
                t("You ask this for each child in turn."),
                t(
                    "Did %(victim)s agree that you talk with %(bullies)s?",
                    victim=name(NICK),
                    bullies=name(child),
                ),
            ],
            [[t("✅ Yes, agreed")], [t("✋ No, not (yet)")], [t("⏳ Not asked yet")]],
        )

    def behind_their_back(child: str) -> str:
        return t(
            "Nothing happens behind %(victim)s's back: without %(victim)s's permission you "
            "do not talk with %(bullies)s. The case stays open in step 1.",
            victim=name(NICK),
            bullies=name(child),
        )

    declined_buttons = [
        [t("🔁 Ask again now")],
        [t("⏰ Ask again later")],
        [t("👥 Talk it over with the team")],
        [t("👀 Keep watching")],
        [t("🧭 Other approaches")],
        [t("🗂 Close the case")],
        *my_cases,
    ]
    step1 = await see(leader, *ask_consent(FIRST))
    await leader.press(step1, t("✋ No, not (yet)"))
    declined = await see(
        leader,
        [
            t("Step 1 \u2014 %(victim)s does not agree (yet)", victim=name(NICK)),
            behind_their_back(FIRST),
            t("What you can do now:"),
            "🔁 "
            + t(
                "Ask again later, when %(victim)s has had time to think about it.",
                victim=name(NICK),
            ),
            "👥 " + t("Talk it over with your team: another approach may fit better."),
            "👀 "
            + t("Keep watching how things go for %(victim)s, and stay close.", victim=name(NICK)),
            *t.around("🔔 I will remind you on %(moment)s.", "moment", moment=""),
        ],
        declined_buttons,
    )
    # What the leader does meanwhile: each choice says what it means, and is kept.
    meanwhile = {
        Step1Choice.TEAM: (
            t("👥 Talk it over with the team"),
            "Talk it over with your team: what do you see, what does %(victim)s need, and "
            "which approach fits? Nothing happens behind %(victim)s's back.",
        ),
        Step1Choice.TRY_LATER: (
            t("⏰ Ask again later"),
            "OK. Give %(victim)s time. Until %(victim)s agrees, nothing happens behind "
            "%(victim)s's back.",
        ),
        Step1Choice.WATCH: (
            t("👀 Keep watching"),
            "Keep an eye on how things go for %(victim)s, and stay close to %(victim)s. "
            "If it gets worse, talk with your team straight away.",
        ),
    }
    for button, text in meanwhile.values():
        await leader.press(declined, button)
        waiting = await see(
            leader,
            [
                t(text, victim=name(NICK)),
                *t.around(
                    "🔔 I will remind you on %(moment)s to ask %(victim)s again.",
                    "moment",
                    victim=name(NICK),
                    moment="",
                ),
            ],
            [[t("🧭 Other approaches")], *my_cases],
        )
    await leader.press(waiting, t("🧭 Other approaches"))
    # The quick check said a one-on-one conversation fits: the case lists them in its order.
    order = [*recommended(frozenset(ticked))]
    order += [a for a in IN_CASE_ORDER if a not in order]

    def approaches(chosen: Approach | None) -> Expected:
        return (
            [
                t("Other approaches"),
                t(
                    "When a one-on-one conversation does not fit or does not work, another "
                    "approach may. Tap one to read what it is."
                ),
                *(f"\u2022 {t(FACTS[a].name)}: {t(FACTS[a].fits_when)}" for a in IN_CASE_ORDER),
            ],
            [
                *([("✔️ " if a is chosen else "🧭 ") + t(FACTS[a].name)] for a in order),
                [t("▶️ Back to the case")],
            ],
        )

    shown = await see(leader, *approaches(None))
    await leader.press(shown, "🧭 " + t(FACTS[Approach.RESTORATIVE].name))
    shown = await see(
        leader,
        describe(Approach.RESTORATIVE),
        [[t("✅ We go on with this")], [t("🧭 Other approaches")], [t("▶️ Back to the case")]],
    )
    await leader.press(shown, t("✅ We go on with this"))
    restorative = t.raw(FACTS[Approach.RESTORATIVE].name)
    shown = await see(
        leader,
        [
            t(
                "Written down: the case of %(victim)s goes on with %(approach)s.",
                victim=name(NICK),
                approach=restorative,
            ),
            t(
                "<b>What you do first:</b> %(text)s",
                text=t.raw(FACTS[Approach.RESTORATIVE].first),
            ),
            t(ONLY_ONE_ON_ONE),
        ],
        [[t("▶️ Back to the case")], *my_cases],
    )
    await leader.press(shown, t("▶️ Back to the case"))

    def summary(child: str, role: Role, consent: str, *more: str) -> list[str]:
        return [
            f"{child} ({t(ROLE_TEXT[role])})",
            t("Step 1: %(consent)s", consent=t.raw(consent)),
            *more,
        ]

    def overview(
        people: Sequence[list[str]],
        next_parts: Sequence[str],
        *,
        history: Sequence[str] = (),
        reported: Sequence[str] = (),
        planned: Sequence[str] = (),
        closed: bool = False,
    ) -> Expected:
        parts = [
            t("Case %(victim)s", victim=name(NICK)),
            *t.around("Started on %(date)s", "date", date=""),
            t("Approach: %(approach)s", approach=restorative),
        ]
        if history:
            parts += [t("Choices made:"), *history]
        for person in people:
            parts += person
        parts += [*t.around("<b>Next:</b> %(next)s", "next", next=""), *next_parts]
        rows: list[list[str]] = []
        if not closed:
            rows.append([t("▶️ Continue")])
            rows += [
                [t.label("✅ Reported back to %(victim)s on %(child)s", victim=NICK, child=c)]
                for c in reported
            ]
            for c in planned:
                rows.append([t.label("🗓 Move the follow-up with %(child)s", child=c)])
                rows.append([t.label("✖️ Cancel the follow-up with %(child)s", child=c)])
            rows += [
                [t("➕ Another child")],
                [t("✏️ Correct something")],
                [t("🧭 Other approaches")],
                [t("🗂 Close the case")],
                [t("👥 Share with co-leaders")],
                [t("🤝 Hand over")],
            ]
        return parts, [*rows, [t("🕓 History")], *my_cases]

    step1_choices = [
        *(
            f"{FIRST}: " + t("step 1: %(choice)s", choice=t.raw(STEP1_CHOICE_TEXT[choice]))
            for choice in meanwhile
        ),
        t("approach: %(approach)s", approach=restorative),
    ]
    await see(
        leader,
        *overview(
            [
                summary(FIRST, Role.PESTER, "did not agree (yet)", t("talk not prepared yet")),
                summary(SECOND, Role.MEEPESTER, "not asked yet", t("talk not prepared yet")),
            ],
            [t("Step 1: ask %(victim)s's permission", victim=name(NICK))],
            history=step1_choices,
        ),
    )

    # The first child's "no" waits: ask again from it, not asked yet, then a "yes".
    await leader.press(declined, t("🔁 Ask again now"))
    step1 = await see(leader, *ask_consent(FIRST))
    await leader.press(step1, t("⏳ Not asked yet"))
    await see(
        leader,
        [
            t(
                "Fine. Talk with %(victim)s first; come back to this case with /cases when you "
                "have.",
                victim=name(NICK),
            ),
            *t.around(
                "🔔 I will remind you to ask %(victim)s on %(moment)s.",
                "moment",
                victim=name(NICK),
                moment="",
            ),
        ],
        my_cases,
    )

    def ask_may_tell(child: str) -> list[str]:
        return [
            t(
                "What may you tell %(bullies)s? Type it as %(victim)s said it, as concretely "
                "as you can. It completes the sentence:",
                bullies=name(child),
                victim=name(NICK),
            ),
            quoted(step1_sentences(child)[2]),
            t(
                "For example: %(example)s",
                example=escape(t.raw("that it hurts her when they laugh at her")),
            ),
            t("I show you the whole sentence before you use it."),
        ]

    def step1_done(child: str, may_tell: str, then: str, go_on: str) -> Expected:
        return (
            [
                t("End your talk with %(victim)s with:", victim=name(NICK)),
                quoted(step1_sentences(child, may_tell)[2]),
                then,
            ],
            [[go_on], [t("✏️ What may be told")], *my_cases],
        )

    await leader.press(step1, t("✅ Yes, agreed"))
    await see(leader, ask_may_tell(FIRST))
    await leader.send(BLANK)
    refused_text = [
        t(
            "That is empty or longer than %(max)d characters. Please type it again, shorter.",
            max=LONG_TEXT_MAX,
        )
    ]
    await see(leader, refused_text)
    await leader.send(LONG_FACTS)
    done = await see(
        leader,
        *step1_done(
            FIRST,
            KEPT,
            t("Next, in the same talk: %(child)s.", child=name(SECOND)),
            t.label("▶️ Go on with %(child)s", child=SECOND),
        ),
    )
    await leader.press(done, t.label("▶️ Go on with %(child)s", child=SECOND))
    step1 = await see(leader, *ask_consent(SECOND))
    await leader.press(step1, t("✅ Yes, agreed"))
    await see(leader, ask_may_tell(SECOND))
    await leader.send(NICK)
    done = await see(
        leader,
        *step1_done(
            SECOND,
            NICK,
            t("Step 1 is done. Next is step 2: the talk with %(child)s.", child=name(FIRST)),
            t("▶️ Prepare that talk"),
        ),
    )

    # --- Step 2 with the first child: seen, facts with a label, a feeling, agreements. ----
    def heading(child: str) -> str:
        return t("Step 2 \u2014 the talk with %(child)s", child=name(child))

    def ask_witnessed(child: str) -> Expected:
        return (
            [heading(child), t("Did you see what happened yourself, or did you hear about it?")],
            [[t("👀 I saw it"), t("👂 I heard about it")]],
        )

    def step2_sentences(facts: str | None, feeling: str | None, seen: bool) -> list[str]:
        return t.lines(lambda: phrasing.step2_sentences(facts, feeling, witnessed=seen))

    def ask_facts(child: str, seen: bool, same_as: Sequence[str] = ()) -> Expected:
        return (
            [
                heading(child),
                t("Complete the sentence:") + " " + quoted(step2_sentences(None, None, seen)[0]),
                t(
                    "Type only what goes on the dots: what happened, where and when, as "
                    "concretely and factually as you can \u2014 no interpretations."
                ),
                t(
                    "For example: %(example)s",
                    example=escape(t.raw("someone being sent away from the campfire yesterday")),
                ),
            ],
            [[t.label("📋 Same facts as for %(other)s", other=o)] for o in same_as],
        )

    feelings = [t(FEELING_TEXT[f]) for f in Feeling]

    def ask_feeling(
        child: str, facts: str, seen: bool, now: str | None = None, same_as: Sequence[str] = ()
    ) -> Expected:
        first, second = step2_sentences(facts, None, seen)[:2]
        return (
            [
                heading(child),
                t("Your first sentence:") + " " + quoted(first),
                t("Name your feeling:") + " " + quoted(second),
                t("Tap one, or type another word (at most %(max)d characters).", max=FEELING_MAX),
                *([t("Now: %(now)s", now=quoted(escape(now)))] if now else []),
            ],
            [
                feelings[:2],
                feelings[2:],
                [t("✏️ Facts")],
                *([t.label("📋 Same feeling as for %(other)s", other=o)] for o in same_as),
            ],
        )

    def script(child: str, facts: str, feeling: str, seen: bool, may_tell: str) -> Expected:
        sentences = step2_sentences(facts, feeling, seen)
        return (
            [
                t("Your script for the talk with %(child)s", child=name(child)),
                t("Disapprove of the behaviour, not the person:")
                + " "
                + quoted(t(phrasing.DISAPPROVE_BEHAVIOUR)),
                *(f"{n}. {quoted(s)}" for n, s in enumerate(sentences, start=1)),
                t(
                    "🤝 What %(victim)s allowed you to tell: %(may_tell)s",
                    victim=name(NICK),
                    may_tell=escape(may_tell),
                ),
                t("After the talk, write down what %(child)s proposed to do.", child=name(child)),
            ],
            [
                [t("✅ Talk held: write down the agreements")],
                [t("✏️ Facts"), t("✏️ Feeling")],
                *my_cases,
            ],
        )

    done_button = [[t("✅ Done")]]

    def ask_agreements(child: str) -> list[str]:
        return [
            heading(child),
            t(
                "What did %(child)s propose to do? Send each agreement as a separate message.",
                child=name(child),
            ),
            t("Tap \u201cDone\u201d when all of them are in."),
        ]

    def noted(agreements: Sequence[str]) -> list[str]:
        return [
            t.plural(
                "%(count)d agreement noted:",
                "%(count)d agreements noted:",
                len(agreements),
                count=len(agreements),
            ),
            *(f"\u2022 {a}" for a in agreements),
            t("Send another one, or tap \u201cDone\u201d."),
        ]

    def plan(child: str, *, meeting: bool, starred: FollowUpChoice | None = None) -> Expected:
        choices = list(FOLLOW_UP_CHOICES)
        if starred is not None:
            choices.remove(starred)
            choices.insert(0, starred)
        rows = []
        for choice in choices:
            label = ("\u2b50 " if choice is starred else "") + t(CHOICE_TEXT[choice])
            if choice is FollowUpChoice.NEXT_MEETING and not meeting:
                label = t("Set your group's meeting day")
            rows.append([label])
        return (
            [
                t("Step 3 \u2014 follow-up with %(child)s", child=name(child)),
                t(phrasing.STEP3_WHEN, child=name(child)),
                t(
                    "When do you want to talk with %(child)s again? I will remind you.",
                    child=name(child),
                ),
            ],
            rows,
        )

    def planned(child: str, promise: bool) -> Expected:
        parts = t.around(
            "🔔 I will remind you to talk with %(child)s again on %(moment)s.",
            "moment",
            child=name(child),
            moment="",
        )
        if promise:
            parts.append(
                t(
                    "You promised %(victim)s to report back on this talk: I will ask you "
                    "tomorrow whether you did.",
                    victim=name(NICK),
                )
            )
        return parts, my_cases

    await leader.press(done, t("▶️ Prepare that talk"))
    asked = await see(leader, *ask_witnessed(FIRST))
    await leader.press(asked, t("👀 I saw it"))
    await see(leader, *ask_facts(FIRST, seen=True))
    await leader.send(BLANK)
    await see(leader, refused_text)
    facts = LONG_FACTS[:900] + " altijd always toujours immer"
    await leader.send(facts)
    labels = t.lines(lambda: judgements(facts))
    assert labels, "no word of the facts reads as a judgement in this language"
    hint = await see(
        leader,
        [
            heading(FIRST),
            t("You wrote: %(facts)s", facts=escape(facts)),
            t(
                "A small hint: %(words)s sound like a judgement or a label rather than what "
                "happened.",
                words=", ".join(quoted(escape(w)) for w in labels),
            ),
            t(
                "\u201cI see that \u2026\u201d works best with what happened, where and when: "
                "a child can argue with a judgement, not with a fact."
            ),
            t("Type the facts again to replace them, or keep them as they are."),
        ],
        [[t("✅ Keep them as they are")]],
    )
    await leader.press(hint, t("✅ Keep them as they are"))
    asked = await see(leader, *ask_feeling(FIRST, facts, seen=True))
    angry = t(FEELING_TEXT[Feeling.ANGRY])
    await leader.press(asked, angry)
    shown = await see(leader, *script(FIRST, facts, Feeling.ANGRY, True, KEPT))
    await leader.press(shown, t("✏️ Feeling"))
    asked = await see(
        leader,
        *ask_feeling(FIRST, facts, seen=True, now=t(FEELING_TEXT[Feeling.ANGRY])),
    )
    await leader.send(NICK)
    shown = await see(leader, *script(FIRST, facts, NICK, True, KEPT))
    # What was typed shows as typed when it is corrected again.
    await leader.press(shown, t("✏️ Feeling"))
    await see(leader, *ask_feeling(FIRST, facts, seen=True, now=NICK))
    await leader.send(NICK)
    shown = await see(leader, *script(FIRST, facts, NICK, True, KEPT))
    await leader.press(shown, t("✅ Talk held: write down the agreements"))
    shown = await see(leader, ask_agreements(FIRST), done_button)
    query = await leader.press(shown, t("✅ Done"))
    await toast(leader, query, t("Write down at least one agreement first."))
    await see(leader, ask_agreements(FIRST), done_button)
    await leader.send(BLANK)
    await see(
        leader,
        [
            t(
                "An agreement can be at most %(max)d characters. Please type it again, shorter.",
                max=AGREEMENT_MAX,
            )
        ],
        done_button,
    )
    agreements: list[str] = []
    for number in range(AGREEMENTS_PER_CONVERSATION_MAX):
        agreements.append(f"{NICK} {number}")
        await leader.send(agreements[-1])
        shown = await see(leader, noted(agreements), done_button)
    await leader.send(NICK)
    await see(
        leader,
        [t("That is the most agreements I keep for one talk. Tap \u201cDone\u201d to finish.")],
        done_button,
    )
    await leader.press(shown, t("✅ Done"))
    await see(leader, [t("The talk with %(child)s is written down.", child=name(FIRST))])
    shown = await see(leader, *plan(FIRST, meeting=False))
    # The protocol's intervals come first: after 1 to 2 days or 1 to 2 weeks.
    intervals = ["In 1 day", "In 2 days", "In 1 week", "In 2 weeks"]
    assert shown.button_texts[:4] == [t(interval) for interval in intervals]
    await leader.press(shown, t(CHOICE_TEXT[FollowUpChoice.ON_DATE]))
    ask_date = [
        t(
            "On which day? Type a date as day-month (for example %(example)s), a weekday, "
            "or \u201c%(tomorrow)s\u201d.",
            example="28-11",
            tomorrow=t.raw(TOMORROW_WORD),
        )
    ]
    await see(leader, ask_date)
    await leader.send("31-02")
    await see(
        leader,
        [
            t(
                "I can't read that as a date in the future. Type it as day-month or "
                "day-month-year, for example %(example)s, or tap /cases to choose something "
                "else.",
                example="28-11",
            )
        ],
    )
    await leader.send(t.raw(TOMORROW_WORD))
    await see(leader, *planned(FIRST, promise=True))

    # --- The second child: heard, the same facts and feeling as the first. -----------------
    asked = await see(leader, *ask_witnessed(SECOND))
    await leader.press(asked, t("👂 I heard about it"))
    shown = await see(leader, *ask_facts(SECOND, seen=False, same_as=[FIRST]))
    await leader.press(shown, t.label("📋 Same facts as for %(other)s", other=FIRST))
    # The same facts are the facts the leader saw for the first child.
    shown = await see(leader, *ask_feeling(SECOND, facts, seen=True, same_as=[FIRST]))
    await leader.press(shown, t.label("📋 Same feeling as for %(other)s", other=FIRST))
    shown = await see(leader, *script(SECOND, facts, NICK, True, NICK))
    await leader.press(shown, t("✅ Talk held: write down the agreements"))
    await see(leader, ask_agreements(SECOND), done_button)
    await leader.send(NICK)
    await leader.press(await see(leader, noted([NICK]), done_button), t("✅ Done"))
    await see(leader, [t("The talk with %(child)s is written down.", child=name(SECOND))])
    shown = await see(leader, *plan(SECOND, meeting=False))
    await leader.press(shown, t(CHOICE_TEXT[FollowUpChoice.IN_2_DAYS]))
    await see(leader, *planned(SECOND, promise=True))
    query = await leader.press(shown, t(CHOICE_TEXT[FollowUpChoice.IN_2_DAYS]))
    await toast(leader, query, t("That follow-up is planned already."))

    # --- Reporting back: from the case, put off, then done. --------------------------------
    def report_back(child: str) -> Expected:
        return (
            [
                t(
                    "🔔 In step 1 you promised %(victim)s to report back on your talk with "
                    "%(child)s. Have you done that?",
                    victim=name(NICK),
                    child=name(child),
                )
            ],
            [
                [t.label("✅ Yes, I reported back to %(victim)s", victim=NICK)],
                [t("⏰ Remind me tomorrow")],
            ],
        )

    async def open_case(
        people: Sequence[list[str]],
        next_parts: Sequence[str],
        *,
        history: Sequence[str] = (),
        reported: Sequence[str] = (),
        planned: Sequence[str] = (),
    ) -> BotMessage:
        """/cases, the one case opened: its overview, checked."""
        await leader.send("/cases")
        listed = await see(
            leader,
            [
                t("My cases"),
                t.plural(
                    "You have %(count)d open case.", "You have %(count)d open cases.", 1, count=1
                ),
                f"1. {NICK} \u2014 ",
                t("Tap a case to continue."),
            ],
            [[f"1. {NICK}"], [t("➕ New case")]],
        )
        await leader.press(listed, f"1. {NICK}")
        return await see(
            leader,
            *overview(people, next_parts, history=history, reported=reported, planned=planned),
        )

    held = [t("talk held on %(date)s", date="").strip()]
    shown = await open_case(
        [
            summary(FIRST, Role.PESTER, "agreed", *held),
            summary(SECOND, Role.MEEPESTER, "agreed", *held),
        ],
        [
            t(
                "Step 2: report back to %(victim)s on the talk with %(child)s",
                victim=name(NICK),
                child=name(FIRST),
            )
        ],
        history=step1_choices,
        reported=[FIRST, SECOND],
        planned=[FIRST, SECOND],
    )
    await leader.press(shown, t("▶️ Continue"))
    shown = await see(leader, *report_back(FIRST))
    await leader.press(shown, t("⏰ Remind me tomorrow"))
    await see(
        leader,
        t.around(
            "OK, I will remind you to report back to %(victim)s on %(moment)s.",
            "moment",
            victim=name(NICK),
            moment="",
        ),
        my_cases,
    )
    await leader.press(shown, t.label("✅ Yes, I reported back to %(victim)s", victim=NICK))
    shown = await see(leader, *report_back(SECOND))
    await leader.press(shown, t.label("✅ Yes, I reported back to %(victim)s", victim=NICK))
    next_follow_up = t.around(
        "Step 3: follow-up with %(child)s on %(when)s", "when", child=name(FIRST), when=""
    )
    shown = await see(leader, *overview([], next_follow_up, planned=[FIRST, SECOND]))
    # The first child's follow-up moved out of the way of the second child's rounds.
    await leader.press(shown, t.label("🗓 Move the follow-up with %(child)s", child=FIRST))
    shown = await see(leader, *plan(FIRST, meeting=False))
    await leader.press(shown, t(CHOICE_TEXT[FollowUpChoice.ON_DATE]))
    await see(leader, ask_date)
    await leader.send((clock() + timedelta(days=60)).strftime("%d-%m"))
    await see(leader, *planned(FIRST, promise=False))

    # --- Settings: meeting day and hour, quiet hours, a time zone by button and typed. ----
    def settings(meeting: str | None) -> Expected:
        return (
            [
                t("Settings"),
                t("These decide when reminders come."),
                t("🗓 Group meeting: %(meeting)s", meeting=meeting or t.raw("not set")),
                *t.around("🌙 Quiet hours (no reminders): %(quiet)s", "quiet", quiet=""),
                *t.around("🌍 Time zone: %(zone)s", "zone", zone=""),
            ],
            [[t("🗓 Meeting day")], [t("🌙 Quiet hours")], [t("🌍 Time zone")]],
        )

    def day_name(weekday: int) -> str:
        return t.run(lambda: weekday_name(weekday))

    days = [day_name(d) for d in range(7)]
    weekdays = (
        [t("On which day does your group meet?")],
        [days[0:3], days[3:6], days[6:], [t("No weekly meeting")]],
    )
    hours = [f"{hour:02d}:00" for hour in HOURS]
    friday = days[4]

    async def set_meeting(shown: BotMessage) -> None:
        await leader.press(shown, friday)
        shown = await see(
            leader,
            [t("At what time does the group meet on %(day)s?", day=friday)],
            [hours[i : i + 4] for i in range(0, len(hours), 4)],
        )
        await leader.press(shown, "19:00")

    await leader.send("/settings")
    shown = await see(leader, *settings(None))
    await leader.press(shown, t("🗓 Meeting day"))
    await set_meeting(await see(leader, *weekdays))
    shown = await see(leader, *settings(f"{friday} 19:00"))
    await leader.press(shown, t("🌙 Quiet hours"))
    none = t("none")
    shown = await see(
        leader,
        [t("When should no reminder come?")],
        [[none if start == end else f"{start}\u2013{end}"] for start, end in QUIET],
    )
    await leader.press(shown, none)
    shown = await see(leader, *settings(f"{friday} 19:00"))
    await leader.press(shown, t("🌍 Time zone"))
    await see(
        leader,
        [
            t(
                "Which time zone are you in? Tap one, or type its name, for example %(example)s.",
                example="America/New_York",
            )
        ],
        [[zone] for zone in ZONES],
    )
    await leader.send("Nowhere/Atlantis")
    await see(
        leader,
        [
            t(
                "I don't know that time zone. Type a name such as %(example)s.",
                example="Europe/Brussels",
            )
        ],
    )
    await leader.send("Europe/Brussels")
    await see(leader, *settings(f"{friday} 19:00"))

    # --- Step 3: the reminder comes; put off; the bullied child's view; a new proposal. ---
    victim_views = [
        [t.label("%(victim)s: ✅ it has stopped", victim=NICK)],
        [t.label("%(victim)s: 🟡 it happens less", victim=NICK)],
        [t.label("%(victim)s: ❌ it has not stopped", victim=NICK)],
        [t.label("⏭ I did not ask %(victim)s this time", victim=NICK)],
    ]

    def nudge(child: str, agreements: Sequence[str], rounds: int = 0) -> Expected:
        parts = [
            t("🔔 Step 3: talk with %(child)s again", child=name(child)),
            t("Case %(victim)s", victim=name(NICK)),
            t("The agreements %(child)s made:", child=name(child)),
            *(f"\u2022 {a}" for a in agreements),
        ]
        rows = [*victim_views]
        if rounds:
            parts += [
                t.plural(
                    "⚠️ After %(rounds)d follow-up the bullying has not stopped for %(child)s.",
                    "⚠️ After %(rounds)d follow-ups in a row the bullying has not stopped for "
                    "%(child)s.",
                    rounds,
                    rounds=rounds,
                    child=name(child),
                ),
                t(
                    "Talking again is still possible, but it is time for a next step as well: "
                    "see \u201cNext steps\u201d."
                ),
            ]
            rows.append([t("🧭 Next steps")])
        parts += [
            t(
                "Before you ask how it went with the one who bullies: did you also check in "
                "with %(victim)s? What does %(victim)s say?",
                victim=name(NICK),
            ),
            *(f"{n}. {p}" for n, p in enumerate(t.lines(phrasing.step3_points), start=1)),
        ]
        return parts, [*rows, [t("⏰ Not talked yet: remind me later")]]

    def says(view: VictimView) -> str:
        return t(
            "%(victim)s says: <b>%(view)s</b>.",
            victim=name(NICK),
            view=t.raw(VICTIM_VIEW_TEXT[view]),
        )

    def outcome_with_view(child: str, view: VictimView) -> Expected:
        parts = [t("Step 3 \u2014 follow-up with %(child)s", child=name(child)), says(view)]
        if view in (VictimView.NOT_STOPPED, VictimView.LESS):
            parts.append(
                t(
                    "What %(victim)s says weighs more than the account of %(child)s.",
                    victim=name(NICK),
                    child=name(child),
                )
            )
        parts.append(
            t(
                "And in your talk with %(child)s: how far has the bullying stopped?",
                child=name(child),
            )
        )
        return parts, [
            [t("✅ Bullying has stopped")],
            [t("🟡 Partly stopped")],
            [t("❌ Not stopped")],
        ]

    new_proposal = (
        [
            quoted(t(phrasing.STEP3_MOTIVATE)),
            t(
                "What does %(child)s propose now? Send each new agreement as a separate message.",
                child=name(SECOND),
            ),
            t("Tap \u201cDone\u201d when all of them are in."),
        ],
        done_button,
    )

    async def propose(agreement: str) -> Seen:
        await leader.send(agreement)
        shown = await see(
            leader,
            [
                t("New proposal so far:"),
                f"\u2022 {agreement}",
                t("Send another one, or tap \u201cDone\u201d."),
            ],
            done_button,
        )
        await leader.press(shown, t("✅ Done"))
        seen = await screen(leader)
        starred = next(
            c for c in FOLLOW_UP_CHOICES if seen.labels[0] == ["\u2b50 " + t(CHOICE_TEXT[c])]
        )
        check(seen, *plan(SECOND, meeting=True, starred=starred))
        return seen

    clock.advance(days=2, hours=3)
    follow_up = await see(leader, *nudge(SECOND, [NICK]))
    await leader.press(follow_up, t("⏰ Not talked yet: remind me later"))
    shown = await see(
        leader,
        [t("When shall I remind you again of the talk with %(child)s?", child=name(SECOND))],
        [[t(SNOOZE_TEXT[snooze])] for snooze in Snooze],
    )
    await leader.press(shown, t(SNOOZE_TEXT[Snooze.IN_3_DAYS]))
    await see(
        leader,
        t.around(
            "OK, I will remind you of the talk with %(child)s on %(moment)s.",
            "moment",
            child=name(SECOND),
            moment="",
        ),
        my_cases,
    )

    clock.advance(days=4)
    follow_up = await see(leader, *nudge(SECOND, [NICK]))
    await leader.press(follow_up, victim_views[2][0])
    shown = await see(leader, *outcome_with_view(SECOND, VictimView.NOT_STOPPED))
    await leader.press(shown, t("✅ Bullying has stopped"))
    await see(
        leader,
        [
            says(VictimView.NOT_STOPPED),
            t(
                "Written down: %(outcome)s \u2014 what %(victim)s says weighs more.",
                outcome=t.raw(OUTCOME_TEXT[Outcome.NOT_STOPPED]),
                victim=name(NICK),
            ),
        ],
    )
    await see(leader, *new_proposal)
    new_plan = (await propose(LONG_FACTS[:40].strip())).message

    # "At the next meeting" after the meeting was unset: set it from there, then plan.
    await leader.send("/settings")
    await leader.press(await see(leader, *settings(f"{friday} 19:00")), t("🗓 Meeting day"))
    await leader.press(await see(leader, *weekdays), t("No weekly meeting"))
    await see(leader, *settings(None))
    await leader.press(new_plan, t(CHOICE_TEXT[FollowUpChoice.NEXT_MEETING]))
    shown = await see(
        leader,
        [t("I don't know your group's meeting day yet. Set it in /settings.")],
        [[t("⚙️ Set the meeting day")]],
    )
    await leader.press(shown, t("⚙️ Set the meeting day"))
    await set_meeting(await see(leader, *weekdays))
    await see(leader, *settings(f"{friday} 19:00"))
    shown = await see(leader, *plan(SECOND, meeting=True))
    await leader.press(shown, t(CHOICE_TEXT[FollowUpChoice.NEXT_MEETING]))
    await see(leader, *planned(SECOND, promise=False))

    # A second round that does not stop, then the next steps.
    clock.advance(days=8)
    follow_up = await see(leader, *nudge(SECOND, [LONG_FACTS[:40].strip()]))
    await leader.press(follow_up, victim_views[1][0])
    shown = await see(leader, *outcome_with_view(SECOND, VictimView.LESS))
    await leader.press(shown, t("🟡 Partly stopped"))
    await see(leader, *new_proposal)
    seen = await propose(NICK)
    await leader.press(seen.message, seen.labels[0][0])
    await see(leader, *planned(SECOND, promise=False))

    def next_steps(rounds: int) -> Expected:
        return (
            [
                t.plural(
                    "%(child)s: not stopped after %(rounds)d follow-up",
                    "%(child)s: not stopped after %(rounds)d follow-ups in a row",
                    rounds,
                    child=name(SECOND),
                    rounds=rounds,
                ),
                t("You don't have to carry this alone. Next steps:"),
                "\u2022 "
                + t(
                    "Involve your team or the group leadership: share what you see and decide "
                    "together."
                ),
                "\u2022 "
                + t(
                    "Talk with the parents, agreed with your team; keep to the facts, as in step 2."
                ),
                "\u2022 " + t("Another approach may work better now."),
                "\u2022 "
                + t(
                    "Support for %(victim)s: someone to talk to, inside and outside the group.",
                    victim=name(NICK),
                ),
                t(
                    "Research on the KiVa programme found that confronting works better for "
                    "bullying that is recent than for bullying that has gone on long "
                    "(Garandeau et al. 2014)."
                ),
            ],
            [
                [t("👥 Team or group leadership")],
                [t("👪 Talk with the parents")],
                [t("🧭 Another approach")],
                [t.label("💬 Support for %(victim)s", victim=NICK)],
                [t("🔁 One more round first")],
                [t("▶️ Back to the case")],
            ],
        )

    clock.advance(days=8)
    follow_up = await see(leader, *nudge(SECOND, [NICK], rounds=2))
    await leader.press(follow_up, t("🧭 Next steps"))
    shown = await see(leader, *next_steps(2))
    # The leader is in Europe/Brussels: the help line there, or how to find one.
    line = help_line("Europe/Brussels", language)
    help_text = (
        t(
            "Children and young people can call or chat with %(name)s, for free and "
            "anonymously: %(phone)s (%(url)s).",
            name=line.name,
            phone=line.phone,
            url=line.url,
        )
        if line is not None
        else t("Look up the free help line for children and young people in your country.")
    )
    guides = {
        NextStepChoice.TEAM: (
            t("👥 Team or group leadership"),
            [
                t(
                    "Bring it to your next leaders' meeting or call the group leader. Decide "
                    "together who talks with whom, and keep following up."
                )
            ],
        ),
        NextStepChoice.PARENTS: (
            t("👪 Talk with the parents"),
            [
                t(
                    "Agree with your team who contacts the parents and what you tell them. "
                    "Tell %(victim)s first: nothing happens behind %(victim)s's back.",
                    victim=name(NICK),
                )
            ],
        ),
        NextStepChoice.SUPPORT: (
            t.label("💬 Support for %(victim)s", victim=NICK),
            [
                t(
                    "Make sure %(victim)s has someone to talk to: a leader %(victim)s trusts, "
                    "the parents, and a help line.",
                    victim=name(NICK),
                ),
                help_text,
            ],
        ),
        NextStepChoice.GO_ON: (
            t("🔁 One more round first"),
            [t("OK: one more round. The next steps stay on the reminder until it has stopped.")],
        ),
    }
    for choice, (button, guide) in guides.items():
        await leader.press(shown, button)
        chosen = await see(
            leader,
            [
                t("Written down in the case: %(choice)s.", choice=t.raw(NEXT_STEP_TEXT[choice])),
                *guide,
            ],
            [[t("▶️ Back to the case")], [t("🧭 Next steps")], *my_cases],
        )
        await leader.press(chosen, t("🧭 Next steps"))
        shown = await see(leader, *next_steps(2))
    await leader.press(shown, t("🧭 Another approach"))
    await see(
        leader,
        [
            t(
                "Written down in the case: %(choice)s.",
                choice=t.raw(NEXT_STEP_TEXT[NextStepChoice.APPROACH]),
            ),
            t("Here are the other approaches:"),
        ],
    )
    await see(leader, *approaches(Approach.RESTORATIVE))

    # Due, answered from the case rather than the reminder: it has stopped.
    shown = await open_case(
        [],
        [t("Step 3: how did the follow-up with %(child)s go?", child=name(SECOND))],
        planned=[FIRST, SECOND],
    )
    await leader.press(shown, t("▶️ Continue"))
    shown = await see(leader, *nudge(SECOND, [NICK], rounds=2))
    await leader.press(shown, victim_views[0][0])
    shown = await see(leader, *outcome_with_view(SECOND, VictimView.STOPPED))
    await leader.press(shown, t("✅ Bullying has stopped"))
    seen = await screen(leader)
    longer = next(c for c in FOLLOW_UP_CHOICES if seen.labels[0] == ["\u2b50 " + t(CHOICE_TEXT[c])])
    check(
        seen,
        [
            t("🎉 Good news about %(child)s.", child=name(SECOND)),
            quoted(t(phrasing.STEP3_STOPPED_COUNTS)),
            t("I suggest the next follow-up a bit later."),
        ],
        [["\u2b50 " + t(CHOICE_TEXT[longer])], [t("🗓 Another moment")]],
    )
    # The reminder's button pressed again: said so, and where the case stands.
    query = await leader.press(follow_up, victim_views[0][0])
    await toast(leader, query, t("That follow-up is already written down."))
    await see(leader, *plan(SECOND, meeting=True))
    await leader.press(seen.message, t("🗓 Another moment"))
    shown = await see(leader, *plan(SECOND, meeting=True))
    await leader.press(shown, t(CHOICE_TEXT[FollowUpChoice.IN_1_WEEK]))
    await see(leader, *planned(SECOND, promise=False))

    # --- Corrections: the victim's name, an agreement, a child added by mistake. ---------
    def short(text: str) -> str:
        return text if len(text) <= 28 else text[:27] + "\u2026"

    written = {
        FIRST: agreements,
        SECOND: [NICK, LONG_FACTS[:40].strip(), NICK],
    }

    def corrections(extra: str | None = None) -> Expected:
        rows = [[t.label("✏️ Name of %(victim)s", victim=NICK)]]
        number = 0
        for child in (FIRST, SECOND):
            rows.append([t.label("✏️ %(child)s: name, role", child=child)])
            rows.append(
                [
                    t.label("✏️ %(child)s: facts", child=child),
                    t.label("✏️ %(child)s: feeling", child=child),
                ]
            )
            for text in written[child]:
                number += 1
                rows.append([f"✏️ {number}. {short(text)}", f"🗑 {number}"])
        if extra is not None:
            rows.append([t.label("✏️ %(child)s: name, role", child=extra)])
            rows.append([t.label("➖ Remove %(child)s from this case", child=extra)])
        return (
            [
                t("Correct something in the case of %(victim)s", victim=name(NICK)),
                t("Tap what you want to change; I show what is written now."),
            ],
            [*rows, [t("↩️ Back to the case")]],
        )

    shown = await open_case([], [], history=step1_choices, planned=[FIRST, SECOND])
    await leader.press(shown, t("✏️ Correct something"))
    shown = await see(leader, *corrections())
    await leader.press(shown, t.label("✏️ Name of %(victim)s", victim=NICK))
    await see(
        leader,
        [
            t("Now: %(now)s", now=escape(NICK)),
            t("Type the new nickname or initials (at most %(max)d characters).", max=NICKNAME_MAX),
        ],
    )
    await leader.send(NICK)
    at_a_glance = overview([], [], history=step1_choices, planned=[FIRST, SECOND])
    shown = await see(leader, *at_a_glance)
    await leader.press(shown, t("✏️ Correct something"))
    shown = await see(leader, *corrections())
    await leader.press(shown, f"✏️ 1. {short(agreements[0])}")
    await see(
        leader,
        [
            t("Now: %(now)s", now=escape(agreements[0])),
            t(
                "Type the agreement as it should read (at most %(max)d characters).",
                max=AGREEMENT_MAX,
            ),
        ],
    )
    # Typed too long: kept, and its first part taken.
    draft = agreements[0] + " " + LONG_FACTS[: AGREEMENT_MAX - len(agreements[0])]
    await leader.send(draft)
    shown = await see(
        leader,
        [
            t(
                "That is %(length)d characters; here it can be at most %(limit)d. I kept what "
                "you typed: take its first part, or type it again, shorter.",
                length=len(draft.strip()),
                limit=AGREEMENT_MAX,
            )
        ],
        [[t("✂️ Take the first part")]],
    )
    await leader.press(shown, t("✂️ Take the first part"))
    agreements[0] = first_part(draft, AGREEMENT_MAX)
    await leader.press(await see(leader, *corrections()), t("↩️ Back to the case"))
    shown = await see(leader, *at_a_glance)
    await leader.press(shown, t("➕ Another child"))
    await see(
        leader, [t("What do you call the next child who bullies or joins in?"), one_at_a_time]
    )
    await leader.send(THIRD)
    await leader.press(await see(leader, *ask_role(THIRD)), t("Bullies"))
    step1 = await see(leader, *ask_consent(THIRD))
    # Not asked yet: the reminder to ask comes, with step 1's questions.
    await leader.press(step1, t("⏳ Not asked yet"))
    await screen(leader)  # "talk with the bullied child first", as checked above
    clock.advance(days=2, hours=3)
    reminder = await see(
        leader,
        [
            t("🔔 Step 1 \u2014 with %(victim)s", victim=name(NICK)),
            t("Have you asked %(victim)s yet? Find a quiet moment and ask:", victim=name(NICK)),
            *(f"{n}. {quoted(s)}" for n, s in enumerate(step1_sentences(THIRD)[:2], start=1)),
            t(
                "Did %(victim)s agree that you talk with %(bullies)s?",
                victim=name(NICK),
                bullies=name(THIRD),
            ),
        ],
        [[t("✅ Yes, agreed")], [t("✋ No, not (yet)")], [t("⏳ Not asked yet")]],
    )
    await leader.press(reminder, t("✋ No, not (yet)"))
    await see(
        leader,
        [
            t("Step 1 \u2014 %(victim)s does not agree (yet)", victim=name(NICK)),
            behind_their_back(THIRD),
        ],
        declined_buttons,
    )
    shown = await open_case([], [], history=step1_choices, planned=[FIRST, SECOND])
    await leader.press(shown, t("✏️ Correct something"))
    shown = await see(leader, *corrections(extra=THIRD))
    await leader.press(shown, t.label("➖ Remove %(child)s from this case", child=THIRD))
    shown = await see(
        leader,
        [t("Remove %(child)s from the case of %(victim)s?", child=name(THIRD), victim=name(NICK))],
        [[t("➖ Yes, remove")], [t("↩️ No, keep")]],
    )
    await leader.press(shown, t("➖ Yes, remove"))
    await see(leader, *at_a_glance)

    # --- Privacy, export, language. ----------------------------------------------------
    await leader.send("/privacy")
    await see(
        leader,
        [
            t("Privacy"),
            t(
                "<b>What I store:</b> the nicknames or initials you give the children, what "
                "you type about the situation (facts, what you may tell, agreements, "
                "follow-ups), the quick check's ticks, and your settings. No full names, "
                "ages, schools or photos: please don't type them."
            ),
            t(
                "<b>Where:</b> in the database of the organisation that runs this bot. "
                "Everything you typed about a child is stored encrypted."
            ),
            t(
                "<b>Who sees it:</b> in this bot, only you: no other leader can open your "
                "cases, and in a group chat I show nothing of them. The organisation "
                "that runs the bot holds the key to the encrypted data."
            ),
            t.plural(
                "<b>How long:</b> as long as a case is open. A closed case is erased "
                "%(days)d day after closing; a case without activity for a long time "
                "gets a reminder asking whether it can be closed.",
                "<b>How long:</b> as long as a case is open. A closed case is erased "
                "%(days)d days after closing; a case without activity for a long time "
                "gets a reminder asking whether it can be closed.",
                180,
                days=180,
            ),
            t(
                "<b>Your rights:</b> /export sends you a file with all your data; "
                "/delete erases all of it for good."
            ),
        ],
    )
    await leader.send("/export")
    exported = await see(
        leader, [t("All your data in Pestgesprek. Keep this file safe: it is about children.")]
    )
    assert exported.document is not None
    data = json.loads(exported.document.data)
    assert data["cases"][0]["child_who_is_bullied"] == NICK
    history = (await screen(leader)).message
    assert history.document is not None and history.document.filename.endswith(".html")
    await leader.send("/language")
    shown = await see(
        leader,
        [t("Which language shall I speak?")],
        [
            [("\u2705 " if code == language else "") + native_name(code)]
            for code in SUPPORTED_LANGUAGES
        ],
    )
    await leader.press(shown, "\u2705 " + native_name(language))
    await see(
        leader,
        [
            t(
                "From now on I speak English with you. If you were in the middle of "
                "something, just go on where you were."
            )
        ],
        [[t("▶️ Continue")]],
    )

    # --- A follow-up cancelled; closing, after first keeping the case open. -------------
    shown = await open_case([], [], history=step1_choices, planned=[FIRST, SECOND])
    await leader.press(shown, t.label("✖️ Cancel the follow-up with %(child)s", child=FIRST))
    await see(
        leader,
        [t("The follow-up with %(child)s is cancelled: no reminder will come.", child=name(FIRST))],
    )

    def follow_ups(*rounds: tuple[Outcome, VictimView]) -> list[str]:
        return [
            piece
            for outcome, view in rounds
            for piece in [
                *t.around(
                    "follow-up on %(date)s: %(outcome)s",
                    "date",
                    date="",
                    outcome=t.raw(OUTCOME_TEXT[outcome]),
                ),
                " \u2014 " + says(view),
            ]
        ]

    talked = [t("talk held on %(date)s", date="").strip(), t("agreements:")]
    shown = await open_case(
        [
            summary(
                FIRST,
                Role.PESTER,
                "agreed",
                t("You may tell: %(text)s", text=escape(KEPT)),
                *talked,
                *(f"\u2022 {a}" for a in agreements),
                t("reported back ✅"),
            ),
            summary(
                SECOND,
                Role.MEEPESTER,
                "agreed",
                t("You may tell: %(text)s", text=escape(NICK)),
                *talked,
                *(f"\u2022 {a}" for a in written[SECOND]),
                t("reported back ✅"),
                *follow_ups(
                    (Outcome.NOT_STOPPED, VictimView.NOT_STOPPED),
                    (Outcome.PARTLY, VictimView.LESS),
                    (Outcome.STOPPED, VictimView.STOPPED),
                ),
                *t.around("Next follow-up: %(when)s", "when", when=""),
            ),
        ],
        # The first child's follow-up was cancelled: the next one is to be planned.
        [t("Step 3: plan the next follow-up with %(child)s", child=name(FIRST))],
        history=step1_choices,
        planned=[SECOND],
    )
    # The case's history: the newest lines (the choices among them), the document, and back.
    await leader.press(shown, t("🕓 History"))
    shown = await see(
        leader,
        [
            t("History of the case of %(victim)s", victim=name(NICK)),
            t("The newest %(count)d lines; the document has them all.", count=25),
            t("%(actor)s held the talk with %(child)s", actor="Jo", child=name(FIRST)),
            t(
                "%(actor)s reported back to %(victim)s on the talk with %(child)s",
                actor="Jo",
                victim=name(NICK),
                child=name(FIRST),
            ),
            t(
                "%(actor)s chose the next step for %(child)s: %(choice)s",
                actor="Jo",
                child=name(SECOND),
                choice=t.raw(NEXT_STEP_TEXT[NextStepChoice.PARENTS]),
            ),
            t(
                "%(actor)s followed up %(child)s: %(outcome)s",
                actor="Jo",
                child=name(SECOND),
                outcome=t.raw(OUTCOME_TEXT[Outcome.STOPPED]),
            ),
        ],
        [[t("📄 Print-ready document")], [t("◀️ Back to the case")]],
    )
    await leader.press(shown, t("📄 Print-ready document"))
    printed = await see(leader, [t("The history of the case, ready to print.")])
    assert printed.document is not None
    history_title = t.raw("History of the case of %(victim)s") % {"victim": escape(NICK)}
    printed_html = printed.document.data.decode()
    assert f"<h1>{history_title}</h1>" in printed_html
    # The document has every line, the oldest and the leader's choices too.
    printed_lines = [text for _at, text in parse_history(printed).lines]
    for line in (
        t("%(actor)s started the case", actor="Jo"),
        t(
            "%(actor)s chose what to do about %(child)s for now: %(choice)s",
            actor="Jo",
            child=name(FIRST),
            choice=t.raw(STEP1_CHOICE_TEXT[Step1Choice.TEAM]),
        ),
        t("%(actor)s chose the approach: %(approach)s", actor="Jo", approach=restorative),
    ):
        assert line in printed_lines, line
    await leader.press(shown, t("◀️ Back to the case"))
    shown = await see(leader, *overview([], [], history=step1_choices, planned=[SECOND]))
    confirm = (
        [
            t("Still open in this case:"),
            *t.around(
                "A follow-up with %(child)s is planned on %(when)s.",
                "when",
                child=name(SECOND),
                when="",
            ),
            t(
                "Close the case of %(victim)s? A closed case cannot be opened again.",
                victim=name(NICK),
            ),
        ],
        [[t("🗂 Yes, close it")], [t("↩️ No, keep it open")]],
    )
    await leader.press(shown, t("🗂 Close the case"))
    await leader.press(await see(leader, *confirm), t("↩️ No, keep it open"))
    shown = await see(leader, *overview([], [], history=step1_choices, planned=[SECOND]))
    await leader.press(shown, t("🗂 Close the case"))
    await leader.press(await see(leader, *confirm), t("🗂 Yes, close it"))
    await see(
        leader,
        [
            t("The case of %(victim)s is closed.", victim=name(NICK)),
            *t.around(
                "Its reminders are erased; everything else in it is erased on %(date)s.",
                "date",
                date="",
            ),
        ],
        my_cases,
    )

    # --- A team: none yet, a name refused, the team, its invitation. -------------------
    def my_teams(member: bool) -> Expected:
        if not member:
            about = t(
                "A team is the leaders of one group. In a team you can share a case with "
                "co-leaders, so the follow-up goes on when you are away."
            )
            return [t("My teams"), about], [[t("➕ New team")]]
        line = t(
            "%(team)s: %(count)d leader(s), you are %(role)s",
            team=name(NICK),
            count=1,
            role=t.raw("coordinator"),
        )
        return [t("My teams"), line], [[f"👥 {NICK}"], [t("➕ New team")]]

    def team() -> Expected:
        hours = [
            ("\u2705 " if h == DEFAULT_ESCALATION_HOURS else "") + f"{h} h"
            for h in ESCALATION_HOURS
        ]
        year = t.run(
            lambda: format_date(
                date(2000, DEFAULT_YEAR_START_MONTH, 1), format="d MMMM", locale=babel_locale()
            )
        )
        return (
            [
                t("Team %(team)s", team=name(NICK)),
                f"\u2022 Jo \u2014 {t('coordinator')} {t('(you)')}",
                t("A case is shared only when its leader shares it, from the case itself."),
                t(
                    "An unanswered follow-up reminder goes to the co-leaders who share the case "
                    "after %(hours)d hours:",
                    hours=DEFAULT_ESCALATION_HOURS,
                ),
            ],
            [
                hours,
                [t.label("🍂 New working year: %(date)s", date=year)],
                [t("📊 Overview of open cases")],
                [t("🔗 Invitation link")],
                [t("🚪 Leave this team")],
                [t("◀️ My teams")],
            ],
        )

    await leader.send("/team")
    shown = await see(leader, *my_teams(member=False))
    await leader.press(shown, t("➕ New team"))
    await see(
        leader,
        [
            t(
                "What is the team called? For example the group's name (at most %(max)d "
                "characters).",
                max=TEAM_NAME_MAX,
            )
        ],
    )
    await leader.send(BLANK)
    await see(leader, [t("Please type a name of at most %(max)d characters.", max=TEAM_NAME_MAX)])
    await leader.send(NICK)
    shown = await see(leader, *team())
    await leader.press(shown, t("🔗 Invitation link"))
    shown = await see(
        leader,
        [
            t("Invitation to team %(team)s", team=name(NICK)),
            *t.around(
                "Send this link to your co-leaders, in a private message. Whoever opens it "
                "joins the team, until %(date)s or until you revoke it:",
                "date",
                date="",
            ),
            "https://t.me/",
            t("Joining shows them no case: each case is shared by its own leader."),
        ],
        [[t("🚫 Revoke the link")], [t("◀️ Back to the team")]],
    )
    await leader.press(shown, t("◀️ Back to the team"))
    shown = await see(leader, *team())
    await leader.press(shown, t("◀️ My teams"))
    await see(leader, *my_teams(member=True))

    # --- Erasing: kept once, then erased. -------------------------------------------------
    confirm = (
        [
            t(
                "\u26a0\ufe0f This erases <b>all</b> your data: every case, every child's "
                "nickname, facts, agreements, follow-ups and reminders, and your settings. "
                "It cannot be undone. Erase everything?"
            )
        ],
        [[t("🗑 Yes, erase everything")], [t("↩️ No, keep it")]],
    )
    # The team ends with its last coordinator: said before the question.
    team_ends = [t("You are the last coordinator of these teams: they are deleted too:"), NICK]
    await leader.send("/delete")
    await see(leader, team_ends)
    await leader.press(await see(leader, *confirm), t("↩️ No, keep it"))
    await see(leader, [t("Nothing was erased.")])
    await leader.send("/delete")
    await see(leader, team_ends)
    await leader.press(await see(leader, *confirm), t("🗑 Yes, erase everything"))
    await see(
        leader,
        [t("Everything is erased. If you send me a message again, I start from scratch.")],
    )

    assert t.untranslated == set(), f"untranslated in {language}: {sorted(t.untranslated)}"
    assert drawn == set(Screen), f"never drawn: {sorted(set(Screen) - drawn)}"
