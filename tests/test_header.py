"""Meeting fields on real corpus documents."""

from pathlib import Path

from minutes_extract import ingest
from minutes_extract.segment.header import parse_meeting
from minutes_extract.segment.items import find_items

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def meeting(name: str):
    source = ingest.load(CORPUS / name)
    return parse_meeting(source, find_items(source))


def test_mlr_labelled_header_and_next_meeting():
    m = meeting("mlr-kdm-2019-01-29.txt")
    assert (m.title, m.date, m.start_time, m.end_time) == ("Kommundirektörsmöte", "2019-01-29", "15:00", "17:00")
    assert m.secretary == "Britt Steiner"
    assert m.chair == "Christoffer Nilsson"  # the attendee listed as ordförande
    assert m.next_meeting == "2019-04-23"


def test_hogsby_municipal_cover_page():
    m = meeting("hogsby-ks-2007-01-08.pdf")
    assert (m.title, m.organization, m.date) == ("Kommunstyrelsen", "Högsby kommun", "2007-01-08")
    assert (m.start_time, m.end_time, m.chair) == ("08:30", "09:30", "Ewa Engdahl")
    assert m.adjusters == ["Patrik Köhler", "Nedzad Talovic"]


def test_jonkoping_table_header_place_without_time():
    m = meeting("jonkoping-bun-2019-11-19.md")
    assert m.place == "Rumlaborg"
    assert m.title == "Barn- och utbildningsnämnden"
    assert (m.chair, m.secretary) == ("Anna Carlsson", "Thomas Embrink")


def test_stacken_times_from_header_sentence_and_closing_item():
    m = meeting("stacken-varmote-2018.md")
    assert (m.date, m.start_time, m.end_time) == ("2018-02-22", "19:30", "20:33")
    assert m.place.startswith("Kungliga Tekniska högskolan")
    # Chosen as "kaj" in an item, signed "Rasmus Kaj (kaj), Mötessekreterare".
    assert m.secretary == "Rasmus Kaj"
    assert m.adjusters == [] or "bg" not in m.adjusters


def test_valnamnd_title_in_definite_form():
    m = meeting("kungsbacka-valnamnden-2024-05-06.md")
    assert m.title == "Valnämnden"
    assert (m.date, m.start_time, m.end_time) == ("2024-05-06", "16:30", None)
