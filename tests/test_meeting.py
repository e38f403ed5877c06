"""Meeting fields: one real document per header form, and the readers on invented text."""

from pathlib import Path

import pytest

from minutes_extract import ingest
from minutes_extract.segment import meeting as meeting_reader
from minutes_extract.segment import segment

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def meeting(name: str):
    return segment(ingest.load(CORPUS / name)).meeting


def invented(text: str):
    source = ingest.Source(Path("x.txt"), "txt", text, [ingest.Page(1, 0, len(text))], "0" * 64)
    return segment(source).meeting


def test_mlr_labelled_header_and_next_meeting():
    m = meeting("mlr-kdm-2019-01-29.txt")
    assert (m.title, m.date, m.start_time, m.end_time) == ("Kommundirektörsmöte", "2019-01-29", "15:00", "17:00")
    assert m.secretary == "Britt Steiner"
    assert m.chair == "Christoffer Nilsson"  # the attendee listed as ordförande
    assert m.next_meeting == "2019-04-23"


def test_hogsby_municipal_cover_page_read_by_position():
    m = meeting("hogsby-ks-2007-01-08.pdf")
    assert (m.title, m.organization, m.date) == ("Kommunstyrelsen", "Högsby kommun", "2007-01-08")
    assert (m.start_time, m.end_time, m.chair) == ("08:30", "09:30", "Ewa Engdahl")
    assert (m.place, m.secretary) == ("Kommunhusets tingssal", "Anders Svensson")
    assert m.adjusters == ["Patrik Köhler", "Nedzad Talovic"]


def test_lomma_kf_pdf_cover_with_labels_and_colons():
    m = meeting("lomma-kf-2023-04-20.pdf")
    # "KOMMUNFULLMÄKTIGE" heads the page; "Beslutande organ: Kommunfullmäktige" names it.
    assert (m.title, m.organization) == ("Kommunfullmäktige", "Lomma kommun")
    assert (m.place, m.start_time, m.end_time) == ("Lomma kommun, Stora Sessionssalen", "18:00", "22:43")
    assert (m.chair, m.secretary) == ("Marie Nilsson", "Maria Zingmark")


def test_kungsbacka_two_columns_do_not_leak_into_each_other():
    m = meeting("kungsbacka-ks-2026-08-25.md")
    # "Sekreterare   Patrik Johansson              Paragrafer §§ 179-180"
    assert (m.chair, m.secretary) == ("Lisa Andersson", "Patrik Johansson")
    assert (m.place, m.start_time, m.end_time) == ("Kungsbackarummet, Storgatan 37", "13:00", "13:20")
    assert (m.title, m.organization) == ("Kommunstyrelsen", "Kungsbacka kommun")


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
    assert meeting("lithekod-styrelsemote-2013-10-09.pdf").organization == "LiTHe Kod"
    m = meeting("lithekod-styrelsemote-2017-08-23.md")
    assert (m.organization, m.start_time, m.end_time) == ("LiTHe kod", "12:03", "13:20")
    m = meeting("varbygd1891-styrelsemote-2005-03-28.txt")
    assert m.organization == "Vår Bygd 1891"  # "fört med för. ”Vår Bygd 1891”"
    assert (m.secretary, m.chair) == ("Ragnhild Hallsten", None)  # signed "Ragnhild Hallsten, sekr."


def test_unnumbered_markdown_minutes():
    m = meeting("dvd-gu-styrelsen-2023-03-24.md")
    assert (m.title, m.organization, m.place) == ("Möte", None, "Styrelserummet")
    assert (m.start_time, m.end_time, m.secretary) == ("12:05", "13:00", "Tekla")


def test_flattened_headers_share_their_values_by_kind():
    m = meeting("ange-ks-2006-05-23.txt")
    assert (m.organization, m.place) == ("Ånge kommun", "Ånge kommunkontor, rum Flataklocken")
    assert (m.chair, m.secretary) == ("Sten-Ove Danielsson", "Ulf Stecksen")
    m = meeting("kramfors-ksau-2018.txt")
    assert m.date is None  # "Justeringens plats och tid ... 6 mars" is no meeting date
    assert (m.title, m.organization) == ("Kommunstyrelsens arbetsutskott", "Kramfors kommun")
    assert m.place == "Jan Sahléns tjänsterum, kommunhuset, våning 4"
    m = meeting("kungalv-ks-2005-09-07.txt")
    assert (m.title, m.organization, m.place) == ("Kommunstyrelsen", "Kungälvs kommun", "Bohusrummet")
    assert m.secretary == "Linda Andersson"  # "Sekreterare Paragraf Linda Andersson"
    m = meeting("regionforbundet-kalmar-2008-09-11.txt")
    assert m.title == "Regionförbundets Primärkommunala nämnd"  # "Organ: Plats och tid: ..."
    assert m.place == "Regionförbundet, Nygatan 34, Kalmar"


def test_two_column_text_cover_with_stacked_labels():
    m = meeting("lomma-ks-2025-11-19.txt")
    assert m.place == "Lomma kommun, Sessionssalen Kärnan"
    assert (m.start_time, m.end_time) == ("19:00", "19:30")


def test_another_bodys_next_meeting_is_not_ours():
    assert meeting("mlr-kdm-2019-06-11.md").next_meeting is None  # "inför KoSS nästa möte den 2 oktober"


# ---------------------------------------------------------------------- invented headers


def test_neighbour_column_does_not_leak_into_a_value():
    m = invented(
        "Plats och tid    Rådhuset, sal 2, kl 18.00-20.15      Paragrafer   §§ 116-120\n"
        "Sekreterare      Anna Berg                            Paragrafer   §§ 116-120\n"
        "Ordförande       Bo Ek\n"
        "§ 116 Mötets öppnande\n§ 117 Val av justerare\n")
    assert (m.place, m.start_time, m.end_time) == ("Rådhuset, sal 2", "18:00", "20:15")
    assert (m.secretary, m.chair) == ("Anna Berg", "Bo Ek")


def test_stacked_labels_take_the_value_lines_below_in_order():
    m = invented(
        "Plats:                                   Sida 1 av 4\n"
        "Tid:\n"
        "                  Stadshuset, sal B\n"
        "                  2024-03-05, klockan 09:00-11:30\n"
        "Ordförande:       Bo Ek\n"
        "§ 1 Mötets öppnande\n§ 2 Val av justerare\n")
    assert (m.place, m.date, m.start_time, m.end_time) == ("Stadshuset, sal B", "2024-03-05", "09:00", "11:30")


def test_body_from_the_notice_and_title_line_times():
    m = invented(
        "KOMMUNSTYRELSEN\n"
        "Protokoll 2024-05-06 kl. 9.00-13.30\n"
        "Ordf. Anna Berg\n"
        "ANSLAG/BEVIS\nOrgan   Kommunstyrelsens arbetsutskott\n"
        "§ 1 Mötets öppnande\n§ 2 Val av justerare\n")
    assert m.title == "Kommunstyrelsens arbetsutskott"
    assert (m.start_time, m.end_time, m.chair) == ("09:00", "13:30", "Anna Berg")


def test_title_is_never_a_page_head_or_a_form_label():
    m = invented(
        "SAMMANTRÄDESPROTOKOLL                 Sida 1 av 27\n"
        "Plats och tid för sammanträde   Rådhuset\n"
        "Nämnden för teknik\n"
        "§ 1 Mötets öppnande\n§ 2 Val av justerare\n")
    assert m.title not in ("Sammanträde", "Nämnden", "Sida 1 av 27")


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
    assert meeting_reader._chosen(body) == name


def test_place_loses_its_date_and_time():
    assert meeting_reader._strip_when("Bohusrummet, Kl ande") == "Bohusrummet"
    assert meeting_reader._strip_when("Rumlaborg kl. 08:30-12:10") == "Rumlaborg"
    assert meeting_reader._strip_when("Rådhuset, tisdag den 4 maj 2021") == "Rådhuset"
    assert meeting_reader._strip_when("Stadshuset, 2021-05-04, 18.00") == "Stadshuset"


@pytest.mark.parametrize("first_line, title", [
    ("Konstituerande styrelsemöte för år 2018", "Styrelsemöte"),
    ("Styrelsemöte för 2017", "Styrelsemöte"),
    ("Protokoll Nämnden för kultur och fritid", "Nämnden för kultur och fritid"),
])
def test_a_year_after_the_meeting_word_is_no_part_of_the_title(first_line, title):
    m = invented(f"{first_line}\n2018-05-07\n1 Mötets öppning\nMötet öppnades.\n"
                 "2 Val av ordförande\nAnna Berg valdes.\n")
    assert m.title == title


def test_title_line_with_the_organisations_name_after_it():
    m = invented("# Mötesprotokoll Datorklubben Bit\n\n## 20 augusti 2020\n\n## Närvarande\n"
                 "- Anna Berg\n- Bo Ek\n\n## Mötets öppnande\nKlockan 12.\n")
    assert (m.title, m.organization) == ("Möte", "Datorklubben Bit")


def test_chair_marked_ordf_in_the_attendance_list():
    m = invented("Kommunstyrelsen\nSammanträdesdatum 2024-05-06\n"
                 "Beslutande   Bo Ek (M), vice ordf\n             Anna Berg (S), ordf.\n"
                 "Sekreterare  Cilla Dahl\n§ 1 Öppnande\nText.\n§ 2 Budget\nText.\n")
    assert (m.chair, m.secretary) == ("Anna Berg", "Cilla Dahl")


@pytest.mark.parametrize("organ, title", [("BUN", "BUN"), ("KOMMUNSTYRELSEN", "Kommunstyrelsen")])
def test_body_in_capitals_and_an_abbreviated_body(organ, title):
    m = invented(f"Sammanträdesdatum 2025-10-07\nBeslutande organ:   {organ}\n"
                 "§ 66 Öppnande\nText.\n§ 67 Budget\nText.\n")
    assert m.title == title


def test_officers_from_a_signature_table_by_column():
    m = invented("Föreningen Bit höstmöte 2020\n2020-11-24\nMötet öppnas.\n"
                 "Val av mötesordförande\nEn kandidat. Inga motsättningar.\nÖvriga frågor\nInga.\n"
                 "Mötesordförande\tMötessekreterare\nAnna Berg\tBo Ek\n")
    assert (m.chair, m.secretary) == ("Anna Berg", "Bo Ek")


def test_officer_headings_whose_letters_lost_their_marks():
    m = invented("Styrelsemote 2020-11-24\nVal av motesordforande\nAnna Berg\n"
                 "Val av motessekreterare\nBo Ek\nOvriga fragor\nInga.\n")
    assert (m.chair, m.secretary) == ("Anna Berg", "Bo Ek")


@pytest.mark.parametrize("head", [
    "Datorklubben Bit höstmöte 2020\n2020-11-24\n",
    "2020-11-24\nDatorklubben Bit höstmöte - Protokoll\n",
])
def test_organisation_named_before_the_meeting_word(head):
    m = invented(f"{head}1. Mötets öppnande\nMötet öppnades.\n2. Övrigt\nInget.\n")
    assert m.organization == "Datorklubben Bit"


@pytest.mark.parametrize("line, place", [
    ("Tid och plats: Måndagen den 6 maj 2024 kl 13.00-15.30, Stadshuset", "Stadshuset"),
    ("Plats och tid: 2024-05-06 kl. 13.00, Rådhuset, sal 2", "Rådhuset, sal 2"),
    ("Plats och tid: Kommunhuset, Storgatan 1, onsdagen den 6 maj 2024 kl. 18.00",
     "Kommunhuset, Storgatan 1"),
])
def test_place_written_before_or_after_its_date_and_time(line, place):
    m = invented(f"Kommunstyrelsen\n{line}\n§ 1 Öppnande\nText.\n§ 2 Budget\nText.\n")
    assert (m.place, m.date) == (place, "2024-05-06")


def test_body_named_for_a_field_of_capitalised_words():
    m = invented("Minnesanteckningar\nStyrgruppen för Samverkan Nord\nDatum: 2024-05-06\n"
                 "§ 1 Öppnande\nText.\n§ 2 Budget\nText.\n")
    assert m.title == "Styrgruppen för Samverkan Nord"


def test_place_after_the_time_range_in_a_heading_line():
    m = invented("Socialnämnden\nSammanträde 2024-05-06, kl. 9.00 – 12.00 i Kommunhuset, rum Ljusnan\n"
                 "§ 1 Öppnande\nText.\n§ 2 Budget\nText.\n")
    assert (m.place, m.start_time, m.end_time) == ("Kommunhuset, rum Ljusnan", "09:00", "12:00")


COVER = (
    "Socialnämnden                      2023-03-14\n\n"
    "Plats och tid              Kommunhuset, kl. 08.30-12.00\n\n"
    "Beslutande                 Anna Andersson (S)\n"
    "                           Bertil Berg (M)\n"
    "                           Gunnar Grön (MP)\n\n"
    "Utses att justera          Bertil Berg\n\n"
)
ITEMS = ("§ 12\nVal av justerare\nBeslut\nSocialnämnden utser Bertil Berg att justera.\n"
         "§ 13\nDelegationsbeslut\nBeslut\nRedovisningen läggs till handlingarna.\n")


@pytest.mark.parametrize("signatures", [
    # The paragraph range set beside the secretary's post.
    "Underskrifter  Sekreterare .......................   Paragrafer §§ 12-13\n"
    "                           Fredrik Falk\n\n"
    "               Ordförande  .......................\n"
    "                           Anna Andersson\n\n",
    # Posts side by side: each takes the name in its order.
    "Underskrifter  Sekreterare   ........................\n"
    "               Fredrik Falk\n\n"
    "               Justerande  ....................   Ordförande ....................\n"
    "                           Bertil Berg                       Anna Andersson\n\n",
], ids=["paragraphs beside a post", "posts side by side"])
def test_signature_block_gives_each_post_its_name(signatures):
    m = invented(COVER + signatures + ITEMS)
    assert (m.secretary, m.chair) == ("Fredrik Falk", "Anna Andersson")


def test_a_surname_that_is_a_municipality_does_not_make_the_organisation():
    # "Berg" is a municipality and a surname; the minutes name no municipality otherwise.
    m = invented(COVER + ITEMS)
    assert m.title == "Socialnämnden"
    assert m.organization is None


ANNUAL = ("Protokoll fört vid årsmöte med Föreningen Bygdegården Ekbacken\n"
          "Datum: 2023-03-18\n\n1. Mötets öppnande\nMötet öppnas.\n\n"
          "2. Val av mötesordförande och sekreterare\n{choice}\n\n3. Avslutning\nMötet avslutas.\n")


@pytest.mark.parametrize("choice", [
    "Till mötesordförande valdes Lisa Larsson och till sekreterare Olle Olsson.",
    "Till sekreterare valdes Olle Olsson och till mötesordförande Lisa Larsson.",
    "Lisa Larsson valdes till mötesordförande och Olle Olsson till sekreterare.",
    "Mötet väljer Lisa Larsson till ordförande och Olle Olsson till sekreterare.",
])
def test_one_sentence_filling_both_posts_gives_each_its_own_name(choice):
    m = invented(ANNUAL.format(choice=choice))
    assert (m.chair, m.secretary) == ("Lisa Larsson", "Olle Olsson")


def test_the_body_named_after_the_meeting_word_is_the_organisation():
    m = invented(ANNUAL.format(choice="Mötet väljer Lisa Larsson till ordförande."))
    assert (m.title, m.organization) == ("Årsmöte", "Föreningen Bygdegården Ekbacken")
    # "i" names a place, not the body that holds the meeting.
    m = invented(ANNUAL.replace("vid årsmöte med Föreningen Bygdegården Ekbacken",
                                "vid årsmöte i Ekbacken").format(choice=""))
    assert m.organization is None


def test_a_page_head_naming_the_document_gives_way_to_the_body_below_it():
    # "SAMMANTRÄDESPROTOKOLL" alone above the body's name is a kind of document.
    m = invented("SAMMANTRÄDESPROTOKOLL\nMiljö- och byggnämnden\tSammanträdesdatum\n2024-09-17\n"
                 "Plats och tid\tStadshuset, kl. 13.00-15.30\n§ 31 Val av justerare\nUtses.\n")
    assert m.title == "Miljö- och byggnämnden"
    # Alone, a plain first line still names the meeting.
    assert invented("Möte 2023-03-24\n1. Öppnande\nÖppnat.\n2. Avslut\nAvslutat.\n").title == "Möte"


@pytest.mark.parametrize("first_line", ["Tekniska nämnden", "Protokoll från sammanträde med Tekniska nämnden"])
def test_a_body_named_with_an_adjective_is_the_title_and_no_organisation(first_line):
    m = invented(f"{first_line}\nSammanträdesdatum 2024-10-02\n"
                 "Plats och tid\tRådhuset, kl. 09.00-11.45\n§ 5 Val av justerare\nUtses.\n")
    assert (m.title, m.organization) == ("Tekniska nämnden", None)


def test_extra_before_a_body_is_no_part_of_its_name():
    m = invented("Extra fullmäktige\nSammanträdesdatum 2024-10-02\n§ 5 Val av justerare\nUtses.\n")
    assert m.title == "Fullmäktige"


def test_a_place_wrapped_into_the_line_of_the_time():
    m = invented("Tekniska nämnden\nSammanträdesdatum 2024-10-02\n"
                 "Plats och tid   Stadshuset, sammanträdesrum\n                Linden, kl 13.00–15.00\n"
                 "§ 5 Val av justerare\nUtses.\n")
    assert (m.place, m.start_time) == ("Stadshuset, sammanträdesrum Linden", "13:00")
    # A place on its own line, the time on the next, stays as it is.
    m = invented("Tekniska nämnden\nSammanträdesdatum 2024-10-02\n"
                 "Plats och tid   Rumlaborg\n                kl. 13.00-17.00\n§ 5 Val av justerare\nUtses.\n")
    assert m.place == "Rumlaborg"


def test_a_title_ending_in_sekreterare_beside_a_name_is_no_heading_of_the_post():
    m = invented("Kommunfullmäktige\nSammanträdesdatum 2022-06-20\n"
                 "Övriga deltagare\tLena Lind, kommunsekreterare\n"
                 "Utses att justera\tErik Eriksson\n"
                 "§ 40 Val av justerare\nKommunfullmäktige utser Erik Eriksson att justera.\n")
    assert m.secretary is None
    assert m.adjusters == ["Erik Eriksson"]


def test_a_name_above_a_document_word_alone_on_its_line_is_the_organisation():
    m = invented("SYDNÄRKE KOMMUNSAMVERKAN\nMinnesanteckningar\nStyrgruppsmöte 2024-03-05 kl. 9.00-13.30\n"
                 "1. Föregående anteckningar\nLades till handlingarna.\n2. Övrigt\nInget.\n")
    assert (m.title, m.organization) == ("Styrgruppsmöte", "Sydnärke kommunsamverkan")
    # A body above it is the title, not the organisation.
    m = invented("Kommunstyrelsen\nProtokoll\nSammanträdesdatum 2024-03-05\n§ 1 Val av justerare\nUtses.\n")
    assert (m.title, m.organization) == ("Kommunstyrelsen", None)


def test_the_subject_of_a_sentence_under_the_heading_is_no_officer():
    m = invented("Protokoll styrelsemöte 2023-03-14\n§1 Mötets öppnande\nÖppnat.\n"
                 "§2 Val av sekreterare och justerare\nStyrelsen beslutade\n"
                 "att välja Bo Ek till sekreterare\natt välja Cia Lind till justerare\n"
                 "§3 Avslutning\nAvslutat.\n")
    assert m.secretary == "Bo Ek"


def test_a_nickname_in_brackets_after_the_chosen_name_is_left_out():
    m = invented("Protokoll höstmöte 2009-10-01\n1. Öppnande\nÖppnat.\n"
                 "2. Val av mötessekreterare\nFöreningens sekreterare Rasmus Kaj ‹kaj› valdes till "
                 "mötessekreterare.\n3. Avslutning\nAvslutat.\n")
    assert m.secretary == "Rasmus Kaj"


@pytest.mark.parametrize("label", ["Plats och tid", "Tid och plats", "Plats & tid", "Tid/plats",
                                   "Sammanträdeslokal", "Möteslokal", "Sammanträdesplats", "Lokal"])
def test_place_under_the_labels_minutes_use(label):
    m = invented(f"Kulturnämnden\nSammanträdesdatum 2024-02-01\n{label:<20} Kulturhuset, Ateljén, "
                 "kl. 17.00-19.00\nBeslutande           Anna Berg (S)\n§ 1 Val av justerare\nUtses.\n")
    assert m.place == "Kulturhuset, Ateljén"


def test_a_network_is_a_body():
    m = invented("Socialchefsnätverket Fyrbodal 2024-04-12\n1. Föregående anteckningar\nGodkändes.\n"
                 "2. Övrigt\nInget.\n")
    assert m.title == "Socialchefsnätverket"


BOARD = "Protokoll styrelsemöte 2023-09-12\n\n1. Ekonomi\nBeslut: att godkänna rapporten\n\n"


def test_signatures_at_the_end_under_vid_protokollet_and_over_a_post():
    m = invented(BOARD + "Vid protokollet\n\nAnna Svensson\n\nJusteras\n\n"
                         "Bo Berg                    Cia Lind\nordförande\n")
    assert (m.secretary, m.chair) == ("Anna Svensson", "Bo Berg")


def test_posts_side_by_side_over_signature_lines_at_the_end():
    m = invented(BOARD + "Justerare                          Sekreterare\n\n"
                         ".............................      .............................\n"
                         "Cia Lind                           Anna Svensson\n")
    assert (m.secretary, m.chair) == ("Anna Svensson", None)


@pytest.mark.parametrize("line", ["Datum och tid: 14 mars 2023 18.00", "Dag och tid    Tisdag 14 mars 2023 kl 18.00",
                                  "Datum/tid: 2023-03-14 18.00"])
def test_a_label_naming_both_date_and_time(line):
    m = invented(f"Styrelsen\n{line}\nJusteras 2023-03-20\n§ 1 Öppnande\nÖppnat.\n§ 2 Avslut\nAvslutat.\n")
    assert (m.date, m.start_time) == ("2023-03-14", "18:00")


@pytest.mark.parametrize("head, organisation", [
    ("ÖSTRA GÖINGE KOMMUN\nSAMMANTRÄDESPROTOKOLL\nKommunstyrelsen", "Östra Göinge kommun"),
    ("Upplands Väsby kommun\nKommunstyrelsen", "Upplands Väsby kommun"),
    ("Region Jämtland Härjedalen\nRegionstyrelsen", "Region Jämtland Härjedalen"),
    ("Region Kalmar län\nRegionstyrelsen", "Region Kalmar län"),
    ("Region Skåne Regionstyrelsen", "Region Skåne"),
])
def test_organisations_whose_names_have_two_words(head, organisation):
    m = invented(f"{head}\nProtokoll 2024-02-01\n§ 1 Val av justerare\nUtses.\n")
    assert m.organization == organisation


@pytest.mark.parametrize("head, place", [
    ("Protokoll fört vid sammanträde med kommunstyrelsen i Kommunhuset, Sessionssalen, måndagen "
     "den 5 maj 2023 kl. 13.00", "Kommunhuset, Sessionssalen"),
    ("Kommunstyrelsen sammanträdde i Stadshuset den 5 maj 2023 kl 13.00–15.00.", "Stadshuset"),
    ("Årsmöte 2023-05-05\nMötet hölls i Folkets hus, Lund.", "Folkets hus, Lund"),
    ("Kommunstyrelsen 2023-05-05\nSammanträdets plats: Stadshuset, rum 101", "Stadshuset, rum 101"),
])
def test_the_place_a_sentence_says_the_meeting_was_held_at(head, place):
    assert invented(f"{head}\n§ 1 Val av justerare\nUtses.\n§ 2 Övrigt\nInget.\n").place == place


def test_a_sentence_about_the_meeting_without_a_place_gives_none():
    m = invented("Styrelsemöte 2023-05-05\nMötet öppnades av Anna Berg i god tid.\n"
                 "§ 1 Val av justerare\nUtses.\n")
    assert m.place is None


@pytest.mark.parametrize("head, title, organisation", [
    ("Protokoll från extra årsmöte 2023-05-05", "Årsmöte", None),
    ("Protokoll vid Sektionsmöte 2023-05-05", "Sektionsmöte", None),
    ("Kommunfullmäktiges sammanträde 2023-05-05", "Kommunfullmäktige", None),
    ("Protokoll från valberedningens möte 2023-05-05", "Valberedningen", None),
    ("LiTHe kod höstmöte 2020-05-05", "Höstmöte", "LiTHe kod"),
])
def test_heading_lines_of_association_and_council_minutes(head, title, organisation):
    m = invented(f"{head}\n1. Öppnande\nÖppnat.\n2. Avslut\nAvslutat.\n")
    assert (m.title, m.organization) == (title, organisation)
