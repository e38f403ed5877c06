"""The whole pipeline against the corpus answer keys: the quality bars as a regression guard.

Each key is one real-world variant (municipal protocol PDF, attendance table, inter-municipal
minnesanteckningar, association minutes in Markdown, web transcript of a PDF ...); the
figures are those of `minutes-extract evaluate corpus/ --gold corpus/gold/ --no-scanned`, and
the reference scorer gives the same on the same predictions.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from minutes_extract.evaluate import is_scanned, score_corpus
from minutes_extract.pipeline import extract

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD = CORPUS / "gold"

# What `make eval` measures on the keys of documents with a text layer, less 0.01.
BARS = {
    "attendees": 0.984,
    "items": 0.971,
    "decisions": 0.974,
    "persons": 0.977,
    "municipalities": 0.99,
    "dates": 0.972,
}
MEETING_BARS = {
    "title": 0.99,
    "organization": 0.99,
    "date": 0.99,
    "start_time": 0.99,
    "end_time": 0.99,
    "place": 0.99,
    "chair": 0.958,
    "secretary": 0.957,
    "next_meeting": 0.99,
}


def _keys() -> list[dict]:
    keys = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    return [k for k in keys if not is_scanned(k)]


@pytest.fixture(scope="module")
def predictions() -> list[tuple[dict, dict]]:
    return [(extract(CORPUS / key["source"]).model_dump(mode="json"), key) for key in _keys()]


@pytest.fixture(scope="module")
def score(predictions):
    return score_corpus(predictions)


def test_every_key_of_a_text_document_names_a_corpus_file():
    assert _keys() and all((CORPUS / k["source"]).is_file() for k in _keys())


@pytest.mark.parametrize("field", sorted(BARS))
def test_field_f1_meets_its_bar(score, field):
    assert score.fields[field].f1 >= BARS[field], score.fields[field]


@pytest.mark.parametrize("field", sorted(MEETING_BARS))
def test_meeting_field_meets_its_bar(score, field):
    assert score.meeting[field].value >= MEETING_BARS[field], score.meeting[field]


def test_the_reference_scorer_gives_the_same_figures(predictions, score, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "reference_score", Path(__file__).parent / "reference" / "score.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    for pred, key in predictions:
        name = Path(key["source"]).stem + ".json"
        (gold_dir / name).write_text(json.dumps(key), encoding="utf-8")
        (pred_dir / name).write_text(json.dumps(pred), encoding="utf-8")
    expected, _ = reference.score(gold_dir, pred_dir)
    for field, c in score.fields.items():
        assert (c.tp, c.fp, c.fn) == tuple(expected[field][k] for k in ("tp", "fp", "fn")), field
    assert {k: round(m.value, 3) for k, m in score.meeting.items()} == expected["meeting_fields"]
