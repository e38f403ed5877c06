import json
from pathlib import Path

import pytest

from minutes_extract.evaluate import (
    Counts,
    evaluate_dir,
    format_table,
    match_names,
    score_corpus,
    score_document,
    token_f1,
    tokens,
)

GOLD_DIR = Path(__file__).resolve().parents[1] / "corpus" / "gold"
GOLD_KEYS = sorted(GOLD_DIR.glob("*.json"))


def doc(**fields) -> dict:
    base = {
        "source": "x.txt",
        "meeting": {},
        "attendees": [],
        "items": [],
        "persons": [],
        "municipalities": [],
        "dates": [],
        "dates_ignore": [],
    }
    return base | fields


def counts(c: Counts) -> tuple[int, int, int]:
    return c.tp, c.fp, c.fn


def test_tokens_are_casefolded_words_without_punctuation():
    assert tokens("  Beslut:   GODKÄNT.  § 12 ") == ["beslut", "godkänt", "12"]
    assert token_f1("Bruksgatan 22, Lund", "bruksgatan 22 lund") == 1.0
    assert token_f1("", "") == 1.0
    assert token_f1("a b", "") == 0.0


def test_names_match_on_first_and_last_word_and_aliases_count_neither_way():
    gold = ["Cecilia Kerstin M Hjort Attefall", "Anna Svensson"]
    pred = ["cecilia  hjort attefall", "Cecilia Attefall", "Bo Ek"]
    c, pairs = match_names(pred, gold)
    # Cecilia matched once; her second alias is neither hit nor false alarm; Bo Ek is false;
    # Anna Svensson is missed.
    assert counts(c) == (1, 1, 1)
    assert pairs == [(0, 0)]


def test_names_of_the_key_take_the_first_matching_prediction_in_order():
    c, pairs = match_names(
        ["Anna Svensson", "Anna B Svensson"], ["Anna B Svensson", "Anna Svensson"]
    )
    assert counts(c) == (2, 0, 0)
    assert pairs == [(0, 0), (1, 1)]
    # A second name of the key for a person already matched is a miss; a second predicted
    # alias is no false alarm.
    assert counts(match_names(["Anna B Svensson"], ["Anna Svensson", "Anna B Svensson"])[0]) == (
        1, 0, 1)
    assert counts(match_names(["Anna Svensson", "Anna B Svensson"], ["Anna Svensson"])[0]) == (
        1, 0, 0)


def test_one_word_names_match_only_when_equal():
    assert counts(match_names(["Anna"], ["Anna Svensson"])[0]) == (0, 1, 1)


def test_persons_use_name_matching():
    s = score_document(
        doc(persons=["Cecilia Hjort Attefall", "Cecilia Attefall"]),
        doc(persons=["Cecilia Kerstin M Hjort Attefall"]),
    )
    assert counts(s.fields["persons"]) == (1, 0, 0)


def test_dates_ignore_is_dropped_from_both_sides():
    gold = doc(dates=["2019-01-29", "2019-04-23"], dates_ignore=["2019-06-02", "2020-06-02"])
    pred = doc(dates=["2019-01-29", "2020-06-02", "2019-05-01"])
    assert counts(score_document(pred, gold).fields["dates"]) == (1, 1, 1)


def test_municipalities_are_compared_as_normalised_sets():
    s = score_document(
        doc(municipalities=["lund", "Malmö", "Malmö", "Ystad"]),
        doc(municipalities=["Lund", "Malmö", "Eslöv"]),
    )
    assert counts(s.fields["municipalities"]) == (2, 1, 1)


def test_meeting_text_fields_match_at_token_f1_08_other_fields_exactly():
    gold = doc(
        meeting={
            "title": "Styrelsemöte i föreningen Stacken",
            "place": "Bruksgatan 22, Lund",
            "date": "2019-01-29",
            "start_time": "15:00",
            "end_time": None,
            "chair": "Anna Svensson",
        }
    )
    pred = doc(
        meeting={
            "title": "Styrelsemöte i föreningen Stacken, protokoll",  # F1 0.89
            "place": "Lund",  # F1 0.5
            "date": "2019-01-28",
            "start_time": "15:00",
            "end_time": None,
            "chair": "anna  svensson",
        }
    )
    m = score_document(pred, gold).meeting
    assert {k: v.value for k, v in m.items()} == {
        "title": 1.0,
        "place": 0.0,
        "date": 0.0,
        "start_time": 1.0,
        "chair": 1.0,
    }  # end_time: the key states none, so it is not scored


def test_chair_and_secretary_match_as_person_names_not_by_tokens():
    gold = doc(meeting={"chair": "Anna Berg", "secretary": "Bo Ek"})
    pred = doc(meeting={"chair": "Anna Berg   Paragrafer", "secretary": "Bo Karl Ek"})
    m = score_document(pred, gold).meeting
    assert (m["chair"].value, m["secretary"].value) == (0.0, 1.0)


def test_item_numbers_compare_without_paragraph_sign_or_trailing_dot():
    gold = doc(items=[{"number": "12", "title": "Budget"}, {"number": "3a", "title": "Val"}])
    pred = doc(items=[{"number": "§ 12", "title": "Budget"}, {"number": "3a.", "title": "Val"}])
    assert counts(score_document(pred, gold).fields["items"]) == (2, 0, 0)


def test_a_field_the_key_lacks_is_not_scored():
    gold = {"source": "x.txt", "items": [{"number": "1", "title": "t", "decisions": ["a b"]}]}
    s = score_document(doc(persons=["Anna Svensson"], attendees=[{"name": "Bo Ek"}]), gold)
    assert "persons" not in s.fields and "attendees" not in s.fields
    assert counts(s.fields["decisions"]) == (0, 0, 1)


def test_votes_match_on_counts_and_reservations_on_party_or_person():
    gold = doc(items=[{
        "number": "5", "title": "Budget", "case_number": "KS 2019/123",
        "votes": [{"yes": 27, "no": 22, "abstain": 2}],
        "reservations": ["S", "Anna Berg"], "protocol_notes": [], "recusals": ["Bo Ek"],
    }])
    pred = doc(items=[{
        "number": "5", "title": "Budget", "case_number": "Dnr KS 2019/123",
        "votes": [{"yes": 27, "no": 22, "abstain": 2}, {"yes": 5, "no": 4, "abstain": None}],
        "reservations": [{"who": "Anna Berg (M)"}, {"party": "S"}],
        "protocol_notes": ["V"], "recusals": [],
    }])
    s = score_document(pred, gold).fields
    assert counts(s["case_numbers"]) == (1, 0, 0)
    assert counts(s["votes"]) == (1, 1, 0)
    assert counts(s["reservations"]) == (2, 0, 0)
    assert counts(s["protocol_notes"]) == (0, 1, 0)
    assert counts(s["recusals"]) == (0, 0, 1)


def test_attendee_attributes_over_matched_names():
    gold = doc(
        attendees=[
            {
                "name": "Anna Svensson",
                "municipality": "Lund",
                "group": "present",
                "role": "vice ordförande",
            },
            {"name": "Bo Ek", "municipality": None, "group": "other", "role": "kommunchef"},
            {"name": "Cilla Berg", "municipality": "Höör", "group": "present", "role": None},
        ]
    )
    pred = doc(
        attendees=[
            {
                "name": "Anna B Svensson",
                "municipality": "Lund",
                "group": "present",
                "role": "ordförande",
            },
            {"name": "Bo Ek", "municipality": "Lund", "group": "absent", "role": "ordförande"},
            {"name": "Dan Ny", "municipality": None, "group": "present", "role": None},
        ]
    )
    s = score_document(pred, gold)
    assert counts(s.fields["attendees"]) == (2, 1, 1)
    a = s.attendee_attributes
    assert (a["municipality"].total, a["municipality"].n) == (1, 2)
    assert (a["group"].total, a["group"].n) == (1, 2)
    # "ordförande" against "vice ordförande" has token F1 0.67 >= 0.5; against "kommunchef" 0.
    assert (a["role"].total, a["role"].n) == (1, 2)


def test_items_by_number_and_mean_title_f1():
    gold = doc(
        items=[
            {"number": "1", "title": "Mötets öppnande"},
            {"number": "2", "title": "Val av justerare"},
            {"number": "4a", "title": "Budget"},
        ]
    )
    pred = doc(
        items=[
            {"number": "1", "title": "Mötets öppnande"},
            {"number": "2", "title": "Val av sekreterare"},
            {"number": "3", "title": "Övrigt"},
        ]
    )
    s = score_document(pred, gold)
    assert counts(s.fields["items"]) == (2, 1, 1)
    assert s.item_titles.value == pytest.approx((1.0 + 2 / 3) / 2)


def test_decisions_found_at_token_f1_08_against_all_gold_blocks_joined():
    block_a = "Styrelsen beslutade att godkänna budgeten för nästa år"
    block_b = "att uppdra åt kassören att betala fakturan"
    gold = doc(
        items=[
            {"number": "1", "title": "Budget", "decisions": [block_a, block_b]},
            {
                "number": "2",
                "title": "Val",
                "decisions": ["Mötet valde Anna Svensson till ordförande"],
            },
            {"number": "3", "title": "Övrigt", "decisions": ["Lades till handlingarna"]},
            {"number": "4", "title": "Info", "decisions": []},
        ]
    )
    pred = doc(
        items=[
            # split differently into blocks, same words: found
            {"number": "1", "title": "Budget", "decisions": [f"{block_a} {block_b}"]},
            # half the words: not found
            {"number": "2", "title": "Val", "decisions": ["Mötet valde Anna"]},
            # no decision text for a gold item with decisions: not found, not predicted
            {"number": "3", "title": "Övrigt", "decisions": []},
            # a decision where the key has none: counts against precision
            {"number": "4", "title": "Info", "decisions": ["Informationen noterades"]},
        ]
    )
    c = score_document(pred, gold).fields["decisions"]
    assert counts(c) == (1, 2, 2)
    assert c.precision == pytest.approx(1 / 3)  # over the three predicted items with decisions
    assert c.recall == pytest.approx(1 / 3)


def test_decision_threshold_is_inclusive_at_08():
    gold = doc(items=[{"number": "1", "title": "t", "decisions": ["a b c d e"]}])
    at = doc(items=[{"number": "1", "title": "t", "decisions": ["a b c d"]}])  # F1 = 8/9
    below = doc(items=[{"number": "1", "title": "t", "decisions": ["a b c"]}])  # F1 = 0.75
    assert score_document(at, gold).fields["decisions"].tp == 1
    assert score_document(below, gold).fields["decisions"].tp == 0


def test_corpus_scores_are_micro_averaged():
    g1, p1 = doc(persons=["A B", "C D", "E F", "G H"]), doc(persons=["A B", "C D", "E F", "G H"])
    g2, p2 = doc(persons=["I J"]), doc(persons=["X Y"])
    c = score_corpus([(p1, g1), (p2, g2)]).fields["persons"]
    assert counts(c) == (4, 1, 1)
    assert c.f1 == pytest.approx(0.8)  # macro would be 0.5


def test_empty_against_empty_is_perfect_and_empty_prediction_scores_zero():
    assert Counts().f1 == 1.0
    s = score_document({}, doc(persons=["Anna Svensson"]))
    assert s.fields["persons"].f1 == 0.0


@pytest.mark.parametrize("key", GOLD_KEYS, ids=lambda p: p.stem)
def test_each_answer_key_scored_against_itself_is_perfect(key):
    gold = json.loads(key.read_text(encoding="utf-8"))
    s = score_document(gold, gold)
    for name, c in s.fields.items():
        assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0), name
    for name, m in {**s.meeting, **s.attendee_attributes, "titles": s.item_titles}.items():
        assert m.value in (None, 1.0), name


def test_evaluate_dir_scores_failures_as_empty_predictions(tmp_path):
    corpus, gold_dir = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    gold_dir.mkdir()
    (gold_dir / "README.md").write_text("not a key")
    for name in ("good.txt", "bad.txt"):
        (corpus / name).write_text("text")
        key = doc(source=name, persons=["Anna Svensson"], dates=["2019-01-29"])
        (gold_dir / f"{name}.json").write_text(json.dumps(key))

    def extract(path: Path) -> dict:
        if path.name == "bad.txt":
            raise ValueError("cannot read\nsecond line")
        return doc(persons=["Anna Svensson"], dates=["2019-01-29"])

    score = evaluate_dir(corpus, gold_dir, extract=extract, verbose=True)
    assert [d.source for d in score.documents] == ["bad.txt", "good.txt"]
    assert score.documents[0].error == "ValueError: cannot read"
    assert counts(score.fields["persons"]) == (1, 0, 1)
    table = format_table(score)
    assert (
        "persons" in table and "meeting" in table and "bad.txt" in table and "ValueError" in table
    )
    assert "bad.txt" not in format_table(score, verbose=False)


def test_format_table_lists_fields_with_figures():
    score = score_corpus([(doc(dates=["2019-01-29"]), doc(dates=["2019-01-29", "2019-02-01"]))])
    row = next(line for line in format_table(score).splitlines() if line.startswith("dates"))
    assert [c.strip() for c in row.split("|")] == ["dates", "1.000", "0.500", "0.667", "2"]
