"""Views that join decisions, attendance and mentions to meetings, items, documents, places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from minutes_extract import ingest, store, views
from minutes_extract.pipeline import build_record

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MLR = "mlr-kdm-2019-01-29.txt"
# A Kungsbacka board whose minutes name a person called Lund: not the municipality.
KUNGSBACKA = "kungsbacka-ksau-2025-01-14.md"


@pytest.fixture(scope="module")
def db():
    db = store.open_db(":memory:")
    for name in (MLR, KUNGSBACKA):
        src = ingest.load(CORPUS / name)
        store.save(db, build_record(src), path=str(CORPUS / name), text=src.text,
                   metadata=src.metadata)
    return db


def _doc_id(db, file_name: str) -> str:
    return db.execute("select id from documents where file_name = ?", [file_name]).fetchone()[0]


def test_every_view_exists_and_keeps_one_row_per_base_row(db):
    assert set(views.definitions()) <= set(db.view_names())
    for view, table in (("decisions_view", "decisions"), ("items_view", "items"),
                        ("attendance", "attendees"), ("mentions_view", "mentions")):
        assert db[view].count == db[table].count > 0, view


def test_decisions_view_carries_meeting_item_and_source(db):
    rows = list(db.query("select * from decisions_view"))
    decisions = {r["id"]: r for r in db.query("select * from decisions")}
    for row in rows:
        decision = decisions[row["decision_id"]]
        item = db["items"].get(decision["item_id"])
        meeting = db["meetings"].get(decision["meeting_id"])
        assert (row["item_number"], row["item_title"]) == (item["number"], item["title"])
        assert (row["date"], row["organization"]) == (meeting["date"], meeting["organization"])
        assert row["decision"] == decision["text"]
        source = json.loads(row["source"])
        assert source["document_id"] == decision["document_id"]
        assert source["file_name"] == row["file_name"]
        assert source["page"] == decision["page_start"] == row["page"]
        assert (source["start"], source["end"]) == (decision["char_start"], decision["char_end"])


def test_decision_source_span_is_the_decision_in_the_document_text(db):
    for row in db.query("select v.source, doc.text from decisions_view v "
                        "join documents doc on doc.id = v.document_id"):
        source = json.loads(row["source"])
        passage = row["text"][source["start"]:source["end"]]
        assert passage.strip()


def test_lund_decisions_are_the_malmolundregionen_decisions(db):
    lund = {r["decision_id"] for r in db.query(
        "select decision_id from decision_municipalities where municipality = 'Lund'")}
    mlr = {r["id"] for r in db.query("select id from decisions where document_id = ?",
                                     [_doc_id(db, MLR)])}
    assert lund == mlr and mlr
    reasons = {r["reason"] for r in db.query(
        "select reason from decision_municipalities where municipality = 'Lund'")}
    assert any("attendee" in r for r in reasons)


def test_a_municipalitys_own_minutes_belong_to_it(db):
    doc = _doc_id(db, KUNGSBACKA)
    rows = list(db.query(
        "select dm.municipality, dm.reason from decision_municipalities dm "
        "join decisions d on d.id = dm.decision_id where d.document_id = ?", [doc]))
    assert rows and all(r["municipality"] == "Kungsbacka" for r in rows)
    assert all("organiser" in r["reason"] for r in rows)
    listed = db.execute("select municipalities from decisions_view where document_id = ? "
                        "limit 1", [doc]).fetchone()[0]
    assert json.loads(listed) == ["Kungsbacka"]


def test_attendance_names_people_and_their_municipalities(db):
    rows = list(db.query("select * from attendance where document_id = ?", [_doc_id(db, MLR)]))
    assert rows
    assert all(r["person"] and r["file_name"] == MLR for r in rows)
    lund = [r for r in rows if r["municipality"] == "Lund"]
    assert lund and all(r["municipality_code"] == "1281" for r in lund)
    assert all(json.loads(r["source"])["document_id"] == r["document_id"] for r in rows)


def test_mentions_view_resolves_names(db):
    rows = list(db.query("select * from mentions_view where label = 'MUNICIPALITY' "
                         "and municipality_code = '1281'"))
    assert rows and all(r["name"] == "Lund" for r in rows)
    people = list(db.query("select * from mentions_view where person_id is not null"))
    assert people and all(r["name"] == db["persons"].get(r["person_id"])["name"]
                          for r in people)


def _view_sql(db) -> dict[str, str]:
    return {r["name"]: r["sql"] for r in
            db.query("select name, sql from sqlite_master where type = 'view'")}


def test_ensure_views_is_a_noop_when_current_and_replaces_changed_views(db, monkeypatch):
    before = _view_sql(db)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        views.ensure_views(db)
    finally:
        db.conn.set_trace_callback(None)
    assert not [s for s in statements if s.lstrip().upper().startswith(("CREATE", "DROP"))]
    assert _view_sql(db) == before

    changed = dict(views.definitions())
    changed["items_view"] = "select id as item_id from items"
    monkeypatch.setattr(views, "definitions", lambda: changed)
    views.ensure_views(db)
    assert [c.name for c in db["items_view"].columns] == ["item_id"]
    monkeypatch.undo()
    views.ensure_views(db)
    assert _view_sql(db) == before


def test_decisions_view_lists_the_municipalities_of_decision_municipalities(db):
    grouped: dict[str, list[str]] = {}
    for r in db.query("select decision_id, municipality from decision_municipalities "
                      "order by municipality"):
        grouped.setdefault(r["decision_id"], []).append(r["municipality"])
    listed = {r["decision_id"]: json.loads(r["municipalities"])
              for r in db.query("select decision_id, municipalities from decisions_view")}
    assert listed == {d: grouped.get(d, []) for d in listed}
    assert any(listed.values())
