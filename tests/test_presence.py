"""Presence per agenda item: attendance notes, arriving and leaving, jäv, not taking part."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minutes_extract.ingest import Page, Source
from minutes_extract.models import Attendee, Item, Span
from minutes_extract.segment import proceedings
from minutes_extract.segment.presence import items_in_note

NUMBERS = ["5", "6", "7", "8", "9", "10"]


def _attendee(record, name: str) -> Attendee:
    return next(a for a in record.attendees if a.name == name)


# ---------------------------------------------------------------------------- golden

def test_members_listed_for_some_paragraphs_are_present_only_for_those(extracted):
    record = extracted("votes/kungsbacka-fg-2024-11-13.md")
    member = _attendee(record, "Ulrika Nyhlén")
    assert member.note.strip() == "§ 105" and member.items == ["105"]
    away = {it.number for it in record.items if member.name in {s.name for s in it.not_present}}
    assert away == {str(n) for n in range(106, 120)}


def test_a_member_who_voted_was_present_whatever_the_note_says(extracted):
    # The header has Paul Blomdahl (M) for §§ 105-111 only, yet both roll calls of § 112
    # list him: he counts as present there, and the record says the minutes disagree.
    record = extracted("votes/kungsbacka-fg-2024-11-13.md")
    assert _attendee(record, "Paul Blomdahl").items == [str(n) for n in range(105, 113)]
    conflict, = [w for w in record.warnings if w.kind == "presence_conflict"]
    assert conflict.item == "112" and "Paul Blomdahl" in conflict.message
    item = next(it for it in record.items if it.number == "112")
    assert "Paul Blomdahl" not in {s.name for s in item.not_present}


def test_two_ranges_in_one_note(extracted):
    record = extracted("votes/kungsbacka-fg-2025-11-12.md")
    assert _attendee(record, "Paul Blomdahl").items == (
        [str(n) for n in range(111, 116)] + [str(n) for n in range(118, 126)])


def test_not_taking_part_takes_a_member_out_of_that_item_only(extracted):
    record = extracted("kungsbacka-ksau-2025-01-14.md")
    member = _attendee(record, "Magdalena Sundqvist")
    assert member.items == ["28", "29", "30", "32"]
    item = next(it for it in record.items if it.number == "31")
    assert [(s.name, s.reason) for s in item.not_present if s.name == member.name] == [
        ("Magdalena Sundqvist", "deltar inte i beslutet")]


def test_numbers_of_items_the_minutes_do_not_have_limit_nothing(extracted):
    # Notes naming paragraphs outside the items read ("paragraf 57" where the items are
    # 50-53) say nothing reliable about presence at the items.
    record = extracted("amnesty-styrelsemote-1997-09-27.txt")
    assert all(a.items is None for a in record.attendees)


# ---------------------------------------------------------------------------- invented

@pytest.mark.parametrize(("note", "present"), [
    ("§§ 6-8", ["6", "7", "8"]),
    ("§ 7", ["7"]),
    ("§§ 5-6, 9", ["5", "6", "9"]),
    ("ärende 8-10", ["8", "9", "10"]),
    ("fr o m § 8", ["8", "9", "10"]),
    ("fr.o.m. § 9", ["9", "10"]),
    ("t o m § 6", ["5", "6"]),
    ("ej § 7", ["5", "6", "8", "9", "10"]),
    ("ej vid §§ 6, 7 och 9", ["5", "8", "10"]),
    ("8, 9, 10", ["8", "9", "10"]),
    ("§ 7 (jäv)", ["5", "6", "8", "9", "10"]),
])
def test_attendance_note(note, present):
    assert items_in_note(note, NUMBERS) == present


@pytest.mark.parametrize("note", [
    "ordförande", "kl. 13.00-15.30", "§§ 5-10", "§ 57", "§§ 2-3", "13:15",
])
def test_attendance_note_that_limits_nothing(note):
    assert items_in_note(note, NUMBERS) is None


def test_arriving_and_leaving_during_the_meeting():
    text = ("§ 1 Upprop\nAnna Ek (S) ankommer kl. 13.30 under § 2.\n§ 2 Budget\nBeslut\n"
            "§ 3 Plan\nBo Berg (M) lämnar sammanträdet efter § 3.\n§ 4 Övrigt\n"
            "Med anledning av jäv deltar inte Cecilia Dahl (C) i handläggningen.\n"
            "§ 5 Avslut\nDan Ek (V) avviker under § 5.\n")
    starts = [m.start() for m in re.finditer(r"(?m)^§ ", text)] + [len(text)]
    items = [Item(number=str(k + 1), title="Ärende", span=Span(start=a, end=b))
             for k, (a, b) in enumerate(zip(starts, starts[1:]))]
    members = [Attendee(name=n, party=p) for n, p in (
        ("Anna Ek", "S"), ("Bo Berg", "M"), ("Cecilia Dahl", "C"), ("Dan Ek", "V"),
        ("Eva Falk", "L"))]
    source = Source(path=Path("invented.txt"), format="txt", text=text,
                    pages=[Page(1, 0, len(text))], sha256="0" * 64)
    proceedings.attach(source, items, members)
    assert [m.items for m in members] == [
        ["2", "3", "4", "5"], ["1", "2", "3"], ["1", "2", "3", "5"], ["1", "2", "3", "4"], None]
    assert [(s.name, s.reason) for s in items[3].not_present] == [
        ("Bo Berg", "Bo Berg (M) lämnar sammanträdet efter § 3."), ("Cecilia Dahl", "jäv")]


def test_jav_beside_a_name_in_the_attendance_list_is_a_recusal():
    text = "§ 1 Val\nNämnden väljer.\n§ 2 Bygglov\nNämnden beviljar.\n"
    items = [Item(number="1", title="Val", span=Span(start=0, end=23)),
             Item(number="2", title="Bygglov", span=Span(start=23, end=len(text)))]
    members = [Attendee(name="Anna Ek", party="S", note="ej § 2 (jäv)")]
    source = Source(path=Path("invented.txt"), format="txt", text=text,
                    pages=[Page(1, 0, len(text))], sha256="0" * 64)
    proceedings.attach(source, items, members)
    assert members[0].items == ["1"]
    assert [(s.who, s.reason) for s in items[1].recusals] == [("Anna Ek (S)", "jäv")]
    assert items[0].recusals == []
