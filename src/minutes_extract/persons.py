"""Persons: one row per real person across meetings, so "who attended most" is right.

An attendee is linked to a person already in the database who has the same name (compared
case-folded, white space collapsed) unless the evidence says it is someone else:
- another party (canonical codes: "fp" and "L" are the same party);
- another municipality (the attendee's own, else that of the municipality whose minutes
  these are), unless the name is rare: when fewer than one person in Sweden is expected to
  bear it (SCB's first-name and surname counts), a rare name is one person wherever it turns
  up ("Kurt-Allan Egelby" of Bjurholm in one year's minutes and of Nordmaling in another's).
A name of one word (a first name, a username) is linked only within the same organisation.
What was written beside the name otherwise ("-", "2", a stray heading) plays no part.
Among several fitting persons the one with most in common wins. Each attendee row keeps the
evidence in `person_evidence`.

A person named in the text is the attendee of the same name in the same minutes, else the
one person of that name in the database (the one of the same organisation when there are
several); a name nobody else has starts a person.

Ids are derived from the name (and, for a second person of the same name, what tells them
apart), so importing the same minutes again gives the same ids.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from dataclasses import dataclass

import sqlite_utils

# People registered in Sweden on 2020-12-31, the date of the name counts in rules/names.
POPULATION = 10_380_000
# Names below the lists' cut (20 bearers) count as this many.
UNLISTED = 10


def name_key(name: str | None) -> str:
    text = unicodedata.normalize("NFC", name or "").casefold()
    return " ".join(text.replace(".", " ").split()).strip(" ,;:()")


def expected_bearers(name: str) -> float:
    """How many people in Sweden one would expect to bear this first name and surname."""
    from .names import first_names, surnames  # the name lists; only needed on a conflict

    words = name.split()
    if len(words) < 2:
        return float("inf")
    firsts, lasts = first_names(), surnames()
    first = min(firsts.get(p, UNLISTED) for p in words[0].split("-"))
    last = min(lasts.get(p, UNLISTED) for p in words[-1].split("-"))
    return first * last / POPULATION


@dataclass(frozen=True)
class Attendance:
    """What is known about one attendee that tells persons apart."""

    name: str
    party: str | None = None
    municipality_code: str | None = None
    organisation_id: str | None = None

    @property
    def key(self) -> str:
        return name_key(self.name)


def _person_id(*parts: str | None) -> str:
    return hashlib.sha256("|".join(p or "" for p in parts).encode()).hexdigest()[:12]


def _known(db: sqlite_utils.Database, key: str) -> dict[str, dict[str, set]]:
    """Persons with this name key: their parties, municipalities and organisations so far."""
    found: dict[str, dict[str, set]] = {}
    for pid, in db.execute("select id from persons where key = ?", [key]).fetchall():
        found[pid] = {"party": set(), "municipality": set(), "organisation": set()}
    if not found:
        return found
    marks = ", ".join("?" * len(found))
    for pid, party, muni, org in db.execute(
            f"""select a.person_id, a.party, coalesce(a.municipality_code, m.municipality_code),
                       m.organisation_id
                from attendees a join meetings m on m.id = a.meeting_id
                where a.person_id in ({marks})""", list(found)).fetchall():
        for field, value in (("party", party), ("municipality", muni), ("organisation", org)):
            if value:
                found[pid][field].add(value)
    return found


def _names(db, codes) -> str:
    from .gazetteer import by_code

    return "/".join(sorted(by_code()[c].name if c in by_code() else c for c in codes))


def link(db: sqlite_utils.Database, who: Attendance,
         claimed: dict[str, str] | None = None) -> tuple[str, str]:
    """The person id for an attendee and the evidence for it, as a short text.

    `claimed` maps name keys to the persons of attendees already linked in the same minutes:
    a name listed twice in one meeting is one person."""
    key = who.key
    if claimed and key in claimed:
        return claimed[key], "same name in the same minutes"
    one_word = len(key.split()) < 2
    best, best_support, refused = None, -1, []
    for pid, known in _known(db, key).items():
        support, conflicts = [], []
        if who.party and known["party"]:
            (support if who.party in known["party"] else conflicts).append(
                f"party {who.party}" if who.party in known["party"]
                else f"party {who.party}, not {'/'.join(sorted(known['party']))}")
        if who.municipality_code and known["municipality"]:
            if who.municipality_code in known["municipality"]:
                support.append(f"municipality {_names(db, [who.municipality_code])}")
            elif expected_bearers(who.name) < 1:
                support.append("a rare name")
            else:
                conflicts.append(f"municipality {_names(db, [who.municipality_code])}, not "
                                 f"{_names(db, known['municipality'])}")
        if who.organisation_id and who.organisation_id in known["organisation"]:
            support.append("same organisation")
        if one_word and "same organisation" not in support:
            conflicts.append("one word only, and another organisation")
        if conflicts:
            refused += conflicts
        elif len(support) > best_support:
            best, best_support = pid, len(support)
            evidence = "same name" + "".join(f", {s}" for s in support)
    if best is not None:
        return best, evidence
    if not refused:
        return _person_id(key), "first with this name"
    pid = _person_id(key, who.party, who.municipality_code,
                     who.organisation_id if one_word else None)
    return pid, "another person of this name: " + "; ".join(dict.fromkeys(refused))


def for_mention(db: sqlite_utils.Database, name: str, organisation_id: str | None,
                claimed: dict[str, str]) -> str | None:
    """The person a name in the text stands for, or None when it cannot be told."""
    key = name_key(name)
    if key in claimed:
        return claimed[key]
    if len(key.split()) < 2:
        return None
    known = _known(db, key)
    if not known:
        return _person_id(key)
    if len(known) == 1:
        return next(iter(known))
    same_org = [pid for pid, k in known.items() if organisation_id in k["organisation"]]
    return same_org[0] if len(same_org) == 1 else None


def refresh(db: sqlite_utils.Database, ids) -> None:
    """Name, party and municipality of these persons from what links to them: the name as
    most often written, the party of the latest meeting, the most frequent municipality.
    Persons nothing links to any more are removed."""
    for pid in set(ids):
        rows = db.execute(
            """select a.name, a.party, coalesce(a.municipality_code, m.municipality_code),
                      m.date
               from attendees a join meetings m on m.id = a.meeting_id
               where a.person_id = ?""", [pid]).fetchall()
        mentioned = db.execute("select value from mentions where person_id = ?",
                               [pid]).fetchall()
        if not rows and not mentioned:
            db["persons"].delete_where("id = ?", [pid])
            continue
        names = Counter(r[0] for r in rows) or Counter(r[0] for r in mentioned)
        parties = [r[1] for r in sorted(rows, key=lambda r: r[3] or "") if r[1]]
        munis = Counter(r[2] for r in rows if r[2])
        db["persons"].update(pid, {
            "name": names.most_common(1)[0][0],
            "party": parties[-1] if parties else None,
            "municipality_code": munis.most_common(1)[0][0] if munis else None,
        })
