"""Faults of the machine and of the database during `minutes-extract import`: a full disk,
a second import, a read-only or damaged database, a worker out of time or memory. None ends
in a traceback or loses a file; a transient fault is not remembered against the file."""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from minutes_extract import pipeline, store
from minutes_extract.cli import cli

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXTS = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))[:8]
# A file that fails for its own bytes: a PDF cut off after its header.
BROKEN = "zz-broken.pdf"  # after the texts, so the full disk stops the run before it
COMMAND = [sys.executable, "-c", "from minutes_extract.cli import cli; cli()"]


def inbox(tmp_path: Path, names=TEXTS, folder="inbox") -> Path:
    path = tmp_path / folder
    path.mkdir()
    for name in names:
        shutil.copy(CORPUS / name, path / name)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *map(str, args), "--no-progress"])


def documents(db_path: Path) -> set[str]:
    return {r["file_name"] for r in sqlite_utils.Database(db_path)["documents"].rows}


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr
    return lines[0] if len(lines) == 1 else lines


# ---- a full disk ---------------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(tmp_path: Path, kilobytes: int):
    """A tmpfs of `kilobytes`, yielding (folder, grow), where grow(kilobytes) makes room."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs",
                              str(folder)], capture_output=True, check=False).returncode == 0
    if not mounted:
        pytest.skip("cannot mount a tmpfs here (needs root)")

    def grow(size: int) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}k", str(folder)], check=True)

    try:
        yield folder, grow
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


# Documents committed one by one, and many to a transaction (which then fails whole): the
# disk is made small enough to fill up in the middle of either.
@pytest.mark.parametrize(("per_transaction", "kilobytes"), [(1, 1200), (200, 700)])
def test_disk_full_stops_with_one_line_and_after_room_is_made_every_file_imports(
        tmp_path, monkeypatch, per_transaction, kilobytes):
    from minutes_extract import batch

    monkeypatch.setattr(batch, "COMMIT_DOCUMENTS", per_transaction)
    files = inbox(tmp_path, TEXTS)
    (files / BROKEN).write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<")
    with small_disk(tmp_path, kilobytes) as (disk, grow):
        db_path = disk / "minutes.db"
        full = run(db_path, files, "--workers", "1")
        assert full.exit_code == 1
        assert "Traceback" not in full.stderr
        stop = [ln for ln in full.stderr.splitlines() if ln.startswith("error: database")]
        assert stop == [f"error: database {db_path}: disk full (database or disk is full); "
                        "import stopped (nothing is recorded against the files it was writing)"]
        assert full.stderr.strip().splitlines()[-1].startswith("stopped: imported ")
        stored = documents(db_path)
        assert len(stored) < len(TEXTS)
        assert sqlite_utils.Database(db_path).execute("pragma integrity_check").fetchone()[0] == "ok"
        # A failure is recorded when it comes, outside the transaction that fills with
        # documents: with room left for its row it is kept by the first run.
        kept = [r["file_name"] for r in sqlite_utils.Database(db_path)["import_errors"].rows]
        grow(64 * 1024)
        again = run(db_path, files, "--workers", "1")
        assert documents(db_path) == set(TEXTS)
        # The broken PDF failed for its own bytes: recorded once, in the run that had room.
        db = sqlite_utils.Database(db_path)
        assert [r["file_name"] for r in db["import_errors"].rows] == [BROKEN]
        failed = "failed 0" if kept == [BROKEN] else "failed 1"
        assert again.stderr.strip().splitlines()[-1].startswith(
            f"imported {len(TEXTS) - len(stored)}, unchanged {len(stored)}, {failed};")


def test_failure_while_recording_a_failure_stops_with_one_line(tmp_path, monkeypatch):
    from minutes_extract.ingest import IngestError

    files = inbox(tmp_path, TEXTS[:1])
    with small_disk(tmp_path, 2048) as (disk, _):
        real = pipeline.build_record

        def fill_disk_then_fail(source):
            if source.path.name != TEXTS[0]:
                return real(source)
            # While the worker reads the file, the disk fills up: no room for the error row.
            with open(disk / "filler", "wb", buffering=0) as fh:
                with contextlib.suppress(OSError):
                    while True:
                        fh.write(b"\0" * 4096)
            raise IngestError(source.path, "no minutes structure found")

        monkeypatch.setattr(pipeline, "build_record", fill_disk_then_fail)
        db_path = disk / "minutes.db"
        result = run(db_path, files, "--workers", "1")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"error: {files / TEXTS[0]}: no minutes structure found",
        f"error: database {db_path}: disk full (database or disk is full); import stopped "
        "(nothing is recorded against the files it was writing)",
        result.stderr.splitlines()[2]]
    assert result.stderr.splitlines()[2].startswith("stopped: imported 0, unchanged 0, failed 1;")


# ---- transient failures --------------------------------------------------------------------

def _fails_once(real, marker: Path, error: BaseException):
    def build_record(source):
        if source.path.name == TEXTS[0] and not marker.exists():
            marker.touch()
            raise error
        return real(source)

    return build_record


@pytest.mark.parametrize("error, reason", [(MemoryError(), "out of memory")])
def test_transient_failure_is_not_remembered_and_the_next_run_reads_the_file(
        tmp_path, monkeypatch, error, reason):
    files = inbox(tmp_path, TEXTS[:1])
    db_path = tmp_path / "m.db"
    monkeypatch.setattr(pipeline, "build_record",
                        _fails_once(pipeline.build_record, tmp_path / "failed-once", error))
    first = run(db_path, files, "--workers", "1")
    assert first.exit_code == 1
    assert f"error: {files / TEXTS[0]}: {reason}" in first.stderr
    [row] = sqlite_utils.Database(db_path)["import_errors"].rows
    assert (row["reason"], row["sha256"]) == (reason, None)  # not kept against the bytes
    second = run(db_path, files, "--workers", "1")
    assert second.exit_code == 0, second.stderr
    assert documents(db_path) == {TEXTS[0]}
    assert sqlite_utils.Database(db_path)["import_errors"].count == 0


def test_the_same_transient_failure_again_is_read_again_but_not_new(tmp_path, monkeypatch):
    files = inbox(tmp_path, TEXTS[:2])
    real = pipeline.build_record
    reads = tmp_path / "reads"

    def always_out_of_memory(source):
        if source.path.name == TEXTS[0]:
            with open(reads, "a") as fh:
                fh.write("x")
            raise MemoryError
        return real(source)

    monkeypatch.setattr(pipeline, "build_record", always_out_of_memory)
    db_path = tmp_path / "m.db"
    assert run(db_path, files, "--workers", "1").exit_code == 1
    second = run(db_path, files, "--workers", "1")
    assert reads.read_text() == "xx"  # read in both runs
    assert second.exit_code == 0
    assert second.stderr.strip().splitlines()[-1].startswith(
        "imported 0, unchanged 1, failed 1 (0 new);")


def test_worker_time_limit_is_transient(tmp_path, monkeypatch):
    from minutes_extract import batch

    files = inbox(tmp_path, TEXTS[:1])
    db_path = tmp_path / "m.db"
    monkeypatch.setattr(batch, "HARD_LIMIT", 1.0)
    slow = pipeline.build_record

    def sleepy(source):
        if source.path.name == TEXTS[0] and not (tmp_path / "slept").exists():
            (tmp_path / "slept").touch()
            time.sleep(30)
        return slow(source)

    monkeypatch.setattr(pipeline, "build_record", sleepy)
    first = run(db_path, files, "--workers", "1")
    assert f"error: {files / TEXTS[0]}: time limit exceeded (1 s)" in first.stderr
    assert run(db_path, files, "--workers", "1").exit_code == 0
    assert documents(db_path) == {TEXTS[0]}


def test_worker_memory_is_capped_also_with_one_worker(tmp_path, monkeypatch):
    from minutes_extract import batch

    files = inbox(tmp_path, TEXTS[:2])
    monkeypatch.setattr(batch, "WORKER_MEMORY", 256 * 1024**2)
    real = pipeline.build_record

    def greedy(source):
        if source.path.name == TEXTS[0]:
            blocks = [bytearray(64 * 1024**2) for _ in range(64)]  # 4 GB
            del blocks
        return real(source)

    monkeypatch.setattr(pipeline, "build_record", greedy)
    db_path = tmp_path / "m.db"
    result = run(db_path, files, "--workers", "1")
    assert f"error: {files / TEXTS[0]}: out of memory" in result.stderr
    assert documents(db_path) == {TEXTS[1]}


# ---- two imports at once -------------------------------------------------------------------

def test_two_concurrent_imports_into_one_database_both_finish_and_nothing_is_lost(tmp_path):
    first = inbox(tmp_path, TEXTS[:5], "first")
    second = inbox(tmp_path, TEXTS[3:], "second")  # two files in both
    db_path = tmp_path / "m.db"
    procs = [subprocess.Popen([*COMMAND, "import", str(db_path), str(folder), "--workers", "1"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for folder in (first, second)]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "locked" not in err
    assert documents(db_path) == set(TEXTS)
    db = sqlite_utils.Database(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db["import_errors"].count == 0


# ---- unusable databases --------------------------------------------------------------------

def test_read_only_database_is_one_line(tmp_path, unprivileged):
    files = inbox(tmp_path, TEXTS[:2])
    db_path = tmp_path / "m.db"
    assert run(db_path, files / TEXTS[0], "--workers", "1").exit_code == 0
    sqlite_utils.Database(db_path).execute("pragma wal_checkpoint(truncate)")
    before = db_path.read_bytes()
    db_path.chmod(0o444)
    proc = subprocess.run([*unprivileged, *COMMAND, "import", str(db_path),
                           str(files)], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        f"error: {db_path}: read-only (attempt to write a readonly database)")
    assert db_path.read_bytes() == before


def _zero_a_page(db_path: Path) -> bytes:
    db = sqlite_utils.Database(db_path)
    page = db.execute("pragma page_size").fetchone()[0]
    db.execute("pragma wal_checkpoint(truncate)")
    db.close()
    data = bytearray(db_path.read_bytes())
    middle = len(data) // page // 2
    data[middle * page:(middle + 1) * page] = bytes(page)
    db_path.write_bytes(bytes(data))
    return bytes(data)


def test_database_locked_by_another_writer_is_one_line(tmp_path, monkeypatch):
    files = inbox(tmp_path, TEXTS[:1])
    db_path = tmp_path / "m.db"
    store.open_db(db_path).close()
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.2)
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    try:
        result = run(db_path, files)
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        f"error: {db_path}: locked by another process (database is locked)")


def test_database_with_a_zeroed_page_is_refused_and_not_written(tmp_path):
    files = inbox(tmp_path, TEXTS[:4])
    db_path = tmp_path / "m.db"
    assert run(db_path, files, "--workers", "1").exit_code == 0
    damaged = _zero_a_page(db_path)
    result = run(db_path, files, "--workers", "1", "--force")
    assert result.exit_code == 2
    assert one_line(result.stderr).startswith(f"error: {db_path}: corrupt database (")
    assert db_path.read_bytes() == damaged
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0


@pytest.mark.parametrize("command", ["import", "errors"])
def test_file_that_is_not_a_database_is_one_line(tmp_path, command):
    files = inbox(tmp_path, TEXTS[:1])
    db_path = tmp_path / "notes.db"
    db_path.write_bytes(b"Protokoll " * 500)
    args = [command, str(db_path)] + ([str(files)] if command == "import" else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        f"error: {db_path}: not a SQLite database (file is not a database)")
    assert db_path.read_bytes() == b"Protokoll " * 500


def test_database_path_that_cannot_be_opened_is_one_line(tmp_path):
    files = inbox(tmp_path, TEXTS[:1])
    for db_path, reason in ((tmp_path / "missing" / "m.db",
                             "cannot be opened (unable to open database file)"),
                            (files, "is a folder, not a database file")):
        result = run(db_path, files)
        assert result.exit_code == 2
        assert one_line(result.stderr) == f"error: {db_path}: {reason}"


def test_database_errors_are_classified_by_sqlite_result_code():
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    assert store.database_reason(full) == "disk full (database or disk is full)"
    constraint = sqlite3.IntegrityError("UNIQUE constraint failed: items.id")
    constraint.sqlite_errorcode = sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
    assert store.database_reason(constraint) is None  # a defect met on one document


def test_ctrl_c_prints_the_summary_of_what_was_done(tmp_path):
    files = inbox(tmp_path, TEXTS)
    total = len(TEXTS)
    db_path = tmp_path / "m.db"
    commits = tmp_path / "commits"
    # One document to a transaction, a mark in `commits` after each commit and a pause, so
    # that the interruption comes between commits however fast the machine reads the files.
    one_by_one = [sys.executable, "-c", "import sys, time, minutes_extract.batch as b; "
                  "b.COMMIT_DOCUMENTS = 1; flush = b.Writer.flush; mark = sys.argv.pop(1); "
                  "b.Writer.flush = lambda self: (flush(self), open(mark, 'a').write('x'), "
                  "time.sleep(0.3)); from minutes_extract.cli import cli; cli()", str(commits)]
    # Ctrl-C as a terminal delivers it, whatever the test process inherited.
    proc = subprocess.Popen([*one_by_one, "import", str(db_path), str(files), "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if commits.exists() and len(commits.read_text()) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    done = _committed(db_path)
    assert 2 <= done < total, "the import ended before it could be interrupted"
    assert last.startswith(f"interrupted: imported {done}, unchanged 0, failed 0;")


def _committed(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def glyph_bomb(glyphs: int) -> bytes:
    """A PDF of a few kilobytes whose one page draws `glyphs` characters (a compressed
    content stream): cheap to store, ruinous to lay out."""
    import zlib

    line = b"(" + b"x" * 1000 + b") Tj "
    content = zlib.compress(b"BT /F1 1 Tf 0 0 Td " + line * (glyphs // 1000) + b"ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(content), content),
    ]
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


def test_pdf_with_six_million_glyphs_costs_only_its_file_also_with_one_worker(
        tmp_path, monkeypatch):
    from minutes_extract import batch

    files = inbox(tmp_path, TEXTS[:1])
    (files / "glyphs.pdf").write_bytes(glyph_bomb(6_000_000))
    assert (files / "glyphs.pdf").stat().st_size < 40_000
    monkeypatch.setattr(batch, "WORKER_MEMORY", 256 * 1024**2)
    db_path = tmp_path / "m.db"
    result = run(db_path, files, "--workers", "1")
    assert "Traceback" not in result.stderr
    *errors, last = result.stderr.strip().splitlines()
    assert [line.startswith(f"error: {files / 'glyphs.pdf'}: ") for line in errors] == [True]
    assert last.startswith("imported 1, unchanged 0, failed 1;")
    assert documents(db_path) == {TEXTS[0]}


def _open_and_close(path, results, start):
    start.wait(timeout=60)
    try:
        store.open_db(path).close()
        results.put("ok")
    except store.DatabaseError as exc:
        results.put(str(exc))


def test_two_processes_creating_one_database_at_once_both_open_it(tmp_path):
    # Both switch the new file to WAL at the same moment; SQLite answers the loser
    # "database is locked" at once rather than after the busy timeout.
    context = multiprocessing.get_context("fork")
    failures = []
    for attempt in range(30):
        path = tmp_path / f"m{attempt}.db"
        results, start = context.Queue(), context.Barrier(2)
        procs = [context.Process(target=_open_and_close, args=(path, results, start))
                 for _ in range(2)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=120)
        failures += [r for r in (results.get(timeout=5) for _ in procs) if r != "ok"]
    assert failures == []
