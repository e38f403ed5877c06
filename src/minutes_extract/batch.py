"""`import` over files and folders.

The main process finds the files and hashes each one (a file whose path, size and
modification time are those it had when last hashed keeps its hash without being read);
files already stored by the same pipeline version are unchanged, and files whose own bytes
failed before are counted as known failures, neither read again. Worker processes, always at
least one and each with a memory cap, extract the rest; the main process alone writes, many
documents to a transaction (each in its own savepoint) as results arrive, so a killed import
leaves whole documents only and the next run picks up where it stopped. A file that cannot be read, or that crashes or hangs its worker, costs that
file only: it gets one line on standard error and a row in `import_errors`, and the batch
goes on. A fault of the database itself (disk full, read-only, locked, corrupt) stops the
import with one line: nothing is remembered against the files it was writing.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import multiprocessing
import os
import re
import resource
import signal
import sqlite3
import stat
import sys
import time
from dataclasses import dataclass, field, replace
from multiprocessing import connection
from pathlib import Path, PurePosixPath

from . import rules
from .paths import shown
from .progress import Progress

SUFFIXES = frozenset({".pdf", ".txt", ".md", ".markdown", ".docx", ".html", ".htm"})
# Files that describe a folder of minutes rather than hold minutes; skipped inside folders.
DOCUMENTATION_STEMS = frozenset({"README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG",
                                 "MANIFEST", "CONTRIBUTING", "NOTICE"})

# Bounds on one document, set to what the pipeline can finish: reading a PDF runs at 4 to
# 30 pages a second on one core (dense pages the slowest), so 1,000 pages fit in the time
# limit with room for a busy machine; a text file is limited in ingest rules (5 MB, about
# 1,700 pages of text: 2 MB take about 25 CPU seconds and 400 MB). Reading checks the page
# count and its deadline between pages; a worker still busy at HARD_LIMIT (one page that
# never ends) is killed.
MAX_PAGES = 1000
TIME_LIMIT = 300.0
HARD_LIMIT = 2 * TIME_LIMIT


def hard_limit(found: Found) -> float:
    """Seconds a worker may spend on one file before it is killed: HARD_LIMIT, and for a PDF
    the time reading gives each page it reads by OCR on top of its deadline, for every page
    it may have (a scan of 300 pages takes about 20 minutes)."""
    if found.path.suffix.lower() != ".pdf":
        return HARD_LIMIT
    return HARD_LIMIT + rules.load("ingest")["ocr"]["page_seconds"] * found.pages


# Memory a worker may add to what it had at start (address space, RLIMIT_AS): a document
# that asks for more fails with "out of memory" in its worker instead of drawing the
# machine into swap or taking the import down.
WORKER_MEMORY = 1024**3

# Workers are forked from a main process that has loaded the pipeline once: they start
# warm and share its pages, where "forkserver" and "spawn" load the pipeline in every
# worker (`bench/run.py --start-methods` compares them).
START_METHOD = "fork"

HASH_CHUNK = 1 << 20

# A transaction takes the documents extracted until it holds this many, or until the first
# of them has waited this long: few enough that a stopped import loses little work and a
# second writer or a reader waits briefly, many enough that a commit's cost is shared.
COMMIT_DOCUMENTS = 200
COMMIT_SECONDS = 5.0
COMMIT_CHARS = 50_000_000  # text held in memory while a transaction fills
# A bulk import (see `run_import`) builds the search indexes once at its end; chosen by
# itself when it brings at least this many documents and at least as many as the database
# holds already.
BULK_DOCUMENTS = 500

# Failures that say nothing about the file's bytes: the next run tries the file again.
TRANSIENT = ("out of memory", "time limit exceeded", "worker process died")


def is_transient(reason: str) -> bool:
    return reason.startswith(TRANSIENT)


@dataclass
class Summary:
    imported: int = 0
    skipped: int = 0  # unchanged: the same bytes are stored by the same pipeline version
    failed: int = 0  # read in this run and failed
    new_failures: int = 0  # of those, files that had not failed with these bytes before
    known_failures: int = 0  # failed before with the same bytes: not read again
    pages: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # skipped, not failed
    interrupted: bool = False
    stopped: str | None = None  # why the database could not be written

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def exit_status(self) -> int:
        """1 when a file failed for the first time or the import could not finish, else 0."""
        return 1 if self.new_failures or self.stopped or self.interrupted else 0

    def line(self) -> str:
        again = self.failed - self.new_failures
        failed = f"{self.failed} ({self.new_failures} new)" if again else f"{self.failed}"
        text = (f"imported {self.imported}, unchanged {self.skipped}, failed {failed}; "
                f"{self.pages} pages in {self.seconds:.1f} s "
                f"({self.pages_per_second:.1f} pages/s)")
        if self.known_failures:
            text += (f"; {self.known_failures} known failure"
                     f"{'s' if self.known_failures != 1 else ''} not read again")
        if self.stopped:
            text = "stopped: " + text
        elif self.interrupted:
            text = "interrupted: " + text
        return text

    def as_dict(self) -> dict:
        return {
            "imported": self.imported, "unchanged": self.skipped, "failed": self.failed,
            "new_failures": self.new_failures, "known_failures": self.known_failures,
            "pages": self.pages, "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted, "stopped": self.stopped,
            "errors": [{"path": p, "reason": r} for p, r in self.errors],
            "skipped": [{"path": p, "reason": r} for p, r in self.notes],
        }


def stored_path(path: Path, root: Path | None = None) -> str:
    """The path kept in the database: below the folder given to `import`, starting with that
    folder's name ("corpus/2019/ks.pdf"); a file given by itself counts as given with its
    folder. No absolute path of the importing machine goes into a database that may be
    published, and a run from another folder stores the same path."""
    root = path.parent if root is None else root
    below = Path(os.path.relpath(path, root)).parts
    return PurePosixPath(Path(os.path.abspath(root)).name, *below).as_posix()


@dataclass(frozen=True)
class Found:
    path: Path  # as reached from the command line: opened by the worker
    size: int
    mtime_ns: int = 0
    sha256: str | None = None  # once hashed
    root: Path | None = None  # the folder given on the command line it was found in
    pages: int = 1  # estimated from the bytes, for the progress bar

    @property
    def source(self) -> str:
        """Where the file is read from: absolute, so a worker does not depend on the folder."""
        return os.path.abspath(self.path)

    @property
    def shown(self) -> str:
        """The path in messages: one printable line whatever bytes the name holds."""
        return shown(self.path)

    @property
    def stored(self) -> str:
        """The path kept in the database: below the folder given to `import` (see
        `stored_path`), and printable (see `paths.shown`)."""
        return shown(stored_path(self.path, self.root))


@dataclass
class Outcome:
    """What extracting one file gave: plain data, so it crosses from a worker by pickle."""

    record: object = None  # MinutesRecord
    text: str = ""
    metadata: dict = field(default_factory=dict)
    pages: int = 0
    error: str | None = None


# ---- finding files ---------------------------------------------------------------------------

class Shown(str):
    """A path as shown in messages that also knows the path it is stored under (below the
    folder given to `import`), which its own string cannot tell."""

    stored: str

    def __new__(cls, path: Path, root: Path | None = None) -> Shown:
        self = super().__new__(cls, shown(path))
        self.stored = shown(stored_path(path, root))
        return self


def discover(paths, patterns=(), *, follow_links: bool = False
             ) -> tuple[list[Found], list[tuple[str, str]], list[tuple[str, str]]]:
    """Files to import under `paths`; (path, reason) for what could not be looked at; and
    (path, reason) for what was passed over on purpose.

    Folders are walked recursively, each real folder once. A symbolic link is followed only
    while it stays inside the folders given (unless `follow_links`): a link to a private
    file or to / must not carry the import out of them. Only regular files are read: a FIFO
    or a device would hang the import. Hidden entries are passed over (editor lock files,
    macOS resource forks). A file named on the command line is taken whatever its name;
    inside folders only supported suffixes matching one of `patterns` (if any)."""
    files: list[Found] = []
    problems: list[tuple[str, str]] = []
    passed: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()

    def take(path: Path, st: os.stat_result, root: Path | None = None) -> None:
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            files.append(Found(path, st.st_size, st.st_mtime_ns, root=root))

    roots = []
    for arg in paths:
        try:
            if Path(arg).is_dir():
                roots.append(os.path.realpath(arg))
        except OSError:
            pass
    for arg in paths:
        path = Path(arg)
        try:
            st = path.stat()
        except OSError as exc:
            problems.append((Shown(path), os_reason(path, exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(path, patterns, take, problems, passed, seen,
                  None if follow_links else roots)
        elif stat.S_ISREG(st.st_mode):
            take(path, st)
        else:
            problems.append((Shown(path), f"not a regular file ({file_kind(st)})"))
    return files, problems, passed


def _inside(real: str, roots) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _walk(root: Path, patterns, take, problems, passed, seen, roots) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append((Shown(folder, root), os_reason(folder, exc)))
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                st = path.stat()
            except OSError as exc:
                # A dangling or looping link is worth a word only where a document was expected.
                if wanted(path, root, patterns):
                    problems.append((Shown(path, root), os_reason(path, exc)))
                continue
            if roots is not None and entry.is_symlink() and not _inside(
                    os.path.realpath(path), roots):
                if stat.S_ISDIR(st.st_mode) or wanted(path, root, patterns):
                    passed.append((shown(path), "symbolic link out of the folders given "
                                                "(--follow-links to follow it)"))
                continue
            if stat.S_ISDIR(st.st_mode):
                folders.append(path)
            elif wanted(path, root, patterns):
                if stat.S_ISREG(st.st_mode):
                    take(path, st, root)
                else:
                    passed.append((shown(path), f"not a regular file ({file_kind(st)})"))
        stack.extend(reversed(folders))


def file_kind(st: os.stat_result) -> str:
    mode = st.st_mode
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def wanted(path: Path, root: Path, patterns) -> bool:
    """A supported suffix and, when patterns are given, a match on the name or (for a
    pattern with a slash) on the path below the folder walked; case does not matter.
    A collection's own documentation (README.md, LICENSE.txt) is not minutes, nor the lock
    file Word keeps beside a document it has open ("~$otokoll.docx")."""
    if (path.suffix.lower() not in SUFFIXES or path.stem.upper() in DOCUMENTATION_STEMS
            or path.name.startswith("~$")):
        return False
    if not patterns:
        return True
    name = path.name.lower()
    below = path.relative_to(root).as_posix().lower()
    return any(fnmatch.fnmatchcase(below if "/" in p else name, p.lower()) for p in patterns)


def os_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link" if path.is_symlink() else "not found"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (exc.strerror or type(exc).__name__).lower()


class NotRegular(OSError):
    """A path that turned out not to be a regular file when opened."""


# A page object in a PDF ("/Type /Page", not "/Pages"); counted in the bytes while hashing,
# a cheap estimate that needs no PDF parser in the main process.
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
# Characters of text that make about one printed page, for the same estimate.
TEXT_PAGE_BYTES = 3000
PDF_PAGE_BYTES = 50_000


def hash_and_pages(path: Path) -> tuple[str, int]:
    """The sha256 of the file's bytes and an estimate of its pages."""
    return hash_file(path)[:2]


def hash_file(path: Path) -> tuple[str, int, int, int]:
    """The sha256 of the file's bytes, an estimate of its pages, and its size and
    modification time as they were when it was opened. Opened without blocking and checked
    to be a regular file, so a FIFO swapped in cannot hang the import."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, f"not a regular file ({file_kind(st)})")
        pdf = path.suffix.lower() == ".pdf"
        pages = 0
        tail = b""
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
            if pdf:
                # A match inside the tail was counted with the chunk before.
                pages += len(_PDF_PAGE.findall(tail + chunk)) - len(_PDF_PAGE.findall(tail))
                tail = chunk[-32:]
    size = st.st_size
    if not pdf or pages <= 0:
        pages = size // (PDF_PAGE_BYTES if pdf else TEXT_PAGE_BYTES)
    return digest.hexdigest(), max(1, pages), size, st.st_mtime_ns


# ---- extracting one file -----------------------------------------------------------------------

def extract(path: str) -> Outcome:
    """Read and extract one file; every failure becomes a one-line reason."""
    from . import pipeline
    from .errors import ExtractionError
    from .ingest import load

    try:
        source = load(path, max_pages=MAX_PAGES, timeout=TIME_LIMIT)
        record = pipeline.build_record(source)
        # The name as it can be printed and stored, whatever bytes it holds.
        record.source = record.document.file_name = shown(Path(path).name)
    except ExtractionError as exc:
        return Outcome(error=getattr(exc, "reason", None) or str(exc))
    except MemoryError:
        return Outcome(error="out of memory")
    except Exception as exc:  # noqa: BLE001 - a defect met on one file must not stop the batch
        return Outcome(error=f"extraction failed ({type(exc).__name__}: {_first_line(exc)})")
    return Outcome(record, source.text, source.metadata, len(source.pages))


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else ""


WARM_UP_TEXT = (
    "Protokoll fört vid styrelsemöte 2020-01-15 kl. 18.00\n"
    "Närvarande: Anna Andersson, ordförande, Lunds kommun\n"
    "§ 1 Mötets öppnande\nBeslut: att förklara mötet öppnat.\n"
)


def warm_up() -> None:
    """Load the spaCy pipeline, rules and date grammar before the first real document."""
    from .ingest import Page, Source
    from .pipeline import build_record

    text = WARM_UP_TEXT
    try:
        build_record(Source(Path("warm-up.txt"), "txt", text, [Page(1, 0, len(text))], "0" * 64))
    except Exception:  # noqa: BLE001, S110 - the first real document will report it
        pass
    # The OCR engine too: loaded before a worker's memory cap, its libraries and models are
    # shared pages, not counted against the cap of every worker that reads a scan (without
    # the NER model loaded beside it, loading it in the worker passed the cap).
    try:
        from . import config, ocr

        ocr.check(config.ocr_engine())
    except Exception:  # noqa: BLE001, S110 - a scan will report a missing engine
        pass


# ---- worker processes --------------------------------------------------------------------------

_READY = "ready"


def _serve(conn, warm: bool) -> None:
    """A worker's life: warm up, then extract one path at a time until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _quiet_stderr()
    _die_with_parent()
    _limit_memory()
    if warm:
        warm_up()
    conn.send(_READY)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        conn.send(extract(path))


def _quiet_stderr() -> None:
    """Send what a worker's libraries print to standard error (a dying interpreter's "Fatal
    Python error", parser warnings) nowhere: the import reports each file in one line."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _limit_memory() -> None:
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * resource.getpagesize()
        limit = mapped + WORKER_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass  # no /proc, or a lower hard limit already in force


def _die_with_parent() -> None:
    """Have the kernel kill this worker when the import dies: a forked worker also holds the
    other workers' pipe ends, so none of them would otherwise see the import go."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


class _Worker:
    def __init__(self, context, warm: bool):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, warm), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.task: Found | None = None
        self.since = 0.0

    def send(self, task: Found) -> None:
        self.task, self.since = task, time.monotonic()
        self.conn.send(task.source)

    def stop(self) -> None:
        """Let an idle worker finish; a busy one (the import was interrupted) is killed."""
        if self.task is None:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class Pool:
    """Worker processes that each extract one file at a time.

    Unlike concurrent.futures, it knows which file a worker held when it died, so a crash
    costs that file alone, and it can kill a worker stuck on one file."""

    def __init__(self, size: int, method: str | None = None):
        # START_METHOD read when the pool starts, so a caller (the bench) may change it.
        method = method or START_METHOD
        self.context = multiprocessing.get_context(method)
        self.warm_each = method != "fork"
        if not self.warm_each:
            warm_up()
        self.workers = [_Worker(self.context, self.warm_each) for _ in range(size)]

    @property
    def busy(self) -> int:
        return sum(1 for w in self.workers if w.task is not None)

    def idle(self) -> _Worker | None:
        return next((w for w in self.workers if w.ready and w.task is None), None)

    def collect(self, timeout: float) -> list[tuple[Found, Outcome]]:
        """Wait up to `timeout` seconds; return the files finished, failed or given up on."""
        handles = [h for w in self.workers for h in (w.conn, w.process.sentinel)]
        ready = set(connection.wait(handles, timeout))
        done: list[tuple[Found, Outcome]] = []
        now = time.monotonic()
        for w in list(self.workers):
            if w.conn in ready or w.process.sentinel in ready:
                self._read(w, done)
            elif w.task is not None and now - w.since > (limit := hard_limit(w.task)):
                w.process.kill()
                w.process.join()
                done.append((w.task, Outcome(error=f"time limit exceeded ({limit:.0f} s)")))
                self._replace(w)
        return done

    def _read(self, w: _Worker, done) -> None:
        try:
            while w.conn.poll():
                message = w.conn.recv()
                if message == _READY:
                    w.ready = True
                else:
                    done.append((w.task, message))
                    w.task = None
        except (EOFError, OSError):
            pass
        if not w.process.is_alive():
            w.process.join()
            if w.task is not None:
                done.append((w.task, Outcome(
                    error=f"worker process died ({_exit_reason(w.process.exitcode)})")))
            self._replace(w)

    def _replace(self, w: _Worker) -> None:
        w.conn.close()
        self.workers[self.workers.index(w)] = _Worker(self.context, self.warm_each)

    def close(self) -> None:
        for w in self.workers:
            w.stop()


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


# ---- the import ------------------------------------------------------------------------------

class NoFiles(Exception):
    """`--glob` left nothing to import: a usage error, found before the database is made."""


class _Stop(Exception):
    """The database cannot be written: the import ends here."""


def parse_shard(text: str) -> tuple[int, int]:
    """"K/N" -> (K, N), 1 <= K <= N; ValueError with a one-line reason otherwise."""
    k, sep, n = text.partition("/")
    if not sep or not k.strip().isdigit() or not n.strip().isdigit():
        raise ValueError(f"shard must be K/N, e.g. 1/4, not {text!r}")
    k, n = int(k), int(n)
    if not 1 <= k <= n:
        raise ValueError(f"shard must be K/N with 1 <= K <= N, not {text!r}")
    return k, n


def in_shard(key: str, shard: tuple[int, int] | None) -> bool:
    """Whether a file belongs to shard K of N. Files are dealt by their bytes' sha256 (by
    their path when they cannot be read): about every N-th file goes to each shard, identical
    files go to the same one, and a file keeps its shard when others are added."""
    if shard is None:
        return True
    k, n = shard
    return int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) % n == k - 1


def run_import(db_path, paths, *, patterns=(), workers: int | None = None, force: bool = False,
               progress: bool = False, quiet: bool = False, follow_links: bool = False,
               db=None, shard: tuple[int, int] | None = None, bulk: bool | None = None,
               executor: str = "local", scheduler: str | None = None) -> Summary:
    """Import `paths` (files and folders) into the database at `db_path`; see the module doc.

    `workers` processes extract (default: one per core). Raises `store.DatabaseError` when
    the database cannot be opened; a database fault later ends the run with
    `Summary.stopped` set. `quiet` keeps to the lines of new failures. `shard` (K, N) takes
    only the files of shard K of N (see `in_shard`); `merge` combines the shards' databases.
    `bulk` builds the search indexes once at the end and settles the links of persons once
    (default: when the run brings many documents, see BULK_DOCUMENTS). `executor` "dask"
    extracts on a Dask cluster (`scheduler`'s address, else a local one of `workers`
    processes; see cluster.py)."""
    started = time.perf_counter()
    from . import config, store

    workers = max(1, workers or os.cpu_count() or 1)
    summary = Summary()
    files, problems, passed = discover(paths, patterns, follow_links=follow_links)
    if patterns and not files and not problems:
        names = ", ".join(repr(p) for p in patterns)
        raise NoFiles(f"no file in {', '.join(map(shown, paths))} matches --glob {names}")
    if db is None:
        db = store.open_db(db_path)
    version = config.pipeline_version()
    display = Progress(enabled=progress and not quiet)
    summary.notes.extend(passed)
    for path, reason in passed:
        if not quiet:
            display.write(f"skipped: {path}: {reason}")

    def database_fault(exc: BaseException) -> None:
        reason = store.database_reason(exc)
        if reason is not None:
            raise _Stop(reason) from None

    def fail(found_shown: str, stored: str, reason: str, sha256: str | None = None) -> None:
        earlier, fault = None, None
        try:
            earlier = store.previous_error(db, stored)
            kept = None if is_transient(reason) else sha256
            store.record_error(db, stored, reason, kept, version if kept else None)
        except sqlite3.Error as exc:
            fault = exc
            if store.database_reason(exc) is None:
                reason += f" (not recorded: {_first_line(exc)})"
        summary.failed += 1
        summary.errors.append((found_shown, reason))
        # The same bytes failed before, or the same transient failure met the file last time.
        new = not (earlier and (
            (sha256 and earlier["sha256"] == sha256)
            or (earlier["sha256"] is None and earlier["reason"] == reason)))
        summary.new_failures += new
        if new or not quiet:
            display.write(f"error: {found_shown}: {reason}")
        if fault is not None:
            database_fault(fault)

    # Plan: hash every file first, so that the bar counts pages and files with the same
    # bytes are known to be one document before any is written.
    planned: list[Found] = []
    followers: dict[str, list[Found]] = {}  # sha256 -> other files with the same bytes
    holders: dict[str, str] = {}  # sha256 -> a stored path holding those bytes in this run
    looked_at: list[dict] = []  # what the files hashed in this run held, for the next run
    try:
        if executor == "dask":
            from .cluster import merge_leftovers

            merge_leftovers(db, db_path)
        store.settle_pending(db)  # what a stopped bulk run left
        for path, reason in problems:
            if in_shard(path.stored, shard):
                fail(path, path.stored, reason)
        display.start_hashing(len(files))
        for found in files:
            display.hashed()
            known = None if force else store.known_file(db, found.stored, found.size,
                                                         found.mtime_ns)
            if known is not None:
                sha256, pages = known
            else:
                try:
                    sha256, pages, size, mtime_ns = hash_file(found.path)
                except OSError as exc:
                    reason = str(exc.strerror) if isinstance(exc, NotRegular) else os_reason(
                        found.path, exc)
                    if in_shard(found.stored, shard):
                        fail(found.shown, found.stored, reason)
                    continue
                looked_at.append({"path": found.stored, "size": size, "mtime_ns": mtime_ns,
                                  "sha256": sha256, "pages": pages,
                                  "checked_ns": time.time_ns()})
            if not in_shard(sha256, shard):
                continue
            found = replace(found, sha256=sha256, pages=pages)
            holders.setdefault(sha256, found.stored)
            if sha256 in followers:
                followers[sha256].append(found)
                continue
            if not force and store.imported_version(db, sha256) == version:
                summary.skipped += 1
                continue
            if not force and store.known_error(db, found.stored, sha256, version) is not None:
                summary.known_failures += 1
                continue
            followers[sha256] = []
            planned.append(found)
        try:
            store.remember_files(db, looked_at)
        except sqlite3.Error as exc:
            database_fault(exc)
        if executor == "dask":
            from .cluster import extract_on_dask

            # Shard writers and one merge: search is built once at its end in any case.
            extract_on_dask(db, db_path, planned, followers, holders, workers, scheduler,
                            display, summary, fail, database_fault)
        else:
            if bulk is None:
                existing = db.execute("select count(*) from documents").fetchone()[0]
                bulk = len(planned) >= max(BULK_DOCUMENTS, existing)
            _extract_all(db, planned, followers, holders, workers, display, summary, fail,
                         database_fault, bulk=bulk)
    except _Stop as stop:
        summary.stopped = stop.args[0]
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        display.close()
        try:
            db.close()
        except sqlite3.Error:
            pass
    summary.seconds = time.perf_counter() - started
    if summary.stopped:
        print(f"error: database {shown(db_path)}: {summary.stopped}; import stopped "
              "(nothing is recorded against the files it was writing)", file=sys.stderr)
    if not quiet or summary.stopped or summary.interrupted:
        print(summary.line(), file=sys.stderr)
    return summary


class Writer:
    """Writes extracted documents many to a transaction (see COMMIT_DOCUMENTS) and accounts
    for each: imported, or failed with its reason."""

    def __init__(self, db, followers, holders, summary, fail, database_fault, *,
                 bulk: bool = False):
        self.db, self.followers, self.holders = db, followers, holders
        self.summary, self.fail, self.database_fault = summary, fail, database_fault
        self.bulk = bulk
        self.pending: list[tuple[Found, Outcome]] = []
        self.since = 0.0
        self.chars = 0

    def add(self, found: Found, outcome: Outcome) -> None:
        if outcome.error is not None:
            self._failed(found, outcome.error)
            return
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((found, outcome))
        self.chars += len(outcome.text)
        if len(self.pending) >= COMMIT_DOCUMENTS or self.chars >= COMMIT_CHARS:
            self.flush()

    def due(self) -> bool:
        return bool(self.pending) and time.monotonic() - self.since >= COMMIT_SECONDS

    def flush(self) -> None:
        from . import store

        if not self.pending:
            return
        pending, self.pending, self.chars = self.pending, [], 0
        docs = [store.Document(o.record, f.stored, o.text, o.metadata, self.holders)
                for f, o in pending]
        try:
            results = store.save_many(self.db, docs, defer=self.bulk)
        except sqlite3.Error as exc:
            self.database_fault(exc)
            results = [exc] * len(pending)
        except Exception as exc:  # noqa: BLE001 - rolled back; the next files go on
            results = [exc] * len(pending)
        for (found, outcome), result in zip(pending, results):
            if isinstance(result, Exception):
                self._failed(found, f"cannot store ({type(result).__name__}: "
                                    f"{_first_line(result)})")
                continue
            self.summary.imported += 1
            self.summary.pages += outcome.pages
            # The same bytes under other names are this document.
            self.summary.skipped += len(self.followers.get(found.sha256, ()))

    def _failed(self, found: Found, reason: str) -> None:
        for f in (found, *self.followers.get(found.sha256, ())):
            self.fail(f.shown, f.stored, reason, f.sha256)


def finish_bulk(db) -> None:
    """The end of a bulk write: the links of persons settled, the search indexes built."""
    from . import search, store

    store.settle_pending(db)
    search.ensure_fts(db)


def _extract_all(db, planned, followers, holders, workers, display, summary, fail,
                 database_fault, *, bulk: bool = False) -> None:
    """Extract the planned files in worker processes and write the results as they come."""
    from . import search

    # Workers take the largest files first, so that no worker is left with a long document
    # while the other has run out of work.
    queue = sorted(planned, key=lambda f: -f.size) if workers > 1 else list(planned)
    queue.reverse()  # popped from the end
    display.start(len(planned), sum(f.pages for f in planned))
    if not queue:
        return
    writer = Writer(db, followers, holders, summary, fail, database_fault, bulk=bulk)
    if bulk:
        search.suspend(db)
    pool = Pool(min(workers, len(queue)))
    stopped = True
    try:
        while queue or pool.busy:
            worker = pool.idle() if queue else None
            if worker is not None:
                worker.send(queue.pop())
                continue
            for found, outcome in pool.collect(timeout=0.25):
                writer.add(found, outcome)
                display.advance(found.pages, outcome.pages if outcome.error is None else 0,
                                failed=outcome.error is not None)
            if writer.due():
                writer.flush()
            display.draw()
        stopped = False
    finally:
        pool.close()
        # What was extracted before an interruption is written; after a database fault,
        # nothing more is tried.
        if not stopped or sys.exc_info()[0] is KeyboardInterrupt:
            writer.flush()
            if bulk:
                finish_bulk(db)
