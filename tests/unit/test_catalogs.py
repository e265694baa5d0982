"""The catalogs: complete, in step with the code, and safe to send to Telegram."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from flows.approaches import FACTS
from flows.language import CATALOGS, SUPPORTED_LANGUAGES
from tests.support.telegram_html import TelegramHtmlError, parse_html

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?[a-z][^>]*>")


def catalog(language: str) -> Catalog:
    with CATALOGS.joinpath(language, "LC_MESSAGES", "messages.po").open("rb") as po:
        return read_po(po)


def forms(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs, one per plural form."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)]


def texts_in_code() -> set[str]:
    """Every text marked for translation in flows/ and bot/, as pybabel extracts them."""
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found: set[str] = set()
    for folder in ("flows", "bot"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=keywords
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_catalog_is_complete_and_has_no_fuzzy_entries(language: str) -> None:
    entries = [m for m in catalog(language) if m.id]
    untranslated = [m.id for m in entries if not all(s for _, s in forms(m))]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == [], f"{language}: untranslated {untranslated}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy}"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_text_in_the_code_is_in_the_catalog(language: str) -> None:
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog(language) if m.id}
    missing = sorted(texts_in_code() - ids)
    assert missing == [], (
        f"texts without a {language} translation (make catalogs-update): {missing}"
    )


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_placeholders_and_tags_agree_with_the_source(language: str) -> None:
    problems = []
    for message in catalog(language):
        if not message.id:
            continue
        for source, translation in forms(message):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                problems.append(("placeholders", source, translation))
            if sorted(TAG.findall(source)) != sorted(TAG.findall(translation)):
                problems.append(("tags", source, translation))
    assert problems == []


def filled_in(text: str) -> str:
    """A text with its placeholders filled as the bot does: numbers, escaped names."""
    return PLACEHOLDER_ANY.sub(lambda m: "3" if m[2] == "d" else "Jo &amp; &lt;Bo&gt;", text)


PLACEHOLDER_ANY = re.compile(r"%\((\w+)\)([sd])")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_translation_is_valid_telegram_html_when_filled_in(language: str) -> None:
    broken = []
    for message in catalog(language):
        if not message.id:
            continue
        for _source, translation in forms(message):
            try:
                parse_html(filled_in(translation))
            except TelegramHtmlError as error:
                broken.append((translation, error.reason))
    assert broken == []


#: The protocol's own Dutch words (een-op-een-gesprek.nl.txt), as the Dutch catalog must say them.
PROTOCOL_DUTCH = {
    "May I talk with %(bully)s to make clear that I want the behaviour to stop?": (
        "Mag ik met je %(bully)s spreken om aan te geven dat ik wil dat het gedrag stopt?"
    ),
    "What may I tell?": "Wat mag ik vertellen?",
    "We agree that I tell %(bully)s %(may_tell)s and that I report back to you on the talk.": (
        "We spreken af dat ik %(bully)s %(may_tell)s vertel en koppel het gesprek naar jou terug."
    ),
    "I see that %(facts)s has happened.": "Ik zie dat %(facts)s is gebeurd.",
    "I hear that %(facts)s has happened.": "Ik verneem dat %(facts)s is gebeurd.",
    "I feel %(feeling)s.": "Ik voel me %(feeling)s.",
    "I understand that you may not have meant this to hurt, or may not fully realise that "
    "this behaviour is really not okay.": (
        "Ik begrijp dat je dit misschien niet kwetsend bedoeld hebt of niet ten volle beseft "
        "dat dit gedrag echt niet oké is."
    ),
    "I would like it to stop. What can you do about it?": (
        "Ik zou graag willen dat het stopt. Wat kan jij hiervoor doen?"
    ),
    "I will take this up together with you and talk about it regularly.": (
        "Ik zal dit samen met jou opnemen en regelmatig bespreken."
    ),
    "You don't say or do this. Full stop.": "Dit zeg of doe je niet. Punt.",
    # Once the child has said what may be told, "…" points back to her words.
    "We agree that I tell %(bully)s that and that I report back to you on the talk.": (
        "We spreken af dat ik %(bully)s dat vertel en koppel het gesprek naar jou terug."
    ),
    # The frame for facts typed as a clause or a main clause: the protocol's words.
    "I see that %(clause)s.": "Ik zie dat %(clause)s.",
    "I hear that %(clause)s.": "Ik verneem dat %(clause)s.",
    "I see that this has happened: %(facts)s.": "Ik zie dat dit is gebeurd: %(facts)s.",
    "I hear that this has happened: %(facts)s.": "Ik verneem dat dit is gebeurd: %(facts)s.",
    # Step 3 with the child named, and asked directly rather than as "hij/zij".
    "Ask %(child)s: how far do you keep to the agreements that were made?": (
        "Vraag %(child)s: in hoeverre hou je je aan de gemaakte afspraken?"
    ),
    "If needed, motivate %(child)s to come up with a new proposal.": (
        "Motiveer %(child)s eventueel om een nieuw voorstel te bedenken."
    ),
    "The bullying has been going on for a long(er) time": "Het pesten is al lang(er) bezig",
    "The leader(s) support the chosen approach": "Begeleider(s) steunen de gekozen aanpak",
    "The victim stands (almost) alone": "Het slachtoffer staat (quasi) alleen",
}


@pytest.mark.parametrize(("source", "dutch"), PROTOCOL_DUTCH.items())
def test_the_dutch_catalog_keeps_the_protocols_own_words(source: str, dutch: str) -> None:
    message = catalog("nl").get(source)
    assert message is not None, source
    assert message.string == dutch


def test_dutch_goes_on_in_lower_case_after_a_colon() -> None:
    # "Wanneer het past: als …", "Wat je eerst doet: vraag …": what follows the colon.
    dutch = catalog("nl")
    for facts in FACTS.values():
        for source in (facts.fits_when, facts.first):
            message = dutch.get(source)
            assert message is not None and message.string[:1].islower(), message


def test_a_dutch_verb_agrees_with_one_word_or_several() -> None:
    message = catalog("nl").get(
        "A small hint: %(words)s sounds like a judgement or a label rather than what happened."
    )
    assert message is not None
    one, several = message.string
    assert " klinkt " in one and " klinken " in several
