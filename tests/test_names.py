"""The one name finder: names in attendance lists and in running text, on invented text."""

import subprocess
import sys

import pytest

from minutes_extract.names import find_listed, find_persons, names_in


def listed(text: str) -> list[str]:
    return [" ".join(text[a:b].split()) for a, b in find_listed(text)]


@pytest.mark.parametrize("text, names", [
    ("Ekonomichef Anders Svensson\nRäddningschef Hans Bohlin", ["Anders Svensson", "Hans Bohlin"]),
    ("Marcus Willman (Skurup) Eva Hallberg (Eslöv)", ["Marcus Willman", "Eva Hallberg"]),
    ("Eva Strandberg Ordf styrelsens för Kungälvs Energi AB (KEAB)", ["Eva Strandberg"]),
    ("Ludwig van Beethoven, s", ["Ludwig van Beethoven"]),
    ("Se nästa sida", []),
    # A place, a room and a heading are no persons.
    ("Stadshuset Huskvarna, kl 13.00", []),
    ("Rumlaborg, Kungsbackarummet", []),
    # A municipality of two words before the next name is where the person comes from.
    ("Anna Berg, Lilla Edet Bo Ek, Östra Göinge", ["Anna Berg", "Bo Ek"]),
    ("Kalmar Torsdagen den 11 september", []),
    # A list that lost its commas.
    ("Ulf Stecksen Sten-Ove Danielsson Inga-Britt Söderberg", ["Ulf Stecksen", "Sten-Ove Danielsson", "Inga-Britt Söderberg"]),
    ("Dennis Lundberg Amanda Brodell", ["Dennis Lundberg", "Amanda Brodell"]),
    # One person with a double surname stays one.
    ("Eva Banheden Lindblad (M)", ["Eva Banheden Lindblad"]),
    # A first name with the initial of the surname is a whole entry of a list.
    ("Martin I, Micael E och Niclas H", ["Martin I", "Micael E", "Niclas H"]),
    # A name wrapped over a line break inside a comma list.
    ("Anna Berg, Stellan\nLagerström, Bo Ek.", ["Anna Berg", "Stellan Lagerström", "Bo Ek"]),
])
def test_names_in_lists(text, names):
    assert listed(text) == names


def test_names_in_a_label_value_once_each():
    assert names_in("Föredragande: Anna Normann, utvecklingsstrateg, och Anna Normann") == ["Anna Normann"]


@pytest.mark.parametrize("text, names", [
    ("Kommunstyrelsens ordförande Ewa Engdahl efterhör om dagordningen.", ["Ewa Engdahl"]),
    ("Beslutet fattades av Per Lund och Cecilia Hjort Attefall (KD).", ["Per Lund", "Cecilia Hjort Attefall"]),
    # An ambiguous first name needs a listed surname or a role beside it.
    ("Per capita ökar kostnaderna.", []),
    ("Dag Hammarskjöld talade.", ["Dag Hammarskjöld"]),
    # A capitalised ordinary word at a sentence start is no first name.
    ("Protokollmall Stadshuset.", []),
])
def test_names_in_running_text(text, names):
    assert [f.text for f in find_persons(text)] == names


def test_the_segmenter_loads_no_nlp_model():
    code = ("import sys; from minutes_extract.segment import segment; "
            "import minutes_extract.names; print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_first_name_that_is_also_an_abbreviation_is_a_name():
    # "Tom" is a first name as well as "t.o.m." written without its dots.
    found = [f.text for f in find_persons("Närvarande: Tom Johansson. Mötet väljer Tom Backman "
                                          "och Stefan Berggren.")]
    assert found == ["Tom Johansson", "Tom Backman", "Stefan Berggren"]
