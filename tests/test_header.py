"""Meeting fields on real corpus documents."""

from pathlib import Path

import pytest

from minutes_extract import ingest
from minutes_extract.segment import header
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


def test_association_officers_from_unnumbered_headings_and_sentences():
    m = meeting("python-sverige-styrelsemote-2013-01-21.md")
    # "Val av mötesordförande / Fredrik Håård"; "Mötet förklarades öppnat 20:20."
    assert (m.chair, m.secretary, m.start_time, m.end_time) == ("Fredrik Håård", "Tome Cvitan", "20:20", "21:30")
    assert m.place is None  # "Lokal och mat" is a heading, not a label
    # "Nästa styrelsemöte / Torsdag 30 januari": the weekday misleads; the next meeting is weeks away.
    assert m.next_meeting == "2013-01-30"


def test_officers_chosen_in_sub_items():
    m = meeting("ix-sthlm-arsmote-2019.pdf")
    assert (m.organization, m.chair) == ("IX", "Michael Stahre")
    # Chosen under "Val av mötessekreterare", though the sentence says "mötesordförande".
    assert m.secretary == "Elis Hirwing"
    m = meeting("lithekod-stormote-2019-05-21.pdf")
    assert (m.organization, m.chair, m.secretary) == ("LiTHe kod", "Frans Skarman", "Robin Sliwa")
    m = meeting("piratpartiet-partistyrelsemote-2013-01-26.txt")
    assert m.organization == "Piratpartiet"
    assert m.secretary == "Henrik Brändén och Anton Nordenfur"


def test_organisation_written_beside_the_title():
    assert meeting("mlr-kdm-2019-06-11.md").organization == "MalmöLundregionen"
    assert meeting("mlr-kdm-2019-01-29.txt").organization == "MalmöLundregionen"  # on the next line
    assert meeting("lithekod-styrelsemote-2013-10-09.pdf").organization == "LiTHe Kod"  # "LiTHe Kod 2013-10-09"
    m = meeting("lithekod-styrelsemote-2017-08-23.md")
    assert (m.organization, m.start_time, m.end_time) == ("LiTHe kod", "12:03", "13:20")  # "## Mötets öppnande / 12:03"
    m = meeting("varbygd1891-styrelsemote-2005-03-28.txt")
    assert m.organization == "Vår Bygd 1891"  # "fört med för. ”Vår Bygd 1891”"
    assert (m.secretary, m.chair) == ("Ragnhild Hallsten", None)  # signed "Ragnhild Hallsten, sekr."


def test_unnumbered_markdown_minutes():
    m = meeting("dvd-gu-styrelsen-2023-03-24.md")
    assert (m.title, m.organization, m.place) == ("Möte", None, "Styrelserummet")  # "Plats / Styrelserummet" is no genitive
    assert (m.start_time, m.end_time, m.secretary) == ("12:05", "13:00", "Tekla")  # "Att: Tekla är sekretare"


def test_municipal_headers_with_labels_apart_from_values():
    m = meeting("ange-ks-2006-05-23.txt")
    assert (m.organization, m.place) == ("Ånge kommun", "Ånge kommunkontor, rum Flataklocken")
    assert (m.chair, m.secretary) == ("Sten-Ove Danielsson", "Ulf Stecksen")
    m = meeting("hogsby-ks-2007-01-08.pdf")
    assert (m.place, m.secretary) == ("Kommunhusets tingssal", "Anders Svensson")
    m = meeting("lomma-ks-2025-11-19.txt")
    assert m.place == "Lomma kommun, Sessionssalen Kärnan"
    m = meeting("umearegionen-regionradet-spiran-sikea.txt")
    assert (m.organization, m.place) == ("Umeåregionen", "Spiran Sikeå Konferens & Logi")


def test_flattened_transcripts():
    m = meeting("kramfors-ksau-2018.txt")
    assert m.date is None  # "Justeringens plats och tid ... 6 mars" is no meeting date
    assert (m.title, m.organization) == ("Kommunstyrelsens arbetsutskott", "Kramfors kommun")
    m = meeting("kungalv-ks-2005-09-07.txt")
    assert (m.title, m.organization, m.place) == ("Kommunstyrelsen", "Kungälvs kommun", "Bohusrummet")
    assert m.secretary == "Linda Andersson"  # "Sekreterare Paragraf Linda Andersson"


def test_another_bodys_next_meeting_is_not_ours():
    assert meeting("mlr-kdm-2019-06-11.md").next_meeting is None  # "inför KoSS nästa möte den 2 oktober"


@pytest.mark.parametrize(
    "body, name",
    [
        ("Mötet valde nsg till mötesordförande.", "nsg"),
        ("Till mötessekreterare valdes Henrik Brändén och Anton Nordenfur.", "Henrik Brändén och Anton Nordenfur"),
        ("Mötet nominerar och väljer Frans Skarman", "Frans Skarman"),
        ("Olav Övrebö blev vald till ordförande.", "Olav Övrebö"),
        ("Sittande sekreterare kaj föreslogs och valdes till mötessekreterare.", "kaj"),
        ("Att: Tekla är sekretare", "Tekla"),
        ("Fredrik Håård", "Fredrik Håård"),
        ("Bordlades.", None),
    ],
)
def test_chosen_person(body, name):
    assert header._chosen(body) == name


def test_label_values_skip_headings_and_read_stacked_values():
    assert header._label_values("Lokal och mat\nFrej har tagit fram", ["Lokal"]) == []
    text = "Plats och tid\nBeslutande\nEj beslutande\nÖvriga deltagare Rådhuset, sal 2, kl 18\n"
    assert [v for _, v in header._label_values(text, ["Plats och tid"])] == ["Rådhuset, sal 2, kl 18"]
    assert header._strip_when("Bohusrummet, Kl ande") == "Bohusrummet"
