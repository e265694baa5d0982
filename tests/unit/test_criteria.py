"""The quick check's answer for every combination of ticks."""

from __future__ import annotations

import itertools

import pytest

from flows.criteria import (
    ALL_CRITERIA,
    CRITERION_TEXT,
    FULL_MASK,
    NATURE,
    Criterion,
    Verdict,
    assess,
    from_mask,
    toggle,
)
from flows.language import _, using_language

SUPPORT = Criterion.LEADERS_SUPPORT
REASONS = [c for c in ALL_CRITERIA if c != SUPPORT]


def test_the_checklist_reads_as_the_protocols_reasons_in_its_order() -> None:
    with using_language("nl"):
        nature = _(NATURE)
        texts = [_(CRITERION_TEXT[c]) for c in ALL_CRITERIA]
    # "= confronterende aanpak" is what the approach is, said above the reasons, not a
    # reason to tick; then the protocol's list, word for word.
    assert nature == "Een één-op-ééngesprek = confronterende aanpak."
    assert texts == [
        "Het pesten is al lang(er) bezig",
        "Het pesten heeft een grote impact op het slachtoffer (en zijn/haar omgeving)",
        "De pester geniet hoge status en krijgt ruime steun",
        "Het slachtoffer staat (quasi) alleen",
        "Begeleider(s) steunen de gekozen aanpak",
        "Dwingende en snelle correctie van het probleemgedrag is nodig",
    ]


def test_a_mask_with_the_old_confrontation_bit_is_not_ours() -> None:
    with pytest.raises(ValueError):
        from_mask(0b1)


@pytest.mark.parametrize("mask", range(0, FULL_MASK + 1, 2))
def test_every_combination_of_ticks_gets_the_documented_answer(mask: int) -> None:
    ticked = from_mask(mask)
    reasons = [c for c in REASONS if c in ticked]
    result = assess(ticked)
    if not reasons:
        expected = Verdict.DOES_NOT_FIT
    elif SUPPORT not in ticked:
        expected = Verdict.TEAM_FIRST
    elif len(reasons) == 1:
        expected = Verdict.MAY_FIT
    else:
        expected = Verdict.FITS
    assert result.verdict is expected
    assert list(result.reasons) == reasons
    assert result.may_start_case == (expected in (Verdict.FITS, Verdict.MAY_FIT))


def test_without_the_leaders_support_no_case_is_offered_however_many_reasons() -> None:
    result = assess(frozenset(REASONS))
    assert result.verdict is Verdict.TEAM_FIRST
    assert not result.may_start_case


def test_two_reasons_with_support_fit() -> None:
    ticked = frozenset({SUPPORT, Criterion.GOING_ON_LONG, Criterion.VICTIM_ALONE})
    assert assess(ticked).verdict is Verdict.FITS


@pytest.mark.parametrize(
    "ticked", [set(c) for n in range(4) for c in itertools.combinations(ALL_CRITERIA, n)]
)
def test_ticking_each_in_turn_gives_exactly_those_ticked(ticked: set[Criterion]) -> None:
    mask = 0
    for criterion in ticked:
        mask = toggle(mask, criterion)
    assert from_mask(mask) == frozenset(ticked)


def test_toggle_ticks_and_unticks() -> None:
    mask = toggle(0, Criterion.HIGH_IMPACT)
    assert from_mask(mask) == {Criterion.HIGH_IMPACT}
    assert toggle(mask, Criterion.HIGH_IMPACT) == 0


@pytest.mark.parametrize("mask", [-1, FULL_MASK + 1, 1 << 20])
def test_masks_outside_the_seven_criteria_are_refused(mask: int) -> None:
    with pytest.raises(ValueError):
        from_mask(mask)
    with pytest.raises(ValueError):
        toggle(mask, Criterion.HIGH_IMPACT)
