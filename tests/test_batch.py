"""`minutes-extract import`: finding files, skipping the unchanged, parallel workers, progress."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from minutes_extract import batch, config
from minutes_extract.cli import cli
from minutes_extract.progress import Progress

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXTS = ["mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md", "dvd-gu-styrelsen-2023-03-24.md"]
PDF = "lithekod-styrelsemote-2013-10-09.pdf"
TABLES = ("documents", "meetings", "attendees", "items", "decisions", "mentions", "persons")


def touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, encoding="utf-8")


def found_names(root: Path, *paths, patterns=()) -> list[str]:
    files, problems, passed = batch.discover(paths or [root], patterns)
    assert problems == [] and passed == []
    return [f.path.relative_to(root).as_posix() for f in files]


def test_walk_takes_supported_suffixes_in_every_folder(tmp_path):
    touch(tmp_path, "a.pdf", "b.TXT", "notes.docx", "sub/c.md", "sub/deeper/d.markdown",
          "sub/e.odt", ".hidden.txt", ".git/f.txt", "sub/~$lock.docx")
    assert found_names(tmp_path) == ["a.pdf", "b.TXT", "notes.docx", "sub/c.md",
                                     "sub/deeper/d.markdown"]


def test_a_collections_own_documentation_is_not_minutes(tmp_path):
    touch(tmp_path, "README.md", "gold/readme.txt", "LICENSE.txt", "ks.md")
    assert found_names(tmp_path) == ["ks.md"]
    # Named on the command line, it is taken like any file.
    assert found_names(tmp_path, tmp_path / "README.md") == ["README.md"]


def test_glob_narrows_by_name_or_by_path_below_the_folder(tmp_path):
    touch(tmp_path, "2019/ks.pdf", "2019/ks.md", "2020/bun.pdf", "2020/ks.txt")
    assert found_names(tmp_path, patterns=["*.PDF"]) == ["2019/ks.pdf", "2020/bun.pdf"]
    assert found_names(tmp_path, patterns=["ks*"]) == ["2019/ks.md", "2019/ks.pdf", "2020/ks.txt"]
    assert found_names(tmp_path, patterns=["2020/*"]) == ["2020/bun.pdf", "2020/ks.txt"]
    assert found_names(tmp_path, patterns=["*.odt"]) == []


def test_links_are_followed_but_each_file_and_folder_taken_once(tmp_path):
    touch(tmp_path, "real/a.txt", "real/sub/b.md")
    os.symlink("real", tmp_path / "alias")  # the same folder under a second name
    os.symlink("../..", tmp_path / "real" / "sub" / "up")  # back up the tree
    os.symlink("a.txt", tmp_path / "real" / "same.txt")  # the same file twice
    os.symlink("nowhere.pdf", tmp_path / "real" / "dangling.pdf")
    os.symlink("nowhere.odt", tmp_path / "real" / "dangling.odt")
    files, problems, _ = batch.discover([tmp_path], ())
    assert [f.path.relative_to(tmp_path).as_posix() for f in files] == [
        "alias/a.txt", "alias/sub/b.md"]
    assert problems == [(str(tmp_path / "alias" / "dangling.pdf"), "broken symbolic link")]


def test_named_files_are_taken_whatever_their_name_and_missing_ones_reported(tmp_path):
    touch(tmp_path, "minutes.odt")
    files, problems, _ = batch.discover([tmp_path / "minutes.odt", tmp_path / "gone.pdf"], ("*.md",))
    assert [f.path.name for f in files] == ["minutes.odt"]
    assert problems == [(str(tmp_path / "gone.pdf"), "not found")]


def run(db_path: Path, *args: str):
    return CliRunner().invoke(cli, ["import", str(db_path), *map(str, args), "--no-progress"])


def summary(result) -> str:
    return result.stderr.strip().splitlines()[-1]


def snapshot(db_path: Path) -> dict[str, list[str]]:
    db = sqlite_utils.Database(db_path)
    pk = {"persons": "id"}
    return {t: sorted(str(r[pk.get(t, "id")]) for r in db[t].rows) for t in TABLES}


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in TEXTS:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_unchanged_files_are_skipped_without_extracting(inbox, tmp_path, monkeypatch):
    db_path = tmp_path / "m.db"
    first = run(db_path, inbox, "--workers", "1")
    assert first.exit_code == 0, first.stderr
    assert summary(first).startswith("imported 3, unchanged 0, failed 0;")
    before = snapshot(db_path)

    def no_extracting(path):
        raise AssertionError(f"extracted {path} again")

    monkeypatch.setattr(batch, "extract", no_extracting)
    second = run(db_path, inbox, "--workers", "1")
    assert second.exit_code == 0, second.stderr
    assert summary(second).startswith("imported 0, unchanged 3, failed 0; 0 pages")
    assert snapshot(db_path) == before


def test_unchanged_failures_are_counted_without_reading_again(inbox, tmp_path, monkeypatch):
    db_path = tmp_path / "m.db"
    (inbox / "scan.pdf").write_bytes(b"%PDF-1.4 not really")
    first = run(db_path, inbox, "--workers", "1")
    assert first.exit_code == 1
    assert sqlite_utils.Database(db_path)["import_errors"].get(f"{inbox.name}/scan.pdf")

    def no_extracting(path):
        raise AssertionError(f"extracted {path} again")

    monkeypatch.setattr(batch, "extract", no_extracting)
    second = run(db_path, inbox, "--workers", "1")
    # Nothing new failed: status 0, and the summary says how many failures are known.
    assert second.exit_code == 0, second.stderr
    assert "error:" not in second.stderr
    assert summary(second).startswith("imported 0, unchanged 3, failed 0;")
    assert summary(second).endswith("; 1 known failure not read again")


def test_changed_file_replaces_its_old_document(inbox, tmp_path):
    db_path = tmp_path / "m.db"
    run(db_path, inbox, "--workers", "1")
    db = sqlite_utils.Database(db_path)
    [old] = db["documents"].rows_where("file_name = ?", [TEXTS[0]])
    with open(inbox / TEXTS[0], "a", encoding="utf-8") as fh:
        fh.write("\nTillägg efter justering.\n")
    result = run(db_path, inbox, "--workers", "1")
    assert summary(result).startswith("imported 1, unchanged 2, failed 0;")
    [new] = db["documents"].rows_where("file_name = ?", [TEXTS[0]])
    assert new["id"] != old["id"] and "Tillägg efter justering." in new["text"]
    assert db["documents"].count == 3
    assert db["items"].count_where("document_id = ?", [old["id"]]) == 0


def test_new_pipeline_version_or_force_extracts_again(inbox, tmp_path, monkeypatch):
    db_path = tmp_path / "m.db"
    run(db_path, inbox, "--workers", "1")
    assert summary(run(db_path, inbox, "--workers", "1", "--force")).startswith("imported 3,")
    monkeypatch.setattr(config, "pipeline_version", lambda: "0.0.0+changed-rules")
    assert summary(run(db_path, inbox, "--workers", "1")).startswith("imported 3, unchanged 0,")
    versions = {r["pipeline_version"] for r in sqlite_utils.Database(db_path)["documents"].rows}
    assert versions == {"0.0.0+changed-rules"}
    assert summary(run(db_path, inbox, "--workers", "1")).startswith("imported 0, unchanged 3,")


def test_same_bytes_under_two_names_are_one_document(inbox, tmp_path):
    shutil.copy(inbox / TEXTS[0], inbox / "copy.txt")
    db_path = tmp_path / "m.db"
    result = run(db_path, inbox, "--workers", "1")
    assert summary(result).startswith("imported 3, unchanged 1, failed 0;")
    assert sqlite_utils.Database(db_path)["documents"].count == 3


def test_parallel_workers_store_what_one_process_stores(inbox, tmp_path):
    shutil.copy(CORPUS / PDF, inbox / PDF)
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    assert run(serial, inbox, "--workers", "1").exit_code == 0
    result = run(parallel, inbox, "--workers", "2")
    assert result.exit_code == 0, result.stderr
    assert summary(result).startswith("imported 4, unchanged 0, failed 0;")
    assert snapshot(parallel) == snapshot(serial)
    assert all(snapshot(parallel)[t] for t in ("documents", "items", "decisions", "mentions"))


def test_summary_counts_pages_and_rate(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / PDF, folder / PDF)
    result = run(tmp_path / "m.db", folder, "--workers", "1")
    pages = sqlite_utils.Database(tmp_path / "m.db")["documents"].get(
        next(iter(snapshot(tmp_path / "m.db")["documents"])))["pages"]
    assert pages >= 1
    line = summary(result)
    assert line.startswith(f"imported 1, unchanged 0, failed 0; {pages} pages in ")
    assert line.endswith(" pages/s)")


def test_progress_bar_only_when_asked(inbox, tmp_path):
    quiet = run(tmp_path / "a.db", inbox, "--workers", "1")
    assert "\r" not in quiet.stderr and quiet.stderr.count("\n") == 1
    shown = CliRunner().invoke(
        cli, ["import", str(tmp_path / "b.db"), str(inbox), "--workers", "1", "--progress"])
    assert "\r" in shown.stderr and "3/3 files" in shown.stderr


def test_progress_bar_counts_estimated_pages_not_files():
    import io

    stream = io.StringIO()
    bar = Progress(enabled=True, stream=stream)
    bar.start(files=2, pages=100)
    # A 90-page scan that fails at once is 90 % of the work done, not half of it.
    bar.advance(90, 0, failed=True)
    assert bar.bar.n == 90 and bar.bar.total == 100
    assert bar.line() == "1/2 files, 0 pages, 1 errors"
    bar.close()
    assert " 90%|" in stream.getvalue()


def test_page_estimate_reads_pdf_page_objects_and_text_length(tmp_path):
    from test_import_bad_input import PAGE, make_pdf

    pdf = tmp_path / "three.pdf"
    pdf.write_bytes(make_pdf([PAGE] * 3))
    text = tmp_path / "long.txt"
    text.write_text("ord " * 3000, encoding="utf-8")  # 12,000 characters
    assert batch.hash_and_pages(pdf)[1] == 3
    assert batch.hash_and_pages(text)[1] == 12000 // batch.TEXT_PAGE_BYTES


def test_a_file_whose_size_and_time_are_unchanged_is_not_read_to_hash_it(tmp_path, monkeypatch):
    import os

    from minutes_extract import batch

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md"):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
        os.utime(folder / name, ns=(10**18, 10**18))  # long before this run
    db_path = tmp_path / "m.db"
    batch.run_import(db_path, [str(folder)], workers=1)
    hashed = []
    real = batch.hash_file
    monkeypatch.setattr(batch, "hash_file", lambda p: hashed.append(p.name) or real(p))
    summary = batch.run_import(db_path, [str(folder)], workers=1)
    assert (summary.skipped, hashed) == (2, [])
    # an edit of the same size: the modification time tells
    edited = folder / "mlr-kdm-2019-01-29.txt"
    edited.write_bytes(edited.read_bytes().replace(b"Protokoll", b"PROTOKOLL", 1))
    summary = batch.run_import(db_path, [str(folder)], workers=1)
    assert hashed == [edited.name] and summary.imported == 1


def test_a_worker_has_time_for_every_page_of_a_pdf_it_may_read_by_ocr():
    from minutes_extract.batch import HARD_LIMIT, Found, hard_limit

    assert hard_limit(Found(Path("a.txt"), 10, pages=300)) == HARD_LIMIT
    # A scan of 300 pages at several seconds a page outlasts the bare limit.
    assert hard_limit(Found(Path("scan.pdf"), 10, pages=300)) >= HARD_LIMIT + 300 * 10


def test_a_file_that_fails_in_a_subfolder_is_recorded_under_its_stored_path(tmp_path):
    # The failure is kept against the path a fixed file will be stored under, so that the
    # next import that reads it clears the failure.
    (tmp_path / "inbox" / "2019").mkdir(parents=True)
    os.symlink("nowhere.pdf", tmp_path / "inbox" / "2019" / "dangling.pdf")
    _, problems, _ = batch.discover([tmp_path / "inbox"], ())
    [(path, reason)] = problems
    assert (path, reason) == (str(tmp_path / "inbox" / "2019" / "dangling.pdf"), "broken symbolic link")
    assert path.stored == "inbox/2019/dangling.pdf"
