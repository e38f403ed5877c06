"""Presence per agenda item: who was in the room for which §.

A member is present for every item unless the minutes limit it:
- a note beside the name in the attendance list: "§§ 28-35", "§ 13", "ärende 1-20",
  "fr o m § 6", "t o m § 12", "ej § 54", "117, 118, 122";
- a sentence saying the member arrived or left at a §: "Anna Ek (S) ankommer under § 5",
  "Bo Berg (M) lämnar sammanträdet efter § 12";
- jäv or not taking part in an item (see stances.py): not present for that item.
Numbers are compared with the items of the meeting in document order, so "§§ 28-35" means
the items numbered 28 to 35 and "fr o m § 6" every item from the one numbered 6 on.
"""

from __future__ import annotations

import re

from ..models import Attendee, Item, Stance, Warning
from . import name_lists, sentences
from .wording import rx, wording


def _key(number: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", number.strip())
    return (int(m.group(1)), m.group(2)) if m else (10**9, number)


def _in_range(number: str, a: str, b: str | None) -> bool:
    k = _key(number)
    if b is None:
        return number.strip().casefold() == a.strip().casefold() or k == _key(a)
    return _key(a) <= k <= _key(b) or (k[0] == _key(b)[0] and _key(a)[0] <= k[0])


def items_in_note(note: str, numbers: list[str]) -> list[str] | None:
    """The item numbers an attendance note limits a member to, or None if it does not.

    A marker ("fr o m", "t o m", "ej") holds for the numbers listed after it
    ("ej vid §§ 9, 10 och 17"). A note naming numbers outside the meeting's items (a time,
    a page, a list the items were not all read from) limits nothing.
    """
    p = wording().presence
    text = " ".join(note.split())
    if not re.search(r"\d", text) or re.search(r"\bkl\.?\s*\d|\d[.:]\d\d", text):
        return None
    refs = [m for m in rx(p.reference).finditer(text) if m.group("a")]
    if not refs:
        return None
    keys = [_key(n) for n in numbers]
    lo, hi = min(keys), max(keys)
    named = [x for m in refs for x in (m.group("a"), m.group("b")) if x]
    if any(not lo <= _key(x) <= hi for x in named) or not any(
            x in numbers for x in named) and not any(m.group("b") for m in refs):
        return None
    keep: set[str] = set()
    excluded: set[str] = set()
    # "§ 54 (jäv)": the numbers of a note about jäv are the items the member stood aside from.
    default = "except" if re.search(r"(?i)\bjäv", text) else "in"
    mode, prev_end = default, 0
    for m in refs:
        before = text[prev_end:m.start()]
        if rx(p.from_marker).search(before):
            mode = "from"
        elif rx(p.to_marker).search(before):
            mode = "to"
        elif rx(p.except_marker).search(before):
            mode = "except"
        elif not re.fullmatch(r"[\s,;]*(?:och|samt|,)?[\s,;]*(?:§§?)?\s*", before):
            mode = default
        a, b = m.group("a"), m.group("b")
        if mode == "from":
            chosen = [n for n in numbers if _key(n) >= _key(a)]
        elif mode == "to":
            chosen = [n for n in numbers if _key(n) <= _key(a)]
        else:
            chosen = [n for n in numbers if _in_range(n, a, b)]
        (excluded if mode == "except" else keep).update(chosen)
        prev_end = m.end()
    if excluded and not keep:
        keep = set(numbers)
    present = [n for n in numbers if n in keep and n not in excluded]
    return present if present != numbers else None


def _same(a: str, b: str) -> bool:
    ta = re.findall(r"[\wåäöéü]+", a.casefold())
    tb = re.findall(r"[\wåäöéü]+", b.casefold())
    return bool(ta and tb) and (ta == tb or (len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0]
                                            and ta[-1] == tb[-1]))


def find_attendee(attendees: list[Attendee], name: str) -> int | None:
    for k, a in enumerate(attendees):
        if a.group != "absent" and _same(a.name, name):
            return k
    return None


def _movements(text: str, numbers: list[str], attendees: list[Attendee]):
    """(attendee index, 'from'|'until', item index, span) for members arriving or leaving at
    a §: "Anna Ek (S) ankommer under § 5", "Bo Berg lämnar sammanträdet efter § 12"."""
    p = wording().presence
    for verb_pattern, kind in ((p.arrives, "from"), (p.leaves, "until")):
        for m in rx(verb_pattern).finditer(text):
            a, b = sentences.sentence_at(text, m.start())
            sentence = name_lists.fold(text[a:b])
            if re.search(r"(?i)\bjäv|deltar inte|deltar ej", sentence):
                continue
            at = sentence.find(name_lists.fold(m.group(0)))
            ref = re.search(r"§\s*(\d+[a-z]?)", sentence[at:])
            if not ref or ref.group(1) not in numbers:
                continue
            before = sentence[:at + ref.start()]
            k = numbers.index(ref.group(1))
            # Arriving after § k: from the next item; leaving after § k: present for k.
            # Otherwise ("under", "före", "fr o m", "vid") arriving counts § k in and
            # leaving counts it out.
            after = bool(rx(p.after).search(before))
            if kind == "from":
                k = k + 1 if after else k
            elif not after:
                k = k - 1
            # Who: the attendees named before the verb (the list says who they are).
            subject = sentence[:at].casefold()
            for idx, att in enumerate(attendees):
                if att.group != "absent" and " ".join(att.name.split()).casefold() in subject:
                    yield idx, kind, k, a, b


def attach(text: str, items: list[Item], attendees: list[Attendee]) -> list[Warning]:
    """Set each attendee's `items` where the minutes limit them, and each item's
    `not_present`: the members away from it and why. A member who cast a ballot in an item
    was there, whatever a note says; such a contradiction is returned as a warning."""
    numbers = [it.number for it in items]
    if not numbers:
        return []
    allowed: dict[int, set[str]] = {}
    reason: dict[int, str] = {}
    for k, a in enumerate(attendees):
        if a.group == "absent" or not a.note:
            continue
        present = items_in_note(a.note, numbers)
        if present is not None:
            allowed[k] = set(present)
            reason[k] = " ".join(a.note.split())
    for k, kind, idx, s, e in _movements(text, numbers, attendees):
        span = range(idx, len(numbers)) if kind == "from" else range(0, idx + 1)
        allowed[k] = allowed.get(k, set(numbers)) & {numbers[i] for i in span
                                                     if 0 <= i < len(numbers)}
        reason[k] = name_lists.fold(text[s:e])
    by_number = {it.number: it for it in items}
    for k, present in allowed.items():
        a = attendees[k]
        a.items = [n for n in numbers if n in present]
        for n in numbers:
            if n not in present:
                by_number[n].not_present.append(_away(a, reason[k]))
                # "ej § 54 (jäv)" beside the name: a recusal the item text may not repeat
                if re.search(r"(?i)\bjäv", reason[k]) and not any(
                        _same(r.name or r.who, a.name) for r in by_number[n].recusals):
                    by_number[n].recusals.append(
                        _away(a, "jäv").model_copy(update={"text": reason[k]}))
    for it in items:
        for stance, why in [(s, "jäv") for s in it.recusals] + [
                (s, "deltar inte i beslutet") for s in it.not_participating]:
            k = find_attendee(attendees, stance.name) if stance.name else None
            if k is None:
                it.not_present.append(stance.model_copy(update={"reason": why}))
                continue
            a = attendees[k]
            present = a.items if a.items is not None else numbers
            if it.number in present:
                a.items = [n for n in present if n != it.number]
                it.not_present.append(_away(a, why))
                continue
            for away in it.not_present:  # away by an attendance note: say why as well
                if away.name == a.name and why not in (away.reason or ""):
                    away.reason = f"{away.reason}; {why}" if away.reason else why
    return _voters_were_there(items, attendees, numbers)


def _voters_were_there(items: list[Item], attendees: list[Attendee],
                       numbers: list[str]) -> list[Warning]:
    warnings = []
    for it in items:
        voters = {b.name for v in it.votes for b in v.ballots}
        for name in voters:
            k = find_attendee(attendees, name)
            if k is None or attendees[k].items is None or it.number in attendees[k].items:
                continue
            a = attendees[k]
            away = [s for s in it.not_present if s.name == a.name]
            reason = away[0].reason if away else None
            if reason in ("jäv", "deltar inte i beslutet"):
                continue  # said in the item itself; the voting list may be the odd one out
            a.items = [n for n in numbers if n in set(a.items) | {it.number}]
            it.not_present = [s for s in it.not_present if s.name != a.name]
            warnings.append(Warning(kind="presence_conflict", item=it.number, message=(
                f"§ {it.number}: {a.name} voted, but the attendance list "
                f"({reason}) leaves them out of this item")))
    return warnings


def _away(a: Attendee, reason: str) -> Stance:
    who = f"{a.name} ({a.party})" if a.party else a.name
    return Stance(who=who, name=a.name, party=a.party, reason=reason)
