"""`minutes-extract import` over a folder of damaged, odd and hostile files mixed with good ones:
each bad file costs one stderr line and one `import_errors` row, the good ones all land, and
the command exits non-zero."""

from __future__ import annotations

import faulthandler
import functools
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from minutes_extract import batch, pipeline
from minutes_extract.cli import cli

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOOD_CORPUS = ["lithekod-styrelsemote-2013-10-23.pdf", "mlr-kdm-2019-01-29.txt",
               "mlr-kdm-2019-06-11.md"]

PAGE = (
    "Protokoll fört vid styrelsemöte 2021-03-04\n"
    "Närvarande: Anna Andersson, Erik Berg, Åsa Öberg\n"
    "§ 1 Mötets öppnande\n"
    "Ordföranden förklarade mötet öppnat.\n"
    "§ 2 Val av justerare\n"
    "Beslut: att välja Erik Berg till justerare.\n"
)


def make_pdf(pages: list[str], count: int | None = None) -> bytes:
    """A born-digital PDF with one Helvetica text page per entry; `count` overrides the page
    count its page tree claims."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", font]
    kids = []
    for text in pages:
        shown = " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*"
            for line in text.splitlines())
        stream = f"BT /F1 11 Tf 14 TL 56 780 Td {shown} ET".encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[1] = f"<< /Type /Pages /Kids [{refs}] /Count {count or len(kids)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def encrypted(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="ägare", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_xref(data: bytes) -> bytes:
    start, end = data.index(b"xref\n"), data.index(b"trailer")
    return data[:start] + b"xref\n0 9\nthis is no table\n" + data[end:]


# name -> (bytes, a word the reason must contain); None: the file imports.
@functools.cache
def bad_files() -> dict[str, tuple[bytes, str | None]]:
    good = make_pdf([PAGE, PAGE.replace("§ 1", "§ 3").replace("§ 2", "§ 4")])
    return {
        "zero-bytes.pdf": (b"", "empty"),
        "truncated.pdf": (good[: len(good) // 2], "truncated"),
        "corrupt-xref.pdf": (corrupt_xref(good), None),  # the parser rebuilds the table
        "encrypted-password.pdf": (encrypted(good, "hemligt"), "encrypted"),
        "encrypted-empty-password.pdf": (encrypted(good, ""), None),
        "blank-pages.pdf": (make_pdf(["", ""]), "text"),
        "million-pages.pdf": (make_pdf([PAGE], count=10**6), "pages"),
        "zip-named.pdf": (b"PK\x03\x04" + bytes(range(256)) * 8, "pdf"),
        "junk.txt": (bytes((i * 7919 + 13) % 256 for i in range(4096)), "binary"),
        "cp1252.txt": (PAGE.encode("cp1252"), None),
        "utf16.txt": (PAGE.encode("utf-16"), None),
        "empty.txt": (b" \n\n\t\n", "empty"),
        "no-structure.txt": ("Hej!\nVi ses på fredag, glöm inte kakorna.\n".encode(),
                             "structure"),
    }


FAILING = sorted(name for name, (_, word) in bad_files().items() if word)
IMPORTING = sorted(name for name, (_, word) in bad_files().items() if not word)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """One import of a folder holding every bad file, a symlink loop and good corpus files."""
    folder = tmp_path_factory.mktemp("inbox")
    for name, (data, _) in bad_files().items():
        (folder / name).write_bytes(data)
    good = folder / "good"
    good.mkdir()
    for name in GOOD_CORPUS:
        shutil.copy(CORPUS / name, good / name)
    os.symlink("self-loop.pdf", folder / "self-loop.pdf")
    os.symlink("..", good / "back-up")  # a folder loop: walked once, not forever
    db_path = tmp_path_factory.mktemp("db") / "minutes.db"
    result = CliRunner().invoke(
        cli, ["import", str(db_path), str(folder), "--workers", "1", "--no-progress"])
    return folder, sqlite_utils.Database(db_path), result


def test_exit_status_is_non_zero_and_summary_counts(imported):
    _, _, result = imported
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    expected_ok = len(IMPORTING) + len(GOOD_CORPUS)
    assert last.startswith(f"imported {expected_ok}, unchanged 0, failed {len(FAILING) + 1};")


def test_no_traceback_and_one_line_per_failure(imported):
    _, _, result = imported
    assert "Traceback" not in result.output + result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == len(FAILING) + 1  # the self-referencing link too


@pytest.mark.parametrize("name", FAILING)
def test_bad_file_is_reported_and_recorded(imported, name):
    folder, db, result = imported
    word = bad_files()[name][1]
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(f"error: {folder / name}: ")]
    assert len(lines) == 1, result.stderr
    assert word in lines[0].lower()
    rows = list(db["import_errors"].rows_where("file_name = ?", [name]))
    assert len(rows) == 1 and word in rows[0]["reason"].lower()
    assert rows[0]["sha256"] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    assert db["documents"].count_where("file_name = ?", [name]) == 0


@pytest.mark.parametrize("name", IMPORTING)
def test_odd_but_readable_file_imports(imported, name):
    _, db, _ = imported
    [doc] = db["documents"].rows_where("file_name = ?", [name])
    assert db["meetings"].count_where("document_id = ?", [doc["id"]]) == 1
    assert db["import_errors"].count_where("file_name = ?", [name]) == 0


@pytest.mark.parametrize("name", ["cp1252.txt", "utf16.txt", "encrypted-empty-password.pdf"])
def test_decoded_text_is_right(imported, name):
    _, db, _ = imported
    [doc] = db["documents"].rows_where("file_name = ?", [name])
    assert "Närvarande: Anna Andersson, Erik Berg, Åsa Öberg" in doc["text"]
    items = [r["number"] for r in db["items"].rows_where("document_id = ?", [doc["id"]])]
    assert items[:2] == ["1", "2"]


def test_text_without_structure_is_not_taken_for_minutes(imported):
    _, db, _ = imported
    assert db["documents"].count_where("file_name = ?", ["no-structure.txt"]) == 0
    [row] = db["import_errors"].rows_where("file_name = ?", ["no-structure.txt"])
    assert row["reason"].startswith("no minutes structure found")

def test_good_files_in_the_same_batch_all_import_once(imported):
    _, db, _ = imported
    for name in GOOD_CORPUS:
        [doc] = db["documents"].rows_where("file_name = ?", [name])
        assert doc["path"].endswith(f"/good/{name}")  # not also through good/back-up/
        assert db["items"].count_where("document_id = ?", [doc["id"]]) > 0


def test_symlink_loop_is_an_error_not_a_hang(imported):
    folder, db, result = imported
    assert f"error: {folder / 'self-loop.pdf'}: symbolic link loop" in result.stderr
    assert db["import_errors"].count_where("file_name = ?", ["self-loop.pdf"]) == 1


def test_time_limit_per_document(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "TIME_LIMIT", 0.05)
    (tmp_path / "long.pdf").write_bytes(make_pdf([PAGE] * 300))
    (tmp_path / "short.txt").write_text(PAGE, encoding="utf-8")
    db_path = tmp_path / "m.db"
    result = CliRunner().invoke(cli, ["import", str(db_path), str(tmp_path), "--workers", "1"])
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'long.pdf'}: time limit" in result.stderr
    assert sqlite_utils.Database(db_path)["documents"].count == 1


def _misbehaving_build_record(real):
    """build_record that crashes its process on files named crash*, raises on boom* and
    hangs on hang*; a forked worker inherits it."""

    def build_record(source):
        name = source.path.name
        if name.startswith("crash"):
            faulthandler.disable()  # pytest's handler would print the dying worker's stack
            os.kill(os.getpid(), signal.SIGSEGV)
        if name.startswith("boom"):
            raise RuntimeError("unexpected state\nsecond line")
        if name.startswith("hang"):
            time.sleep(60)
        return real(source)

    return build_record


@pytest.mark.parametrize("workers", ["1", "2"])
def test_worker_crash_costs_only_its_file(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(batch, "START_METHOD", "fork")
    monkeypatch.setattr(batch, "HARD_LIMIT", 3.0)
    monkeypatch.setattr(pipeline, "build_record", _misbehaving_build_record(pipeline.build_record))
    for name in ("a.txt", "boom.txt", "crash.txt", "hang.txt", "z.txt"):
        (tmp_path / name).write_text(PAGE + name, encoding="utf-8")
    db_path = tmp_path / "m.db"
    result = CliRunner().invoke(cli, ["import", str(db_path), str(tmp_path), "--workers", workers])
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    errors = sorted(ln for ln in result.stderr.splitlines() if ln.startswith("error: "))
    assert errors == [
        f"error: {tmp_path / 'boom.txt'}: extraction failed (RuntimeError: unexpected state)",
        f"error: {tmp_path / 'crash.txt'}: worker process died (killed by SIGSEGV)",
        f"error: {tmp_path / 'hang.txt'}: time limit exceeded (3 s)",
    ]
    db = sqlite_utils.Database(db_path)
    assert sorted(r["file_name"] for r in db["documents"].rows) == ["a.txt", "z.txt"]
    assert db["import_errors"].count == 3


def test_unreadable_file_and_folder(tmp_path, unprivileged):
    inbox = tmp_path / "inbox"
    locked = inbox / "locked"
    locked.mkdir(parents=True)
    (locked / "inside.txt").write_text(PAGE, encoding="utf-8")
    secret = inbox / "secret.txt"
    secret.write_text(PAGE, encoding="utf-8")
    secret.chmod(0)
    locked.chmod(0)
    db_path = tmp_path / "m.db"
    try:
        proc = subprocess.run(
            [*unprivileged, sys.executable, "-c",
             "from minutes_extract.cli import cli; cli()", "import", str(db_path), str(inbox)],
            check=False, capture_output=True, text=True, timeout=120)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1
    assert f"error: {secret}: permission denied" in proc.stderr.splitlines()
    assert f"error: {locked}: permission denied" in proc.stderr.splitlines()
    assert "Traceback" not in proc.stderr
    db = sqlite_utils.Database(db_path)
    assert {r["file_name"] for r in db["import_errors"].rows} == {"secret.txt", "locked"}


# ---- hostile names, links and special files ------------------------------------------------

def test_non_utf8_and_newline_file_names_among_good_files_import_with_one_escaped_line_each(
        tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD_CORPUS[1], folder / "good.txt")
    shutil.copy(CORPUS / GOOD_CORPUS[2], os.fsdecode(bytes(folder) + b"/latin1-\xe5r.md"))
    shutil.copy(CORPUS / GOOD_CORPUS[2], folder / "two\nlines.txt")
    (folder / "forged\nerror: all good\x1b[2K.txt").write_bytes(b"\x00\x01" * 64)
    db_path = tmp_path / "m.db"
    result = CliRunner().invoke(cli, ["import", str(db_path), str(folder), "--no-progress"])
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:-1] == [
        f"error: {folder}/forged\\nerror: all good\\x1b[2K.txt: not text: binary content"]
    db = sqlite_utils.Database(db_path)
    assert sorted(r["file_name"] for r in db["documents"].rows) == [
        "good.txt", "latin1-\\xe5r.md"]  # the newline name holds the same bytes as the second
    assert result.stderr.splitlines()[-1].startswith("imported 2, unchanged 1, failed 1;")
    # The next run finds the same names: nothing new, nothing read again.
    again = CliRunner().invoke(cli, ["import", str(db_path), str(folder), "--no-progress"])
    assert again.exit_code == 0
    assert again.stderr.splitlines() == [
        again.stderr.splitlines()[0]]
    assert again.stderr.startswith("imported 0, unchanged 3, failed 0;")


def test_symlinks_out_of_the_folder_given_are_not_followed(tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    shutil.copy(CORPUS / GOOD_CORPUS[1], private / "diary.txt")
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(CORPUS / GOOD_CORPUS[2], folder / "sub" / "minutes.md")
    os.symlink(private / "diary.txt", folder / "linked.txt")
    os.symlink("/", folder / "root")
    os.symlink("sub/minutes.md", folder / "inside.md")  # stays inside: the same file
    db_path = tmp_path / "m.db"
    result = CliRunner().invoke(cli, ["import", str(db_path), str(folder), "--no-progress"])
    assert result.exit_code == 0
    assert [r["file_name"] for r in sqlite_utils.Database(db_path)["documents"].rows] == [
        "inside.md"]
    note = "symbolic link out of the folders given (--follow-links to follow it)"
    assert result.stderr.splitlines()[:-1] == [
        f"skipped: {folder / 'linked.txt'}: {note}", f"skipped: {folder / 'root'}: {note}"]
    # Asked for, the link is followed.
    followed = CliRunner().invoke(cli, ["import", str(db_path), str(folder / "linked.txt")])
    assert followed.exit_code == 0
    assert sqlite_utils.Database(db_path)["documents"].count == 2


def test_fifo_and_device_are_not_read(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    shutil.copy(CORPUS / GOOD_CORPUS[1], folder / "good.txt")
    db_path = tmp_path / "m.db"
    args = ["import", str(db_path), str(folder), "/dev/zero", "--no-progress"]
    proc = subprocess.run([sys.executable, "-c", "from minutes_extract.cli import cli; cli()",
                           *args], capture_output=True, text=True, timeout=120, check=False)
    assert proc.stderr.splitlines()[:-1] == [
        f"skipped: {folder / 'pipe.txt'}: not a regular file (FIFO)",
        "error: /dev/zero: not a regular file (character device)"]
    assert [r["file_name"] for r in sqlite_utils.Database(db_path)["documents"].rows] == [
        "good.txt"]


# ---- identical files -----------------------------------------------------------------------

def test_identical_failing_files_each_report_their_failure(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(bad_files()["junk.txt"][0])
    db_path = tmp_path / "m.db"
    result = CliRunner().invoke(cli, ["import", str(db_path), str(folder), "--no-progress"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:-1] == [
        f"error: {folder / 'a.txt'}: not text: binary content",
        f"error: {folder / 'b.txt'}: not text: binary content"]
    assert result.stderr.splitlines()[-1].startswith("imported 0, unchanged 0, failed 2;")
    assert sqlite_utils.Database(db_path)["import_errors"].count == 2


def test_two_identical_files_one_later_edited_keep_the_shared_document(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(CORPUS / GOOD_CORPUS[1], folder / name)
    db_path = tmp_path / "m.db"
    run = ["import", str(db_path), str(folder), "--no-progress", "--workers", "1"]
    assert CliRunner().invoke(cli, run).exit_code == 0
    db = sqlite_utils.Database(db_path)
    [shared] = db["documents"].rows
    # Edit whichever file the shared document names (its path is stored below the folder
    # given, starting with the folder's name); the other still holds its bytes.
    edited = tmp_path / shared["path"]
    other = folder / ("b.txt" if edited.name == "a.txt" else "a.txt")
    with open(edited, "a", encoding="utf-8") as fh:
        fh.write("\nTillägg efter justering.\n")
    result = CliRunner().invoke(cli, run)
    assert result.exit_code == 0, result.stderr
    paths = {r["id"]: r["path"] for r in db["documents"].rows}
    assert paths[shared["id"]] == f"inbox/{other.name}"
    assert sorted(paths.values()) == ["inbox/a.txt", "inbox/b.txt"]
    assert db["meetings"].count == 2
