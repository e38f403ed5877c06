"""Full-text search (SQLite FTS5) over item titles, decision text and document text.

Each index is an external-content FTS5 table named `<table>_fts`, the shape Datasette
recognises, so its table pages get a search box. Triggers keep the indexes current when
rows are inserted, replaced or deleted.

The tokenizer keeps å, ä and ö as letters of their own: FTS5's default `unicode61` strips
diacritics and so would merge Swedish words such as "får"/"far", "hål"/"hal", "lån"/"lan".
Case folding still covers Å, Ä and Ö. Prefix indexes make queries such as `beslut*` cheap,
which matters for Swedish compounds and inflections; there is no stemmer for Swedish in
SQLite (porter is English only).
"""

from __future__ import annotations

import sqlite_utils

TOKENIZE = "unicode61 remove_diacritics 0"
PREFIX = "2 3 4"

# table -> indexed columns
INDEXES: dict[str, tuple[str, ...]] = {
    "items": ("title", "case_number"),
    "decisions": ("label", "text"),
    "documents": ("file_name", "text"),
}


def fts_table_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(f"[{c}]" for c in columns)
    return (f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 (\n"
            f"    {cols},\n    tokenize='{TOKENIZE}', prefix='{PREFIX}',\n"
            f"    content=[{table}]\n)")


def _triggers_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    fts = f"[{table}_fts]"
    insert = f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});"
    delete = f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    return [
        f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN {insert} END",
        f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN {delete} END",
        f"CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] BEGIN {delete} {insert} END",
    ]


def _is_current(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> bool:
    fts = db[f"{table}_fts"]
    if not fts.exists() or fts.schema != fts_table_sql(table, columns):
        return False
    triggers = {t.name for t in db[table].triggers}
    return {f"{table}_ai", f"{table}_ad", f"{table}_au"} <= triggers


def ensure_fts(db: sqlite_utils.Database) -> None:
    """Create or update the search indexes; a no-op when they are already as defined here.

    sqlite-utils' `enable_fts` cannot declare prefix indexes, hence the SQL of our own in
    the same shape it writes.
    """
    for table, columns in INDEXES.items():
        if _is_current(db, table, columns):
            continue
        with db.atomic():
            for suffix in ("ai", "ad", "au"):
                db.execute(f"DROP TRIGGER IF EXISTS [{table}_{suffix}]")
            db.execute(f"DROP TABLE IF EXISTS [{table}_fts]")
            db.execute(fts_table_sql(table, columns))
            db.execute(f"INSERT INTO [{table}_fts] ([{table}_fts]) VALUES ('rebuild')")
            for statement in _triggers_sql(table, columns):
                db.execute(statement)


def fts_query(text: str | None) -> str:
    """Turn what someone typed into an FTS5 query: every word must match, `*` keeps prefixes.

    Quoting each word stops FTS5 from reading punctuation, `-` or `AND` as syntax; Datasette's
    own `escape_fts` quotes the `*` too, which turns a prefix query into an exact one. No
    words give `""`, which matches nothing instead of being a syntax error.
    """
    terms = []
    for word in (text or "").split():
        star = word.endswith("*")
        word = word.rstrip("*").replace('"', "")
        if word:
            terms.append(f'"{word}"' + ("*" if star else ""))
    return " ".join(terms) or '""'
