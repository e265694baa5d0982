"""The history's PDF: drawn from the HTML, or left out where the machine cannot draw it."""

from __future__ import annotations

import sys

import pytest

from bot.screens.history import pdf_of

HTML = b"<!DOCTYPE html><html><body><h1>Noor</h1><p>Hallo</p></body></html>"


def test_the_html_becomes_a_pdf() -> None:
    drawn = pdf_of(HTML)
    assert drawn is not None and drawn.startswith(b"%PDF")


def test_without_the_library_there_is_no_pdf_and_no_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    assert pdf_of(HTML) is None
