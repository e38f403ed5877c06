"""Combine import databases into one: the shards of `import --shard K/N`, or the parts written
by the workers of a cluster (cluster.py).

Ids are content hashes, so a document is the same document in every database that holds it:
one already in the output is kept, the others are copied with everything extracted from
them. A document whose path the output holds with other bytes replaces it, as a re-import
does (or moves it to a path that still holds those bytes, `elsewhere`). Who is who depends on
all the minutes together (persons.py): the links of every name the copied documents hold are
worked out anew once the copying is done, in the same order an import uses, so merged shards
give the persons a single import gives. The search indexes are built once, at the end.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlite_utils

from . import store

# Parents before children, so that each row's foreign keys find their parent.
COPIED = ("documents", "meetings", "attendees", "items", "decisions", "mentions", "warnings",
          "votes", "ballots", "reservations", "protocol_notes", "recusals", "absences")


@dataclass
class MergeSummary:
    databases: int = 0
    documents: int = 0  # copied
    present: int = 0  # already in the output

    def line(self) -> str:
        return (f"merged {self.databases} database{'s' if self.databases != 1 else ''}: "
                f"{self.documents} documents added, {self.present} already there")


def merge(db: sqlite_utils.Database, sources, *, elsewhere: dict[str, str] | None = None
          ) -> MergeSummary:
    """Copy the documents of the databases `sources` (paths) into `db`; see the module doc."""
    from .batch import finish_bulk
    from .search import suspend

    summary = MergeSummary()
    store.settle_pending(db)
    suspend(db)
    for source in sources:
        added, present = _merge_one(db, os.fspath(source), elsewhere)
        summary.databases += 1
        summary.documents += added
        summary.present += present
    finish_bulk(db)
    return summary


def _columns(db: sqlite_utils.Database, table: str, schema: str) -> list[str]:
    return [r[1] for r in db.execute(f"pragma {schema}.table_info([{table}])").fetchall()]


def _merge_one(db: sqlite_utils.Database, source: str,
               elsewhere: dict[str, str] | None) -> tuple[int, int]:
    from . import views

    store.open_existing(source).close()  # one line naming the file if it is no database
    # ATTACH is not allowed inside a transaction; read-only, so a shard is never changed.
    db.execute("ATTACH DATABASE ? AS part", [f"file:{source}?mode=ro"])
    try:
        with store.write_transaction(db):
            db.execute("DROP TABLE IF EXISTS temp.new_documents")
            db.execute("CREATE TEMP TABLE new_documents (id TEXT PRIMARY KEY, path TEXT)")
            db.execute("INSERT INTO temp.new_documents SELECT id, path FROM part.documents "
                       "WHERE id NOT IN (SELECT id FROM main.documents)")
            added = db.execute("select count(*) from temp.new_documents").fetchone()[0]
            present = db.execute("select count(*) from part.documents").fetchone()[0] - added
            touched = store.Touched()
            # A path the output holds with other bytes: the file was corrected since.
            for old_id, old_sha, path in db.execute(
                    "select d.id, d.sha256, d.path from main.documents d "
                    "join temp.new_documents n on n.path = d.path").fetchall():
                moved = (elsewhere or {}).get(old_sha)
                if moved is not None and moved != path:
                    db.execute("update documents set path = ?, file_name = ? where id = ?",
                               [moved, os.path.basename(moved), old_id])
                else:
                    store.delete_document(db, old_id, touched)
            db.execute("DELETE FROM main.import_errors WHERE path IN "
                       "(SELECT path FROM temp.new_documents)")
            _copy(db, "organisations", "1", ignore=True)
            new = "(select id from temp.new_documents)"
            _copy(db, "persons", f"""id in (
                select person_id from part.attendees where document_id in {new}
                union select person_id from part.mentions where document_id in {new})""",
                  ignore=True)
            for table in COPIED:
                key = "id" if table == "documents" else "document_id"
                _copy(db, table, f"{key} in (select id from temp.new_documents)")
            db.execute(views.decision_municipalities_insert(
                "d.document_id in (select id from temp.new_documents)"))
            _copy(db, "files", "1", replace=True)
            _copy(db, "import_errors", "path not in (select path from main.documents)",
                  replace=True)
            touched.person_keys.update(r[0] for r in db.execute(
                f"""select p.key from main.persons p where p.id in (
                      select person_id from attendees where document_id in {new}
                      union select person_id from mentions where document_id in {new})
                    union select value_key from mentions
                    where document_id in {new} and value_key is not null"""))
            for table in store.NAMED_PERSON_TABLES:
                touched.person_keys.update(r[0] for r in db.execute(
                    f"select name_key from [{table}] where document_id in {new} "
                    "and name_key is not null"))
            touched.organisations.update(r[0] for r in db.execute(
                "select id from part.organisations"))
            store.defer_settling(db, touched)
            db.execute("DROP TABLE temp.new_documents")
    finally:
        db.execute("DETACH DATABASE part")
    return added, present


def _copy(db: sqlite_utils.Database, table: str, where: str, *, ignore: bool = False,
          replace: bool = False) -> None:
    """Rows of part.`table` that `where` selects, into main.`table`, by their common columns
    (a shard made by an earlier version may lack the newest)."""
    theirs = set(_columns(db, table, "part"))
    if not theirs:
        return
    cols = ", ".join(f"[{c}]" for c in _columns(db, table, "main") if c in theirs)
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE" if ignore else "INSERT"
    db.execute(f"{verb} INTO main.[{table}] ({cols}) SELECT {cols} FROM part.[{table}] "
               f"WHERE {where}")
