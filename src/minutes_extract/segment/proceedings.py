"""What the members did under each agenda item, read after the items are known.

`attach` gives every item its votes, reservations, protocol notes, recusals (jäv), members
not taking part or not present, and a join key for its case number; it returns the warnings
raised on the way (ballots that do not add up, a vote whose counts could not be read).

Each place in the text belongs to the item whose paragraph it stands in. An item's span is
used, and so is a paragraph heading of the item further on ("BUN § 66   BUN/2025:1"): where
the items were read from a table of contents, the paragraphs themselves come later.
"""

from __future__ import annotations

import bisect
import re

from ..ingest import Source
from ..models import Attendee, Item, Warning
from . import presence, sentences, stances, votes
from .wording import any_of, rx, wording

_HEADING = re.compile(
    r"(?m)^[ \t]*(?:[A-ZÅÄÖ][\wÅÄÖåäö]{0,15}[ \t]+){0,2}§[ \t]*(?P<number>\d+[a-z]?)\b"
    r"(?P<rest>[ \t]*(?:forts\w*\.?)?[ \t]*(?:[^\n]*\d[^\n]*)?)$")


_SHORT_SPAN = 400


def case_key(case_number: str | None) -> str | None:
    """A case number as a join key: "Dnr KS 2019/123", "KS2019/123" and "ks 2019/123" give
    "KS 2019/123"; "FG-2024-00708" gives "FG 2024-00708"."""
    if not case_number:
        return None
    s = re.sub(r"(?i)^\s*(?:dnr|diarienummer|diarienr|ärendenummer|ärende nr|ärendenr)\.?\s*:?\s*",
               "", case_number)
    s = s.upper().replace("–", "-").replace("—", "-")
    s = re.sub(r"\s*([/:])\s*", r"\1", s)
    s = re.sub(r"(?<=[A-ZÅÄÖ])[\s-]*(?=\d)", " ", s)
    s = " ".join(s.split())
    return s or None


class Regions:
    """Which item each place in the text belongs to."""

    def __init__(self, text: str, items: list[Item]):
        # Only an item whose span is a line or two (read from a table of contents) or
        # missing takes its paragraph heading further on; a "§ 12" line inside another item
        # (a list of documents, a quotation) moves nothing.
        short = {it.number for it in items
                 if not it.span or it.span.end - it.span.start <= _SHORT_SPAN}
        starts: list[tuple[int, str]] = []
        for it in items:
            if it.span:
                starts.append((it.span.start, it.number))
        for m in _HEADING.finditer(text):
            if m.group("number") in short:
                starts.append((m.start(), m.group("number")))
        starts.sort()
        self.offsets = [s for s, _ in starts]
        self.numbers = [n for _, n in starts]
        ends = self.offsets[1:] + [len(text)]
        self.spans = [(a, b, n) for a, b, n in zip(self.offsets, ends, self.numbers)]

    def item_at(self, pos: int) -> str | None:
        k = bisect.bisect_right(self.offsets, pos) - 1
        return self.numbers[k] if k >= 0 else None

    def end_at(self, pos: int) -> int:
        k = bisect.bisect_right(self.offsets, pos)
        return self.offsets[k] if k < len(self.offsets) else 10**12


def attach(source: Source, items: list[Item], attendees: list[Attendee]) -> list[Warning]:
    text = source.text
    warnings: list[Warning] = []
    for it in items:
        it.case_key = case_key(it.case_number)
    if not items:
        return warnings
    regions = Regions(text, items)
    by_number: dict[str, Item] = {}
    for it in items:
        by_number.setdefault(it.number, it)
    known = set(by_number)
    found, vote_warnings = votes.read(text, regions.spans, regions.item_at, source.page_at,
                                      source.lines)
    warnings += vote_warnings
    for number, vote in found:
        if number in by_number:
            by_number[number].votes.append(vote)
    for field, entries in (
            ("reservations", stances.reservations(text, regions.item_at, source.page_at)),
            ("protocol_notes", stances.protocol_notes(text, regions.item_at, source.page_at,
                                                      regions.end_at)),
            ("recusals", stances.recusals(text, regions.item_at, source.page_at, known)),
            ("not_participating", stances.not_participating(text, regions.item_at,
                                                            source.page_at, known))):
        for number, stance in entries:
            if number in by_number:
                getattr(by_number[number], field).append(stance)
    for a, b, number in regions.spans:
        it = by_number[number]
        if not it.votes and _vote_held(text, a, b) and \
                not any(w.item == number for w in warnings):
            warnings.append(Warning(kind="vote_unread", item=number, message=(
                f"§ {number}: the minutes say a vote was held but no counts were read")))
    warnings += presence.attach(text, items, attendees)
    return warnings


def _vote_held(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] says a vote was requested or held ("Votering begärs"), not that
    none was ("Ingen votering begärs")."""
    requested = rx(any_of(wording().vote.requested))
    if not requested.search(text, a, b):
        return False
    for x, y in sentences.split(text, a, b):
        sentence = " ".join(text[x:y].split())
        if requested.search(sentence) and not re.search(
                r"(?i)\b(?:ingen|inte|ej|icke|frågar|fråga|frågade)\b", sentence):
            return True
    return False
