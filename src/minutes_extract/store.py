"""SQLite storage through sqlite-utils.

Ids are derived from content: a document's id is the start of the sha256 of its bytes, and
everything extracted from it carries that id plus its ordinal, so importing the same file
again replaces its rows instead of adding new ones. Each document is written in one
transaction: a crash leaves either the old rows or the new ones, never half of either.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import UTC, datetime

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
    "persons": {
        "columns": {"id": str, "name": str, "affiliation": str},
        "pk": "id",
    },
    "meetings": {
        "columns": {
            "id": str, "document_id": str, "title": str, "organization": str, "date": str,
            "year": int, "start_time": str, "end_time": str, "place": str, "chair": str,
            "secretary": str, "next_meeting": str, "adjusters": str,
        },
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id")],
    },
    "attendees": {
        "columns": {
            "id": str, "meeting_id": str, "document_id": str, "ordinal": int, "name": str,
            "person_id": str, "affiliation": str, "municipality": str,
            "municipality_code": str, "role": str, "group": str, "party": str,
            "replaces": str, "note": str, "page": int, "char_start": int, "char_end": int,
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
    "decisions": {
        "columns": {
            "id": str, "item_id": str, "meeting_id": str, "document_id": str, "ordinal": int,
            "label": str, "text": str, "page_start": int, "page_end": int,
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
            "value": str, "person_id": str, "municipality_code": str, "page": int,
            "char_start": int, "char_end": int,
        },
        "pk": "id",
        "foreign_keys": [
            ("document_id", "documents", "id"), ("item_id", "items", "id"),
            ("person_id", "persons", "id"), ("municipality_code", "municipalities", "code"),
        ],
    },
    "import_errors": {
        "columns": {"path": str, "file_name": str, "reason": str, "sha256": str,
                    "pipeline_version": str, "at": str},
        "pk": "path",
    },
}

INDEXES = {
    "documents": [["sha256"], ["path"]],
    "meetings": [["document_id"], ["date"], ["organization"], ["year"]],
    "attendees": [["meeting_id"], ["person_id"], ["municipality_code"], ["name"]],
    "items": [["meeting_id"], ["document_id"]],
    "decisions": [["item_id"], ["meeting_id"], ["document_id"]],
    "mentions": [["document_id"], ["item_id"], ["label", "value"], ["person_id"],
                 ["municipality_code"]],
}

# Tables holding what was extracted from one document, children first.
DOCUMENT_TABLES = ("mentions", "decisions", "items", "attendees", "meetings")


def open_db(path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode=wal")
    db.execute("PRAGMA foreign_keys=on")
    ensure_schema(db)
    return db


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


def _fold(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def person_id(name: str, affiliation: str | None = None) -> str:
    """One person row for the same normalised name and affiliation, across documents."""
    key = f"{_fold(name)}|{_fold(affiliation)}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def imported_version(db: sqlite_utils.Database, sha256: str) -> str | None:
    """The pipeline version a document was imported with, or None if it is not there."""
    rows = list(db.query("select pipeline_version from documents where id = ?",
                         [document_id(sha256)]))
    return rows[0]["pipeline_version"] if rows else None


def delete_document(db: sqlite_utils.Database, doc_id: str) -> None:
    for table in DOCUMENT_TABLES:
        db[table].delete_where("document_id = ?", [doc_id])
    db["documents"].delete_where("id = ?", [doc_id])


def save(db: sqlite_utils.Database, record: MinutesRecord, *, path: str, text: str,
         metadata: dict | None = None) -> str:
    """Write one document's record in a single transaction; return its document id."""
    doc = record.document
    doc_id = document_id(doc.sha256)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with db.atomic():
        # The same path with other bytes is a corrected file: it replaces the old one.
        for row in db.query("select id from documents where path = ? and id != ?",
                            [path, doc_id]):
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


def _save_extraction(db, record: MinutesRecord, doc_id: str) -> None:
    m = record.meeting
    year = int(m.date[:4]) if m.date else None
    db["meetings"].insert({
        "id": doc_id, "document_id": doc_id, "title": m.title, "organization": m.organization,
        "date": m.date, "year": year, "start_time": m.start_time, "end_time": m.end_time,
        "place": m.place, "chair": m.chair, "secretary": m.secretary,
        "next_meeting": m.next_meeting, "adjusters": json.dumps(m.adjusters, ensure_ascii=False),
    })
    from .gazetteer import by_name

    persons: dict[str, dict] = {}
    attendee_person: dict[str, str] = {}
    attendees = []
    for k, a in enumerate(record.attendees, 1):
        pid = person_id(a.name, a.affiliation)
        persons[pid] = {"id": pid, "name": a.name, "affiliation": a.affiliation}
        attendee_person.setdefault(_fold(a.name), pid)
        municipality = by_name().get(a.municipality)
        attendees.append({
            "id": f"{doc_id}-a{k:03d}", "meeting_id": doc_id, "document_id": doc_id,
            "ordinal": k, "name": a.name, "person_id": pid, "affiliation": a.affiliation,
            "municipality": a.municipality, "municipality_code": municipality.code if municipality else None,
            "role": a.role, "group": a.group, "party": a.party, "replaces": a.replaces,
            "note": a.note, "page": a.span.page_start if a.span else None,
            "char_start": a.span.start if a.span else None,
            "char_end": a.span.end if a.span else None,
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
    mentions = []
    for k, mn in enumerate(record.mentions, 1):
        pid = None
        if mn.label == "PERSON" and mn.value:
            pid = attendee_person.get(_fold(mn.value))
            if pid is None:
                pid = person_id(mn.value)
                persons.setdefault(pid, {"id": pid, "name": mn.value, "affiliation": None})
        mentions.append({
            "id": f"{doc_id}-m{k:04d}", "document_id": doc_id,
            "item_id": _item_at(item_ids, mn.start), "label": mn.label, "text": mn.text,
            "value": mn.value, "person_id": pid,
            "municipality_code": mn.code if mn.label == "MUNICIPALITY" else None,
            "page": mn.page, "char_start": mn.start, "char_end": mn.end,
        })
    if persons:
        db["persons"].upsert_all(persons.values(), pk="id")
    for table, rows in (("attendees", attendees), ("items", items),
                        ("decisions", decisions), ("mentions", mentions)):
        if rows:
            db[table].insert_all(rows, pk="id")


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
    from pathlib import PurePath

    with db.atomic():
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
