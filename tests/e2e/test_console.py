"""The console (``python -m bot console``): the bot's own flows in a terminal, by standard input.

A newcomer without a bot token walks a whole case: the main menu, a new case,
step 1, the script of step 2, the talk's agreements, a follow-up a week later
by moving the clock, and the case is still there when they come back. Everything
is kept in the console's own SQLite file in the working folder's ``data``, never in
the database of DATABASE_URL, where real leaders' cases and reminders live.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.console_driver import ConsoleDriver, buttons, console_environment


def test_a_newcomer_walks_a_case_in_the_console_and_finds_it_again(tmp_path: Path) -> None:
    console = ConsoleDriver(tmp_path, console_environment())
    assert "Type a number to press a button" in console.screen
    assert "What do you want to do?" in console.screen

    assert "What do you call the child who is bullied?" in console.press("New case")
    assert "Who bullies or joins in?" in console.send("Sam")
    assert "bully, or join in?" in console.send("Tom")
    assert "Is there another child" in console.press("Bullies")
    step1 = console.press("That's everyone")
    assert "Step 1" in step1
    assert "What may you tell" in console.press("Yes, agreed")
    assert "Step 1 is done" in console.send("that it hurts her")
    assert "Did you see what happened" in console.press("Prepare")
    assert "Complete the sentence" in console.press("I saw it")
    assert "Name your feeling" in console.send("Tom took <Sam's> cap & hid it")
    script = console.send("worried")
    assert "Your script for the talk with Tom" in script
    # What the leader typed comes back as they typed it: escaped for Telegram, plain here.
    assert "Tom took <Sam's> cap & hid it" in script
    assert "What did" in console.press("Talk held")
    assert "noted" in console.send("I leave Sam's cap alone")
    assert "When do you want to talk with Tom again?" in console.press("Done")
    planned = console.press("In 1 week")
    assert "I will remind you to talk with Tom again on" in planned

    # Nothing is due yet; a week and a bit later the follow-up nudge is printed.
    assert "Step 3" not in console.send(":wait 2d")
    nudge = console.send(":wait 6d")
    assert "The clock moved ahead" in nudge
    assert "Step 3: talk with Tom again" in nudge
    assert "I leave Sam's cap alone" in nudge
    assert any("I did not ask Sam" in label for label in buttons(nudge))
    assert "how far has the bullying stopped?" in console.press("I did not ask Sam")
    assert "as long as the bullying has stopped" in console.press("Bullying has stopped")

    exported = console.send("/export")
    saved = sorted((tmp_path / "data" / "exports").glob("*.json"))
    assert len(saved) == 1 and str(saved[0]) in exported
    assert "I leave Sam's cap alone" in saved[0].read_text()

    assert "There is no button 99" in console.send("99")
    # A superscript two is not a button's number: it goes to the bot as text.
    assert "I am not waiting for a message" in console.send("²")
    assert ":wait 3d" in console.send(":what")
    code, rest, errors = console.finish()
    assert code == 0, errors
    assert "Stopped. Everything is saved" in rest
    assert errors == ""
    assert (tmp_path / "data" / "console.sqlite3").exists()

    again = ConsoleDriver(tmp_path, console_environment())
    listed = again.send("/cases")
    assert "Sam" in listed
    assert again.finish()[0] == 0


def console_run(
    folder: Path, script: str, environment: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """The console reading ``script`` as its whole input, in ``folder``."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input=script,
        capture_output=True,
        text=True,
        cwd=folder,
        env=environment,
        timeout=60,
        check=False,
    )


def test_the_console_never_opens_the_bots_own_database(tmp_path: Path) -> None:
    real = tmp_path / "real.sqlite3"
    environment = console_environment(DATABASE_URL=f"sqlite:///{real}")
    run = console_run(tmp_path, "/cases\n:wait 2w\n", environment)
    assert run.returncode == 0, run.stderr
    assert not real.exists()
    assert (tmp_path / "data" / "console.sqlite3").exists()


def test_the_console_reads_a_prepared_script_and_stops_at_its_end(tmp_path: Path) -> None:
    script = "/criteria\n3\n5\n1\n7\n:time\n"
    run = console_run(tmp_path, script, console_environment(LANG="nl_BE.UTF-8"))
    assert run.returncode == 0, run.stderr
    # Dutch for a Dutch terminal; three ticks (leaders' support among them), then the
    # answer: it fits.
    assert "Wat wil je doen?" in run.stdout
    assert "Een één-op-ééngesprek past bij deze situatie." in run.stdout
    assert "Het is nu" in run.stdout
    assert "Gestopt. Alles is bewaard" in run.stdout


def test_the_console_needs_a_data_key_and_says_how_to_make_one(tmp_path: Path) -> None:
    environment = console_environment()
    del environment["DATA_KEY"]
    run = console_run(tmp_path, "", environment)
    assert run.returncode == 2
    assert "DATA_KEY is not set" in run.stderr
