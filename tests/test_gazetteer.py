import pytest

from minutes_extract.gazetteer import Municipality, lookup_municipality, municipalities


def test_all_290_municipalities_with_unique_codes():
    ms = municipalities()
    assert len(ms) == 290
    assert len({m.code for m in ms}) == 290
    assert len({m.name for m in ms}) == 290


@pytest.mark.parametrize(
    "code, long_name",
    [("0880", "Kalmar kommun"), ("2080", "Falu kommun"), ("2513", "Överkalix kommun"), ("2514", "Kalix kommun")],
)
def test_long_names_have_correct_genitives(code, long_name):
    assert {m.code: m for m in municipalities()}[code].long_name == long_name


@pytest.mark.parametrize(
    "phrase, name, code",
    [
        ("Lund", "Lund", "1281"),
        ("Lunds kommun", "Lund", "1281"),
        ("Lunds kommuns", "Lund", "1281"),
        ("LUNDS KOMMUN", "Lund", "1281"),
        ("Malmö stad", "Malmö", "1280"),
        ("Göteborgs Stad", "Göteborg", "1480"),
        ("Region Gotland", "Gotland", "0980"),
        ("Bjurholms kommun", "Bjurholm", "2403"),
        ("Falu kommun", "Falun", "2080"),
        ("Upplands Väsby kommun", "Upplands Väsby", "0114"),
        ("Alingsås kommun", "Alingsås", "1489"),
        ("  Lunds  kommun, ", "Lund", "1281"),
    ],
)
def test_lookup_normalises_municipality_phrases(phrase, name, code):
    m = lookup_municipality(phrase)
    assert isinstance(m, Municipality)
    assert (m.name, m.code) == (name, code)


@pytest.mark.parametrize(
    "phrase",
    ["Region Skåne", "Skåne län", "Lunds universitet", "Lunds", "Lund kommunstyrelse", "MalmöLundregionen", "S", ""],
)
def test_lookup_is_strict(phrase):
    assert lookup_municipality(phrase) is None
