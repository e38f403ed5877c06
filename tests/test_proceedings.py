"""The proceedings of each item: case number keys, where each place in the text belongs,
the rules file, and the scores on the protocols with votes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes_extract import rules
from minutes_extract.evaluate import score_corpus
from minutes_extract.models import Item, Span
from minutes_extract.segment import wording
from minutes_extract.segment.proceedings import Regions, case_key

VOTES = Path(__file__).resolve().parents[1] / "corpus" / "votes"


@pytest.mark.parametrize(("written", "key"), [
    ("Dnr KS 2019/123", "KS 2019/123"),
    ("KS 2019/123", "KS 2019/123"),
    ("ks2019/123", "KS 2019/123"),
    ("Diarienummer: KS 2019 / 123", "KS 2019/123"),
    ("KS KF/2025:6", "KS KF/2025:6"),
    ("FG-2024-00708", "FG 2024-00708"),
    ("Dnr FG 2024-00708", "FG 2024-00708"),
    ("BUN/2025:1", "BUN/2025:1"),
    ("2019/123", "2019/123"),
])
def test_case_key(written, key):
    assert case_key(written) == key


def test_case_key_of_nothing():
    assert case_key(None) is None and case_key("Dnr") is None


def test_every_item_of_the_votes_corpus_gets_its_case_key(extracted):
    record = extracted("votes/kungsbacka-ks-2024-08-27.md")
    assert [(it.case_number, it.case_key) for it in record.items][:1] == [
        ("Dnr KS-2024-00011", "KS 2024-00011")]
    assert all(it.case_key for it in record.items if it.case_number)


def test_paragraph_headings_after_a_table_of_contents_own_their_text():
    # Items read from an ärendelista have spans of one line each; the paragraph itself,
    # further on, belongs to its item all the same.
    text = ("§ 1   KS 2020/1\n    Budget\n§ 2   KS 2020/2\n    Plan\n\n"
            "KS § 1                     KS 2020/1\nBudget\nAnna Ek (S) reserverar sig.\n"
            "KS § 2                     KS 2020/2\nPlan\n")
    items = [Item(number="1", title="Budget", span=Span(start=0, end=27)),
             Item(number="2", title="Plan", span=Span(start=27, end=50))]
    regions = Regions(text, items)
    assert regions.item_at(text.index("reserverar")) == "1"
    assert regions.item_at(text.index("\nPlan\n") + 1) == "2"
    assert regions.item_at(5) == "1"


def test_a_paragraph_number_quoted_inside_another_item_moves_nothing():
    text = ("§ 1   KS 2020/1\nBudget\n" + "Text om budgeten. " * 30 + "\n"
            "§ 2   KS 2020/2\nPlan\nBeslutsunderlag\n§ 1   KSAU 2020-01-10\n"
            "Anna Ek (S) reserverar sig.\n")
    second = text.index("§ 2")
    items = [Item(number="1", title="Budget", span=Span(start=0, end=second)),
             Item(number="2", title="Plan", span=Span(start=second, end=len(text)))]
    assert Regions(text, items).item_at(text.index("reserverar")) == "2"


def test_the_rules_file_rejects_a_key_it_does_not_know(rules_copy):
    path = rules_copy / "votes.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nyes = [", "\njaa = [", 1),
                    encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"votes\.toml: counts\.(jaa|yes): "):
        rules.get("votes")


def test_the_rules_file_rejects_a_broken_pattern(rules_copy):
    path = rules_copy / "votes.toml"
    text = path.read_text(encoding="utf-8").replace("mark = '^(?:", "mark = '^((?:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"votes\.toml: vote\.mark: .*not a regular"):
        rules.get("votes")


def test_number_words():
    assert wording.number_value("tio") == 10
    assert wording.number_value("tjugotre") == 23
    assert wording.number_value("fyrtioen") == 41
    assert wording.number_value("23") == 23
    assert wording.number_value("många") is None


def test_votes_corpus_scores(extracted):
    """`minutes-extract evaluate corpus/votes/ --gold corpus/votes/gold/` at the issue's bar."""
    keys = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((VOTES / "gold").glob("*.json"))]
    score = score_corpus([(extracted(f"votes/{k['source']}").model_dump(mode="json"), k)
                          for k in keys])
    f1 = {name: c.f1 for name, c in score.fields.items()}
    assert f1["votes"] >= 0.95
    assert f1["reservations"] >= 0.90
    assert f1["case_numbers"] >= 0.95
    assert f1["protocol_notes"] >= 0.90 and f1["recusals"] >= 0.90
