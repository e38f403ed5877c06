"""Attendee lists on real corpus documents, one per layout, and the entry parser."""

from pathlib import Path

import pytest

from minutes_extract import ingest
from minutes_extract.segment.attendees import _names, _parse_tail, parse_attendees
from minutes_extract.segment.items import find_items

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def attendees(name: str):
    source = ingest.load(CORPUS / name)
    return source, {a.name: a for a in parse_attendees(source, find_items(source))}


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
    assert (bolin.party, bolin.role, bolin.replaces, bolin.group) == ("s", "ersättare", "Åke Nyhlén", "present")
    assert people["Jan-Eric Berglund"].group == "present"
    assert people["Ove Beirot"].group == "other"
    assert people["Göran Fjellström"].role == "kommunchef"


def test_lomma_two_column_layout_after_se_nasta_sida():
    source, people = attendees("lomma-ks-2025-11-19.txt")
    assert len(people) == 25
    assert people["Robert Wenglén"].role == "Ordförande"
    assert people["Robert Wenglén"].span.page_start == source.page_at(people["Robert Wenglén"].span.start)
    lennart = people["Lennart Nilsson"]
    assert (lennart.group, lennart.role, lennart.replaces) == ("present", "ersättare", "Paul Andersson")
    assert "Paul Andersson" not in people
    assert people["Gun Larsson"].affiliation == "-"
    assert people["Fredrik Karström"].group == "other"


def test_kungsbacka_valnamnd_columns_and_paragraph_notes():
    _, people = attendees("kungsbacka-valnamnden-2024-05-06.md")
    assert len(people) == 22
    assert people["Emil Erdelius"].group == "present"
    assert people["Per Stenberg"].role == "ersättare"
    assert people["Jessica Olausson"].note == "§14-20"
    assert people["Anton Gille"].role == "assisterande valsamordnare"
    assert people["Kristina Gudmundson"].role == "valsamordnare/sekreterare"
    assert people["Magdalena Sundqvist"].group == "other"


def test_jonkoping_markdown_table():
    _, people = attendees("jonkoping-bun-2019-11-19.md")
    assert len(people) == 38
    assert people["Cecilia Hjort Attefall"].role == "2:e vice ordförande"
    assert people["Cecilia Hjort Attefall"].party == "KD"
    assert people["Tuma Vergili"].role == "ersättare"
    assert people["Tuma Vergili"].group == "other"


def test_lithekod_kallade_not_present_are_absent():
    _, people = attendees("lithekod-styrelsemote-2013-10-09.pdf")
    assert people["Fabian Sandin"].group == "absent"
    assert people["Mikael Silvén"].group == "present"


def test_lithekod_markdown_heading_list_ends_at_next_heading():
    _, people = attendees("lithekod-styrelsemote-2017-08-23.md")
    assert sorted(people) == sorted(
        ["Christoffer Sjöbergsson", "Viktor Holmberg", "Robin Sliwa", "Emil Segerbäck", "Erik Mansén"])


def test_stacken_rostlangd_nicknames():
    _, people = attendees("stacken-varmote-2018.md")
    assert list(people)[:3] == ["nsg", "stellanl", "kaj"]
    assert "katy" in people and len(people) == 12


def test_piratpartiet_running_text_groups_and_notes():
    _, people = attendees("piratpartiet-partistyrelsemote-2013-01-26.txt")
    assert people["Andreas Larsson"].note == "fr o m §6"
    assert people["Gustav Nipe"].group == "other"
    assert people["C Magnus Berglund"].group == "absent"
    assert people["JP Anderson"].group == "absent"


@pytest.mark.parametrize("text, names", [
    ("Ekonomichef Anders Svensson\nRäddningschef Hans Bohlin", ["Anders Svensson", "Hans Bohlin"]),
    ("Marcus Willman (Skurup) Eva Hallberg (Eslöv)", ["Marcus Willman", "Eva Hallberg"]),
    ("Eva Strandberg Ordf styrelsens för Kungälvs Energi AB (KEAB)", ["Eva Strandberg"]),
    ("Ludwig van Beethoven, s", ["Ludwig van Beethoven"]),
    ("Se nästa sida", []),
])
def test_name_shapes(text, names):
    assert [text[a:b] for a, b in _names(text)] == names


def test_tail_parts():
    assert _parse_tail(" (S), 1:e vice ordförande") == ("S", "S", "1:e vice ordförande", [])
    assert _parse_tail(", Bjurholms kommun, ärende 1-3") == ("Bjurholms kommun", None, None, ["ärende 1-3"])
    aff, _, role, notes = _parse_tail(", specialist hållbarhet, § 28")
    assert (aff, role, notes) == (None, "specialist hållbarhet", ["§ 28"])


def test_list_that_lost_a_comma_gives_two_people():
    from minutes_extract.segment.attendees import _two_people

    assert _two_people(["Dennis", "Lundberg", "Amanda", "Brodell"])
    # One person with a double surname is not split.
    assert not _two_people(["Eva", "Banheden", "Lindblad", "Karlsson"])
