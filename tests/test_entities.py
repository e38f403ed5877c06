import json
from pathlib import Path

import pytest

from minutes_extract import nlp
from minutes_extract.entities import find_entities

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def found(text, label, **kw):
    return [(m.text, m.value) for m in find_entities(text, **kw) if m.label == label]


def values(text, label, **kw):
    return {m.value for m in find_entities(text, **kw) if m.label == label}


# ---- municipalities ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, name, code",
    [
        ("Beslutet skickas till Lunds kommun.", "Lund", "1281"),
        ("Mötet hölls i Lund i mars.", "Lund", "1281"),
        ("Föredragande: Gunnar Bergström, Malmö stad", "Malmö", "1280"),
        ("Samarbete med Göteborgs Stad.", "Göteborg", "1480"),
        ("Ett avtal med Region Gotland.", "Gotland", "0980"),
        ("Trelleborgs kommundirektör deltog.", "Trelleborg", "1287"),
        ("Kungsbacka kommuns budget", "Kungsbacka", "1384"),
        ("ÅNGE KOMMUN ANSLAG/BEVIS", "Ånge", "2260"),
        ("Plats och tid Bruksgatan 22,Lund kl. 15-17", "Lund", "1281"),
        ("Vi träffades i Falu kommun.", "Falun", "2080"),
    ],
)
def test_municipality_forms(text, name, code):
    ms = [m for m in find_entities(text) if m.label == "MUNICIPALITY"]
    assert [(m.value, m.code) for m in ms] == [(name, code)]
    assert text[ms[0].start:ms[0].end] == ms[0].text


@pytest.mark.parametrize(
    "text",
    [
        "Ulrika Geeraedts, regional utvecklingsdirektör (Region Skåne)",
        "Frågan gäller Jönköpings län och Skåne län.",
        "Kommundirektörsmöte MalmöLundregionen",
        "Konferensen hålls i Paris och Berlin.",
        "Vi ska vara på plats och mora oss, ale och bjurholm i gemener.",
        "Mark och vatten diskuterades.",
        "Vara med i projektet.",
        "Flaskhalsar för flyttande rovfåglar, ARCUM, Umeå University.",
    ],
)
def test_not_municipalities(text):
    assert found(text, "MUNICIPALITY") == []


def test_person_named_like_a_municipality_is_a_person():
    text = "Anna Lund och Per Lund redovisade."
    assert found(text, "MUNICIPALITY") == []
    assert values(text, "PERSON") == {"Anna Lund", "Per Lund"}


def test_ambiguous_municipality_name_inside_a_sentence():
    assert values("Samverkan med kommunerna i Mark och Vara.", "MUNICIPALITY") == {"Mark", "Vara"}


# ---- persons -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lars-Åke Ståhl (Burlöv) deltog.", {"Lars-Åke Ståhl"}),
        ("Justerare: Cecilia Hjort Attefall (KD)", {"Cecilia Hjort Attefall"}),
        ("Eva Banheden Lindblad (M)", {"Eva Banheden Lindblad"}),
        ("Sten-Ove Danielsson, s, ordförande Stiven Wiklund, s, vice ordförande",
         {"Sten-Ove Danielsson", "Stiven Wiklund"}),
        ("Underskrifter Ulf Stecksen Sten-Ove Danielsson Inga-Britt Söderberg",
         {"Ulf Stecksen", "Sten-Ove Danielsson", "Inga-Britt Söderberg"}),
        ("Sekreterare: Tome Cvitan", {"Tome Cvitan"}),
        ("Kommunjurist Linnea Princis redogör för rutinerna.", {"Linnea Princis"}),
        ("positiv till förslaget om nominering av Marika\nWidesdotter.", {"Marika Widesdotter"}),
        ("Fredrik Hanssons förslag godkändes.", {"Fredrik Hansson"}),
    ],
)
def test_person_names(text, expected):
    assert values(text, "PERSON") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Inga Frågor ställdes.",
        "Per capita räknat ökar kostnaden.",
        "Lisa A L deltog.",
        "Torsdag 12 december, Erik Dahlbergsgymnasiets aula.",
        "Responstid på Ginger\nFrej tog upp frågan.",
        "Underskrift Mona Thornberg Protokollmall skapad",
    ],
)
def test_not_full_person_names(text):
    persons = values(text, "PERSON")
    assert "Mona Thornberg Protokollmall" not in persons
    assert persons <= {"Mona Thornberg"}


def test_known_persons_give_spelling_and_spans():
    text = "Ordförande STEN-OVE DANIELSSON öppnade. Sten-Ove Danielsson, s, tackade."
    ms = [m for m in find_entities(text, known_persons=["Sten-Ove Danielsson", "blgl"]) if m.label == "PERSON"]
    assert [m.value for m in ms] == ["Sten-Ove Danielsson", "Sten-Ove Danielsson"]
    assert [text[m.start:m.end] for m in ms] == ["STEN-OVE DANIELSSON", "Sten-Ove Danielsson"]


def test_username_attendee_is_not_a_person_mention():
    assert found("blgl öppnade mötet.", "PERSON", known_persons=["blgl"]) == []


def test_longer_written_name_wins_over_known_short_form():
    text = "Justerare Julia Magdalena Sundqvist (S)"
    assert values(text, "PERSON", known_persons=["Magdalena Sundqvist"]) == {"Julia Magdalena Sundqvist"}


# ---- organisations -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [
        ("Ärendet går till Kommunstyrelsen.", "Kommunstyrelsen"),
        ("Kommunstyrelsens arbetsutskott föreslår", "Kommunstyrelsens arbetsutskott"),
        ("Barn- och utbildningsnämnden beslutar", "Barn- och utbildningsnämnden"),
        ("Yttrande till Länsstyrelsen i Skåne län.", "Länsstyrelsen i Skåne län"),
        ("Region Skånes uppdrag", "Region Skåne"),
        ("Skatteverket har svarat.", "Skatteverket"),
        ("Avtal med Kungälvs Energi AB.", "Kungälvs Energi AB"),
        ("Valnämndens protokoll", "Valnämnden"),
    ],
)
def test_organisations(text, value):
    assert value in values(text, "ORG")


def test_page_word_is_not_the_agency_sida():
    assert values("Sida 3 av 12", "ORG") == set()


def test_a_company_genitive_is_dropped():
    assert values("Ägardirektiv för Lomma Servicebostäder AB:s verksamhet.", "ORG",
                  mode="rules") == {"Lomma Servicebostäder AB"}


def test_a_body_in_the_indefinite_form_is_a_common_noun():
    text = ("Förslag om stadgerevision. Markförvaltning sköts av kommunen. Förberedning "
            "inför mötet. Bastuförening bildas. Ideell förening.")
    assert values(text, "ORG", mode="rules") == set()
    assert values("Valnämnden och Naturskyddsföreningen Lund", "ORG", mode="rules") == {
        "Valnämnden", "Naturskyddsföreningen Lund"}


# ---- pipeline ----------------------------------------------------------------------------

def test_pipeline_is_built_once_per_mode():
    assert nlp.get_nlp("rules") is nlp.get_nlp("rules")
    assert "minutes_resolver" in nlp.get_nlp("rules").pipe_names


def test_model_mode_sources_the_shipped_ner(monkeypatch):
    import spacy

    model = spacy.blank("sv")
    ner = model.add_pipe("ner")
    ner.add_label("PER")
    model.initialize()
    monkeypatch.setattr(nlp, "model_available", lambda: True)
    monkeypatch.setattr(nlp, "_load_model", lambda: model)
    nlp.get_nlp.cache_clear()
    try:
        both = nlp.get_nlp("both")
        assert "ner" in both.pipe_names
        doc = both("Mötet hölls i Lunds kommun.")
        assert [(e.text, e.label_) for e in doc.ents] == [("Lunds kommun", "MUNICIPALITY")]
        only_model = nlp.get_nlp("model")
        assert all(e.label_ in ("PERSON", "ORG", "MUNICIPALITY") for e in only_model("Anna Berg").ents)
    finally:
        nlp.get_nlp.cache_clear()


def test_model_mode_without_model_fails_clearly(monkeypatch):
    monkeypatch.setattr(nlp, "model_available", lambda: False)
    with pytest.raises(RuntimeError):
        nlp.get_nlp.__wrapped__("model")


# ---- corpus ------------------------------------------------------------------------------

def _gold_docs():
    for path in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not gold["source"].endswith(".pdf"):  # keep the suite fast: text and Markdown
            yield gold


def _same_person(a, b):
    a, b = a.casefold().split(), b.casefold().split()
    return a == b or (a[0] == b[0] and a[-1] == b[-1])


def test_corpus_persons_and_municipalities():
    from minutes_extract.ingest import load

    tp = fp = fn = mtp = mfp = mfn = 0
    for gold in _gold_docs():
        text = load(CORPUS / gold["source"]).text
        ms = find_entities(text, known_persons=[a["name"] for a in gold["attendees"]])
        persons = {m.value for m in ms if m.label == "PERSON"}
        gp = set(gold["persons"])
        hit = {g for g in gp if any(_same_person(p, g) for p in persons)}
        tp += len(hit)
        fn += len(gp - hit)
        fp += sum(1 for p in persons if not any(_same_person(p, g) for g in gp))
        munis, gm = {m.value for m in ms if m.label == "MUNICIPALITY"}, set(gold["municipalities"])
        mtp, mfp, mfn = mtp + len(munis & gm), mfp + len(munis - gm), mfn + len(gm - munis)
    assert 2 * tp / (2 * tp + fp + fn) >= 0.95
    assert 2 * mtp / (2 * mtp + mfp + mfn) >= 0.97


def test_golden_sentence_from_attendee_list():
    text = (CORPUS / "mlr-kdm-2019-01-29.txt").read_text(encoding="utf-8")
    ms = find_entities(text)
    assert {"Lars-Åke Ståhl", "Charlotte Unosson", "Per Almström", "Ulrika Geeraedts"} <= {
        m.value for m in ms if m.label == "PERSON"}
    assert {m.value for m in ms if m.label == "MUNICIPALITY"} >= {"Vellinge", "Staffanstorp", "Lund"}
    for m in ms:
        assert text[m.start:m.end] == m.text


def test_surname_alone_stands_for_the_person_named_in_full():
    text = ("Fredrik Geijer ges i uppdrag att boka ett möte. Geijer återkommer i mars, "
            "och Geijers förslag godtogs. Anna Lund och Per Lund deltog i Lund.")
    got = [(m.label, m.text, m.value) for m in find_entities(text, mode="rules")]
    assert ("PERSON", "Geijer", "Fredrik Geijer") in got
    assert ("PERSON", "Geijers", "Fredrik Geijer") in got
    # Two people share the surname, and it names a municipality: "Lund" stays the place.
    assert ("MUNICIPALITY", "Lund", "Lund") in got


def test_an_organisation_written_with_and_without_a_genitive_is_one():
    text = "Vi möter Datorföreningen Stacken. Datorföreningen Stackens styrelse svarar."
    assert values(text, "ORG", mode="rules") == {"Datorföreningen Stacken"}
