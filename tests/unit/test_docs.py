"""The README and docs/: short, true to the code, and every link leads somewhere.

A newcomer trusts the README's tables: every setting the bot reads and every command
it offers is there, and nothing else; the test command is the one CI runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.handlers.commands import COMMANDS
from tests.unit.test_deploy_files import settings_names

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS, ROOT / "tests" / "bench" / "README.md"]
README_MAX_LINES = 250

LINK = re.compile(r"\]\(([^)\s]+)\)")
FIRST_CELL = re.compile(r"^\| `([^`]+)` \|")


def section(text: str, heading: str) -> str:
    """The text under ``## heading``, up to the next heading of that level."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def first_cells(markdown: str) -> list[str]:
    """The first column of a table whose cells start with a code span."""
    return [m[1] for line in markdown.splitlines() if (m := FIRST_CELL.match(line))]


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {
        anchor(line.lstrip("#"))
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    }


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines"


def test_readme_lists_every_setting_the_bot_reads_and_no_other() -> None:
    table = first_cells(section(README.read_text(encoding="utf-8"), "Configuration"))
    assert len(table) == len(set(table)), "a setting is listed twice"
    assert set(table) == settings_names()


def test_readme_lists_every_command_in_telegram_and_no_other() -> None:
    table = first_cells(section(README.read_text(encoding="utf-8"), "Commands in Telegram"))
    assert table == [f"/{command.name}" for command in COMMANDS]


def test_readme_test_command_is_what_ci_runs() -> None:
    commands = section(README.read_text(encoding="utf-8"), "Two commands")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == "make test"
    assert "\nmake test " in commands and "\nmake run " in commands


def test_every_relative_link_leads_to_a_file_and_heading() -> None:
    broken = []
    for page in PAGES:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            path, _, fragment = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.is_file():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif fragment and fragment not in anchors(linked):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, broken


def test_readme_links_every_page_of_docs() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [page.name for page in DOCS if f"(docs/{page.name}" not in text]
    assert not missing, f"README.md does not lead to {missing}"
