"""Attendee lists: one real document per layout, and the entry parser on invented entries."""

from pathlib import Path

import pytest

from minutes_extract import ingest
from minutes_extract.segment import segment
from minutes_extract.segment.attendance import _parse_tail, _table_columns, _table_entries
from minutes_extract.segment.form import read_fields

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def attendees(name: str):
    source = ingest.load(CORPUS / name)
    return source, {a.name: a for a in segment(source).attendees}


def test_mlr_name_kommun_role_list_with_wrapped_name():
    _, people = attendees("mlr-kdm-2019-01-29.txt")
    assert len(people) == 17
    assert people["Christoffer Nilsson"].role == "ordförande"
    assert people["Christoffer Nilsson"].municipality == "Lund"
    # "Andreas Norbrant \n(Malmö)": the affiliation wrapped onto the next line.
    assert people["Andreas Norbrant"].municipality == "Malmö"
    assert people["Marcus Willman"].affiliation == "Skurup"
    ulrika = people["Ulrika Geeraedts"]
    assert (ulrika.group, ulrika.role, ulrika.affiliation, ulrika.municipality) == (
        "other", "regional utvecklingsdirektör", "Region Skåne", None)


def test_umearegionen_name_comma_kommun_comma_role_in_flattened_transcript():
    _, people = attendees("umearegionen-regionradet-spiran-sikea.txt")
    assert len(people) == 19
    assert people["Eva-May Karlsson"].municipality == "Vindeln"
    assert people["Eva-May Karlsson"].role == "vice ordförande"
    assert people["Johan Söderling"].group == "present"
    assert people["Emma Anderbom"].group == "other"
    assert people["Emma Anderbom"].note == "ärende 1-3"
    assert "Sikeå" not in " ".join(people)


def test_ange_stacked_labels_lowercase_parties_and_ersatter():
    _, people = attendees("ange-ks-2006-05-23.txt")
    assert "Åke Nyhlén" not in people and "Gunn Thornberg" not in people
    bolin = people["Birgitta Bolin"]
    assert (bolin.party, bolin.role, bolin.replaces, bolin.group) == (
        "s", "ersättare", "Åke Nyhlén", "present")
    assert people["Jan-Eric Berglund"].group == "present"
    assert people["Ove Beirot"].group == "other"
    assert people["Göran Fjellström"].role == "kommunchef"


def test_lomma_two_column_layout_after_se_nasta_sida():
    source, people = attendees("lomma-ks-2025-11-19.txt")
    assert len(people) == 25
    assert people["Robert Wenglén"].role == "Ordförande"
    assert people["Robert Wenglén"].span.page_start == source.page_at(people["Robert Wenglén"].span.start)
    lennart = people["Lennart Nilsson"]
    assert (lennart.group, lennart.role, lennart.replaces) == (
        "present", "tjänstgörande ersättare", "Paul Andersson")
    assert "Paul Andersson" not in people
    assert people["Gun Larsson"].affiliation == "-"
    assert people["Fredrik Karström"].group == "other"


def test_lomma_kf_pdf_cover_refers_to_an_attendance_list_on_later_pages():
    _, people = attendees("lomma-kf-2023-04-20.pdf")
    assert len(people) == 56
    # The list's heading ("Närvarolista vid sammanträde med ...") opens it: the presidium
    # above "Ordinarie ledamöter" is present too.
    assert people["Marie Nilsson"].role == "1:e vice ordförande"
    assert people["Marie Nilsson"].note == "§§ 31-44, 46-48"
    # Serving for one paragraph and listed again among the non-serving: present.
    assert people["Anna Ericson"].group == "present"
    assert people["Bo Nors"].group == "other" and people["Bo Nors"].role == "ersättare"
    assert "Lena Wahlgren" not in people  # replaced, not present


def test_kungsbacka_labels_beside_each_other_and_a_wrapped_role():
    _, people = attendees("kungsbacka-ks-2026-08-25.md")
    assert len(people) == 31
    # "Magdalena Sundqvist (S), 2:e vice" / "ordförande": the role wraps, the list goes on.
    assert people["Magdalena Sundqvist"].role == "2:e vice ordförande"
    assert people["Emanuel Forsell"].group == "present"
    assert people["Lovisa Eld"].group == "other"


def test_kungsbacka_valnamnd_columns_and_paragraph_notes():
    _, people = attendees("kungsbacka-valnamnden-2024-05-06.md")
    assert len(people) == 22
    assert people["Emil Erdelius"].group == "present"
    assert people["Jessica Olausson"].note == "§14-20"
    assert people["Anton Gille"].role == "assisterande valsamordnare"
    assert people["Magdalena Sundqvist"].group == "other"


def test_jonkoping_markdown_table():
    _, people = attendees("jonkoping-bun-2019-11-19.md")
    assert len(people) == 38
    assert people["Cecilia Hjort Attefall"].role == "2:e vice ordförande"
    assert people["Cecilia Hjort Attefall"].party == "KD"
    assert people["Tuma Vergili"].role == "ersättare"
    assert people["Tuma Vergili"].group == "other"


def test_jonkoping_flattened_table_of_stacked_labels_shares_its_values():
    _, people = attendees("jonkoping-bun-2022-01-25.md")
    assert people["Anna Carlsson"].group == "present"
    assert people["Tuma Vergili"].group == "other"  # the party order starts again: ersättare
    assert "Stadshuset Huskvarna" not in people  # a place, not a person


def test_region_flattened_attendance_table_with_presence_marks():
    _, people = attendees("region-vasterbotten-au.txt")
    assert people["Erik Bergkvist"].role == "Ordförande"
    assert people["Hans Lindberg"].group == "present"
    assert people["Patrik Nilsson"].group == "absent"  # "S -": no mark of presence
    assert people["Mona-Lisa Fjellström"].role == "nämndsekreterare"


def test_regionforbundet_label_cut_from_its_word():
    _, people = attendees("regionforbundet-kalmar-2008-09-11.txt")
    assert people["Roland Åkesson"].role == "ordf" and people["Roland Åkesson"].group == "present"
    assert people["Saad Benatallah"].role == "tjg ers"
    assert people["Henrik Svensson"].group == "other"
    assert not any("Kalmar" in n or "Regionförbund" in n for n in people)


def test_lithekod_kallade_not_present_are_absent():
    _, people = attendees("lithekod-styrelsemote-2013-10-09.pdf")
    assert people["Fabian Sandin"].group == "absent"
    assert people["Mikael Silvén"].group == "present"


def test_lithekod_markdown_heading_list_ends_at_next_heading():
    _, people = attendees("lithekod-styrelsemote-2017-08-23.md")
    assert sorted(people) == sorted(
        ["Christoffer Sjöbergsson", "Viktor Holmberg", "Robin Sliwa", "Emil Segerbäck", "Erik Mansén"])
    assert all(p.role is None for p in people.values())


def test_stacken_rostlangd_nicknames():
    _, people = attendees("stacken-varmote-2018.md")
    assert list(people)[:3] == ["nsg", "stellanl", "kaj"]
    assert "katy" in people and len(people) == 12


def test_stacken_names_wrapped_over_lines():
    _, people = attendees("stacken-varmote-2024.md")
    assert {"Marcus Dicander", "Stellan Lagerström", "Zofia Lukasiewicz"} <= set(people)
    assert len(people) == 9


def test_piratpartiet_running_text_groups_and_notes():
    _, people = attendees("piratpartiet-partistyrelsemote-2013-01-26.txt")
    assert people["Andreas Larsson"].note == "fr o m §6"
    assert people["Gustav Nipe"].group == "other"
    assert people["C Magnus Berglund"].group == "absent"
    assert people["JP Anderson"].group == "absent"


def test_piratpartiet_bullet_lists_under_sentence_labels():
    _, people = attendees("piratpartiet-styrelsemote-2013-03-02.txt")
    assert people["Toni Cherfan"].group == "other"  # "Därtill vid detta möte adjungerad var"
    assert people["Rick Falkvinge"].note == "punkter 1-18"
    assert people["Stella Papasotiriou"].group == "absent"


def test_mbof_first_names_with_initials():
    _, people = attendees("mbof-styrelsemote-2023-03-20.txt")
    assert list(people) == ["Martin I", "Micael E", "Martin N", "Katarina K", "Lars N",
                            "Rolf S", "Niclas H", "Per N", "Ludvig A"]
    assert people["Ludvig A"].group == "absent"


# --------------------------------------------------------------------- invented entries


def test_tail_parts():
    assert _parse_tail(" (S), 1:e vice ordförande") == ("S", "S", "1:e vice ordförande", [])
    assert _parse_tail(", Bjurholms kommun, ärende 1-3") == ("Bjurholms kommun", None, None, ["ärende 1-3"])
    aff, _, role, notes = _parse_tail(", specialist hållbarhet, § 28")
    assert (aff, role, notes) == (None, "specialist hållbarhet", ["§ 28"])
    # A role in brackets is a role, not a party or an affiliation.
    assert _parse_tail(" (Verksamhetsutvecklare)") == (None, None, "Verksamhetsutvecklare", [])
    # A capitalised role after a comma is the role.
    assert _parse_tail(" (M), Ordförande")[2] == "Ordförande"


def _invented(text: str):
    source = ingest.Source(Path("x.txt"), "txt", text, [ingest.Page(1, 0, len(text))], "0" * 64)
    return source, {a.name: a for a in segment(source).attendees}


def test_group_label_split_over_two_lines_keeps_its_group():
    _, people = _invented(
        "Beslutande       Anna Berg (S)\n"
        "                 Bo Ek (M)\n"
        "Ej tjänstgörande Cilla Dahl (S)\n"
        "ersättare        Dan Ek (V)\n"
        "§ 1 Mötets öppnande\n§ 2 Val av justerare\n")
    assert people["Anna Berg"].group == "present" and people["Bo Ek"].group == "present"
    assert people["Cilla Dahl"].group == "other" and people["Dan Ek"].group == "other"
    assert people["Dan Ek"].role == "ersättare"


def test_run_on_list_of_name_and_municipality():
    _, people = _invented(
        "Närvarande: Anna Berg, Lilla Edet Bo Ek, Östra Göinge Cilla Dahl, Lund\n"
        "1. Mötets öppnande\n2. Val av justerare\n")
    assert list(people) == ["Anna Berg", "Bo Ek", "Cilla Dahl"]
    assert [p.municipality for p in people.values()] == ["Lilla Edet", "Östra Göinge", "Lund"]


def test_sentences_and_places_are_no_attendees():
    _, people = _invented(
        "Plats och tid   Stadshuset Huskvarna, kl 13.00\n"
        "Närvarande      Anna Berg (S)\n"
        "                Bo Ek lämnar information om budgeten och svarar på frågor\n"
        "§ 1 Mötets öppnande\n§ 2 Val av justerare\n")
    assert list(people) == ["Anna Berg"]


def test_attendance_table_by_columns():
    text = ("Ledamöter        Parti   Närvaro\n"
            "Anna Berg        S       X\n"
            "Bo Ek            M       -\n"
            "Cilla Dahl       V       § 1-4\n")
    source = ingest.Source(Path("x.txt"), "txt", text, [ingest.Page(1, 0, len(text))], "0" * 64)
    [field] = [f for f in read_fields(source, 0, len(text)) if f.key == "attendance"]
    cols = _table_columns(source, field)
    assert set(cols) - {"_header_line"} == {"name", "party", "presence"}
    people = {p.name: p for p in _table_entries(source, field, cols)}
    assert people["Anna Berg"].party == "S" and people["Anna Berg"].group == "present"
    assert people["Bo Ek"].group == "absent"
    assert people["Cilla Dahl"].note == "§ 1-4"


def _table_people(text: str) -> dict:
    source = ingest.Source(Path("x.txt"), "txt", text, [ingest.Page(1, 0, len(text))], "0" * 64)
    [field] = [f for f in read_fields(source, 0, len(text)) if f.key == "attendance"]
    return {p.name: p for p in _table_entries(source, field, _table_columns(source, field))}


def test_substitute_column_seats_the_substitute_in_the_members_place():
    people = _table_people(
        "Ledamöter        Parti   Närvarande   Tjänstgörande ersättare\n"
        "Anna Berg        S       § 1-4\n"
        "Bo Ek            M       § 1-2        Cilla Dahl (M) § 3-4\n"
        "Dan Eng          V                    Eva Falk (V)\n")
    assert people["Anna Berg"].group == "present"
    cilla = people["Cilla Dahl"]
    assert (cilla.group, cilla.role, cilla.replaces, cilla.party, cilla.note) == (
        "present", "ersättare", "Bo Ek", "M", "§ 3-4")
    assert people["Bo Ek"].group == "present"  # present for §§ 1-2, by his own cell
    assert people["Dan Eng"].group == "absent"  # his seat taken for the whole meeting
    assert (people["Eva Falk"].group, people["Eva Falk"].replaces) == ("present", "Dan Eng")


def test_a_blank_presence_cell_among_marked_ones_is_absence():
    people = _table_people(
        "Ledamöter        Parti   Närvaro\n"
        "Anna Berg        S       X\n"
        "Bo Ek            M\n"
        "Cilla Dahl       V       X\n")
    assert [people[n].group for n in ("Anna Berg", "Bo Ek", "Cilla Dahl")] == [
        "present", "absent", "present"]


def test_a_presence_column_mostly_blank_says_nothing_of_a_blank_cell():
    people = _table_people(
        "Ledamöter        Parti   Närvaro\n"
        "Anna Berg        S       § 1-2\n"
        "Bo Ek            M\n"
        "Cilla Dahl       V\n")
    assert people["Bo Ek"].group == "present"


@pytest.mark.parametrize("label, group", [
    ("Beslutande", "present"), ("Tjänstgörande ersättare", "present"),
    ("Ej tjänstgörande ersättare", "other"), ("Övriga närvarande", "other"),
    ("Anmält förhinder", "absent"), ("Frånvarande styrelseledamot var", "absent"),
])
def test_group_of_a_label(label, group):
    _, people = _invented(f"{label}: Anna Berg\n1. Mötets öppnande\n2. Övrigt\n")
    assert people["Anna Berg"].group == group


def test_english_labels_of_an_association_writing_english_minutes():
    _, people = _invented(
        "Location: Online\n"
        "Present board members:\n- Anna Berg\n- Bo Ek\n"
        "Absent: Cilla Dahl\n"
        "1) Opening of the meeting\n2) Election of chairperson\n")
    assert {name: p.group for name, p in people.items()} == {
        "Anna Berg": "present", "Bo Ek": "present", "Cilla Dahl": "absent"}


def test_list_that_runs_on_into_the_minutes_text_ends_where_sentences_begin():
    _, people = _invented(
        "Närvarande Anna Berg, Lund Bo Ek, Umeå kommuns kansli\n"
        "Anteckningar Mötet öppnas Mötet öppnades av ordförande Anna Berg. Dagordningen "
        "godkändes.\n"
        "2. Budget\nBudgeten diskuterades.\n3. Övrigt\nInget.\n")
    assert people["Bo Ek"].affiliation == "Umeå kommuns kansli"
    assert people["Bo Ek"].role is None


@pytest.mark.parametrize("label", ["Deltog", "Mötesdeltagare"])
def test_took_part_labels(label):
    _, people = _invented(f"{label}: Anna Berg, Bo Ek\n1. Mötets öppnande\n2. Övrigt\n")
    assert [(p.name, p.group) for p in people.values()] == [
        ("Anna Berg", "present"), ("Bo Ek", "present")]


def test_nickname_list_ending_a_sentence_keeps_no_full_stop():
    _, people = _invented("1. Röstlängd\nNärvarande: nsg, kaj, blgl.\n2. Övrigt\nInget.\n"
                          "3. Avslutning\nMötet avslutades.\n")
    assert list(people) == ["nsg", "kaj", "blgl"]


def test_nicknames_with_full_names_among_them():
    _, people = _invented("1. Röstlängd\nFöljande medlemmar fanns närvarande: nsg, kaj, "
                          "Anna Berg, jj,\nBo Ek.\n2. Övrigt\nInget.\n3. Avslutning\nSlut.\n")
    assert list(people) == ["nsg", "kaj", "Anna Berg", "jj", "Bo Ek"]


def test_labels_beside_a_heading_label_own_the_columns_below_in_order():
    # Plain text: the labels stand where they were typed, not over their columns.
    _, people = _invented(
        "Beslutande    Ledamöter                 Tjänstgörande ersättare\n"
        "Anna Berg (S), ordförande\n"
        "Bo Ek (M)\n"
        "Övriga närvarande Ersättare               Tjänstepersoner\n"
        "Cilla Dahl (S)              Dan Eng, kommunchef\n"
        "Eva Falk (M)                Fia Gran, sekreterare\n"
        "Gun Holm (V)\n"
        "§ 1 Mötets öppnande\n§ 2 Val av justerare\n")
    got = {name: (p.group, p.role) for name, p in people.items()}
    assert got == {
        "Anna Berg": ("present", "ordförande"), "Bo Ek": ("present", None),
        "Cilla Dahl": ("other", "ersättare"), "Eva Falk": ("other", "ersättare"),
        "Gun Holm": ("other", "ersättare"),
        "Dan Eng": ("other", "kommunchef"), "Fia Gran": ("other", "sekreterare")}


def test_a_substitute_for_a_member_named_after_a_bare_for():
    _, people = _invented(
        "Beslutande\tAnna Berg (S)\n"
        "Tjänstgörande ersättare\tCilla Dahl (V) för Dan Eng (V)\n\tEva Falk (S) tjg ers för Gun Holm (S)\n"
        "§ 1 Mötets öppnande\nText.\n§ 2 Val av justerare\nText.\n")
    got = {name: (p.role, p.replaces) for name, p in people.items()}
    assert got == {"Anna Berg": (None, None),
                   "Cilla Dahl": ("tjänstgörande ersättare", "Dan Eng"),
                   "Eva Falk": ("tjänstgörande ersättare", "Gun Holm")}


def test_the_word_joining_the_last_two_names_is_no_role():
    _, people = _invented("Närvarande: Anna Berg, Bo Ek, Cia Lind och Dan Holm\n"
                          "1. Mötets öppnande\n2. Övrigt\n")
    assert list(people) == ["Anna Berg", "Bo Ek", "Cia Lind", "Dan Holm"]
    assert people["Cia Lind"].role is None


def test_a_table_of_names_organisations_and_functions_under_a_label():
    text = ("Minnesanteckningar\nDeltagare\n"
            "Namn         Organisation                 Funktion\n"
            "Lisa Berg    Uddevalla kommun             socialchef, ordförande\n"
            "Mats Ek      Lilla Edets kommun           socialchef\n"
            "Nina Holm    Fyrbodals kommunalförbund    processledare, sekreterare\n"
            "1. Föregående anteckningar\nGodkändes.\n2. Övrigt\nInget.\n")
    _, people = _invented(text)
    assert list(people) == ["Lisa Berg", "Mats Ek", "Nina Holm"]
    assert (people["Mats Ek"].municipality, people["Mats Ek"].role) == ("Lilla Edet", "socialchef")
    assert people["Nina Holm"].affiliation == "Fyrbodals kommunalförbund"
    m = segment(ingest.Source(Path("x.txt"), "txt", text, [ingest.Page(1, 0, len(text))], "0" * 64)).meeting
    # The members' municipalities are no organisation; the posts come from the functions.
    assert (m.organization, m.chair, m.secretary) == (None, "Lisa Berg", "Nina Holm")


def test_rows_of_name_party_and_role_under_a_label_standing_above_them():
    _, people = _invented(
        "Kommunstyrelsen\nSammanträdesdatum 2023-05-08\nBeslutande\n"
        "Per Holm\tS\tordförande\nAnna Nilsson\tM\t1:e vice ordförande\nKarl Nord\tM\n"
        "Eva Ström\tC\ttjänstgörande ersättare för Olle Berg (C)\n"
        "Övriga närvarande\nLena Sund\tkommunsekreterare\n§ 50 Val av justerare\nUtses.\n")
    assert list(people) == ["Per Holm", "Anna Nilsson", "Karl Nord", "Eva Ström", "Lena Sund"]
    assert (people["Karl Nord"].party, people["Karl Nord"].group) == ("M", "present")
    eva = people["Eva Ström"]
    assert (eva.role, eva.replaces, eva.group) == ("ersättare", "Olle Berg", "present")
    assert people["Lena Sund"].group == "other"


def test_coming_and_going_beside_a_name_is_a_note_not_a_sentence():
    _, people = _invented(
        "Beslutande        Per Holm (S), ordförande\n"
        "                  Karl Nord (M) lämnade sammanträdet kl. 15.00\n"
        "                  Eva Ström (C) ankom kl. 13.30\n"
        "                  Bo Ek (M) lämnar information om budgeten och svarar på frågor\n"
        "§ 1 Val av justerare\nUtses.\n")
    assert list(people) == ["Per Holm", "Karl Nord", "Eva Ström"]
    assert "lämnade sammanträdet" in people["Karl Nord"].note
    assert (people["Eva Ström"].role, "ankom" in people["Eva Ström"].note) == (None, True)


def test_lines_of_names_under_their_party():
    _, people = _invented(
        "Närvarande ledamöter\nS: Anna Ahl (ordförande), Bo Bengtsson, Cia Carlsson\n"
        "M: Dan Dahl, Eva Ek (1:e vice ordförande)\nC: Fia Fors\n"
        "§ 40 Val av justerare\nUtses.\n")
    assert {n: p.party for n, p in people.items()} == {
        "Anna Ahl": "S", "Bo Bengtsson": "S", "Cia Carlsson": "S", "Dan Dahl": "M",
        "Eva Ek": "M", "Fia Fors": "C"}
    assert (people["Anna Ahl"].role, people["Eva Ek"].role) == ("ordförande", "1:e vice ordförande")


def test_a_bulleted_list_keeps_its_marks_out_of_roles():
    _, people = _invented(
        "Närvarande:\n- Anna Ahl, ordförande\n- Bo Bengtsson, kassör\n- Cia Carlsson\n\n"
        "1. Mötets öppnande\nÖppnat.\n2. Övrigt\nInget.\n")
    assert [(n, p.role) for n, p in people.items()] == [
        ("Anna Ahl", "ordförande"), ("Bo Bengtsson", "kassör"), ("Cia Carlsson", None)]
