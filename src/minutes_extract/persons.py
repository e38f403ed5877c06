"""Persons: one row per real person across meetings, so "who attended most" is right.

An attendee is linked to a person of the same name (compared case-folded, white space
collapsed) met before it, in the order of the meetings' dates (then the documents' paths),
unless the evidence says it is someone else:
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
apart), so importing the same minutes again gives the same ids. The links of a name are
worked out anew from all its attendees whenever a document with that name is written or
removed (`relink`): they depend only on what the database holds, so an import in any order,
with any number of workers, and a merge of shards all give the same persons.
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


def _traits() -> dict[str, set]:
    return {"party": set(), "municipality": set(), "organisation": set()}


def _names(db, codes) -> str:
    from .gazetteer import by_code

    return "/".join(sorted(by_code()[c].name if c in by_code() else c for c in codes))


def link(db: sqlite_utils.Database | None, who: Attendance,
         known: dict[str, dict[str, set]]) -> tuple[str, str]:
    """The person id for an attendee and the evidence for it, as a short text, among the
    persons of the same name `known` so far (id -> their parties, municipalities and
    organisations), tried in the order they became known."""
    key = who.key
    one_word = len(key.split()) < 2
    best, best_support, refused = None, -1, []
    for pid, traits in known.items():
        support, conflicts = [], []
        if who.party and traits["party"]:
            (support if who.party in traits["party"] else conflicts).append(
                f"party {who.party}" if who.party in traits["party"]
                else f"party {who.party}, not {'/'.join(sorted(traits['party']))}")
        if who.municipality_code and traits["municipality"]:
            if who.municipality_code in traits["municipality"]:
                support.append(f"municipality {_names(db, [who.municipality_code])}")
            elif expected_bearers(who.name) < 1:
                support.append("a rare name")
            else:
                conflicts.append(f"municipality {_names(db, [who.municipality_code])}, not "
                                 f"{_names(db, traits['municipality'])}")
        if who.organisation_id and who.organisation_id in traits["organisation"]:
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


def for_mention(key: str, document_id: str, organisation_id: str | None,
                claimed: dict[str, str], known: dict[str, dict[str, set]]) -> str | None:
    """The person a name in the text stands for, or None when it cannot be told: the
    attendee of that name in the same minutes, else the one person of that name, else the
    one of the same organisation; a full name nobody attended with is a person of its own."""
    if document_id in claimed:
        return claimed[document_id]
    if len(key.split()) < 2:
        return None
    if not known:
        return _person_id(key)
    if len(known) == 1:
        return next(iter(known))
    same_org = [pid for pid, k in known.items() if organisation_id in k["organisation"]]
    return same_org[0] if len(same_org) == 1 else None


def provisional_id(key: str) -> str:
    """The id an attendee or a name in the text is written with before `relink` decides:
    the id of the first person of the name."""
    return _person_id(key)


# The order in which the attendees of one name are linked: by meeting date, then by the
# document's path, so that the answer depends on what the database holds, not on the order
# in which an import, its workers or a merge of shards happened to write the documents.
CANONICAL_ORDER = "m.date is null, m.date, d.path, a.document_id, a.ordinal"


def relink(db: sqlite_utils.Database, keys) -> None:
    """Link every attendee and every name in the text with one of these name keys anew.

    Attendees of a name are taken in CANONICAL_ORDER and each is linked (see `link`) to the
    persons of that name met before it; names in the text follow (see `for_mention`).
    Only rows whose link changed are written; persons nothing links to any more go."""
    for key in sorted({k for k in keys if k}):
        _relink(db, key)


def _relink(db: sqlite_utils.Database, key: str) -> None:
    old = [pid for pid, in db.execute("select id from persons where key = ?", [key])]
    marks = ", ".join("?" * len(old))
    rows = db.execute(
        f"""select a.id, a.document_id, a.name, a.party,
                   coalesce(a.municipality_code, m.municipality_code), m.organisation_id,
                   a.person_id, a.person_evidence
            from attendees a join meetings m on m.id = a.meeting_id
            join documents d on d.id = a.document_id
            where a.person_id in ({marks})
            order by {CANONICAL_ORDER}""", old).fetchall() if old else []
    known: dict[str, dict[str, set]] = {}
    claimed: dict[str, str] = {}  # document -> the person of this name in it
    names: dict[str, str] = {}
    attendee_changes = []
    for aid, doc, name, party, muni, org, was, was_evidence in rows:
        if doc in claimed:
            pid, evidence = claimed[doc], "same name in the same minutes"
        else:
            pid, evidence = link(db, Attendance(name, party, muni, org), known)
            claimed[doc] = pid
        traits = known.setdefault(pid, _traits())
        names.setdefault(pid, name)
        for field, value in (("party", party), ("municipality", muni), ("organisation", org)):
            if value:
                traits[field].add(value)
        if (pid, evidence) != (was, was_evidence):
            attendee_changes.append((pid, evidence, aid))
    mention_changes = []
    for mid, doc, value, org, was in db.execute(
            """select mn.id, mn.document_id, mn.value, m.organisation_id, mn.person_id
               from mentions mn left join meetings m on m.document_id = mn.document_id
               where mn.value_key = ? and mn.label = 'PERSON'
               order by mn.document_id, mn.id""", [key]).fetchall():
        pid = for_mention(key, doc, org, claimed, known)
        if pid is not None:
            names.setdefault(pid, value)
        if pid != was:
            mention_changes.append((pid, mid))
    # Ballots, reservations, notes, recusals and absences name a person as a name in the
    # text does, a full name only.
    from .store import NAMED_PERSON_TABLES, insert_rows

    named_changes: dict[str, list] = {}
    for table in NAMED_PERSON_TABLES:
        for rid, doc, value, org, was in db.execute(
                f"""select t.id, t.document_id, t.name, m.organisation_id, t.person_id
                    from [{table}] t left join meetings m on m.id = t.document_id
                    where t.name_key = ? order by t.document_id, t.id""", [key]).fetchall():
            pid = for_mention(key, doc, org, claimed, known)
            if pid is not None:
                names.setdefault(pid, value)
            if pid != was:
                named_changes.setdefault(table, []).append((pid, rid))

    insert_rows(db, "persons", [{"id": pid, "name": name, "key": key}
                                for pid, name in names.items() if pid not in old], ignore=True)
    if attendee_changes:
        db.conn.executemany("update attendees set person_id = ?, person_evidence = ? "
                            "where id = ?", attendee_changes)
    if mention_changes:
        db.conn.executemany("update mentions set person_id = ? where id = ?", mention_changes)
    for table, changes in named_changes.items():
        db.conn.executemany(f"update [{table}] set person_id = ? where id = ?", changes)
    refresh(db, set(old) | set(names))


def refresh(db: sqlite_utils.Database, ids) -> None:
    """Name, party and municipality of these persons from what links to them: the name as
    most often written, the party of the latest meeting, the most frequent municipality; and
    the meetings attended (present or taking part), the first and last, and the bodies, for
    "Who attended most" to read without counting every attendee. Persons nothing links to
    any more are removed."""
    from .store import NAMED_PERSON_TABLES

    for pid in set(ids):
        rows = db.execute(
            f"""select a.name, a.party, coalesce(a.municipality_code, m.municipality_code),
                       m.date, a.meeting_id, a."group", m.organization
                from attendees a join meetings m on m.id = a.meeting_id
                join documents d on d.id = a.document_id
                where a.person_id = ?
                order by {CANONICAL_ORDER}""", [pid]).fetchall()
        mentioned = db.execute("select value from mentions where person_id = ? order by id",
                               [pid]).fetchall()
        for table in NAMED_PERSON_TABLES:  # tables of the schema: always there
            mentioned += db.execute(f"select name from [{table}] where person_id = ? "
                                    "order by id", [pid]).fetchall()
        if not rows and not mentioned:
            db.execute("delete from persons where id = ?", [pid])
            continue
        # Counter keeps the first of equally common values: the first in canonical order.
        names = Counter(r[0] for r in rows) or Counter(r[0] for r in mentioned)
        parties = [r[1] for r in rows if r[1]]
        munis = Counter(r[2] for r in rows if r[2])
        attended = [r for r in rows if r[5] != "absent"]
        dates = [r[3] for r in attended if r[3]]
        bodies = dict.fromkeys(r[6] for r in attended if r[6])
        values = (
            names.most_common(1)[0][0],
            parties[-1] if parties else None,
            munis.most_common(1)[0][0] if munis else None,
            len({r[4] for r in attended}),
            min(dates) if dates else None,
            max(dates) if dates else None,
            ", ".join(bodies) or None,
        )
        current = db.execute("select name, party, municipality_code, meetings, first_meeting, "
                             "last_meeting, organisations from persons where id = ?",
                             [pid]).fetchone()
        if current != values:
            db.execute("update persons set name = ?, party = ?, municipality_code = ?, "
                       "meetings = ?, first_meeting = ?, last_meeting = ?, organisations = ? "
                       "where id = ?", [*values, pid])
