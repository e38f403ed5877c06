"""The whole pipeline against the corpus answer keys: the quality bars as a regression guard.

Each key is one real-world variant (municipal protocol PDF, inter-municipal minnesanteckningar,
association minutes in Markdown, web transcript of a PDF ...); the figures are those of
`minutes-extract evaluate corpus/ --gold corpus/gold/`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes_extract.evaluate import evaluate_dir

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

BARS = {
    "items": 0.95,
    "decisions": 0.90,
    "attendees": 0.90,
    "persons": 0.93,
    "municipalities": 0.97,
    "dates": 0.93,
}


@pytest.fixture(scope="module")
def score():
    return evaluate_dir(CORPUS, CORPUS / "gold")


def test_every_key_was_scored_without_an_extraction_error(score):
    assert len(score.documents) == len(list((CORPUS / "gold").glob("*.json")))
    assert [d.error for d in score.documents if d.error] == []


@pytest.mark.parametrize("field", sorted(BARS))
def test_field_f1_meets_its_bar(score, field):
    assert score.fields[field].f1 >= BARS[field], score.fields[field]


def test_meeting_date_right_in_95_percent_of_documents(score):
    assert score.meeting["date"].value >= 0.95
