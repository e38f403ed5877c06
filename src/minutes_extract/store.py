"""SQLite storage through sqlite-utils.

Ids are derived from content: a document's id is the start of the sha256 of its bytes, and
everything extracted from it carries that id plus its ordinal, so importing the same file
again replaces its rows instead of adding new ones. Documents are written many to a
transaction, each in a savepoint of its own (`save_many`): a crash leaves either the old rows
of a document or the new ones, never half of either, and a document that cannot be written
costs only itself. Every look-up a write makes goes through an index (INDEXES), so that the
cost of a write does not grow with the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

import sqlite_utils

if TYPE_CHECKING:  # an unchanged re-import never builds a record: pydantic's models wait
    from .models import MinutesRecord

DOC_ID_CHARS = 16

SCHEMA: dict[str, dict] = {
    "documents": {
        "columns": {
            "id": str, "sha256": str, "file_name": str, "path": str, "format": str,
            "pages": int, "chars": int, "text": str, "metadata": str,
            "imported_at": str, "pipeline_version": str,
            "ocr_engine": str, "ocr_pages": str, "ocr_page_confidence": str,
            "ocr_confidence": float,
        },
        "pk": "id", "not_null": {"sha256", "file_name"},
    },
    "municipalities": {
        "columns": {"code": str, "name": str, "long_name": str, "county": str},
        "pk": "code",
    },
    "organisations": {
        "columns": {"id": str, "name": str, "part_of": str},
        "pk": "id",
        "foreign_keys": [("part_of", "organisations", "id")],
    },
    "persons": {
        "columns": {"id": str, "name": str, "key": str, "party": str,
                    "municipality_code": str, "meetings": int, "first_meeting": str,
                    "last_meeting": str, "organisations": str},
        "pk": "id",
        "foreign_keys": [("municipality_code", "municipalities", "code")],
    },
    "meetings": {
        "columns": {
            "id": str, "document_id": str, "label": str, "title": str, "organization": str,
            "date": str, "year": int, "start_time": str, "end_time": str, "place": str,
            "chair": str, "secretary": str, "next_meeting": str, "adjusters": str,
            "organisation_id": str, "municipality_code": str, "name_key": str,
        },
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id"),
                         ("organisation_id", "organisations", "id"),
                         ("municipality_code", "municipalities", "code")],
    },
    "attendees": {
        "columns": {
            "id": str, "meeting_id": str, "document_id": str, "ordinal": int, "name": str,
            "person_id": str, "affiliation": str, "municipality": str,
            "municipality_code": str, "role": str, "group": str, "party": str,
            "party_as_written": str, "replaces": str, "note": str, "page": int,
            "char_start": int, "char_end": int, "person_evidence": str, "date": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("meeting_id", "meetings", "id"), ("document_id", "documents", "id"),
            ("person_id", "persons", "id"), ("municipality_code", "municipalities", "code"),
        ],
    },
    "items": {
        "columns": {
            "id": str, "meeting_id": str, "document_id": str, "ordinal": int, "number": str,
            "title": str, "presenters": str, "attachments": str, "case_number": str,
            "page_start": int, "page_end": int, "char_start": int, "char_end": int,
            "date": str,
        },
        "pk": "id",
        "foreign_keys": [("meeting_id", "meetings", "id"), ("document_id", "documents", "id")],
    },
    # The text second, so that a table page shows it before the columns that place it.
    "decisions": {
        "columns": {
            "id": str, "text": str, "label": str, "page_start": int, "page_end": int,
            "item_id": str, "meeting_id": str, "document_id": str, "ordinal": int,
            "char_start": int, "char_end": int, "date": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("item_id", "items", "id"), ("meeting_id", "meetings", "id"),
            ("document_id", "documents", "id"),
        ],
    },
    "mentions": {
        "columns": {
            "id": str, "document_id": str, "item_id": str, "label": str, "text": str,
            "value": str, "person_id": str, "municipality_code": str, "organisation_id": str,
            "page": int, "char_start": int, "char_end": int, "value_key": str, "date": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("document_id", "documents", "id"), ("item_id", "items", "id"),
            ("person_id", "persons", "id"), ("municipality_code", "municipalities", "code"),
            ("organisation_id", "organisations", "id"),
        ],
    },
    # What the extraction found doubtful in a document (the record's warnings).
    "warnings": {
        "columns": {"id": str, "document_id": str, "item_id": str, "item": str, "kind": str,
                    "message": str},
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id"), ("item_id", "items", "id")],
    },
    # What the members did under each item: votes with their ballots, reservations,
    # protocol notes, jäv, and the members not present for an item.
    "votes": {
        "columns": {
            "id": str, "item_id": str, "meeting_id": str, "document_id": str, "ordinal": int,
            "yes": int, "no": int, "abstain": int, "absent": int, "yes_means": str,
            "no_means": str, "proposals": str, "stage": str, "result": str, "verified": int,
            "attachment": str, "ballots": int, "page_start": int, "page_end": int,
            "char_start": int, "char_end": int, "date": str,
        },
        "pk": "id",
        "foreign_keys": [("item_id", "items", "id"), ("meeting_id", "meetings", "id"),
                         ("document_id", "documents", "id")],
    },
    "ballots": {
        "columns": {
            "id": str, "vote_id": str, "item_id": str, "meeting_id": str, "document_id": str,
            "ordinal": int, "name": str, "person_id": str, "party": str, "vote": str,
            "replaces": str, "name_key": str, "date": str,
        },
        "pk": "id",
        "foreign_keys": [("vote_id", "votes", "id"), ("item_id", "items", "id"),
                         ("meeting_id", "meetings", "id"), ("document_id", "documents", "id"),
                         ("person_id", "persons", "id")],
    },
    **{table: {
        "columns": {
            "id": str, "item_id": str, "meeting_id": str, "document_id": str, "ordinal": int,
            "who": str, "name": str, "person_id": str, "party": str, **extra, "text": str,
            "page_start": int, "page_end": int, "char_start": int, "char_end": int,
            "name_key": str, "date": str,
        },
        "pk": "id",
        "foreign_keys": [("item_id", "items", "id"), ("meeting_id", "meetings", "id"),
                         ("document_id", "documents", "id"), ("person_id", "persons", "id")],
    } for table, extra in (
        ("reservations", {"written": int, "in_favour_of": str, "attachment": str}),
        ("protocol_notes", {"written": int, "attachment": str}),
        ("recusals", {"reason": str}),
    )},
    "absences": {
        "columns": {
            "id": str, "item_id": str, "attendee_id": str, "meeting_id": str,
            "document_id": str, "ordinal": int, "who": str, "name": str, "person_id": str,
            "party": str, "reason": str, "name_key": str,
        },
        "pk": "id",
        "foreign_keys": [("item_id", "items", "id"), ("attendee_id", "attendees", "id"),
                         ("meeting_id", "meetings", "id"), ("document_id", "documents", "id"),
                         ("person_id", "persons", "id")],
    },
    # How often each organisation is written in each form (mentions' values and meetings'
    # organisation), kept by triggers (organisations.py): its name is the most frequent form,
    # found without counting every mention of it again.
    "organisation_names": {
        "columns": {"organisation_id": str, "name": str, "n": int},
        "pk": ("organisation_id", "name"),
    },
    # Which municipalities each decision belongs to, and why (views.py says how): worked out
    # when its document is written, so that no query recomputes it.
    "decision_municipalities": {
        "columns": {"decision_id": str, "municipality_code": str, "municipality": str,
                    "county": str, "reason": str, "document_id": str},
        "pk": ("decision_id", "municipality_code"),
        "foreign_keys": [("decision_id", "decisions", "id"),
                         ("municipality_code", "municipalities", "code"),
                         ("document_id", "documents", "id")],
    },
    # What each file held when it was last looked at, so that a file whose size and
    # modification time are unchanged is not read again to hash it (see batch.py).
    "files": {
        "columns": {"path": str, "size": int, "mtime_ns": int, "sha256": str, "pages": int,
                    "checked_ns": int},
        "pk": "path",
    },
    # Name keys and organisations whose links a bulk write or a merge left to settle at its
    # end (see `settle_pending`): kept in the database, so that a run stopped before its end
    # leaves the work to the next one instead of links that depend on the order of writing.
    "unsettled": {
        "columns": {"kind": str, "value": str},
        "pk": ("kind", "value"),
    },
    "import_errors": {
        "columns": {"path": str, "file_name": str, "reason": str, "sha256": str,
                    "pipeline_version": str, "at": str},
        "pk": "path",
    },
}

# Every column a save, a re-import or a removal looks rows up by (document_id above all),
# and every foreign key, whose parent's deletion SQLite checks against the child table: without
# an index each of those is a scan of the whole table, and the writer slows as the database
# grows. tests/test_store.py checks both against the statements a save runs.
INDEXES = {
    "documents": [["sha256"], ["path"]],
    "meetings": [["document_id"], ["date"], ["organization"], ["year"], ["organisation_id"],
                 ["municipality_code"]],
    "persons": [["key"], ["municipality_code"], ["meetings"]],
    "organisations": [["part_of"]],
    "attendees": [["meeting_id"], ["document_id"], ["person_id"], ["municipality_code"],
                  ["name"], ["date"]],
    "items": [["meeting_id"], ["document_id"], ["date"]],
    "decisions": [["item_id"], ["meeting_id"], ["document_id"], ["date"]],
    "mentions": [["document_id"], ["item_id"], ["label", "value"], ["person_id", "label"],
                 ["municipality_code"], ["organisation_id"], ["value_key"], ["date"]],
    "warnings": [["document_id"], ["item_id"], ["kind"]],
    "decision_municipalities": [["municipality_code"], ["document_id"]],
    "votes": [["item_id"], ["meeting_id"], ["document_id"], ["date"]],
    "ballots": [["vote_id"], ["item_id"], ["meeting_id"], ["document_id"], ["person_id"],
                ["party"], ["name_key"], ["date"]],
    "reservations": [["item_id"], ["meeting_id"], ["document_id"], ["person_id"], ["party"],
                     ["name_key"], ["date"]],
    "protocol_notes": [["item_id"], ["meeting_id"], ["document_id"], ["person_id"],
                       ["name_key"], ["date"]],
    "recusals": [["item_id"], ["meeting_id"], ["document_id"], ["person_id"], ["name_key"],
                 ["date"]],
    "absences": [["item_id", "attendee_id"], ["attendee_id"], ["meeting_id"], ["document_id"],
                 ["person_id"], ["name_key"]],
}

# Tables holding what was extracted from one document, children first.
DOCUMENT_TABLES = ("decision_municipalities", "warnings", "ballots", "votes", "reservations",
                   "protocol_notes", "recusals", "absences", "mentions", "decisions", "items",
                   "attendees", "meetings")
# Tables whose rows name a person in `name`, with its key in `name_key` (persons.relink).
NAMED_PERSON_TABLES = ("ballots", "reservations", "protocol_notes", "recusals", "absences")


# How long a write waits for another process that holds the database (a second import):
# documents are written one short transaction at a time, so the wait is brief.
BUSY_TIMEOUT = 60.0


class DatabaseError(Exception):
    """The database cannot be used (not a database, corrupt, read-only, full, locked);
    str() is one line naming the file and the reason."""


# SQLite's primary result codes that mean the database, not the document, is at fault.
_FATAL = {
    sqlite3.SQLITE_FULL: "disk full",
    sqlite3.SQLITE_READONLY: "read-only",
    sqlite3.SQLITE_BUSY: "locked by another process",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_CORRUPT: "corrupt database",
    sqlite3.SQLITE_NOTADB: "not a SQLite database",
    sqlite3.SQLITE_IOERR: "input/output error",
    sqlite3.SQLITE_CANTOPEN: "cannot be opened",
    sqlite3.SQLITE_PERM: "permission denied",
    sqlite3.SQLITE_NOMEM: "out of memory",
}


def database_reason(exc: BaseException) -> str | None:
    """A short reason when `exc` is a fault of the database itself, else None."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    reason = _FATAL.get(code & 0xFF)
    if reason is None:
        return None
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{reason} ({detail})" if detail and detail != reason else reason


def open_db(path) -> sqlite_utils.Database:
    """Open (creating if need be) an import database; raises DatabaseError with one line.

    A database that fails SQLite's quick check is refused before anything is written into
    it: writing into a damaged file spreads the damage."""
    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
        db.execute("PRAGMA foreign_keys=on")
        ensure_schema(db)
        return db
    if os.path.isdir(path):
        raise DatabaseError(f"{path}: is a folder, not a database file")
    existed = os.path.exists(path) and os.path.getsize(path) > 0
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: {database_reason(exc) or exc}") from None
    db = sqlite_utils.Database(conn)
    try:
        if existed:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise DatabaseError(f"{path}: corrupt database ({check.splitlines()[0]})")
        _while_busy(lambda: _prepare(db))
    except sqlite3.Error as exc:
        conn.close()
        raise DatabaseError(f"{path}: {database_reason(exc) or exc}") from None
    except DatabaseError:
        conn.close()
        raise
    return db


def _prepare(db: sqlite_utils.Database) -> None:
    db.execute("PRAGMA journal_mode=wal")
    db.execute("PRAGMA foreign_keys=on")
    with write_transaction(db):
        # Write one harmless byte first: a read-only file or folder fails here, before
        # any file is looked at, rather than at the first document.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute(f"PRAGMA user_version = {int(version)}")
        ensure_schema(db)


def _while_busy(step, limit: float | None = None):
    """Run `step` again while another process holds the database, up to `limit` seconds.

    Two imports that create one database at the same moment both switch it to WAL; SQLite
    answers the one that loses that race "database is locked" at once, without waiting
    the busy timeout, so the wait is done here."""
    deadline = time.monotonic() + (BUSY_TIMEOUT if limit is None else limit)
    pause = 0.02
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) \
                    or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def open_existing(path) -> sqlite_utils.Database:
    """Open a database only to read it: never created, never written."""
    if not os.path.isfile(path):
        raise DatabaseError(f"{path}: no such database file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: {database_reason(exc) or exc}") from None
    return sqlite_utils.Database(conn)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database):
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE): a second writer
    then waits up to BUSY_TIMEOUT for it, where a deferred transaction that reads first
    could fail at once when it tries to write. Inner `db.atomic()` blocks nest as
    savepoints."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise
    else:
        try:
            db.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.rollback()
            raise


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing: tables, foreign keys, indexes, reference data, views, search."""
    # An earlier version computed decision_municipalities in a view, on every query.
    was_view = "decision_municipalities" in db.view_names()
    if was_view:
        db.execute("DROP VIEW decision_municipalities")
    added: set[tuple[str, str]] = set()
    for name, spec in SCHEMA.items():
        table = db[name]
        if table.exists():
            # A database made by an earlier version gains the columns added since.
            for column, kind in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)
                    added.add((name, column))
            continue
        table.create(
            spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
            foreign_keys=spec.get("foreign_keys"),
        )
    for name, indexes in INDEXES.items():
        for cols in indexes:
            db[name].create_index(cols, if_not_exists=True)
    _ensure_municipalities(db)
    _fill_added(db, added, was_view)
    for hook in _schema_hooks():
        hook(db)


def _fill_added(db: sqlite_utils.Database, added: set[tuple[str, str]], was_view: bool) -> None:
    """Fill what a database of an earlier version lacks: look-up columns and tables."""
    from . import persons, views

    if ("meetings", "name_key") in added:
        for mid, org, title in db.execute("select id, organization, title from meetings"
                                          ).fetchall():
            db.execute("update meetings set name_key = ? where id = ?",
                       [fold(" ".join(filter(None, [org, title]))), mid])
    if ("mentions", "value_key") in added:
        for mid, value in db.execute("select id, value from mentions where label = 'PERSON' "
                                     "and value is not null").fetchall():
            db.execute("update mentions set value_key = ? where id = ?",
                       [persons.name_key(value), mid])
    for table in ("attendees", "items", "decisions", "mentions", "votes", "ballots",
                  "reservations", "protocol_notes", "recusals"):
        if (table, "date") in added:
            db.execute(f"update [{table}] set date = (select date from meetings m "
                       f"where m.id = [{table}].document_id)")
    if ("persons", "meetings") in added:
        persons.refresh(db, [r[0] for r in db.execute("select id from persons")])
    if was_view:
        db.execute(views.decision_municipalities_insert())


def _schema_hooks():
    """Views, full-text search and the counts of organisations' names, kept in their own
    modules."""
    from . import organisations, search, views

    return (views.ensure_views, search.ensure_fts, organisations.ensure_name_counts)


def _ensure_municipalities(db: sqlite_utils.Database) -> None:
    from .gazetteer import municipalities

    if db["municipalities"].count >= len(municipalities()):
        return
    db["municipalities"].upsert_all(
        ({"code": m.code, "name": m.name, "long_name": m.long_name, "county": m.county}
         for m in municipalities()),
        pk="code",
    )


def document_id(sha256: str) -> str:
    return sha256[:DOC_ID_CHARS]


def imported_version(db: sqlite_utils.Database, sha256: str) -> str | None:
    """The pipeline version a document was imported with, or None if it is not there."""
    rows = list(db.query("select pipeline_version from documents where id = ?",
                         [document_id(sha256)]))
    return rows[0]["pipeline_version"] if rows else None


@dataclass
class Touched:
    """Name keys and organisations whose rows a write changed: their links and names are
    settled once, at the end of the transaction (see `settle`)."""

    person_keys: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)


def delete_document(db: sqlite_utils.Database, doc_id: str,
                    touched: Touched | None = None) -> None:
    """Remove a document and what was extracted from it. Without `touched` the persons and
    organisations only it named are settled at once; with it, by the caller's `settle`."""
    own = touched is None
    touched = Touched() if own else touched
    touched.person_keys.update(r[0] for r in db.execute(
        "select p.key from persons p where p.id in (select person_id from attendees "
        "where document_id = ? union select person_id from mentions where document_id = ?)",
        [doc_id, doc_id]))
    touched.person_keys.update(r[0] for r in db.execute(
        "select value_key from mentions where document_id = ? and value_key is not null",
        [doc_id]))
    for table in NAMED_PERSON_TABLES:
        touched.person_keys.update(r[0] for r in db.execute(
            f"select name_key from [{table}] where document_id = ? and name_key is not null",
            [doc_id]))
    touched.organisations.update(r[0] for r in db.execute(
        "select organisation_id from meetings where document_id = ? union "
        "select organisation_id from mentions where document_id = ?", [doc_id, doc_id])
        if r[0])
    for table in DOCUMENT_TABLES:
        db.execute(f"delete from [{table}] where document_id = ?", [doc_id])
    db.execute("delete from documents where id = ?", [doc_id])
    if own:
        settle(db, touched)


def settle(db: sqlite_utils.Database, touched: Touched) -> None:
    """Link the persons of the names written or removed anew and settle the names of the
    organisations named: once per transaction, however many documents it holds."""
    from . import organisations, persons

    persons.relink(db, touched.person_keys)
    organisations.refresh(db, touched.organisations)


@dataclass
class Document:
    """One document to write: its record and where it came from (see `save`)."""

    record: MinutesRecord
    path: str
    text: str
    metadata: dict | None = None
    elsewhere: dict[str, str] | None = None


def save(db: sqlite_utils.Database, record: MinutesRecord, *, path: str, text: str,
         metadata: dict | None = None, elsewhere: dict[str, str] | None = None) -> str:
    """Write one document's record in a single transaction; return its document id.

    `elsewhere` maps sha256 to a path that still holds those bytes: a document this one
    replaces at `path` moves there instead of being deleted (two identical files, one of
    them since edited)."""
    with write_transaction(db):
        touched = Touched()
        doc_id = _write(db, Document(record, path, text, metadata, elsewhere), touched)
        settle(db, touched)
    return doc_id


def save_many(db: sqlite_utils.Database, documents, *, defer: bool = False
              ) -> list[str | Exception]:
    """Write many documents in one transaction, each in a savepoint of its own; return for
    each its document id, or the exception that kept it out.

    A document that fails (a defect met in its record) is rolled back to its savepoint
    alone and the others are written; a fault of the database itself (see
    `database_reason`) rolls the whole transaction back and is raised. A crash leaves the
    documents of earlier transactions, whole, and none of this one's. With `defer` (a bulk
    import) the links of persons are settled once at the end (`settle_pending`)."""
    results: list[str | Exception] = []
    with write_transaction(db):
        touched = Touched()
        for doc in documents:
            try:
                with db.atomic():  # a savepoint inside the transaction
                    results.append(_write(db, doc, touched))
            except Exception as exc:  # noqa: BLE001 - the document alone is left out
                if database_reason(exc) is not None or not db.conn.in_transaction:
                    raise
                results.append(exc)
        if defer:
            defer_settling(db, touched)
        else:
            settle(db, touched)
    return results


def defer_settling(db: sqlite_utils.Database, touched: Touched) -> None:
    rows = [{"kind": "person_key", "value": k} for k in touched.person_keys if k]
    rows += [{"kind": "organisation", "value": o} for o in touched.organisations if o]
    if rows:
        db["unsettled"].insert_all(rows, pk=("kind", "value"), ignore=True)


def settle_pending(db: sqlite_utils.Database) -> int:
    """Settle what bulk writes and merges left unsettled, in one transaction; return how
    many name keys and organisations that was."""
    with write_transaction(db):
        rows = db.execute("select kind, value from unsettled").fetchall()
        if not rows:
            return 0
        settle(db, Touched({v for k, v in rows if k == "person_key"},
                           {v for k, v in rows if k == "organisation"}))
        db.execute("delete from unsettled")
    return len(rows)


# A file modified this close to the moment it was looked at may change again within the
# same tick of its file system's clock (two seconds on FAT) without its time changing:
# such a record is not trusted (git's "racily clean" entries).
RACY_NS = 2_000_000_000


def known_file(db: sqlite_utils.Database, path: str, size: int, mtime_ns: int
               ) -> tuple[str, int] | None:
    """(sha256, pages) of the file at `path` when it was last looked at with this size and
    modification time, else None."""
    row = db.execute("select sha256, pages, checked_ns from files where path = ? and size = ? "
                     "and mtime_ns = ?", [path, size, mtime_ns]).fetchone()
    if row is None or mtime_ns >= row[2] - RACY_NS:
        return None
    return row[0], row[1]


def remember_files(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """Keep what files held: path, size, mtime_ns, sha256, pages, checked_ns."""
    if rows:
        with write_transaction(db):
            db["files"].upsert_all(rows, pk="path")


def _write(db: sqlite_utils.Database, doc: Document, touched: Touched) -> str:
    record, path = doc.record, doc.path
    info = record.document
    doc_id = document_id(info.sha256)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    # The same path with other bytes is a corrected file: it replaces the old one.
    for row in list(db.query("select id, sha256 from documents where path = ? and id != ?",
                             [path, doc_id])):
        moved = (doc.elsewhere or {}).get(row["sha256"])
        if moved is not None and moved != path:
            db.execute("update documents set path = ?, file_name = ? where id = ?",
                       [moved, PurePath(moved).name, row["id"]])
        else:
            delete_document(db, row["id"], touched)
    delete_document(db, doc_id, touched)
    db.execute("delete from import_errors where path = ?", [path])
    insert_rows(db, "documents", [{
        "id": doc_id, "sha256": info.sha256, "file_name": info.file_name, "path": path,
        "format": info.format, "pages": info.pages, "chars": info.chars, "text": doc.text,
        "metadata": json.dumps(doc.metadata or {}, ensure_ascii=False, default=str),
        "imported_at": now, "pipeline_version": record.pipeline_version,
        "ocr_engine": info.ocr_engine,
        "ocr_pages": json.dumps(info.ocr_pages) if info.ocr_pages else None,
        "ocr_page_confidence": (json.dumps(info.ocr_page_confidence)
                                if info.ocr_pages else None),
        "ocr_confidence": info.ocr_confidence,
    }])
    _save_extraction(db, record, doc_id, touched)
    return doc_id


def meeting_label(date: str | None, organization: str | None, title: str | None,
                  file_name: str | None) -> str:
    """What tells meetings apart in a list: "2019-07-29 IX: Årsmöte"; the file name is
    added where the minutes give no date or no organisation."""
    head = " ".join(filter(None, [date, organization]))
    label = f"{head}: {title}" if head and title and title != organization else head or title
    if not (date and organization) and file_name:
        label = f"{label} ({file_name})" if label else file_name
    return label or ""


def _save_extraction(db, record: MinutesRecord, doc_id: str, touched: Touched) -> None:
    """Insert the rows of one document's record. Attendees and names in the text are
    written with a provisional person, and their name keys noted in `touched`: who is who is
    settled for the whole transaction at its end (persons.relink)."""
    from . import organisations, persons, views
    from .gazetteer import by_name, lookup_municipality

    m = record.meeting
    year = int(m.date[:4]) if m.date else None
    org_id = (organisations.ensure(db, m.organization)
              if organisations.plausible(m.organization) else None)
    home = lookup_municipality(m.organization or "") or lookup_municipality(m.title or "")
    file_name = record.document.file_name if record.document else None
    insert_rows(db, "meetings", [{
        "id": doc_id, "document_id": doc_id,
        "label": meeting_label(m.date, m.organization, m.title, file_name),
        "title": m.title, "organization": m.organization,
        "date": m.date, "year": year, "start_time": m.start_time, "end_time": m.end_time,
        "place": m.place, "chair": m.chair, "secretary": m.secretary,
        "next_meeting": m.next_meeting, "adjusters": json.dumps(m.adjusters, ensure_ascii=False),
        "organisation_id": org_id, "municipality_code": home.code if home else None,
        "name_key": fold(" ".join(filter(None, [m.organization, m.title]))),
    }])

    people: dict[str, dict] = {}
    attendees = []
    for k, a in enumerate(record.attendees, 1):
        municipality = by_name().get(a.municipality)
        code = municipality.code if municipality else None
        key = persons.name_key(a.name)
        pid = persons.provisional_id(key)
        touched.person_keys.add(key)
        people.setdefault(pid, {"id": pid, "name": a.name, "key": key})
        attendees.append({
            "id": f"{doc_id}-a{k:03d}", "meeting_id": doc_id, "document_id": doc_id,
            "ordinal": k, "name": a.name, "person_id": pid, "affiliation": a.affiliation,
            "municipality": a.municipality, "municipality_code": code,
            "role": a.role, "group": a.group, "party": a.party,
            "party_as_written": a.party_as_written, "replaces": a.replaces,
            "note": a.note, "page": a.span.page_start if a.span else None,
            "char_start": a.span.start if a.span else None,
            "char_end": a.span.end if a.span else None, "person_evidence": None,
            "date": m.date,
        })
    items, decisions, item_ids = [], [], []
    for k, it in enumerate(record.items, 1):
        item_id = f"{doc_id}-{k:03d}"
        item_ids.append((it.span.start if it.span else None, it.span.end if it.span else None,
                         item_id))
        items.append({
            "id": item_id, "meeting_id": doc_id, "document_id": doc_id, "ordinal": k,
            "number": it.number, "title": it.title,
            "presenters": json.dumps(it.presenters, ensure_ascii=False),
            "attachments": json.dumps(it.attachments, ensure_ascii=False),
            "case_number": it.case_number, "date": m.date,
            **_span_columns(it.span),
        })
        blocks = it.decision_blocks or [None] * len(it.decisions)
        for j, (text, block) in enumerate(zip(it.decisions, blocks), 1):
            decisions.append({
                "id": f"{item_id}-{j:02d}", "item_id": item_id, "meeting_id": doc_id,
                "document_id": doc_id, "ordinal": j, "label": block.label if block else None,
                "text": text, "date": m.date, **_span_columns(block.span if block else None),
            })
    for j, block in enumerate(record.decisions, 1):
        decisions.append({
            "id": f"{doc_id}-d{j:02d}", "item_id": None, "meeting_id": doc_id,
            "document_id": doc_id, "ordinal": j, "label": block.label, "text": block.text,
            "date": m.date, **_span_columns(block.span),
        })
    mentions = []
    for k, mn in enumerate(record.mentions, 1):
        oid = key = None
        if mn.label == "PERSON" and mn.value:
            key = persons.name_key(mn.value)
            touched.person_keys.add(key)
        elif mn.label == "ORG" and organisations.plausible(mn.value or mn.text):
            oid = organisations.ensure(db, mn.value or mn.text, org_id)
            touched.organisations.add(oid)
        mentions.append({
            "id": f"{doc_id}-m{k:04d}", "document_id": doc_id,
            "item_id": _item_at(item_ids, mn.start), "label": mn.label, "text": mn.text,
            "value": mn.value, "person_id": None,
            "municipality_code": mn.code if mn.label == "MUNICIPALITY" else None,
            "organisation_id": oid,
            "page": mn.page, "char_start": mn.start, "char_end": mn.end, "value_key": key,
            "date": m.date,
        })
    if org_id:
        touched.organisations.add(org_id)
    by_number = {it.number: item_id for it, (_, _, item_id) in zip(record.items, item_ids)}
    warnings = [{
        "id": f"{doc_id}-w{k:03d}", "document_id": doc_id, "item_id": by_number.get(w.item),
        "item": w.item, "kind": w.kind, "message": w.message,
    } for k, w in enumerate(record.warnings, 1)]
    # Who a ballot or a stance names is settled with the attendees (persons.relink): the
    # attendee of that name in these minutes, else the one person of that name.
    proceedings = _proceedings_rows(record, doc_id, attendees)
    for table in NAMED_PERSON_TABLES:
        for row in proceedings.get(table, ()):
            name = row.get("name")
            if name and len(name.split()) >= 2:
                row["name_key"] = persons.name_key(name)
                touched.person_keys.add(row["name_key"])
    insert_rows(db, "persons", list(people.values()), ignore=True)
    for table, rows in (("attendees", attendees), ("items", items),
                        ("decisions", decisions), ("mentions", mentions), ("warnings", warnings),
                        *proceedings.items()):
        insert_rows(db, table, rows)
    if decisions:
        db.execute(views.decision_municipalities_insert("d.document_id = :doc"),
                   {"doc": doc_id})


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[dict], *,
                ignore: bool = False) -> None:
    """Insert rows of one of the SCHEMA's tables, whose values are already what is stored.

    A prepared statement over the table's known columns: sqlite-utils' `insert_all` looks
    the table and its columns up and converts every value on each call, which cost more
    than the inserts themselves at a few hundred rows a document."""
    if not rows:
        return
    cols = list(SCHEMA[table]["columns"])
    names = ", ".join(f"[{c}]" for c in cols)
    marks = ", ".join("?" * len(cols))
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    db.conn.executemany(f"{verb} INTO [{table}] ({names}) VALUES ({marks})",
                        [[row.get(c) for c in cols] for row in rows])


def fold(text: str | None) -> str | None:
    """Text case-folded as the look-up columns keep it (the `casefold` SQL function of the
    Datasette plugin folds a query the same way)."""
    return unicodedata.normalize("NFC", text).casefold() if text is not None else None


def _proceedings_rows(record: MinutesRecord, doc_id: str, attendees: list[dict]) -> dict:
    """Rows for votes, ballots, reservations, notes, recusals and absences, by table; their
    person ids are filled when persons are linked.

    Ids follow the item's: "<item id>-v1" for its first vote, "<vote id>-b001" for that
    vote's first ballot, -r, -n, -j, -x for reservations, notes, recusals and absences.
    """
    from .persons import name_key

    attendee_ids = {name_key(a["name"]): a["id"] for a in attendees}
    out: dict[str, list[dict]] = {t: [] for t in (
        "votes", "ballots", "reservations", "protocol_notes", "recusals", "absences")}
    for k, it in enumerate(record.items, 1):
        item_id = f"{doc_id}-{k:03d}"
        base = {"item_id": item_id, "meeting_id": doc_id, "document_id": doc_id,
                "date": record.meeting.date}
        for j, v in enumerate(it.votes, 1):
            vote_id = f"{item_id}-v{j}"
            out["votes"].append({
                "id": vote_id, **base, "ordinal": j, "yes": v.yes, "no": v.no,
                "abstain": v.abstain, "absent": v.absent, "yes_means": v.yes_means,
                "no_means": v.no_means,
                "proposals": json.dumps(v.proposals, ensure_ascii=False), "stage": v.stage,
                "result": v.result, "verified": None if v.verified is None else int(v.verified),
                "attachment": v.attachment, "ballots": len(v.ballots), **_span_columns(v.span),
            })
            for b_k, b in enumerate(v.ballots, 1):
                out["ballots"].append({
                    "id": f"{vote_id}-b{b_k:03d}", "vote_id": vote_id, **base, "ordinal": b_k,
                    "name": b.name, "person_id": None, "party": b.party,
                    "vote": b.vote, "replaces": b.replaces,
                })
        for table, letter, stances in (("reservations", "r", it.reservations),
                                       ("protocol_notes", "n", it.protocol_notes),
                                       ("recusals", "j", it.recusals)):
            for j, s in enumerate(stances, 1):
                row = {"id": f"{item_id}-{letter}{j:02d}", **base, "ordinal": j, "who": s.who,
                       "name": s.name, "person_id": None, "party": s.party,
                       "text": s.text, **_span_columns(s.span)}
                if table != "recusals":
                    row["written"] = None if s.written is None else int(s.written)
                    row["attachment"] = s.attachment
                if table == "reservations":
                    row["in_favour_of"] = s.in_favour_of
                if table == "recusals":
                    row["reason"] = s.reason
                out[table].append(row)
        for j, s in enumerate(it.not_present, 1):
            out["absences"].append({
                "id": f"{item_id}-x{j:03d}", **base, "ordinal": j,
                "attendee_id": attendee_ids.get(name_key(s.name or s.who)), "who": s.who,
                "name": s.name, "person_id": None, "party": s.party,
                "reason": s.reason,
            })
    return out


def _span_columns(span) -> dict:
    return {
        "page_start": span.page_start if span else None,
        "page_end": span.page_end if span else None,
        "char_start": span.start if span else None,
        "char_end": span.end if span else None,
    }


def _item_at(item_spans, offset: int) -> str | None:
    for start, end, item_id in item_spans:
        if start is not None and start <= offset < end:
            return item_id
    return None


def record_error(db: sqlite_utils.Database, path: str, reason: str,
                 sha256: str | None = None, pipeline_version: str | None = None) -> None:
    """Keep a failure. Only a failure kept with the file's sha256 keeps the file out of
    later runs (`known_error`): one that its bytes did not decide (time, memory, a file that
    could not be opened) is kept without it, to be listed and tried again."""
    with write_transaction(db):
        db["import_errors"].upsert({
            "path": path, "file_name": PurePath(path).name, "reason": reason, "sha256": sha256,
            "pipeline_version": pipeline_version,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        }, pk="path")


def known_error(db: sqlite_utils.Database, path: str, sha256: str,
                pipeline_version: str) -> str | None:
    """The reason a file failed before, if neither its bytes nor the pipeline changed since."""
    rows = list(db.query(
        "select reason from import_errors where path = ? and sha256 = ? and pipeline_version = ?",
        [path, sha256, pipeline_version]))
    return rows[0]["reason"] if rows else None


def previous_error(db: sqlite_utils.Database, path: str) -> dict | None:
    """The failure kept for `path`, if any."""
    rows = list(db.query("select * from import_errors where path = ?", [path]))
    return rows[0] if rows else None


def errors(db: sqlite_utils.Database) -> list[dict]:
    """Every failure kept, by path."""
    if not db["import_errors"].exists():
        return []
    return list(db.query("select * from import_errors order by path"))
