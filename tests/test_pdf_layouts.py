"""Born-digital PDF layouts, one invented protocol each (tests/fixtures, made by
tests/fixtures/make_pdfs.py): what the page's positions and fonts let the readers see."""

from pathlib import Path

import pytest

from minutes_extract.pipeline import extract

FIXTURES = Path(__file__).parent / "fixtures"


def record(name: str):
    return extract(FIXTURES / f"{name}.pdf")


def test_cover_signatures_with_the_paragraph_range_beside_them():
    r = record("cover-paragraphs-beside-signature")
    m = r.meeting
    # "SAMMANTRÄDESPROTOKOLL" above the body's name is a page head, not the title.
    assert (m.title, m.date, m.secretary, m.chair) == (
        "Miljö- och byggnämnden", "2024-09-17", "Oskar Åberg", "Karin Ek")
    assert [(i.number, i.case_number) for i in r.items] == [
        ("31", "Dnr MBN 2024/1"), ("32", "Dnr MBN 2024/212"), ("33", "Dnr MBN 2024/3")]
    assert r.items[1].title == "Bygglov för nybyggnad av förskola, Ekorren 4"
    nils = next(a for a in r.attendees if a.name == "Nils Holm")
    assert (nils.replaces, nils.group) == ("Eva Lind", "present")


@pytest.mark.parametrize("name, place, start", [
    ("cover-short-place", "Stadshuset", "13:00"),
    ("cover-date-before-place", "Sammanträdesrum Linden", "13:00"),
    ("place-label-above-value", "Rådhuset, Stora salen", "09:00"),
    ("place-and-time-labels-apart", "Rådhuset, Stora salen", "09:00"),
    ("place-wrapped-into-time", "Stadshuset, sammanträdesrum Linden", "13:00"),
    ("place-in-heading-sentence", "Rådhuset, Stora salen", "09:00"),
])
def test_place_and_time_in_the_forms_covers_take(name, place, start):
    m = record(name).meeting
    assert (m.place, m.start_time) == (place, start)


def test_a_body_named_with_an_adjective_is_the_title_and_no_organisation():
    m = record("place-label-above-value").meeting
    assert (m.title, m.organization) == ("Tekniska nämnden", None)


def test_attendance_table_with_a_substitute_column():
    r = record("attendance-substitute-column")
    people = {a.name: a for a in r.attendees}
    assert (people["Carl Claesson"].replaces, people["Carl Claesson"].group) == ("Bo Bengtsson", "present")
    assert people["Frida Fors"].group == "absent"  # her seat taken, no presence of her own
    assert people["Dora Dahl"].group == "absent"  # a blank presence cell among marked rows
    # "Ej tjänstgörande" / "ersättare": one label over two lines, not among the present.
    assert people["Jonas Jonsson"].group == "other"
    assert r.meeting.secretary is None  # "kommunsekreterare" is a title beside a name


def test_attendance_table_of_organisations_and_functions():
    r = record("attendance-organisation-function")
    people = {a.name: a for a in r.attendees}
    assert list(people) == ["Lisa Berg", "Mats Ek", "Nina Holm", "Olle Lind"]
    assert people["Mats Ek"].municipality == "Lilla Edet"
    m = r.meeting
    assert (m.title, m.organization, m.chair, m.secretary) == (
        "Socialchefsnätverket", None, "Lisa Berg", "Nina Holm")


def test_a_name_above_the_document_word_is_the_organisation():
    r = record("name-above-document-word")
    m = r.meeting
    assert (m.title, m.organization, m.place) == (
        "Styrgruppsmöte", "Sydnärke kommunsamverkan", "Kommunhuset i Lekeberg")
    assert (m.chair, m.secretary) == ("Anna Berg", "Dan Holm")


def test_cover_whose_lists_stand_on_page_two():
    r = record("cover-lists-on-page-two")
    people = {a.name: a for a in r.attendees}
    assert list(people) == ["Per Holm", "Anna Nilsson", "Karl Nord", "Eva Ström", "Lena Sund",
                            "Maria Öst"]
    assert (people["Karl Nord"].party, people["Eva Ström"].replaces) == ("M", "Olle Berg")
    m = r.meeting
    assert (m.organization, m.title, m.secretary, m.chair) == (
        "Ekby kommun", "Kommunstyrelsen", "Lena Sund", "Per Holm")


def test_an_item_title_set_in_bold_over_two_lines():
    r = record("item-title-over-two-lines")
    assert [(i.number, i.title, i.case_number) for i in r.items] == [
        ("32", "Bygglov för nybyggnad av förskola på fastigheten Ekorren 4, Ekby", "Dnr BN 2023/212"),
        ("33", "Delegationsbeslut", None)]
    assert r.items[0].decisions == ["Byggnadsnämnden beviljar bygglov."]
