"""Browse a minutes database in Datasette, read-only, with the project's metadata.

The metadata (datasette/metadata.toml) is written out as Datasette's JSON for the database
being served, whose name in URLs is its file name without extension. The plugin in
datasette/plugins renders source links and adds the SQL functions the canned queries need.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

import sqlite_utils

from . import store, views

DATASETTE_DIR = Path(__file__).resolve().parent / "datasette"
METADATA_TEMPLATE = DATASETTE_DIR / "metadata.toml"
PLUGINS_DIR = DATASETTE_DIR / "plugins"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file: its stem."""
    return Path(db_path).stem


def schema_columns() -> dict[str, list[str]]:
    """Every table in store.SCHEMA and every view, with its columns, as the code defines them."""
    db = sqlite_utils.Database(memory=True)
    store.ensure_schema(db)
    names = list(store.SCHEMA) + list(views.definitions())
    return {name: [c.name for c in db[name].columns] for name in names}


def metadata(db_name: str) -> dict:
    """Datasette metadata for a database served under `db_name`.

    Each table's columns are described by the table's own entry, else by [common_columns].
    """
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
    return {**template, "databases": {db_name: database}}


def command(db_path: str | Path, metadata_path: str | Path, *, host: str = DEFAULT_HOST,
            port: int = DEFAULT_PORT, extra: Sequence[str] = ()) -> list[str]:
    """The Datasette command line: the same interpreter, the database immutable."""
    return [
        sys.executable, "-m", "datasette", "serve",
        "--immutable", str(db_path),
        "--metadata", str(metadata_path),
        "--plugins-dir", str(PLUGINS_DIR),
        "--host", host, "--port", str(port),
        *extra,
    ]


def prepare(db_path: str | Path) -> None:
    """Bring views and search indexes up to the code's definitions before serving.

    Datasette opens the file immutable, so this is the last chance to write to it; a
    database imported by an older version gets the current views and canned-query support.
    A file that cannot be written is served as it is.
    """
    if not os.access(db_path, os.W_OK):
        return
    db = store.open_db(db_path)
    db.close()


def serve(db_path: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          extra: Sequence[str] = ()) -> int:
    """Run Datasette until it is stopped; return its exit status."""
    prepare(db_path)
    with tempfile.TemporaryDirectory(prefix="minutes-serve-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata(database_name(db_path)), ensure_ascii=False,
                                        indent=2), encoding="utf-8")
        proc = subprocess.Popen(command(db_path, meta_path, host=host, port=port,
                                        extra=extra))
        # Stopping `serve` stops Datasette; Ctrl-C reaches both through the terminal.
        signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.wait()
            return 0
