"""The bot as a user installs it: the built wheel in a fresh virtual environment.

The wheel and the sdist are built from a copy of the source as a fresh clone has it
(catalogs written, none compiled), with this environment's setuptools and Babel. The
wheel goes into a new virtual environment outside the checkout, and the installed
``pestgesprek`` command runs in a folder of its own: nothing of the checkout is on
its path, so what it says in Dutch it says from the wheel's own catalogs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.language import SUPPORTED_LANGUAGES
from tests.support.console_driver import ConsoleDriver, console_environment

ROOT = Path(__file__).resolve().parents[2]

#: What a fresh clone does not have: local environments, data, caches, compiled files.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "data", ".env", "build", "dist", "*.egg-info", "__pycache__",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", "*.mo", "tests",
)  # fmt: skip


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    bin: Path
    """The ``bin`` folder of the virtual environment the wheel was installed into."""


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    clone = work / "clone"
    shutil.copytree(ROOT, clone, ignore=NOT_IN_A_CLONE)
    dist = work / "dist"
    # The sdist first, then the wheel from the unpacked sdist, as `python -m build` does.
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, clone, cwd=work)
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    (wheel,) = dist.glob("pestgesprek-*.whl")
    (sdist,) = dist.glob("pestgesprek-*.tar.gz")
    # This environment's pip installs into the new one; the dependencies come from the
    # package registry as for any user.
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
        "--quiet", wheel, cwd=work)  # fmt: skip
    return Installed(wheel=wheel, sdist=sdist, bin=venv / "bin")


def test_the_wheel_and_the_sdist_carry_every_catalog_compiled(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        in_wheel = set(wheel.namelist())
    with tarfile.open(installed.sdist) as sdist:
        in_sdist = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for code in SUPPORTED_LANGUAGES:
        compiled = f"locales/{code}/LC_MESSAGES/messages.mo"
        assert compiled in in_wheel, f"{compiled} is not in the wheel"
        assert compiled in in_sdist, f"{compiled} is not in the sdist"


def test_the_installed_bot_reads_its_catalogs_from_the_wheel(
    installed: Installed, tmp_path: Path
) -> None:
    where = run(installed.bin / "python", "-c", "import locales; print(locales.__file__)",
                cwd=tmp_path)  # fmt: skip
    assert Path(where.strip()).is_relative_to(installed.bin.parent), where
    version = run(installed.bin / "pestgesprek", "--version", cwd=tmp_path)
    assert version.startswith("pestgesprek 0.1.0 ") and "(database: sqlite)" in version


def test_the_installed_console_speaks_dutch_and_english(
    installed: Installed, tmp_path: Path
) -> None:
    command = [str(installed.bin / "pestgesprek"), "console"]
    dutch = ConsoleDriver(tmp_path, console_environment(LANG="nl_BE.UTF-8"), command)
    assert "Wat wil je doen?" in dutch.screen
    assert "Welke taal zal ik spreken?" in dutch.send("/language")
    # The same leader switches to English in the language menu, named in English itself.
    assert "From now on I speak English with you." in dutch.press("English")
    assert "What do you want to do?" in dutch.send("/start")
    assert dutch.finish()[0] == 0

    # A leader at an English terminal, in a working folder of their own.
    (tmp_path / "en").mkdir()
    english = ConsoleDriver(tmp_path / "en", console_environment(LANG="en_GB.UTF-8"), command)
    assert "What do you want to do?" in english.screen
    assert "Going on for long" in english.send("/criteria")
    code, rest, errors = english.finish()
    assert (code, errors) == (0, "")
    assert "Stopped. Everything is saved" in rest
