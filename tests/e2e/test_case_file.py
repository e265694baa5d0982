"""The case file for the group leadership, in Dutch: what happened, not only that
something happened.

A leader walks Noor's case (Senne bullies, Wout joins in) through step 1, Senne's talk
and three follow-ups to a next step, then asks for the print-ready document. The
document holds per child what may be told, the facts, the agreements of each round,
what Noor said and the outcome at each follow-up and the next step chosen, every date
with its year; a PDF of it comes along, and on paper each case starts on a new A4
page: in the PDF the bot renders itself, and in a real browser printing the HTML.
"""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from telegram.ext import Application

from tests.e2e import walk_nl
from tests.e2e.walk_nl import open_case
from tests.support.bot_api_standin import BotApiStandin
from tests.support.clock import TestClock
from tests.support.standin_records import BotMessage
from tests.support.standin_users import SimUser

MAY_TELL = "dat ze in de groepsapp uitgelachen wordt"
FACTS = "het uitlachen van Noor in de groepsapp"
FIRST = ["Ik noem haar niet meer de kaars", "Ik stuur geen memes meer over Noor"]
SECOND = "Ik lach niet meer mee in de groepsapp"
THIRD = "Ik zeg sorry aan Noor"
#: A4 in PostScript points, as a PDF gives a page's size.
A4 = (595, 842)


class Text(HTMLParser):
    """The visible text of an HTML document, and the texts of its <time> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.times: list[str] = []
        self.language = ""
        self._skip = 0
        self._in_time = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.language = dict(attrs).get("lang") or ""
        if tag in ("style", "title"):
            self._skip += 1
        self._in_time = tag == "time"
        if tag in ("p", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._skip -= 1
        if tag == "time":
            self._in_time = False

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_time:
            self.times.append(data)
        self.parts.append(data)

    @property
    def text(self) -> str:
        spaced = re.sub(r"[ \t]+", " ", "".join(self.parts))
        return re.sub(r"\s*\n\s*", "\n", spaced)


def read(message: BotMessage) -> Text:
    assert message.document is not None
    assert message.document.filename.endswith(".html")
    text = Text()
    text.feed(message.document.data.decode("utf-8"))
    return text


def pages(message: BotMessage) -> list[str]:
    assert message.document is not None
    assert message.document.filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(message.document.data))
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4, size
    return [" ".join(page.extract_text().split()) for page in reader.pages]


async def follow_up(
    leader: SimUser,
    clock: TestClock,
    view: str,
    outcome: str,
    proposal: str,
    ended: str | None = None,
) -> BotMessage:
    """A week on: the nudge, what Noor says, the outcome, a new proposal (``ended`` no
    longer stands), a week again."""
    clock.advance(days=7, hours=1)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Senne")
    await leader.press(nudge, view)
    await leader.press(await leader.expect("in hoeverre is het pesten gestopt?"), outcome)
    await leader.expect("Wat stelt Senne nu voor?")
    await leader.send(proposal)
    await leader.press(await leader.expect("Nieuw voorstel tot nu toe"), "Klaar")
    marking = await leader.expect("Gelden de eerdere afspraken van Senne nog?")
    if ended is not None:
        await leader.press(marking, ended)
        marking = await leader.expect(f"❌ {ended}")
    await leader.press(marking, "Verder")
    await leader.press(await leader.expect("Wanneer wil je nogmaals"), "Over 1 week")
    await leader.expect("herinner ik je eraan om nogmaals met Senne")
    return nudge


async def noor_and_senne(leader: SimUser, clock: TestClock) -> None:
    """Step 1 for both children, Senne's talk, two follow-ups and a next step."""
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest"), ("Wout", "Pest mee")])
    done = await walk_nl.settle_step1(leader, step1, [MAY_TELL, "dat ze verdrietig is"])
    script = await walk_nl.prepare_talk(
        leader, done, "Bereid dat gesprek voor", "Ik zag het", FACTS, "boos"
    )
    await walk_nl.record_talk(leader, script, FIRST)
    await follow_up(leader, clock, "het gebeurt minder", "Gedeeltelijk gestopt", SECOND)
    await follow_up(leader, clock, "het is niet gestopt", "Niet gestopt", THIRD, ended=SECOND)
    clock.advance(days=7, hours=1)
    nudge = await leader.expect("Stap 3: spreek nogmaals met Senne")
    await leader.press(nudge, "Volgende stappen")
    await leader.press(await leader.expect("Volgende stappen"), "Ploeg of groepsleiding")
    await leader.expect("Genoteerd in de pestsituatie")


async def test_the_case_file_says_what_happened_with_the_year_and_as_a_pdf(
    api: BotApiStandin, bot: Application, clock: TestClock
) -> None:
    leader = api.user(7201, "Jana", language_code="nl")
    await noor_and_senne(leader, clock)

    await leader.press(await open_case(leader, "Noor"), "Geschiedenis")
    shown = await leader.expect("Geschiedenis van de pestsituatie van Noor")
    await leader.press(shown, "Document om af te drukken")
    document = read(await leader.expect("klaar om af te drukken"))
    text = document.text
    assert document.language == "nl"

    # Per child: step 1, what may be told, the facts, each round's agreements.
    assert "Stap 1: mag ik met Senne praten?\nNoor ging akkoord (24 november 2026)" in text
    assert f"Wat ik mag vertellen\n{MAY_TELL}" in text
    assert f"Feiten (zelf gezien)\n{FACTS}" in text
    assert "Stap 2: het gesprek\ngevoerd op 24 november 2026" in text
    assert f"In het gesprek van stap 2 (24 november 2026):\n{FIRST[0]}\n{FIRST[1]}" in text
    # An agreement that no longer stands stays on paper, marked so.
    assert (
        f"Nieuw voorstel bij opvolggesprek 1 (1 december 2026):\n{SECOND} "
        "(geldt niet meer sinds opvolggesprek 2)"
    ) in text
    assert f"Nieuw voorstel bij opvolggesprek 2 (8 december 2026):\n{THIRD}" in text
    # Each follow-up: what Noor said, and the outcome (weighed by what Noor said).
    assert "Wat Noor zegt" in text
    assert re.search(r"1 december 2026\s*het gebeurt minder\s*het pesten is gedeeltelijk", text)
    assert re.search(r"8 december 2026\s*het is niet gestopt\s*het pesten is niet gestopt", text)
    # The next step chosen, and the child who was not talked to yet.
    assert re.search(
        r"Gekozen volgende stappen\n\s*15 december 2026: de ploeg of de groepsleiding betrekken",
        text,
    ), text
    assert "Wout (pest mee)" in text
    assert "Stap 2: het gesprek\nnog niet gevoerd" in text
    # The timeline names the child in step 1 and shows each agreement; every moment
    # carries its year.
    assert "Jana schreef op dat Noor akkoord ging met een gesprek met Senne" in text
    assert "Jana schreef op dat Noor akkoord ging met een gesprek met Wout" in text
    assert f"Jana schreef een afspraak van Senne op: {FIRST[0]}" in text
    assert f"Jana schreef een afspraak van Senne op: {FIRST[1]}" in text
    assert f"Jana schreef een afspraak van Senne op: {THIRD}" in text
    assert document.times
    assert all(re.fullmatch(r"\d{1,2} \w+ 2026 om \d\d:\d\d", t) for t in document.times), (
        document.times
    )

    # The same document as a PDF, on A4.
    printed = " ".join(pages(await leader.expect("Hetzelfde document als pdf", timeout=60)))
    for said in (MAY_TELL, FACTS, FIRST[0], SECOND, "de ploeg of de groepsleiding betrekken"):
        assert said in printed, said


async def test_on_paper_each_case_starts_on_a_new_page(
    api: BotApiStandin, bot: Application, clock: TestClock, tmp_path: Path
) -> None:
    leader = api.user(7202, "Jana", language_code="nl")
    step1 = await walk_nl.new_case(leader, "Noor", [("Senne", "Pest")])
    await walk_nl.settle_step1(leader, step1, [MAY_TELL])
    step1 = await walk_nl.new_case(leader, "Lotte", [("Mats", "Pest")])
    await walk_nl.settle_step1(leader, step1, ["dat ze niet meer mag meespelen"])
    await leader.press(await open_case(leader, "Lotte"), "Situatie afsluiten")
    await leader.press(await leader.expect_new_message(), "Ja, afsluiten")
    await leader.expect_new_message()

    await leader.send("/export")
    html = await leader.expect("De geschiedenis van elk van je pestsituaties")
    text = read(html).text
    assert re.search(r"Lotte — afgesloten\nBegonnen op 24 november 2026\. Afgesloten op 24", text)
    printed = pages(await leader.expect("Hetzelfde document als pdf", timeout=60))
    assert_one_case_a_page(printed)

    # A real browser prints the same HTML on A4, a case a page.
    assert html.document is not None
    assert_one_case_a_page(await asyncio.to_thread(print_in_browser, html.document.data, tmp_path))


def print_in_browser(html: bytes, folder: Path) -> list[str]:
    """Headless Chromium prints ``html`` to PDF; the text of each page (all on A4)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "Chromium is installed by `make test` (see the Makefile)"
    source = folder / "history.html"
    source.write_bytes(html)
    out = folder / "history.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = PdfReader(out)
    for page in reader.pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        assert size == A4, size
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def assert_one_case_a_page(printed: list[str]) -> None:
    """Noor's case and Lotte's never share a page."""
    noor = [i for i, page in enumerate(printed) if MAY_TELL in page]
    lotte = [i for i, page in enumerate(printed) if "dat ze niet meer mag meespelen" in page]
    assert noor and lotte, printed
    assert not set(noor) & set(lotte), printed


pytestmark = pytest.mark.timeout(180)
