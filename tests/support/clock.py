"""A clock the tests move by hand, so no test waits for real days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class TestClock:
    """Starts at a fixed moment; :meth:`advance` moves it on."""

    __test__ = False  # not a test class, despite its name
    now: datetime = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move on by ``timedelta(**delta)``; returns the new now."""
        self.now += timedelta(**delta)
        return self.now
