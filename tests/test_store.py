"""SQLite storage: stable ids, replace-on-reimport, one transaction per document."""

from __future__ import annotations

import hashlib

import pytest

from minutes_extract import store
from minutes_extract.pipeline import build_record

DOC = "mlr-kdm-2019-01-29.txt"


@pytest.fixture
def db():
    return store.open_db(":memory:")


def _save(db, source, path=None):
    record = build_record(source)
    return store.save(db, record, path=path or str(source.path), text=source.text,
                      metadata=source.metadata), record


def _counts(db):
    return {t: db[t].count for t in ("documents", "meetings", "attendees", "items",
                                     "decisions", "mentions", "persons")}


def test_schema_has_foreign_keys_and_indexes(db):
    fks = {(fk.column, fk.other_table) for fk in db["decisions"].foreign_keys}
    assert ("item_id", "items") in fks and ("document_id", "documents") in fks
    assert any(ix.columns == ["meeting_id"] for ix in db["items"].indexes)
    assert db["municipalities"].count == 290
    assert db["municipalities"].get("1281")["name"] == "Lund"


def test_save_writes_every_part_with_provenance(db, corpus_source):
    doc_id, record = _save(db, corpus_source(DOC))
    assert doc_id == record.document.sha256[:16]
    meeting = db["meetings"].get(doc_id)
    assert (meeting["date"], meeting["year"]) == ("2019-01-29", 2019)
    items = list(db.query("select * from items where document_id = ? order by ordinal",
                          [doc_id]))
    assert [i["number"] for i in items] == [i.number for i in record.items]
    d = next(db.query("select * from decisions where document_id = ? order by id", [doc_id]))
    text = db["documents"].get(doc_id)["text"]
    # The span points at the decision in the stored text.
    assert text[d["char_start"]:d["char_end"]].split()[0] == d["text"].split()[0]
    lund = list(db.query("select count(*) n from attendees where municipality_code = '1281'"
                         " and document_id = ?", [doc_id]))[0]["n"]
    assert lund >= 1


def test_reimport_replaces_and_never_duplicates(db, corpus_source):
    source = corpus_source(DOC)
    _save(db, source)
    first = _counts(db)
    _save(db, source)
    assert _counts(db) == first


def test_same_path_with_new_bytes_replaces_the_old_document(db, corpus_source):
    from dataclasses import replace

    source = corpus_source(DOC)
    _save(db, source, path="minutes/kdm.txt")
    changed = replace(source, sha256="f" * 64)
    _save(db, changed, path="minutes/kdm.txt")
    assert [r["id"] for r in db["documents"].rows] == ["f" * 16]


def test_failed_write_leaves_nothing_half_written(db, corpus_source, monkeypatch):
    source = corpus_source(DOC)
    record = build_record(source)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_span_columns", boom)
    with pytest.raises(RuntimeError):
        store.save(db, record, path="x", text=source.text)
    assert _counts(db) == {t: 0 for t in _counts(db)}


def test_person_rows_are_shared_across_documents(db, corpus_source):
    _save(db, corpus_source("mlr-kdm-2019-01-29.txt"))
    _save(db, corpus_source("mlr-kdm-2019-06-11.md"))
    rows = list(db.query(
        "select count(distinct a.document_id) docs from attendees a join persons p "
        "on p.id = a.person_id where p.name = 'Christoffer Nilsson'"))
    assert rows[0]["docs"] == 2


def test_import_errors_are_cleared_by_a_later_success(db, corpus_source):
    source = corpus_source(DOC)
    store.record_error(db, str(source.path), "truncated PDF")
    assert db["import_errors"].count == 1
    _save(db, source)
    assert db["import_errors"].count == 0


def test_decisions_outside_items_are_stored_without_an_item(db, corpus_source):
    doc_id, record = _save(db, corpus_source("dvd-gu-styrelsen-2023-03-24.md"))
    rows = list(db.query("select * from decisions where document_id = ? order by ordinal",
                         [doc_id]))
    assert len(rows) == len(record.decisions) > 0
    assert {r["item_id"] for r in rows} == {None}
    assert rows[0]["id"] == f"{doc_id}-d01"
    shown = list(db.query("select count(*) n from decisions_view where document_id = ?",
                          [doc_id]))[0]["n"]
    assert shown == len(rows)


def test_warnings_are_stored_with_their_item_and_replaced_on_reimport(db, corpus_source):
    # The contents list names §§ 77-78, which the text does not hold: one warning.
    source = corpus_source("votes/lomma-bun-2025-10-07.txt")
    doc_id, record = _save(db, source)
    rows = list(db["warnings"].rows_where("document_id = ?", [doc_id]))
    assert [(r["kind"], r["message"]) for r in rows] == [
        ("contents_mismatch", "the contents list names §§ 77, 78 but the text does not hold them")]
    _save(db, source)
    assert db["warnings"].count == 1


def test_every_foreign_key_has_an_index(db):
    # SQLite checks a parent's deletion against each child table by the key column
    for table in store.SCHEMA:
        for fk in db[table].foreign_keys:
            assert any(ix.columns[0] == fk.column for ix in db[table].indexes) or \
                fk.column == db[table].pks[0], f"{table}.{fk.column} has no index"


def test_no_statement_of_a_save_or_a_removal_scans_a_table(db, corpus_source):
    """What makes the writer slow down as the database grows: a look-up by a column without
    an index reads the whole table on every save."""
    import re

    _save(db, corpus_source("mlr-kdm-2019-06-11.md"))
    source = corpus_source(DOC)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    doc_id, _ = _save(db, source)
    _save(db, source)  # again: everything of the document replaced
    with db.atomic():
        store.delete_document(db, doc_id)
    db.conn.set_trace_callback(None)
    scans = set()
    for sql in statements:
        if not re.match(r"\s*(select|update|delete|insert into \S+\s*\(?[^)]*\)?\s*select)",
                        sql, re.IGNORECASE):
            continue
        for row in db.execute(f"explain query plan {sql}"):
            found = re.match(r"SCAN (\w+)", row[3])
            if found and found.group(1) in store.SCHEMA and found.group(1) != "municipalities":
                scans.add((found.group(1), sql[:120]))
    assert len(statements) > 100
    assert scans == set()


def _copy(record, k: int):
    """The record as another document: its own bytes and path, and persons of their own (a
    suffix to each surname), as minutes of other meetings of the same bodies."""
    copy = record.model_copy(deep=True)
    copy.document.sha256 = hashlib.sha256(str(k).encode()).hexdigest()
    for a in copy.attendees:
        a.name = f"{a.name}x{k}"
    for m in copy.mentions:
        if m.label == "PERSON" and m.value:
            m.value = f"{m.value}x{k}"
    return copy


def test_the_work_of_a_save_does_not_grow_with_the_database(db, corpus_source):
    """Counted in SQLite's virtual-machine steps, which do not depend on the machine: the
    same save into a database ten times larger takes about the same number."""
    records = [(build_record(corpus_source(n)), corpus_source(n).text)
               for n in (DOC, "mlr-kdm-2019-06-11.md", "lomma-ks-2025-11-19.txt")]
    steps = [0]

    def tick():
        steps[0] += 1
        return 0

    def save_copy(k: int) -> int:
        record, text = records[k % len(records)]
        steps[0] = 0
        db.conn.set_progress_handler(tick, 100)
        store.save(db, _copy(record, k), path=f"archive/{k}.txt", text=text)
        db.conn.set_progress_handler(None, 0)
        return steps[0]

    for k in range(6):
        save_copy(k)
    small = [save_copy(k) for k in range(6, 9)]
    for k in range(9, 66):
        save_copy(k)
    large = [save_copy(k) for k in range(66, 69)]
    assert all(b < 1.2 * a for a, b in zip(small, large)), (small, large)
