"""Browse a minutes database in Datasette, read-only, with the project's metadata.

The plugin (datasette/plugin.py, an entry point of the package) gives every minutes database
its metadata, SQL functions, page images and styles, so `serve` only brings the views and
search indexes up to date and starts Datasette. The database is opened read-only but not
immutable, so an import may write to it while it is served (the normal case for a growing
archive); `--immutable` is for publishing a file that no longer changes.

The metadata (datasette/metadata.toml) is written out as Datasette's JSON for the database
being served, whose name in URLs is its file name without extension; `minutes-extract
metadata` writes the same JSON for `datasette publish`.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from . import store, views

DATASETTE_DIR = Path(__file__).resolve().parent / "datasette"
METADATA_TEMPLATE = DATASETTE_DIR / "metadata.toml"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file: its stem."""
    return Path(db_path).stem


@functools.cache
def schema_columns() -> dict[str, list[str]]:
    """Every table in store.SCHEMA and every view, with its columns, as the code defines them."""
    db = sqlite_utils.Database(memory=True)
    store.ensure_schema(db)
    names = list(store.SCHEMA) + list(views.definitions())
    return {name: [c.name for c in db[name].columns] for name in names}


@functools.cache
def _metadata_json(db_names: tuple[str, ...]) -> str:
    with open(METADATA_TEMPLATE, "rb") as fh:
        template = tomllib.load(fh)
    common = template.pop("common_columns")
    database = template.pop("database")
    tables = database.setdefault("tables", {})
    for table, columns in schema_columns().items():
        spec = tables.setdefault(table, {})
        own = spec.get("columns", {})
        spec["columns"] = {c: own.get(c) or common[c] for c in columns
                           if own.get(c) or c in common}
    # "DATABASE" in the database's HTML description stands for its path in URLs
    each = json.dumps(database, ensure_ascii=False)
    databases = {name: json.loads(each.replace("/DATABASE/", f"/{quote(name)}/"))
                 for name in db_names}
    return json.dumps({**template, "databases": databases}, ensure_ascii=False)


def metadata(*db_names: str) -> dict:
    """Datasette metadata for minutes databases served under `db_names` (a fresh copy).

    Each table's columns are described by the table's own entry, else by [common_columns].
    """
    return json.loads(_metadata_json(tuple(db_names)))


# Datasette's settings for a minutes database. Suggested facets are off: to suggest them
# Datasette counts the distinct values of every column on every page, up to 50 ms a column,
# which alone passes a second on the views of a large archive.
SETTINGS = {"suggest_facets": "off"}


def command(db_path: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
            immutable: bool = False, extra: Sequence[str] = ()) -> list[str]:
    """The Datasette command line: the same interpreter; the plugin comes as an entry point.
    Options in `extra` come last, so a setting given there wins over SETTINGS."""
    return [
        sys.executable, "-m", "datasette", "serve",
        *(["--immutable", str(db_path)] if immutable else [str(db_path)]),
        "--host", host, "--port", str(port),
        *[arg for name, value in SETTINGS.items() for arg in ("--setting", name, value)],
        *extra,
    ]


def prepare(db_path: str | Path) -> None:
    """Bring views and search indexes up to the code's definitions before serving.

    A database imported by an older version gets the current views and canned-query
    support. A file that cannot be written is served as it is.
    """
    if not os.access(db_path, os.W_OK):
        return
    db = store.open_db(db_path)
    db.close()


def serve(db_path: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          immutable: bool = False, extra: Sequence[str] = ()) -> int:
    """Run Datasette until it is stopped; return its exit status."""
    prepare(db_path)
    proc = subprocess.Popen(command(db_path, host=host, port=port, immutable=immutable,
                                    extra=extra))
    # Stopping `serve` stops Datasette; Ctrl-C reaches both through the terminal.
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.wait()
        return 0
