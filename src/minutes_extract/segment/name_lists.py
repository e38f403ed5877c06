"""Lists of people and parties as minutes write them in running text.

"Per Bengtsson (S), Rune Netterlid (S) och Lennart Nilsson (S)", "M och KD",
"tjänstgörande ersättarna Johannes Hulter (S) och Marie Brynolfsson (V) samt ordföranden
Jonas Attenius", "Sverigedemokraternas ledamöter". Text given here has its line breaks folded
to spaces (see `fold`). Party codes, roles and words that are never names come from the
project's name vocabulary (`minutes_extract.names`, rules/names.toml); rules/votes.toml adds
the headings of this part of the minutes and the parties' names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import names as vocabulary
from .wording import rx, wording

_NAME_WORD = r"(?:[A-ZÅÄÖÉÜÆØ][a-zåäöéüæøáàèíóúçñ'’]+(?:-[A-ZÅÄÖÉÜa-zåäöéü][a-zåäöéüæøáàèíóú'’]+)*|[A-ZÅÄÖ]\.)"
# A party in parentheses, in capitals or (in older minutes) lower case: "(S)", "(MP)", "(s)".
_PARTY = r"\(\s*(?!(?i:ordf|ers|vice|tjg|ej)\b)(?P<party>[A-ZÅÄÖa-zåäö]{1,6}|-|–)\s*\)"
# A separator between list elements; a closing parenthesis followed by a capital also
# separates ("Natalia Engstedt (SD) Jonas Olsson (SD)").
_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?:och|samt|&)\s+|(?<=\))\s+(?=[A-ZÅÄÖ])")


@dataclass(frozen=True)
class Person:
    """One element of a name list: a person (name, perhaps party) or a party alone."""

    who: str  # as written, role words aside: "Fredrik Karström (M)", "KD"
    name: str | None
    party: str | None


def fold(text: str) -> str:
    """Line breaks and runs of spaces as one space; a hyphen that ends a line joins."""
    text = re.sub(r"(?<=[a-zåäö])-\s*\n\s*(?=[A-ZÅÄÖ])", "-", text)  # "Anna-\nKarin"
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def _not_names() -> frozenset[str]:
    words = set(wording().names.not_names) | set(vocabulary.vocabulary().stop)
    return frozenset(w.casefold() for w in words)


def _never_a_name(word: str) -> bool:
    w = word.strip(".:,")
    # Words joined by a slash are a column's heading ("ledamot/tjänstgörande"), never a name.
    return "/" in w or w.casefold() in _not_names() or vocabulary.vocabulary().is_role(w)


def _is_party_code(text: str) -> bool:
    return text != "-" and text[:1].isupper() and vocabulary.vocabulary().is_party(text)


@functools.cache
def _person_re() -> re.Pattern:
    particles = "|".join(map(re.escape, wording().names.particles))
    word = rf"(?:{_NAME_WORD}|(?:{particles})(?=\s+[A-ZÅÄÖ]))"
    return re.compile(rf"^(?P<name>{_NAME_WORD}(?:\s+{word}){{0,4}})\s*(?:{_PARTY})?"
                      r"(?:\s*\((?:ordf|ordförande|vice ordf|ers|ersättare)\.?\)|\s*,?\s*ordf\.?)?$")


@functools.cache
def _party_names() -> dict[str, str]:
    """Party name (any case, with genitive and group forms) -> abbreviation."""
    out: dict[str, str] = {}
    for name, abbr in wording().parties.names.items():
        base = name.casefold()
        for form in (base, base + "s", base + "s ledamöter", base + "s grupp",
                     base + "s representanter", base + "s företrädare"):
            out[form] = abbr
    return out


def party_of(text: str) -> str | None:
    """The abbreviation a party is written as, or None: "KD", "Socialdemokraterna", "S-gruppen"."""
    t = text.strip().rstrip(".:")
    if _is_party_code(t):
        return t
    m = re.fullmatch(r"([A-ZÅÄÖ]{1,4})(?:-gruppen|-ledamöterna|:s\s+(?:ledamöter|grupp|representanter))", t)
    if m and _is_party_code(m.group(1)):
        return m.group(1)
    return _party_names().get(t.casefold())


def person(element: str) -> Person | None:
    """One list element as a person or a party, or None when it is neither."""
    text = element.strip().strip(".:")
    text = rx(wording().names.roles).sub("", text).strip()
    # A heading or role word before the name ("Reservation Johan Tolinsson (S)").
    words = text.split()
    while words and _never_a_name(words[0]):
        words = words[1:]
    text = " ".join(words)
    if not text:
        return None
    party = party_of(text)
    if party:
        return Person(who=text, name=None, party=party)
    m = _person_re().match(text)
    if not m:
        return None
    name = m.group("name")
    if any(_never_a_name(w) for w in name.split()):
        return None
    p = m.group("party")
    return Person(who=text, name=name, party=None if p in (None, "-", "–") else _party_case(p))


def _party_case(party: str) -> str:
    """Lower-case abbreviations ("s", "mp") in capitals; a party name stays as written."""
    return party.upper() if party.islower() and len(party) <= 3 else party


def split_list(text: str) -> list[str]:
    return [e for e in _SPLIT.split(text) if e and e.strip()]


def name_list(text: str) -> list[Person] | None:
    """Every element of `text` as a person or party; None unless all of them are."""
    elements = split_list(text)
    people = [person(e) for e in elements]
    if not people or any(p is None for p in people):
        return None
    return people  # type: ignore[return-value]


def trailing_names(text: str) -> list[Person]:
    """The people and parties that end `text`: the longest run of list elements at its end."""
    elements = split_list(text)
    out: list[Person] = []
    for k in range(len(elements) - 1, -1, -1):
        p = person(elements[k])
        if p is None:
            # The first element may carry words before the name ("Vid mötet Anna Ek (S)").
            tail = _name_at_end(elements[k])
            if tail:
                out.append(tail)
            break
        out.append(p)
    return out[::-1]


def _name_at_end(text: str) -> Person | None:
    m = re.search(rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*{_PARTY}\s*$", text)
    return person(m.group(0)) if m else None


_LEAD_ELEMENT = re.compile(
    rf"(?:{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|[a-z]{{1,3}}(?=\s+[A-ZÅÄÖ])))*(?:\s*\([^()]{{1,12}}\))*"
    r"|[A-ZÅÄÖ]{1,4}(?![\wåäö])(?:-gruppen)?)")


def leading_names(text: str) -> tuple[list[Person], int]:
    """The people and parties a sentence opens with, and where the list ends in `text`.

    "Anette Stockhaus (S) och Sena Munteanu (S) stödjer ..." -> both, and the offset of
    " stödjer". Role words before a name are allowed.
    """
    pos = 0
    out: list[Person] = []
    roles = rx(wording().names.roles)
    while True:
        m_role = roles.match(text, pos)
        start = m_role.end() if m_role else pos
        m = _LEAD_ELEMENT.match(text, start)
        if not m:
            break
        p = person(text[pos:m.end()])
        if p is None:
            break
        out.append(p)
        pos = m.end()
        sep = re.match(r"\s*,\s*|\s+(?:och|samt|&)\s+|\s+(?=[A-ZÅÄÖ])", text[pos:])
        if not sep:
            break
        nxt = pos + sep.end()
        if not (roles.match(text, nxt) or _LEAD_ELEMENT.match(text, nxt)):
            break
        pos = nxt
    return out, pos


def names_in(text: str) -> list[Person]:
    """Every "Name (Party)" in `text`, in order."""
    out = []
    for m in re.finditer(rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*{_PARTY}", text):
        p = person(m.group(0))
        if p is not None:
            out.append(p)
    return out
