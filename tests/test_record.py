"""The record a user counts on: party codes, notes on one line, attachments once, and each
decision's text written once in `extract`'s JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from minutes_extract.cli import cli
from minutes_extract.models import Attendee, Item, Meeting
from minutes_extract.pipeline import _tidy
from minutes_extract.segment import Segments

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def tidied(attendees=(), items=()):
    seg = Segments(meeting=Meeting(), attendees=list(attendees), items=list(items))
    _tidy(seg)
    return seg


def test_party_code_is_canonical_with_the_form_as_written_beside_it():
    seg = tidied([Attendee(name="Anna Berg", party="fp"), Attendee(name="Per Ek", party="s"),
                  Attendee(name="Eva Ny", party="-")])
    assert [(a.party, a.party_as_written) for a in seg.attendees] == [
        ("L", "fp"), ("S", "s"), (None, "-")]


def test_notes_stand_on_one_line():
    seg = tidied([Attendee(name="Anna Berg", note="§\n109\n, §§ 111, 114\n"),
                  Attendee(name="Per Ek", note="§§ 116-125\n", role="ordförande ")])
    assert [(a.note, a.role) for a in seg.attendees] == [("§ 109, §§ 111, 114", None),
                                                        ("§§ 116-125", "ordförande")]


def test_an_attachment_is_listed_once():
    seg = tidied(items=[Item(number="4", title="Budget",
                             attachments=["Bilaga 2", "bil. 2", "bilaga 2", "Bilaga 3"])])
    assert seg.items[0].attachments == ["Bilaga 2", "Bilaga 3"]


def test_extract_writes_each_decision_once():
    result = CliRunner().invoke(cli, ["extract", str(CORPUS / "mlr-kdm-2019-06-11.md")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    item = next(i for i in data["items"] if len(i["decisions"]) > 1)
    assert [set(b) for b in item["decision_blocks"]] == [{"label", "span"}] * len(
        item["decisions"])
    for text in item["decisions"]:
        assert result.output.count(json.dumps(text, ensure_ascii=False)) == 1
