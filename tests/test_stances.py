"""Reservations, protokollsanteckningar, jäv and not taking part: who, as written.

Golden tests per real-world variant (corpus/votes and corpus), then invented examples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes_extract.ingest import Page, Source
from minutes_extract.models import Item, Span
from minutes_extract.segment import proceedings


@pytest.fixture
def item_of(extracted):
    def find(name: str, number: str):
        return next(it for it in extracted(name).items if it.number == number)
    return find


def _who(stances) -> list[str]:
    return [s.who for s in stances]


def read(text: str, number: str = "12") -> Item:
    source = Source(path=Path("invented.txt"), format="txt", text=text,
                    pages=[Page(1, 0, len(text))], sha256="0" * 64)
    item = Item(number=number, title="Ärendet", span=Span(start=0, end=len(text)))
    proceedings.attach(source, [item], [])
    return item


# ---------------------------------------------------------------------------- golden, per variant

def test_reservations_split_over_a_page_break_with_a_long_motivation(item_of):
    item = item_of("votes/kungsbacka-fg-2024-11-13.md", "112")
    assert _who(item.reservations) == [
        "Johan Tolinsson (S)", "Helen Thylin (S)", "Jan-Christer Janson (V)",
        "Anna-Karin Granberg (SD)", "Susanne Andersson (SD)"]
    assert {s.in_favour_of for s in item.reservations} == {"eget förslag"}


def test_protocol_notes_under_a_heading_name_who_stands_first_in_each_sentence(item_of):
    item = item_of("votes/kungsbacka-fg-2024-11-13.md", "112")
    assert _who(item.protocol_notes) == [
        "Helene Engstrand (KD)", "Marie-Louise Alfvegren (M)", "Anette Stockhaus (S)",
        "Sena Munteanu (S)", "Göran Ottosson (SD)"]
    assert item.protocol_notes[2].text == ("Anette Stockhaus (S) och Sena Munteanu (S) stödjer "
                                           "Socialdemokraternas förslag.")


def test_reservation_without_sig_inside_the_decision_section(item_of):
    item = item_of("votes/kungsbacka-fg-2025-11-12.md", "117")
    assert _who(item.reservations) == ["Jan-Christer Jansson (V)", "Johan Tolinsson (S)",
                                       "Helen Thylin (S)"]
    assert len(item.protocol_notes) == 5 and item.votes == []


def test_reservation_naming_a_member_without_party_tag(item_of):
    item = item_of("votes/lomma-bun-2025-10-07.txt", "66")
    assert _who(item.reservations) == ["Thomas Eneström (S)", "Marie Sand (S)", "Ulf Richeberg"]
    assert item.reservations[2].party is None
    assert item.reservations[0].in_favour_of == "Thomas Eneströms (S) yrkande"


def test_oral_reservations_after_propositions_without_a_vote(item_of):
    item = item_of("votes/lomma-ks-2025-11-05.txt", "127")
    assert _who(item.reservations) == ["Per Bengtsson (S)", "Oscar Sedira (SD)",
                                       "Jenny Morau (F)"]
    assert {s.written for s in item.reservations} == {False}
    assert item.votes == []


def test_written_reservations_and_note_in_bilagor_count_once(item_of):
    # The Bilagor reproduce the reservations ("Jag reserverar mig", "Vi reserverar oss",
    # "Fokus vill reservera sig"): their text names no one new.
    item = item_of("votes/lomma-ks-2026-01-21.txt", "3")
    assert _who(item.reservations) == ["Per Bengtsson (S)", "Rune Netterlid (S)",
                                       "Lennart Nilsson (S)", "Sandra Pilemalm (L)",
                                       "Jenny Morau (F)"]
    assert item.reservations[0].written is True and item.reservations[0].attachment == "Bilaga A"
    note, = item.protocol_notes
    assert (note.who, note.written, note.attachment) == ("Oscar Sedira (SD)", True, "Bilaga D")


def test_written_reservations_per_party_with_their_bilagor(item_of):
    item = item_of("votes/lomma-kf-2025-10-16.txt", "76")
    assert len(item.reservations) == 22
    assert {s.attachment for s in item.reservations if s.party == "MP"} == {"Bilaga G"}


def test_recusal_for_jav_with_a_substitute_voting(item_of):
    item = item_of("votes/lomma-kf-2025-08-28.txt", "54")
    recusal, = item.recusals
    assert (recusal.who, recusal.party, recusal.reason) == ("Fredrik Karström (M)", "M", "jäv")
    assert "Fredrik Karström" in {s.name for s in item.not_present}


def test_not_taking_part_is_not_a_reservation(item_of):
    item = item_of("kungsbacka-ksau-2025-01-14.md", "31")
    assert _who(item.not_participating) == ["Magdalena Sundqvist (S)"]
    assert _who(item.reservations) == ["Stefan Jägnert (SD)"]
    assert item.recusals == []


def test_parties_reserving_together(item_of):
    item = item_of("jonkoping-bun-2022-01-25.md", "3")
    assert _who(item.reservations) == ["M", "KD"]


# ---------------------------------------------------------------------------- invented, per form

def test_reservation_list_with_and_after_heading():
    item = read("Reservation\nAnna Ek (S), Bo Berg (S) och Cecilia Dahl reserverar sig till "
                "förmån för eget yrkande.\n")
    assert _who(item.reservations) == ["Anna Ek (S)", "Bo Berg (S)", "Cecilia Dahl"]
    assert [s.party for s in item.reservations] == ["S", "S", None]
    assert item.reservations[0].in_favour_of == "eget yrkande"


def test_reservation_by_parties():
    item = read("M och KD reserverar sig mot beslutet.\n")
    assert [(s.who, s.name, s.party) for s in item.reservations] == [
        ("M", None, "M"), ("KD", None, "KD")]


def test_reservation_with_the_subject_after_the_verb():
    item = read("Mot beslutet reserverar sig Anna Ek (V) och Bo Berg (MP).\n")
    assert _who(item.reservations) == ["Anna Ek (V)", "Bo Berg (MP)"]


def test_reservation_written_or_oral_by_party_name():
    item = read("Reservationer\nSocialdemokraterna reserverar sig skriftligt, bilaga 3.\n"
                "Sverigedemokraternas ledamöter reserverar sig muntligt.\n")
    assert [(s.party, s.written, s.attachment) for s in item.reservations] == [
        ("S", True, "Bilaga 3"), ("SD", False, None)]


def test_names_under_a_reservation_heading():
    item = read("Reservation\nAnna Ek (S)\nBo Berg (S)\n\nBeslutet skickas till\nKommunstyrelsen\n")
    assert _who(item.reservations) == ["Anna Ek (S)", "Bo Berg (S)"]
    item = read("Reservation: Anna Ek (S), Bo Berg (V)\n")
    assert _who(item.reservations) == ["Anna Ek (S)", "Bo Berg (V)"]


def test_written_reservation_text_names_no_one_new():
    item = read("Anna Ek (L) reserverar sig skriftligt.\nBilaga B\n"
                "                        Bilaga B § 12\nReservation\n"
                "Jag reserverar mig mot beslutet eftersom processen var för snabb.\n"
                "Vi reserverar oss också mot underlaget.\nAnna Ek (L)\n")
    reservation, = item.reservations
    assert (reservation.who, reservation.written, reservation.attachment) == (
        "Anna Ek (L)", True, "Bilaga B")


def test_not_taking_part_beside_a_reservation():
    item = read("Anna Ek (S) deltar inte i beslutet.\n"
                "Bo Berg (M) reserverar till förmån för eget förslag.\n")
    assert _who(item.reservations) == ["Bo Berg (M)"]
    assert _who(item.not_participating) == ["Anna Ek (S)"]


def test_protocol_notes_under_a_heading_continue_over_sentences():
    item = read("Protokollsanteckning\nAnna Ek (S) och Bo Berg (S) stödjer Cecilia Dahls yrkande."
                "\nDan Ek (SD) anser att förslaget\när för dyrt. Han vill se en utredning.\n\n"
                "Beslutet skickas till\nKommunstyrelsen\n")
    assert _who(item.protocol_notes) == ["Anna Ek (S)", "Bo Berg (S)", "Dan Ek (SD)"]
    assert item.protocol_notes[2].text == ("Dan Ek (SD) anser att förslaget är för dyrt. "
                                           "Han vill se en utredning.")


def test_protocol_note_with_its_author_before_a_colon():
    item = read("Protokollsanteckning\nAnna Ek (V): Vänsterpartiet vill se en utredning av "
                "kostnaderna.\n\nBeslutet skickas till\nKommunstyrelsen\n")
    assert _who(item.protocol_notes) == ["Anna Ek (V)"]


def test_protocol_notes_by_party_representatives():
    item = read("Protokollsanteckningar\nRepresentanterna från MP, S och V antecknar som "
                "yttrande en skrivelse från den 16 juni.\n")
    assert [(s.who, s.party) for s in item.protocol_notes] == [("MP", "MP"), ("S", "S"),
                                                              ("V", "V")]


def test_protocol_notes_by_verb():
    item = read("Eva Falk (V) lämnar en skriftlig protokollsanteckning, bilaga 2.\n"
                "Gustav Holm (C) får följande anteckning införd i protokollet: ”Vi stödjer "
                "beslutet”.\n")
    assert [(s.who, s.written, s.attachment) for s in item.protocol_notes] == [
        ("Eva Falk (V)", True, "Bilaga 2"), ("Gustav Holm (C)", None, None)]


def test_labels_with_a_colon():
    assert _who(read("Jäv: Anna Ek (S)\n").recusals) == ["Anna Ek (S)"]
    assert _who(read("Deltar inte i beslutet: Anna Ek (M), Bo Berg (M)\n").not_participating
                ) == ["Anna Ek (M)", "Bo Berg (M)"]
    assert [s.party for s in read("Samtliga ledamöter från SD reserverar sig mot beslutet.\n"
                                  ).reservations] == ["SD"]


def test_parties_in_lower_case_as_older_minutes_write_them():
    item = read("Anna Ek (m) och Bo Berg (s) reserverar sig mot beslutet.\n")
    assert [(s.who, s.party) for s in item.reservations] == [("Anna Ek (m)", "M"),
                                                            ("Bo Berg (s)", "S")]


def test_reservations_told_about_another_meeting_are_background():
    item = read("Kommunstyrelsen beslutade 2024-05-10 att föreslå fullmäktige att anta planen. "
                "I kommunstyrelsen reserverade sig S mot beslutet.\n"
                "Beslutsunderlag\n- Reservation från V, 2024-05-10\n")
    assert item.reservations == []
    item = read("Anna Ek (S) anmäler reservation mot beslutet i § 12.\n")
    assert _who(item.reservations) == ["Anna Ek (S)"]


def test_recusal_names_the_member_not_the_substitute():
    item = read("Jäv\nMed anledning av jäv deltar inte Anna Ek (S) i handläggningen av "
                "ärendet. Bo Berg (S) tjänstgör i hennes ställe.\n")
    assert _who(item.recusals) == ["Anna Ek (S)"]
    item = read("Cecilia Dahl (M) anmäler jäv och ersätts av Dan Ek (M).\n")
    assert _who(item.recusals) == ["Cecilia Dahl (M)"]


def test_recusal_under_a_heading_and_none_declared():
    assert _who(read("Jäv\nAnna Ek (S)\n").recusals) == ["Anna Ek (S)"]
    assert read("Ordföranden frågar om någon anmäler jäv. Ingen jäv anmäls.\n").recusals == []


def test_recusal_declared_under_another_item_goes_to_the_item_it_names():
    text = ("§ 1 Anmälan om jäv\nAnna Ek (S) anmäler jäv i § 2.\n"
            "§ 2 Bygglov\nNämnden beviljar bygglov.\n")
    source = Source(path=Path("invented.txt"), format="txt", text=text,
                    pages=[Page(1, 0, len(text))], sha256="0" * 64)
    first = Item(number="1", title="Anmälan om jäv", span=Span(start=0, end=49))
    second = Item(number="2", title="Bygglov", span=Span(start=49, end=len(text)))
    proceedings.attach(source, [first, second], [])
    assert first.recusals == [] and _who(second.recusals) == ["Anna Ek (S)"]
