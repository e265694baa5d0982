"""The one build step pyproject.toml cannot declare: compiling the language catalogs.

Everything else about the package is in pyproject.toml; setuptools reads both. The
catalogs are written as ``locales/<language>/LC_MESSAGES/messages.po`` and the bot
reads the compiled ``messages.mo`` next to them (see ``flows/language.py``). Compiled
files are not kept in git, so every build makes them from the ``.po`` files with
Babel's own setuptools command, ``compile_catalog``:

- a wheel (``pip wheel .``, ``python -m build``, ``pip install .``): after ``build_py``
  has copied the ``.po`` files into the build folder, they are compiled there, so the
  wheel carries both;
- an sdist: compiled into the release tree, so an sdist carries them too;
- an editable install (``pip install -e .``): compiled in place in ``locales/``, as
  ``make catalogs`` does.

A catalog with errors (a broken placeholder, a wrong number of plural forms) fails the
build instead of shipping a bot that answers in English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from babel.messages.setuptools_frontend import compile_catalog
from setuptools import setup
from setuptools.command.build import build
from setuptools.command.sdist import sdist
from setuptools.errors import SetupError

CATALOGS = "locales"
DOMAIN = "messages"


def po_files(directory: Path) -> list[Path]:
    """The catalogs in ``directory``, one per language."""
    return sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compiled(errors: int, directory: object) -> None:
    """Babel's compile_catalog returns 1 after logging errors; a build stops there."""
    if errors:
        raise SetupError(f"the catalogs in {directory} have errors (see above)")


class BuildCatalogs(compile_catalog):
    """A ``build`` step: the compiled catalogs, next to the ``.po`` files ``build_py`` copied."""

    description = "compile the language catalogs into the build"

    def initialize_options(self) -> None:
        super().initialize_options()
        self.build_lib: str | None = None
        self.editable_mode = False

    def finalize_options(self) -> None:
        self.set_undefined_options("build_py", ("build_lib", "build_lib"))
        self.directory = CATALOGS if self.editable_mode else str(self._built())
        super().finalize_options()

    def _built(self) -> Path:
        assert self.build_lib is not None
        return Path(self.build_lib) / CATALOGS

    def run(self) -> None:
        compiled(super().run(), self.directory)

    # The rest is setuptools' protocol for build steps (setuptools.command.build.SubCommand).
    def get_source_files(self) -> list[str]:
        return [str(po) for po in po_files(Path(CATALOGS))]

    def get_outputs(self) -> list[str]:
        return list(self.get_output_mapping())

    def get_output_mapping(self) -> dict[str, str]:
        if self.editable_mode:
            return {}
        return {
            str(self._built() / po.relative_to(CATALOGS).with_suffix(".mo")): str(po)
            for po in po_files(Path(CATALOGS))
        }


class BuildWithCatalogs(build):
    sub_commands: ClassVar[list[tuple[str, Any]]] = [*build.sub_commands, ("build_catalogs", None)]


class SdistWithCatalogs(sdist):
    """An sdist whose ``locales/`` holds the compiled catalogs beside the ``.po`` files."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        catalogs = Path(base_dir) / CATALOGS
        # A .mo compiled in the checkout may have been linked into the tree: never write
        # through that link, and never ship it instead of a fresh one.
        for stale in catalogs.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"):
            stale.unlink()
        command = compile_catalog(self.distribution)
        command.directory = str(catalogs)
        command.ensure_finalized()
        compiled(command.run(), catalogs)


setup(
    cmdclass={
        "build": BuildWithCatalogs,
        "build_catalogs": BuildCatalogs,
        "sdist": SdistWithCatalogs,
    }
)
