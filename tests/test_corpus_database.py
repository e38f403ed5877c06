"""The bundled corpus imported: what a user counts on in the database as a whole."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
import sqlite_utils

from minutes_extract import persons
from minutes_extract.pipeline import _attachment_key

ROOT = Path(__file__).resolve().parents[1]

# Two people of one name in the corpus: a Sverigedemokrat in Högsby's kommunstyrelse in 2007
# and one in Jönköping's barn- och utbildningsnämnd in 2019 and 2022.
HOMONYMS = {"anders svensson": 2}


@pytest.fixture(scope="module")
def db(corpus_db_path):
    return sqlite_utils.Database(corpus_db_path)


def test_one_person_row_per_real_person(db):
    ids = defaultdict(set)
    for name, pid in db.execute("select name, person_id from attendees"):
        ids[persons.name_key(name)].add(pid)
    counts = {key: len(found) for key, found in ids.items() if len(found) > 1}
    assert counts == HOMONYMS
    # the same names stand with different things beside them, junk among them ("-", "2")
    assert len(db.execute("select name from attendees group by name "
                          "having count(distinct coalesce(affiliation, '')) > 1").fetchall()) >= 40
    assert db.execute("select count(distinct affiliation) from attendees "
                      "where affiliation in ('-', '–', '2')").fetchone()[0] >= 2


def test_a_rare_name_is_one_person_across_municipalities(db):
    rows = db.execute("select distinct person_id, municipality from attendees "
                      "where name = 'Kurt-Allan Egelby'").fetchall()
    assert {m for _, m in rows} == {"Bjurholm", "Nordmaling"}
    assert len({pid for pid, _ in rows}) == 1


def test_evidence_is_stored_for_every_attendee(db):
    assert db.execute("select count(*) from attendees where person_evidence is null"
                      ).fetchone()[0] == 0
    evidence = db.execute("select person_evidence from attendees where name = 'Anders Svensson'"
                          " order by person_evidence").fetchall()
    assert any("another person of this name: municipality" in e for e, in evidence)


def test_who_attended_most_counts_meetings_per_person(db, corpus_db_path):
    from minutes_extract import serve

    sql = serve.metadata("minutes")["databases"]["minutes"]["queries"]["attended_most"]["sql"]
    conn = db.conn
    conn.create_function("casefold", 1, lambda s: s.casefold() if s is not None else None)
    rows = conn.execute(sql, {"organisation": ""}).fetchall()
    top_name, top_meetings = rows[0][0], rows[0][3]
    by_name = db.execute(
        "select count(distinct meeting_id) from attendees where lower(name) = lower(?) "
        "and \"group\" != 'absent'", [top_name]).fetchone()[0]
    assert top_meetings == by_name
    assert [r[3] for r in rows] == sorted((r[3] for r in rows), reverse=True)


def test_no_lowercase_party_codes(db):
    parties = {p for p, in db.execute("select distinct party from attendees "
                                      "where party is not null")}
    assert parties and all(p == p.upper() for p in parties)
    written = {p for p, in db.execute("select distinct party_as_written from attendees")}
    assert {"s", "fp"} <= written  # as the minutes write them, beside the canonical code
    assert db.execute("select distinct party from attendees where party_as_written = 'fp'"
                      ).fetchall() == [("L",)]


def test_no_absolute_path_of_the_importing_machine(db):
    paths = [p for p, in db.execute("select path from documents union all "
                                    "select path from import_errors")]
    assert paths and not [p for p in paths if p.startswith("/") or str(ROOT) in p]
    assert all(p.startswith("corpus/") for p in paths)


def test_one_row_per_organisation(db):
    names = [n for n, in db.execute("select name from organisations")]
    folded = defaultdict(list)
    for name in names:
        folded[name.casefold()].append(name)
    owned = db.execute("select count(*) from organisations where part_of is not null"
                       ).fetchone()[0]
    assert owned > 0
    # the same name may stand once per owner (every municipality has a Kommunstyrelsen),
    # otherwise once
    for rows in db.execute("select lower(name), coalesce(part_of, ''), count(*) "
                           "from organisations group by 1, 2 having count(*) > 1"):
        pytest.fail(f"two rows for {rows}")
    assert sum("ix" == n.casefold() for n in names) == 1
    assert sum("lithe kod" == n.casefold() for n in names) == 1
    assert not [n for n in names if re.fullmatch(r"länsstyrelsen i skåne( län)?", n.casefold())]
    assert "Länsstyrelsen Skåne" in names


@pytest.mark.parametrize("junk", ["Torsdagars luncher är", "BEVIS Protokollet", "Serneke ABs",
                                  "Sida 1 av 27", "Sammanträdesdatum Datum", "Förberedning"])
def test_no_junk_organisations(db, junk):
    assert not db.execute("select 1 from organisations where name = ?", [junk]).fetchall()
    assert not db.execute("select 1 from mentions where label = 'ORG' and value = ?",
                          [junk]).fetchall()


def test_attachments_listed_once(db):
    lists = [json.loads(a) for a, in db.execute("select attachments from items")]
    assert any(len(a) > 1 for a in lists)
    for attachments in lists:
        keys = [_attachment_key(a) for a in attachments]
        assert len(keys) == len(set(keys)), attachments


def test_notes_on_one_line(db):
    notes = [n for n, in db.execute("select note from attendees where note is not null")]
    assert notes
    assert not [n for n in notes if n != " ".join(n.split())]
