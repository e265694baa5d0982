"""The team rules of flows.team: tokens, who may leave, who may remove whom."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flows.team import (
    INVITE_LIFETIME,
    Membership,
    TeamRole,
    clean_team_name,
    invite_link,
    invite_usable,
    last_year_start,
    looks_like_token,
    may_leave,
    may_remove,
    new_token,
    new_year_due,
    token_hash,
)

ANN, BEN, CAS = 1, 2, 3
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def team(*members: tuple[int, TeamRole]) -> list[Membership]:
    return [Membership(leader, role) for leader, role in members]


def test_a_token_is_random_fits_a_deep_link_and_only_its_hash_is_kept() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert looks_like_token(token)
        assert (
            invite_link("pestgesprek_bot", token) == f"https://t.me/pestgesprek_bot?start={token}"
        )
        assert token not in token_hash(token) and len(token_hash(token)) == 64
    assert not looks_like_token("short")
    assert not looks_like_token("has spaces in it, not a token")
    assert not looks_like_token("x" * 65)


def test_an_invitation_expires() -> None:
    expires = NOW + INVITE_LIFETIME
    assert invite_usable(expires, NOW)
    assert invite_usable(expires, expires - timedelta(seconds=1))
    assert not invite_usable(expires, expires)


def test_the_last_coordinator_of_a_team_with_others_cannot_leave() -> None:
    members = team((ANN, TeamRole.COORDINATOR), (BEN, TeamRole.MEMBER))
    assert not may_leave(members, ANN)
    assert may_leave(members, BEN)
    assert may_leave(team((ANN, TeamRole.COORDINATOR)), ANN), "alone, the team ends"
    both = team((ANN, TeamRole.COORDINATOR), (BEN, TeamRole.COORDINATOR))
    assert may_leave(both, ANN)


def test_only_a_coordinator_removes_and_only_others() -> None:
    members = team((ANN, TeamRole.COORDINATOR), (BEN, TeamRole.MEMBER), (CAS, TeamRole.MEMBER))
    assert may_remove(members, ANN, BEN)
    assert not may_remove(members, BEN, CAS)
    assert not may_remove(members, ANN, ANN)
    assert not may_remove(members, ANN, 99), "not a member"


def test_a_team_name_is_one_trimmed_line() -> None:
    assert clean_team_name("  Kapoenen \n  Chiro ") == "Kapoenen Chiro"
    assert clean_team_name("   ") is None
    assert clean_team_name("x" * 41) is None


def test_the_working_year_question_comes_once_from_the_chosen_first_of_the_month() -> None:
    september = 9
    assert last_year_start(date(2026, 8, 31), september) == 2025
    assert last_year_start(date(2026, 9, 1), september) == 2026
    # A team made in November 2026 was "asked" for 2026: next on 1 September 2027.
    asked = last_year_start(date(2026, 11, 24), september)
    assert new_year_due(date(2027, 8, 31), september, asked) is None
    assert new_year_due(date(2027, 9, 1), september, asked) == 2027
    assert new_year_due(date(2027, 10, 1), september, 2027) is None
    # January as the start: the 1st of January itself is the day.
    assert new_year_due(date(2027, 1, 1), 1, 2026) == 2027
    assert new_year_due(date(2026, 12, 31), 1, 2026) is None
