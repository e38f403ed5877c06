"""SQLite storage through sqlite-utils.

Ids are derived from content: a document's id is the start of the sha256 of its bytes, and
everything extracted from it carries that id plus its ordinal, so importing the same file
again replaces its rows instead of adding new ones. Each document is written in one
transaction: a crash leaves either the old rows or the new ones, never half of either.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import PurePath

import sqlite_utils

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
                    "municipality_code": str},
        "pk": "id",
        "foreign_keys": [("municipality_code", "municipalities", "code")],
    },
    "meetings": {
        "columns": {
            "id": str, "document_id": str, "label": str, "title": str, "organization": str,
            "date": str, "year": int, "start_time": str, "end_time": str, "place": str,
            "chair": str, "secretary": str, "next_meeting": str, "adjusters": str,
            "organisation_id": str, "municipality_code": str,
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
            "char_start": int, "char_end": int, "person_evidence": str,
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
        },
        "pk": "id",
        "foreign_keys": [("meeting_id", "meetings", "id"), ("document_id", "documents", "id")],
    },
    # The text second, so that a table page shows it before the columns that place it.
    "decisions": {
        "columns": {
            "id": str, "text": str, "label": str, "page_start": int, "page_end": int,
            "item_id": str, "meeting_id": str, "document_id": str, "ordinal": int,
            "char_start": int, "char_end": int,
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
            "page": int, "char_start": int, "char_end": int,
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
            "char_start": int, "char_end": int,
        },
        "pk": "id",
        "foreign_keys": [("item_id", "items", "id"), ("meeting_id", "meetings", "id"),
                         ("document_id", "documents", "id")],
    },
    "ballots": {
        "columns": {
            "id": str, "vote_id": str, "item_id": str, "meeting_id": str, "document_id": str,
            "ordinal": int, "name": str, "person_id": str, "party": str, "vote": str,
            "replaces": str,
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
            "party": str, "reason": str,
        },
        "pk": "id",
        "foreign_keys": [("item_id", "items", "id"), ("attendee_id", "attendees", "id"),
                         ("meeting_id", "meetings", "id"), ("document_id", "documents", "id"),
                         ("person_id", "persons", "id")],
    },
    "import_errors": {
        "columns": {"path": str, "file_name": str, "reason": str, "sha256": str,
                    "pipeline_version": str, "at": str},
        "pk": "path",
    },
}

INDEXES = {
    "documents": [["sha256"], ["path"]],
    "meetings": [["document_id"], ["date"], ["organization"], ["year"], ["organisation_id"],
                 ["municipality_code"]],
    "persons": [["key"]],
    "organisations": [["part_of"]],
    "attendees": [["meeting_id"], ["person_id"], ["municipality_code"], ["name"]],
    "items": [["meeting_id"], ["document_id"]],
    "decisions": [["item_id"], ["meeting_id"], ["document_id"]],
    "mentions": [["document_id"], ["item_id"], ["label", "value"], ["person_id"],
                 ["municipality_code"], ["organisation_id"]],
    "warnings": [["document_id"], ["kind"]],
    "votes": [["item_id"], ["meeting_id"], ["document_id"]],
    "ballots": [["vote_id"], ["document_id"], ["person_id"], ["party"]],
    "reservations": [["item_id"], ["document_id"], ["person_id"], ["party"]],
    "protocol_notes": [["item_id"], ["document_id"], ["person_id"]],
    "recusals": [["item_id"], ["document_id"], ["person_id"]],
    "absences": [["item_id", "attendee_id"], ["document_id"], ["person_id"]],
}

# Tables holding what was extracted from one document, children first.
DOCUMENT_TABLES = ("warnings", "ballots", "votes", "reservations", "protocol_notes", "recusals",
                   "absences", "mentions", "decisions", "items", "attendees", "meetings")


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
    for name, spec in SCHEMA.items():
        table = db[name]
        if table.exists():
            # A database made by an earlier version gains the columns added since.
            for column, kind in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, kind)
            continue
        table.create(
            spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"),
            foreign_keys=spec.get("foreign_keys"),
        )
    for name, indexes in INDEXES.items():
        for cols in indexes:
            db[name].create_index(cols, if_not_exists=True)
    _ensure_municipalities(db)
    for hook in _schema_hooks():
        hook(db)


def _schema_hooks():
    """Views and full-text search, kept in their own modules."""
    from . import search, views

    return (views.ensure_views, search.ensure_fts)


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


def delete_document(db: sqlite_utils.Database, doc_id: str) -> None:
    from . import organisations, persons

    people = {r[0] for r in db.execute(
        "select person_id from attendees where document_id = ? union "
        "select person_id from mentions where document_id = ?", [doc_id, doc_id])
        if r[0]}
    orgs = {r[0] for r in db.execute(
        "select organisation_id from meetings where document_id = ? union "
        "select organisation_id from mentions where document_id = ?", [doc_id, doc_id])
        if r[0]}
    for table in DOCUMENT_TABLES:
        db[table].delete_where("document_id = ?", [doc_id])
    db["documents"].delete_where("id = ?", [doc_id])
    # who and what only these minutes named goes with them; the rest is summed up anew
    persons.refresh(db, people)
    organisations.refresh(db, orgs)


def save(db: sqlite_utils.Database, record: MinutesRecord, *, path: str, text: str,
         metadata: dict | None = None, elsewhere: dict[str, str] | None = None) -> str:
    """Write one document's record in a single transaction; return its document id.

    `elsewhere` maps sha256 to a path that still holds those bytes: a document this one
    replaces at `path` moves there instead of being deleted (two identical files, one of
    them since edited)."""
    doc = record.document
    doc_id = document_id(doc.sha256)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with write_transaction(db):
        # The same path with other bytes is a corrected file: it replaces the old one.
        for row in list(db.query("select id, sha256 from documents where path = ? and id != ?",
                                 [path, doc_id])):
            moved = (elsewhere or {}).get(row["sha256"])
            if moved is not None and moved != path:
                db.execute("update documents set path = ?, file_name = ? where id = ?",
                           [moved, PurePath(moved).name, row["id"]])
            else:
                delete_document(db, row["id"])
        delete_document(db, doc_id)
        db["import_errors"].delete_where("path = ?", [path])
        db["documents"].insert({
            "id": doc_id, "sha256": doc.sha256, "file_name": doc.file_name, "path": path,
            "format": doc.format, "pages": doc.pages, "chars": doc.chars, "text": text,
            "metadata": json.dumps(metadata or {}, ensure_ascii=False, default=str),
            "imported_at": now, "pipeline_version": record.pipeline_version,
            "ocr_engine": doc.ocr_engine,
            "ocr_pages": json.dumps(doc.ocr_pages) if doc.ocr_pages else None,
            "ocr_page_confidence": (json.dumps(doc.ocr_page_confidence)
                                    if doc.ocr_pages else None),
            "ocr_confidence": doc.ocr_confidence,
        })
        _save_extraction(db, record, doc_id)
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


def _save_extraction(db, record: MinutesRecord, doc_id: str) -> None:
    from . import organisations, persons
    from .gazetteer import by_name, lookup_municipality

    m = record.meeting
    year = int(m.date[:4]) if m.date else None
    org_id = (organisations.ensure(db, m.organization)
              if organisations.plausible(m.organization) else None)
    home = lookup_municipality(m.organization or "") or lookup_municipality(m.title or "")
    file_name = record.document.file_name if record.document else None
    db["meetings"].insert({
        "id": doc_id, "document_id": doc_id,
        "label": meeting_label(m.date, m.organization, m.title, file_name),
        "title": m.title, "organization": m.organization,
        "date": m.date, "year": year, "start_time": m.start_time, "end_time": m.end_time,
        "place": m.place, "chair": m.chair, "secretary": m.secretary,
        "next_meeting": m.next_meeting, "adjusters": json.dumps(m.adjusters, ensure_ascii=False),
        "organisation_id": org_id, "municipality_code": home.code if home else None,
    })

    linked: dict[str, str] = {}  # name key -> person, for the attendees of these minutes
    people: dict[str, dict] = {}
    attendees = []
    for k, a in enumerate(record.attendees, 1):
        municipality = by_name().get(a.municipality)
        code = municipality.code if municipality else None
        pid, evidence = persons.link(db, persons.Attendance(
            a.name, a.party, code or (home.code if home else None), org_id), linked)
        linked.setdefault(persons.name_key(a.name), pid)
        people.setdefault(pid, {"id": pid, "name": a.name, "key": persons.name_key(a.name)})
        attendees.append({
            "id": f"{doc_id}-a{k:03d}", "meeting_id": doc_id, "document_id": doc_id,
            "ordinal": k, "name": a.name, "person_id": pid, "affiliation": a.affiliation,
            "municipality": a.municipality, "municipality_code": code,
            "role": a.role, "group": a.group, "party": a.party,
            "party_as_written": a.party_as_written, "replaces": a.replaces,
            "note": a.note, "page": a.span.page_start if a.span else None,
            "char_start": a.span.start if a.span else None,
            "char_end": a.span.end if a.span else None, "person_evidence": evidence,
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
            "case_number": it.case_number,
            **_span_columns(it.span),
        })
        blocks = it.decision_blocks or [None] * len(it.decisions)
        for j, (text, block) in enumerate(zip(it.decisions, blocks), 1):
            decisions.append({
                "id": f"{item_id}-{j:02d}", "item_id": item_id, "meeting_id": doc_id,
                "document_id": doc_id, "ordinal": j, "label": block.label if block else None,
                "text": text, **_span_columns(block.span if block else None),
            })
    for j, block in enumerate(record.decisions, 1):
        decisions.append({
            "id": f"{doc_id}-d{j:02d}", "item_id": None, "meeting_id": doc_id,
            "document_id": doc_id, "ordinal": j, "label": block.label, "text": block.text,
            **_span_columns(block.span),
        })
    mentions, named_orgs = [], set()
    for k, mn in enumerate(record.mentions, 1):
        pid = oid = None
        if mn.label == "PERSON" and mn.value:
            pid = persons.for_mention(db, mn.value, org_id, linked)
            if pid is not None and pid not in people and not db.execute(
                    "select 1 from persons where id = ?", [pid]).fetchone():
                people[pid] = {"id": pid, "name": mn.value, "key": persons.name_key(mn.value)}
        elif mn.label == "ORG" and organisations.plausible(mn.value or mn.text):
            oid = organisations.ensure(db, mn.value or mn.text, org_id)
            named_orgs.add(oid)
        mentions.append({
            "id": f"{doc_id}-m{k:04d}", "document_id": doc_id,
            "item_id": _item_at(item_ids, mn.start), "label": mn.label, "text": mn.text,
            "value": mn.value, "person_id": pid,
            "municipality_code": mn.code if mn.label == "MUNICIPALITY" else None,
            "organisation_id": oid,
            "page": mn.page, "char_start": mn.start, "char_end": mn.end,
        })
    by_number = {it.number: item_id for it, (_, _, item_id) in zip(record.items, item_ids)}
    warnings = [{
        "id": f"{doc_id}-w{k:03d}", "document_id": doc_id, "item_id": by_number.get(w.item),
        "item": w.item, "kind": w.kind, "message": w.message,
    } for k, w in enumerate(record.warnings, 1)]

    def person_of(name: str | None) -> str | None:
        """The person a ballot or stance names: the attendee of that name in these minutes,
        else the one person of that name the database knows (see persons.for_mention)."""
        if not name or len(name.split()) < 2:
            return None
        pid = persons.for_mention(db, name, org_id, linked)
        if pid is not None and pid not in people and not db.execute(
                "select 1 from persons where id = ?", [pid]).fetchone():
            people[pid] = {"id": pid, "name": name, "key": persons.name_key(name)}
        return pid

    proceedings = _proceedings_rows(record, doc_id, attendees, person_of)
    new_people = [p for p in people.values()
                  if not db.execute("select 1 from persons where id = ?", [p["id"]]).fetchone()]
    if new_people:
        db["persons"].insert_all(new_people, pk="id")
    for table, rows in (("attendees", attendees), ("items", items),
                        ("decisions", decisions), ("mentions", mentions), ("warnings", warnings)):
        if rows:
            db[table].insert_all(rows, pk="id")
    for table, rows in proceedings.items():
        if rows:
            db[table].insert_all(rows, pk="id")
    persons.refresh(db, people)
    organisations.refresh(db, named_orgs | ({org_id} if org_id else set()))


def _proceedings_rows(record: MinutesRecord, doc_id: str, attendees: list[dict],
                      person) -> dict:
    """Rows for votes, ballots, reservations, notes, recusals and absences, by table;
    `person` gives the person id of a name.

    Ids follow the item's: "<item id>-v1" for its first vote, "<vote id>-b001" for that
    vote's first ballot, -r, -n, -j, -x for reservations, notes, recusals and absences.
    """
    from .persons import name_key

    attendee_ids = {name_key(a["name"]): a["id"] for a in attendees}
    out: dict[str, list[dict]] = {t: [] for t in (
        "votes", "ballots", "reservations", "protocol_notes", "recusals", "absences")}
    for k, it in enumerate(record.items, 1):
        item_id = f"{doc_id}-{k:03d}"
        base = {"item_id": item_id, "meeting_id": doc_id, "document_id": doc_id}
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
                    "name": b.name, "person_id": person(b.name), "party": b.party,
                    "vote": b.vote, "replaces": b.replaces,
                })
        for table, letter, stances in (("reservations", "r", it.reservations),
                                       ("protocol_notes", "n", it.protocol_notes),
                                       ("recusals", "j", it.recusals)):
            for j, s in enumerate(stances, 1):
                row = {"id": f"{item_id}-{letter}{j:02d}", **base, "ordinal": j, "who": s.who,
                       "name": s.name, "person_id": person(s.name), "party": s.party,
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
                "name": s.name, "person_id": person(s.name), "party": s.party,
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
