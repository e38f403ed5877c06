"""Self-checks: each warning on an invented document that has the fault, and none on one
that does not; and the warnings real corpus documents raise."""

from pathlib import Path

from minutes_extract.ingest import Page, Source
from minutes_extract.segment import segment

CLEAN = (
    "Kommunstyrelsen\nSammanträdesdatum 2024-05-06\n"
    "Närvarande   Anna Berg (S), ordförande\n             Bo Ek (M)\n"
    "Paragrafer   §§ 1-3\n"
    "§ 1 Öppnande\nBeslut\nMötet öppnas.\n"
    "§ 2 Budget\nBeslut\nKommunstyrelsen antar budgeten.\n"
    "§ 3 Övrigt\nBeslut\nInga frågor.\n"
)


def warnings(text: str) -> dict[str, str]:
    source = Source(Path("x.txt"), "txt", text, [Page(1, 0, len(text))], "0" * 64)
    return {w.kind: w.message for w in segment(source).warnings}


def test_a_clean_document_raises_none():
    assert warnings(CLEAN) == {}


def test_no_meeting_date():
    assert warnings(CLEAN.replace("Sammanträdesdatum 2024-05-06\n", "")) == {
        "no_meeting_date": "no meeting date"}


def test_paragraph_range_against_items():
    found = warnings(CLEAN.replace("§§ 1-3", "§§ 1-5"))
    assert found == {"paragraphs_missing": "the cover names §§ 1–5 but §§ 4, 5 were not found"}


def test_numbering_gap():
    found = warnings(CLEAN.replace("§ 3 Övrigt", "§ 5 Övrigt").replace("§§ 1-3", "§§ 1-5"))
    assert found["numbering_gap"] == "§ numbers jump from 2 to 5"


def test_decision_label_without_text():
    found = warnings(CLEAN.replace("Beslut\nKommunstyrelsen antar budgeten.\n",
                                   "Beslut\n\nSammanfattning\nBudgeten presenteras.\n"))
    assert found == {"label_without_decision": "item 2 has a 'Beslut' label but no decision text"}


def test_attendance_table_that_gives_few_attendees():
    # A table with its names in capitals: the list reader takes no capitals for names.
    rows = "".join(f"{name:<20}S       X\n" for name in (
        "ANNA BERG", "BO EK", "CILLA DAHL", "DAN ENG", "EVA FALK", "FIA GRAN"))
    text = CLEAN.replace("Närvarande   Anna Berg (S), ordförande\n             Bo Ek (M)\n",
                         "Ledamöter           Parti   Närvaro\n" + rows)
    found = warnings(text)
    assert found["attendance_table_short"] == (
        "an attendance table of 6 lines ('Ledamöter') gave 0 attendees")


def test_contents_list_naming_paragraphs_the_text_lacks():
    text = CLEAN.replace("§ 1 Öppnande\n", "Innehåll\n§ 1 Öppnande\n§ 2 Budget\n§ 3 Övrigt\n§ 4 Val\n\n§ 1 Öppnande\n", 1)
    found = warnings(text.replace("§§ 1-3", "§§ 1-4"))
    assert found["contents_mismatch"] == "the contents list names §§ 4 but the text does not hold them"


def test_cut_protocol_with_a_contents_list_only(corpus_source):
    seg = segment(corpus_source("kramfors-ksau-2018.txt"))
    assert [w.kind for w in seg.warnings] == ["no_meeting_date", "items_from_contents"]


def test_unread_paragraph_headings():
    # Headings "12 §" the chain could not order: the numbers fall back, so none is read.
    text = CLEAN + "".join(f"§ {n} Rubrik {n}\nText.\n" for n in (40, 9, 33, 7))
    found = warnings(text)
    assert "unread_openings" in found


def test_a_numbered_list_read_as_the_agenda():
    # No agenda numbering of its own: the list inside the text is all there is to read.
    text = ("Kommunstyrelsen\nSammanträdesdatum 2024-05-06\n"
            "Tema folkhälsa\nDialogen gav fyra områden.\n"
            "1. Mer struktur i arbetet.\n2. Bättre uppföljning.\n3. Tydligare roller.\n"
            "4. Fler mötesplatser. Gruppen arbetar vidare med dessa under hösten.\n")
    found = warnings(text)
    assert found["items_without_text"] == (
        "4 of 4 items have no text under their heading: the numbers may be a list inside "
        "the text, not the agenda")
    assert "items_without_text" not in warnings(CLEAN)


def test_decision_sentences_in_items_without_a_label():
    # Decisions are labelled in one item; three others decide in running text alone, in
    # sentences that do not say they decide ("beslutar att" would be read as a decision).
    text = CLEAN.replace("§ 3 Övrigt\nBeslut\nInga frågor.\n", "".join(
        f"§ {n} Ärende {n}\nNämnden godkänner förslaget i ärende {n}.\n"
        for n in (3, 4, 5, 6))).replace("§§ 1-3", "§§ 1-6")
    found = warnings(text)
    assert found["decisions_unlabelled"] == (
        "items 3–6 have decision sentences but no decision label: their decisions were not read")
    assert "decisions_unlabelled" not in warnings(CLEAN)


def test_a_list_of_names_under_a_label_the_form_does_not_know():
    text = CLEAN.replace("Närvarande   Anna Berg (S), ordförande\n             Bo Ek (M)\n",
                         "Med på mötet:\nAnna Berg (S)\nBo Ek (M)\nCilla Dahl (V)\nDan Eng (C)\n")
    found = warnings(text)
    assert found["unread_name_list"] == (
        "a list of 4 names in the header ('Anna Berg, Bo Ek, ...') gave no attendee")
    # Names one or two to a line in the fields of the form are no list.
    assert "unread_name_list" not in warnings(CLEAN.replace(
        "Paragrafer", "Sekreterare: Cilla Dahl\nJusterare: Dan Eng och Eva Falk\nParagrafer"))


def test_two_numbered_points_close_together_in_a_long_text():
    prose = "Styrelsen redogjorde för verksamheten under året och svarade på frågor. " * 25
    text = (f"Årsmöte 2020-11-24\nVal av ordförande\nAnna Berg valdes.\n{prose}\n"
            "Revisorn föreslår två alternativ.\n1. Bordlägg frågan.\n2. Acceptera förslaget.\n"
            f"Ansvarsfrihet\n{prose}\n")
    found = warnings(text)
    assert found["short_run"] == ("the only items (1, 2) stand close together in a long text: "
                                  "they may be a numbered list inside it, not the agenda")
    assert "short_run" not in warnings(CLEAN)


def test_attendee_names_that_are_no_names():
    from minutes_extract.segment.checks import _odd_name

    assert _odd_name("Anna Berg lämnar information")  # a body sentence run on
    assert _odd_name("Bo Ek ordf")  # a role run on
    assert _odd_name("Cia Dahl 2")  # a digit
    assert _odd_name("Dan Eng Eva Falk Fia Gran")  # two names glued
    assert not _odd_name("Cia von Berg")  # a name particle
    assert not _odd_name("Anna-Lena Berg af Ekenstam")
    assert not _odd_name("stellan")  # a nickname
