"""An import killed with SIGKILL leaves only whole documents, and the next run completes it to
exactly what an uninterrupted import stores. Documents are committed many to a transaction:
a kill loses the transaction being filled, never part of a document."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from minutes_extract.cli import cli

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SUBSET = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))[:14] + [
    "lithekod-styrelsemote-2013-10-09.pdf", "ix-sthlm-arsmote-2017.pdf"]
TABLES = ("documents", "meetings", "attendees", "items", "decisions", "mentions")
# Transactions of four documents and no commit by time, so that what a kill leaves is known.
BATCH = 4
IMPORT = ("import minutes_extract.batch as b; b.COMMIT_DOCUMENTS = {n}; "
          "b.COMMIT_SECONDS = 1e9; from minutes_extract.cli import cli; cli()")


def per_document(db_path: Path) -> dict[str, dict[str, int]]:
    """For each document id, the number of rows it owns in every table."""
    db = sqlite_utils.Database(db_path)
    out: dict[str, dict[str, int]] = {r["id"]: {} for r in db["documents"].rows}
    for table in TABLES[1:]:
        for row in db.query(f"select document_id, count(*) n from {table} group by document_id"):
            out.setdefault(row["document_id"], {})[table] = row["n"]
    return out


def committed(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:  # not created yet, or its schema still being written
        return 0


def test_killed_import_leaves_whole_documents_and_resumes(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in SUBSET:
        shutil.copy(CORPUS / name, inbox / name)
    runner = CliRunner()
    reference = tmp_path / "reference.db"
    assert runner.invoke(cli, ["import", str(reference), str(inbox), "--workers", "1"]).exit_code == 0
    expected = per_document(reference)
    assert len(expected) == len(SUBSET)

    db_path = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORT.format(n=BATCH),
         "import", str(db_path), str(inbox), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while committed(db_path) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"

    db = sqlite_utils.Database(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("pragma foreign_key_check").fetchall() == []
    partial = per_document(db_path)
    assert 3 <= len(partial) < len(SUBSET)
    assert len(partial) % BATCH == 0, "a transaction was committed in part"
    for doc_id, counts in partial.items():
        assert counts == expected[doc_id], f"document {doc_id} is incomplete"

    again = runner.invoke(cli, ["import", str(db_path), str(inbox), "--workers", "1"])
    assert again.exit_code == 0
    last = again.stderr.strip().splitlines()[-1]
    assert last.startswith(f"imported {len(SUBSET) - len(partial)}, unchanged {len(partial)}, ")
    assert per_document(db_path) == expected
    for table in (*TABLES, "persons"):
        ids = f"select id from {table} order by id"
        assert sqlite_utils.Database(db_path).execute(ids).fetchall() == \
            sqlite_utils.Database(reference).execute(ids).fetchall()


def test_a_document_that_cannot_be_written_costs_only_itself_in_its_transaction(
        tmp_path, corpus_source):
    from minutes_extract import store
    from minutes_extract.pipeline import build_record

    db = store.open_db(tmp_path / "batch.db")
    sources = [corpus_source(n) for n in SUBSET[:3]]
    docs = [store.Document(build_record(s), s.path.name, s.text) for s in sources]
    docs[1].record.items[0].span = "not a span"  # a defect in one record
    results = store.save_many(db, docs)
    assert isinstance(results[1], Exception)
    assert sorted(r["id"] for r in db["documents"].rows) == sorted(results[::2])
    assert db.execute("select count(*) from items where document_id not in "
                      "(select id from documents)").fetchone()[0] == 0


def test_a_database_fault_in_a_transaction_leaves_none_of_its_documents(
        tmp_path, corpus_source, monkeypatch):
    from minutes_extract import store
    from minutes_extract.pipeline import build_record

    db = store.open_db(tmp_path / "batch.db")
    sources = [corpus_source(n) for n in SUBSET[:4]]
    docs = [store.Document(build_record(s), s.path.name, s.text) for s in sources]
    first = store.save_many(db, docs[:2])
    written = store._write

    def full_disk_on_the_second(db, doc, touched):
        if doc is docs[3]:
            exc = sqlite3.OperationalError("database or disk is full")
            exc.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise exc
        return written(db, doc, touched)

    monkeypatch.setattr(store, "_write", full_disk_on_the_second)
    try:
        store.save_many(db, docs[2:])
    except sqlite3.OperationalError as exc:
        assert store.database_reason(exc).startswith("disk full")
    else:
        raise AssertionError("the fault was not raised")
    assert sorted(r["id"] for r in db["documents"].rows) == sorted(first)
    assert db.execute("select count(distinct document_id) from attendees").fetchone()[0] == \
        len({d for d in first})
