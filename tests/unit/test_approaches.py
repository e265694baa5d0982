"""The approach router after the quick check, and No Blame's short check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.approaches import (
    FACTS,
    NO_BLAME_FULL_MASK,
    Approach,
    NoBlameCheck,
    no_blame_missing,
    recommended,
)
from flows.criteria import ALL_CRITERIA, Criterion, Verdict, assess

TICKS = st.frozensets(st.sampled_from(ALL_CRITERIA))
AGAINST_NO_BLAME = {Criterion.GOING_ON_LONG, Criterion.HIGH_IMPACT, Criterion.BULLY_HIGH_STATUS}


def test_nothing_ticked_but_the_leaders_support_points_to_no_blame() -> None:
    # A restorative conversation fits for the same reasons as a one-on-one conversation:
    # with none of them ticked, it is not offered.
    assert recommended(frozenset({Criterion.LEADERS_SUPPORT})) == (Approach.NO_BLAME,)


def test_nothing_ticked_at_all_asks_the_team_and_points_to_no_blame() -> None:
    assert recommended(frozenset()) == (Approach.TEAM_FIRST, Approach.NO_BLAME)


def test_without_the_leaders_support_the_team_comes_first() -> None:
    found = recommended(frozenset({Criterion.GOING_ON_LONG, Criterion.VICTIM_ALONE}))
    assert found[0] is Approach.TEAM_FIRST
    assert Approach.NO_BLAME not in found, "bullying that has gone on long is not for No Blame"


def test_when_a_one_on_one_conversation_fits_nothing_else_is_pushed() -> None:
    ticked = frozenset({Criterion.LEADERS_SUPPORT, Criterion.GOING_ON_LONG, Criterion.HIGH_IMPACT})
    assert assess(ticked).verdict is Verdict.FITS
    assert recommended(ticked) == ()


@given(TICKS)
def test_the_router_follows_what_each_approach_is_for(ticked: frozenset[Criterion]) -> None:
    found = recommended(ticked)
    assert (found == ()) == (assess(ticked).verdict is Verdict.FITS)
    assert Approach.ONE_ON_ONE not in found
    assert len(set(found)) == len(found)
    if found:
        assert (Approach.TEAM_FIRST in found) == (Criterion.LEADERS_SUPPORT not in ticked)
        assert (Approach.NO_BLAME in found) == (not ticked & AGAINST_NO_BLAME)
        assert (Approach.RESTORATIVE in found) == bool(assess(ticked).reasons)


def test_every_approach_is_described_in_three_lines_with_a_first_step() -> None:
    for approach in Approach:
        facts = FACTS[approach]
        assert len(facts.what) == 3 and all(facts.what)
        assert facts.first and facts.fits_when and facts.name


@given(st.integers(0, NO_BLAME_FULL_MASK))
def test_no_blame_fits_only_when_all_five_hold(mask: int) -> None:
    missing = no_blame_missing(mask)
    assert (missing == ()) == (mask == NO_BLAME_FULL_MASK)
    assert all(not mask & (1 << item) for item in missing)
    assert len(missing) + bin(mask).count("1") == len(NoBlameCheck)


@pytest.mark.parametrize("mask", [-1, NO_BLAME_FULL_MASK + 1])
def test_a_forged_no_blame_mask_is_refused(mask: int) -> None:
    with pytest.raises(ValueError):
        no_blame_missing(mask)
