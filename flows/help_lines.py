"""Help lines for children and young people, kept in one place per country and language.

These are facts (a name and a number), not texts to translate: a help line is
named as it names itself. The country is read from the leader's time zone; a zone
we do not know gives no help line, and the screen says to look up the one of the
leader's country.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HelpLine:
    """A help line a child can call or write to, free and anonymous."""

    name: str
    phone: str
    url: str


#: Belgium: Awel, the help line for children and young people (Dutch-speaking).
AWEL = HelpLine(name="Awel", phone="102", url="https://www.awel.be")
#: Belgium: Écoute-Enfants, its French-speaking counterpart.
ECOUTE_ENFANTS = HelpLine(name="Écoute-Enfants", phone="103", url="https://www.103ecoute.be")

#: Per country, per language of the leader; ``"*"`` is the country's line for any language.
HELP_LINES: dict[str, dict[str, HelpLine]] = {
    "BE": {"nl": AWEL, "fr": ECOUTE_ENFANTS, "*": AWEL},
}

#: The country of a time zone, for the zones whose country has a help line above.
COUNTRY_OF_ZONE: dict[str, str] = {
    "Europe/Brussels": "BE",
}


def help_line(time_zone: str, language: str) -> HelpLine | None:
    """The help line for a leader in ``time_zone`` speaking ``language``, if we know one."""
    lines = HELP_LINES.get(COUNTRY_OF_ZONE.get(time_zone, ""), {})
    return lines.get(language) or lines.get("*")
