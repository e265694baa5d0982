"""The table of transitions in the docs is the one the protocol has."""

from __future__ import annotations

from pathlib import Path

from flows import transitions_doc

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_table_is_up_to_date() -> None:
    committed = (ROOT / transitions_doc.DOC).read_text(encoding="utf-8")
    assert committed == transitions_doc.render(), "run: python -m flows.transitions_doc"


def test_the_table_shows_where_an_outcome_is_accepted() -> None:
    row = next(r for r in transitions_doc.render().splitlines() if r.startswith("| `OutcomeGiven`"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:2] == ["`OutcomeGiven`", "`oc`"]
    assert cells.count("✓") == 3  # the case's children stage; a child's planned or due
