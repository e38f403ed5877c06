"""The wording of votes, reservations, notes, jäv and presence: rules/votes.toml, validated.

Every key of the file is declared here and registered as the file's schema (`rules.get`):
an unknown, misspelt or missing key, or a pattern that does not compile, is an error naming
the file when the rules load. Patterns stay strings, compiled case-insensitively by `rx`,
because some are put together from others ("{n}" stands for a count).
"""

from __future__ import annotations

import functools
import re

from pydantic import field_validator

from .. import rules

_Strict = rules.Rules


def _compiles(value):
    for p in [value] if isinstance(value, str) else value:
        try:
            re.compile(p.replace("{n}", "0"))
        except re.error as exc:
            raise ValueError(f"not a regular expression ({exc}): {p}") from None
    return value


class Numbers(_Strict):
    units: dict[str, int]
    teens: dict[str, int]
    tens: dict[str, int]


class Counts(_Strict):
    yes: list[str]
    no: list[str]
    abstain: list[str]
    absent: list[str]
    weak_yes: list[str]
    number_filler: str
    joiner: str
    versus: str
    total_row: str

    _check = field_validator("*")(_compiles)


class VoteWords(_Strict):
    requested: list[str]
    yes_means: list[str]
    group_after: str
    group_before: str
    result: list[str]
    against: list[str]
    counter_proposal: str
    main_vote: str
    attachment: str
    list_item_ref: str
    column_yes: str
    column_no: str
    column_abstain: str
    column_absent: str
    column_replaces: str
    mark: str
    row_vote_word: str

    _check = field_validator("*")(_compiles)


class StanceWords(_Strict):
    reservation: list[str]
    reservation_heading: str
    recusal_heading: str
    not_participating_heading: str
    past: str
    elsewhere: str
    pronoun_subject: str
    inverted_lead: str
    written: str
    oral: str
    in_favour_of: str
    note_heading: str
    note: list[str]
    recusal: str
    no_recusal: str
    not_participating: str
    substitute: str

    _check = field_validator("*")(_compiles)


class NameWords(_Strict):
    not_names: list[str]
    particles: list[str]
    roles: str


class Parties(_Strict):
    names: dict[str, str]


class PresenceWords(_Strict):
    from_marker: str
    to_marker: str
    except_marker: str
    reference: str
    arrives: str
    leaves: str
    after: str

    _check = field_validator("*")(_compiles)


@rules.schema("votes")
class VoteRules(_Strict):
    numbers: Numbers
    counts: Counts
    vote: VoteWords
    stances: StanceWords
    names: NameWords
    parties: Parties
    presence: PresenceWords


def wording() -> VoteRules:
    """rules/votes.toml, validated (raises rules.RulesError naming the file if it is bad)."""
    return rules.get("votes")


def rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return _compiled(pattern, flags)


@functools.cache
def _compiled(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


def any_of(patterns: list[str]) -> str:
    return "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


@functools.cache
def number_words() -> dict[str, int]:
    """Swedish number words up to ninety-nine, as one word each ("tjugotre")."""
    n = wording().numbers
    words = {**n.units, **n.teens, **n.tens}
    for ten, tv in n.tens.items():
        for unit, uv in n.units.items():
            if uv:
                words[ten + unit] = tv + uv
    return words


def number_pattern() -> str:
    """Where a count may stand: digits or one word. A word is a count only if
    `number_value` knows it; trying every number word at every position would be slow."""
    return r"(?:\d{1,3}|[^\W\d_]{2,14})(?![\wåäö])"


def number_value(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    return number_words().get(text)
