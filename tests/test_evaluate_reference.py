"""`evaluate` gives the figures of the reference scorer (tests/reference/score.py).

Predictions are the answer keys themselves, altered in the ways extraction goes wrong
(items lost or renumbered, names shortened, decisions cut, meeting fields wrong, votes
miscounted), so every rule of both scorers is exercised on real keys.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from pathlib import Path

import pytest

from minutes_extract.evaluate import score_corpus

ROOT = Path(__file__).resolve().parents[1]
KEY_DIRS = [ROOT / "corpus" / "gold", ROOT / "corpus" / "votes" / "gold"]


def _reference():
    spec = importlib.util.spec_from_file_location(
        "reference_score", Path(__file__).parent / "reference" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _alter(key: dict, rng: random.Random) -> dict:
    """A prediction made from an answer key with typical extraction mistakes."""
    p = copy.deepcopy(key)
    for k in ("transcript", "transcript_printed"):
        p.pop(k, None)
    meeting = p.get("meeting") or {}
    for name in list(meeting):
        roll = rng.random()
        if roll < 0.2:
            meeting[name] = None
        elif roll < 0.35 and isinstance(meeting[name], str):
            meeting[name] = meeting[name] + " Paragrafer"
    attendees = p.get("attendees") or []
    rng.shuffle(attendees)
    del attendees[: len(attendees) // 5]
    for a in attendees[:3]:
        words = a["name"].split()
        a["name"] = " ".join(words[:1] + ["X"] + words[1:]) if rng.random() < 0.5 else words[0]
        a["group"] = "other"
        a["role"] = "ledamot"
    attendees.append({"name": "Stadshuset Huskvarna", "group": "present"})
    items = p.get("items") or []
    for i, item in enumerate(items):
        roll = rng.random()
        if roll < 0.1:
            item["number"] = f"§ {item['number']}"
        elif roll < 0.2:
            item["number"] = str(item["number"]) + "0"
        if item.get("decisions") and rng.random() < 0.3:
            item["decisions"] = [" ".join(" ".join(item["decisions"]).split()[::2])]
        if "votes" in item and item["votes"] and rng.random() < 0.5:
            item["votes"][0]["yes"] = int(item["votes"][0].get("yes") or 0) + 1
        if item.get("case_number") and rng.random() < 0.3:
            item["case_number"] = "Dnr " + item["case_number"]
        if item.get("reservations") and rng.random() < 0.5:
            item["reservations"] = item["reservations"][1:] + ["Nobody Here"]
        if i % 7 == 3:
            item["decisions"] = ["Informationen noteras."]
    if items:
        items.pop(rng.randrange(len(items)))
    for k in ("persons", "municipalities", "dates"):
        values = list(p.get(k) or [])
        rng.shuffle(values)
        p[k] = values[: max(0, len(values) - 2)] + (["Anna Svensson", "Lund"] if k != "dates"
                                                    else ["2019-01-01"])
    return p


def _keys() -> list[Path]:
    return sorted(k for d in KEY_DIRS for k in d.glob("*.json"))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_evaluate_agrees_with_the_reference_scorer(tmp_path, seed):
    reference = _reference()
    rng = random.Random(seed)
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    pairs = []
    for key_path in _keys():
        key = json.loads(key_path.read_text(encoding="utf-8"))
        name = f"{key_path.parent.parent.name}-{key_path.name}"
        pred = {} if rng.random() < 0.05 else _alter(key, rng)
        (gold_dir / name).write_text(json.dumps(key), encoding="utf-8")
        (pred_dir / name).write_text(json.dumps(pred), encoding="utf-8")
        pairs.append((pred, key))
    expected, _ = reference.score(gold_dir, pred_dir)
    ours = score_corpus(pairs)
    for field, c in ours.fields.items():
        got = {"tp": c.tp, "fp": c.fp, "fn": c.fn, "p": round(c.precision, 3),
               "r": round(c.recall, 3), "f1": round(c.f1, 3)}
        assert got == expected[field], field
    assert set(ours.fields) == set(expected) - {"meeting_fields", "attendee_fields",
                                                "item_title_f1"}
    assert {k: round(m.value, 3) for k, m in ours.meeting.items()} == expected["meeting_fields"]
    assert {k: round(m.value, 3) for k, m in ours.attendee_attributes.items()} == expected[
        "attendee_fields"]
    assert round(ours.item_titles.value, 3) == expected["item_title_f1"]
