"""Full-text search (SQLite FTS5) over item titles, decision text and document text.

Each index is an external-content FTS5 table named `<table>_fts`, the shape Datasette
recognises, so its table pages get a search box. Triggers keep the indexes current when
rows are inserted, replaced or deleted.

The indexes use FTS5's `trigram` tokenizer: every query of three or more characters matches
anywhere inside words, so "budget" finds "investeringsbudget" and "skola" finds "förskolan".
Swedish writes compounds as one word and inflects them, and SQLite has no Swedish stemmer
(porter is English only). A trigram index was measured against decompounding with a
148,000-stem lexicon (scripts/measure_compounds.py, figures in the README): it found every
decision decompounding found and the compounds the lexicon missed ("interkontrollplan",
"delårsrapport"), for an index about 15% larger, with no lexicon to ship or keep current.
The price: a short query also matches inside unrelated words ("val" in "förvaltning"), and
terms of one or two characters cannot be searched alone (they are searched together with the
next word). The trigram tokenizer folds case, Å, Ä and Ö included, and keeps å, ä and ö
letters of their own, so "får" does not find "far".
"""

from __future__ import annotations

import re

import sqlite_utils

TOKENIZE = "trigram"
MIN_TERM = 3  # the trigram tokenizer needs three characters to match anything

# table -> indexed columns
INDEXES: dict[str, tuple[str, ...]] = {
    "items": ("title", "case_number"),
    "decisions": ("label", "text"),
    "documents": ("file_name", "text"),
}


def fts_table_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(f"[{c}]" for c in columns)
    return (f"CREATE VIRTUAL TABLE [{table}_fts] USING FTS5 (\n"
            f"    {cols},\n    tokenize='{TOKENIZE}',\n"
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

    An index made with another tokenizer (an older version's, or sqlite-utils' default) is
    rebuilt, in the same shape sqlite-utils' `enable_fts` writes.
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


def suspend(db: sqlite_utils.Database) -> None:
    """Stop keeping the indexes current, for a bulk write: `ensure_fts` then builds each once
    at its end, which costs less than keeping them current row by row. Should the write stop
    before its end, the next `ensure_fts` (any later open of the database) builds them."""
    with db.atomic():
        for table in INDEXES:
            for suffix in ("ai", "ad", "au"):
                db.execute(f"DROP TRIGGER IF EXISTS [{table}_{suffix}]")


_TERM = re.compile(r'"([^"]*)"?|(\S+)')


def fts_query(text: str | None) -> str:
    """Turn what someone typed into an FTS5 query for the trigram indexes.

    Every term must match, as a substring; "in quotes" keeps a phrase together. A `*` at
    either end of a word is dropped: it asks for what the substring search does anyway
    (`beslut*` finds beslutar, beslutade, beslutsunderlag), and Datasette's own escaping
    would keep it as a literal star that matches nothing. Quoting every term stops FTS5 from
    reading punctuation, `-` or `OR` as syntax; a bare `AND` is dropped since every term must
    match anyway. A term shorter than three characters is searched together with the term
    after it ("KS 2019" as one phrase), or before it when it comes last. No searchable term
    gives `""`, which matches nothing instead of being a syntax error.
    """
    terms = []
    for m in _TERM.finditer(text or ""):
        term = m.group(1) if m.group(1) is not None else m.group(2).strip("*")
        term = " ".join(term.replace('"', "").split())
        if term and not (m.group(2) and term == "AND"):
            terms.append(term)
    merged: list[str] = []
    pending = ""
    for term in terms:
        term = f"{pending} {term}" if pending else term
        pending = ""
        if len(term) < MIN_TERM:
            pending = term
        else:
            merged.append(term)
    if pending and merged:
        merged[-1] = f"{merged[-1]} {pending}"
    return " ".join(f'"{t}"' for t in merged) or '""'
