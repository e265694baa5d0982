"""The protocol's transitions as a stage × event table, for ``docs/transitions.md``.

Run ``python -m flows.transitions_doc`` after changing :data:`flows.protocol.TRANSITIONS`;
a unit test fails while the committed table is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flows.case import CaseStage, Stage
from flows.protocol import TRANSITIONS

#: Where the table is committed, from the project's root.
DOC = Path("docs") / "transitions.md"

_CASE_STAGES = list(CaseStage)
_CHILD_STAGES = [s for s in Stage if s is not Stage.CLOSED]


def render() -> str:
    """The table as Markdown: one row per event, a column per stage, ✓ where it is allowed."""
    header = ["event", "button", *_CASE_STAGES, *_CHILD_STAGES, "effect"]
    lines = [
        "# The protocol's transitions",
        "",
        "Generated from `flows/protocol.py` by `python -m flows.transitions_doc`; do not edit.",
        "",
        "Each row is an event (its button's code, or typed); ✓ marks the stages where it is",
        "allowed: first the stages of the case as a whole, then, for an event about one",
        "child, that child's stages. Anywhere else the event changes nothing and the leader",
        "sees where the case stands.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for entry in TRANSITIONS:
        child_stages, effect = entry.about()
        cells = [
            f"`{entry.event.__name__}`",
            f"`{entry.event.code}`" if entry.event.code else "typed",
            *("✓" if s in entry.case_stages else "" for s in _CASE_STAGES),
            *("✓" if child_stages is not None and s in child_stages else "" for s in _CHILD_STAGES),
            effect.replace("_", " ").strip(),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write the table to ``docs/transitions.md`` (in the current directory's project)."""
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")


if __name__ == "__main__":
    main()
