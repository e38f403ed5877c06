"""Persons: one row per real person, linked across meetings by name, party, organisation and
municipality, with the evidence kept; invented minutes on an in-memory database."""

from __future__ import annotations

import hashlib

import pytest

from minutes_extract import store
from minutes_extract.models import Attendee, DocumentInfo, Meeting, Mention, MinutesRecord


def minutes(name: str, organization: str, *people: Attendee,
            mentions: tuple[Mention, ...] = ()) -> MinutesRecord:
    return MinutesRecord(
        source=name, meeting=Meeting(title="Sammanträde", organization=organization,
                                     date="2024-01-01"),
        attendees=list(people), mentions=list(mentions),
        document=DocumentInfo(file_name=name, sha256=hashlib.sha256(name.encode()).hexdigest(),
                              format="txt"))


def save(db, record: MinutesRecord) -> str:
    return store.save(db, record, path=record.source, text="")


def person_of(db, doc_id: str, name: str) -> tuple[str, str]:
    return db.execute("select person_id, person_evidence from attendees "
                      "where document_id = ? and name = ?", [doc_id, name]).fetchone()


@pytest.fixture
def db():
    return store.open_db(":memory:")


def test_junk_beside_a_name_does_not_split_a_person(db):
    a = save(db, minutes("a.txt", "Lomma kommun", Attendee(name="Anna Andersson", affiliation="-")))
    b = save(db, minutes("b.txt", "Lomma kommun", Attendee(name="Anna  andersson", affiliation="2")))
    assert person_of(db, a, "Anna Andersson")[0] == person_of(db, b, "Anna  andersson")[0]
    assert person_of(db, b, "Anna  andersson")[1] == "same name, municipality Lomma, same organisation"
    assert db["persons"].count == 1


def test_another_party_is_another_person(db):
    a = save(db, minutes("a.txt", "Styrelsen", Attendee(name="Anna Andersson", party="S")))
    b = save(db, minutes("b.txt", "Styrelsen", Attendee(name="Anna Andersson", party="M")))
    c = save(db, minutes("c.txt", "Styrelsen", Attendee(name="Anna Andersson", party="L")))
    ids = {person_of(db, d, "Anna Andersson")[0] for d in (a, b, c)}
    assert len(ids) == 3
    assert person_of(db, b, "Anna Andersson")[1] == \
        "another person of this name: party M, not S"


def test_a_partys_old_code_is_the_same_party(db):
    from minutes_extract.parties import canonical

    a = save(db, minutes("a.txt", "Styrelsen", Attendee(name="Anna Andersson",
                                                        party=canonical("fp"))))
    b = save(db, minutes("b.txt", "Styrelsen", Attendee(name="Anna Andersson",
                                                        party=canonical("L"))))
    assert person_of(db, a, "Anna Andersson")[0] == person_of(db, b, "Anna Andersson")[0]


def test_a_common_name_in_another_municipality_is_another_person(db):
    a = save(db, minutes("a.txt", "Lunds kommun", Attendee(name="Anna Andersson")))
    b = save(db, minutes("b.txt", "Umeå kommun", Attendee(name="Anna Andersson")))
    assert person_of(db, a, "Anna Andersson")[0] != person_of(db, b, "Anna Andersson")[0]
    assert person_of(db, b, "Anna Andersson")[1] == \
        "another person of this name: municipality Umeå, not Lund"


def test_a_rare_name_is_one_person_across_municipalities(db):
    a = save(db, minutes("a.txt", "Regionrådet", Attendee(name="Xerxes Qvistborgh",
                                                          municipality="Bjurholm")))
    b = save(db, minutes("b.txt", "Regionrådsmöte", Attendee(name="Xerxes Qvistborgh",
                                                             municipality="Nordmaling")))
    assert person_of(db, a, "Xerxes Qvistborgh")[0] == person_of(db, b, "Xerxes Qvistborgh")[0]
    assert person_of(db, b, "Xerxes Qvistborgh")[1] == "same name, a rare name"


def test_a_one_word_name_links_only_within_one_organisation(db):
    a = save(db, minutes("a.txt", "Stacken", Attendee(name="kaj")))
    b = save(db, minutes("b.txt", "Stacken", Attendee(name="kaj")))
    c = save(db, minutes("c.txt", "IX", Attendee(name="kaj")))
    assert person_of(db, a, "kaj")[0] == person_of(db, b, "kaj")[0] != person_of(db, c, "kaj")[0]


def test_the_person_row_takes_the_latest_party_and_most_common_municipality(db):
    save(db, minutes("a.txt", "Lomma kommun", Attendee(name="Anna Andersson")))
    save(db, minutes("b.txt", "Lomma kommun", Attendee(name="Anna Andersson", party="S")))
    row = next(iter(db["persons"].rows))
    assert (row["name"], row["party"], row["municipality_code"]) == ("Anna Andersson", "S", "1262")


def test_a_name_in_the_text_is_the_attendee_of_that_name(db):
    mention = Mention(label="PERSON", text="Anna Anderssons", value="Anna Andersson",
                      start=0, end=15)
    other = Mention(label="PERSON", text="Per Persson", value="Per Persson", start=20, end=31)
    d = save(db, minutes("a.txt", "Styrelsen", Attendee(name="Anna Andersson"),
                         mentions=(mention, other)))
    found = dict(db.execute("select value, person_id from mentions where document_id = ?", [d]))
    assert found["Anna Andersson"] == person_of(db, d, "Anna Andersson")[0]
    assert found["Per Persson"] is not None and db["persons"].count == 2


def test_importing_again_keeps_ids_and_removing_minutes_removes_their_people(db):
    a = save(db, minutes("a.txt", "Styrelsen", Attendee(name="Anna Andersson"),
                         Attendee(name="Per Persson")))
    b = save(db, minutes("b.txt", "Styrelsen", Attendee(name="Anna Andersson")))
    first = {r["name"]: r["id"] for r in db["persons"].rows}
    save(db, minutes("a.txt", "Styrelsen", Attendee(name="Anna Andersson"),
                     Attendee(name="Per Persson")))
    assert {r["name"]: r["id"] for r in db["persons"].rows} == first
    with db.atomic():
        store.delete_document(db, a)
    assert [r["name"] for r in db["persons"].rows] == ["Anna Andersson"]
    assert person_of(db, b, "Anna Andersson")[0] == first["Anna Andersson"]
