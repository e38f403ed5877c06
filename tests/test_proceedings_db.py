"""Votes, ballots, reservations, notes, recusals and absences in the database: stable ids,
views joining them to items, meetings and persons, and the canned queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from minutes_extract import ingest, serve, store
from minutes_extract.datasette.plugin import casefold
from minutes_extract.pipeline import build_record

VOTES = Path(__file__).resolve().parents[1] / "corpus" / "votes"
DOCS = ("kungsbacka-fg-2024-11-13.md", "lomma-kf-2025-08-28.txt", "lomma-ks-2026-01-21.txt")
TABLES = ("votes", "ballots", "reservations", "protocol_notes", "recusals", "absences")


def _save(db, name: str) -> str:
    src = ingest.load(VOTES / name)
    return store.save(db, build_record(src), path=str(VOTES / name), text=src.text,
                      metadata=src.metadata)


@pytest.fixture(scope="module")
def db():
    db = store.open_db(":memory:")
    db.conn.create_function("casefold", 1, casefold)
    for name in DOCS:
        _save(db, name)
    return db


def _counts(db) -> dict[str, int]:
    return {t: db[t].count for t in TABLES}


def test_rows_per_table(db):
    counts = _counts(db)
    assert counts["votes"] == 2 + 3
    assert counts["ballots"] == 2 * 13 + 3 * 45
    assert counts["reservations"] == 5 + 5
    assert counts["protocol_notes"] == 5 + 1
    assert counts["recusals"] == 1
    assert counts["absences"] > 0


def test_ids_derive_from_the_item_and_reimporting_keeps_them(db):
    before = {t: sorted(r["id"] for r in db[t].rows) for t in TABLES}
    doc = _save(db, DOCS[1])
    assert {t: sorted(r["id"] for r in db[t].rows) for t in TABLES} == before
    vote_ids = [r["id"] for r in db.query("select id from votes where document_id = ? "
                                          "order by id", [doc])]
    assert all(re.fullmatch(rf"{doc}-\d{{3}}-v\d", v) for v in vote_ids)
    ballot = db.execute("select id, vote_id from ballots where document_id = ? limit 1",
                        [doc]).fetchone()
    assert ballot[0].startswith(ballot[1] + "-b")


def test_votes_view_joins_item_and_meeting(db):
    rows = list(db.query("select * from votes_view where item_number = '112'"))
    assert [(r["yes"], r["no"], r["abstain"], r["margin"]) for r in rows] == [
        (3, 2, 8, 1), (8, 3, 2, 5)]
    assert rows[0]["stage"] == "kontraproposition" and rows[0]["verified"] == 1
    assert json.loads(rows[0]["proposals"]) == ["Socialdemokraternas förslag",
                                               "Sverigedemokraternas förslag"]
    assert rows[0]["date"] == "2024-11-13" and rows[0]["case_number"]
    source = json.loads(rows[0]["source"])
    text = db.execute("select text from documents where id = ?",
                      [source["document_id"]]).fetchone()[0]
    assert "3 ja-röster" in text[source["start"]:source["end"]]


def test_ballots_of_attendees_share_their_person(db):
    row = db.execute(
        "select b.person_id, a.person_id from ballots b join attendees a "
        "on a.meeting_id = b.meeting_id and a.name = b.name "
        "where b.name = 'Emanuel Forsell' limit 1").fetchone()
    assert row[0] == row[1] is not None
    for view, table in (("ballots_view", "ballots"), ("reservations_view", "reservations"),
                        ("protocol_notes_view", "protocol_notes"),
                        ("recusals_view", "recusals")):
        assert db[view].count == db[table].count


def test_item_attendance_marks_who_was_away(db):
    away = db.execute("select count(*) from item_attendance where present = 0").fetchone()[0]
    listed = db.execute("select count(*) from absences where attendee_id is not null"
                        ).fetchone()[0]
    assert away == listed > 0
    row = db.execute("select present, reason from item_attendance where item_number = '54' "
                     "and person = 'Fredrik Karström'").fetchone()
    assert tuple(row) == (0, "§§ 48-53, 55-56; jäv")  # the note, and why
    members = db.execute("select count(*) from attendees a join meetings m on m.id = "
                         "a.meeting_id where a.\"group\" != 'absent'").fetchone()[0]
    assert db["item_attendance"].count >= members


def _query(db, query: str, **given) -> list[dict]:
    sql = serve.metadata("minutes")["databases"]["minutes"]["queries"][query]["sql"]
    params = {p: given.get(p, "") for p in re.findall(r":(\w+)", sql)}
    cursor = db.conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def test_how_each_party_voted(db):
    rows = _query(db, "party_votes", party="sd")
    assert rows and {r["party"] for r in rows} == {"SD"}
    main = next(r for r in rows if r["yes_means"] == "Ja för liggande förslag")
    assert (main["ja"], main["nej"], main["avstår"]) == (0, 0, 2)
    assert len(_query(db, "party_votes")) > len(rows)


def test_reservations_by_party(db):
    totals = {r["party"]: r["reservations"] for r in _query(db, "reservations_by_party")}
    assert totals == {"S": 5, "SD": 2, "V": 1, "L": 1, "F": 1}
    assert [r["who"].split(" — ")[0] for r in _query(db, "reservations_by_party", party="l")
            ] == ["Sandra Pilemalm (L)"]


def test_close_votes(db):
    rows = _query(db, "close_votes")
    assert sorted((r["yes"], r["no"]) for r in rows) == [(3, 2), (23, 22), (23, 22), (23, 22)]


def test_who_declared_jav(db):
    assert [(r["who"], r["item_number"]) for r in _query(db, "jav")] == [
        ("Fredrik Karström (M)", "54")]
    assert _query(db, "jav", name="nobody") == []
