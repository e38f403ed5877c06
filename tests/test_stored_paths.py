"""`documents.path`: below the folder given to `import`, never the importing machine's path."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlite_utils

from minutes_extract.batch import run_import, stored_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXT = "mlr-kdm-2019-01-29.txt"
MISSING = "no-such-file.pdf"


def _text_values(db: sqlite_utils.Database):
    for table in db.table_names():
        if table.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
            continue
        for row in db[table].rows:
            yield from (v for v in row.values() if isinstance(v, str))


def test_a_path_starts_with_the_folder_given():
    assert stored_path(Path("/home/reporter/archive/2019/ks.pdf"),
                       Path("/home/reporter/archive")) == "archive/2019/ks.pdf"
    assert stored_path(Path("archive/ks.pdf"), Path("archive")) == "archive/ks.pdf"
    # a file given by itself counts as given with its folder
    assert stored_path(Path("/home/reporter/archive/ks.pdf")) == "archive/ks.pdf"


def test_the_database_holds_no_path_of_the_importing_machine(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    (inbox / "2019").mkdir(parents=True)
    shutil.copy(CORPUS / TEXT, inbox / "2019" / TEXT)
    (inbox / "empty.txt").write_bytes(b"")
    db_path = tmp_path / "m.db"
    monkeypatch.chdir(tmp_path)
    run_import(db_path, [str(inbox), str(tmp_path / MISSING)], workers=1)
    db = sqlite_utils.Database(db_path)
    assert [r["path"] for r in db["documents"].rows] == [f"inbox/2019/{TEXT}"]
    assert sorted(r["path"] for r in db["import_errors"].rows) == [
        "inbox/empty.txt", f"{tmp_path.name}/{MISSING}"]
    leaks = [v for v in _text_values(db) if str(tmp_path) in v]
    assert leaks == []


def test_the_same_file_gets_the_same_path_from_any_folder(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CORPUS / TEXT, inbox / TEXT)
    db_path = tmp_path / "m.db"
    run_import(db_path, [str(inbox)], workers=1)
    (inbox / TEXT).write_text((CORPUS / TEXT).read_text(encoding="utf-8") + "\nTillägg.\n",
                              encoding="utf-8")
    monkeypatch.chdir(inbox)
    run_import(db_path, [TEXT], workers=1)  # the edited file, named by itself
    db = sqlite_utils.Database(db_path)
    # the corrected file replaced the first import instead of standing beside it
    assert [r["path"] for r in db["documents"].rows] == [f"inbox/{TEXT}"]
    assert "Tillägg." in next(iter(db["documents"].rows))["text"]
