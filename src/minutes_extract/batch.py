"""`import` over files and folders.

The main process finds the files, hashes each one and skips those already stored by the same
pipeline version; worker processes extract the rest; the main process alone writes, one
transaction per document as results arrive, so a killed import leaves whole documents only and
the next run picks up where it stopped. A file that cannot be read, or that crashes or hangs
its worker, costs that file only: it gets one line on standard error and a row in
`import_errors`, and the batch goes on.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import multiprocessing
import os
import resource
import signal
import stat
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from multiprocessing import connection
from pathlib import Path

from .progress import Progress

SUFFIXES = frozenset({".pdf", ".txt", ".md", ".markdown", ".docx", ".html", ".htm"})
# Files that describe a folder of minutes rather than hold minutes; skipped inside folders.
DOCUMENTATION_STEMS = frozenset({"README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG",
                                 "MANIFEST", "CONTRIBUTING", "NOTICE"})

# Bounds on one document. Reading checks the page count and its deadline between pages;
# a worker still busy at HARD_LIMIT (one page that never ends) is killed.
MAX_PAGES = 2000
TIME_LIMIT = 120.0
HARD_LIMIT = 2 * TIME_LIMIT
# Address space a worker may add to what it had at start: a file that asks for absurd memory
# fails with MemoryError in its worker instead of drawing the machine into swap. A warm
# worker maps about 300 MB and needs some tens of MB more per document.
WORKER_MEMORY = 2 * 1024**3

# Workers are forked from a main process that has loaded the pipeline once: they start
# warm and share its pages. Measured on the corpus (bench/run.py) against "forkserver" and
# "spawn", which load the pipeline in every worker.
START_METHOD = "fork"

HASH_CHUNK = 1 << 20


@dataclass
class Summary:
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"imported {self.imported}, unchanged {self.skipped}, failed {self.failed}; "
                f"{self.pages} pages in {self.seconds:.1f} s "
                f"({self.pages_per_second:.1f} pages/s)")


@dataclass(frozen=True)
class Found:
    path: Path  # as reached from the command line: shown in messages
    size: int
    sha256: str | None = None  # once hashed

    @property
    def stored(self) -> str:
        """The path kept in the database: absolute, so a run from another folder matches."""
        return os.path.abspath(self.path)


@dataclass
class Outcome:
    """What extracting one file gave: plain data, so it crosses from a worker by pickle."""

    record: object = None  # MinutesRecord
    text: str = ""
    metadata: dict = field(default_factory=dict)
    pages: int = 0
    error: str | None = None


# ---- finding files ---------------------------------------------------------------------------

def discover(paths, patterns=()) -> tuple[list[Found], list[tuple[str, str]]]:
    """Files to import under `paths`, and (path, reason) for what could not be looked at.

    Folders are walked recursively through symbolic links, each real folder once, so a link
    back up the tree ends the walk instead of looping. Hidden entries are passed over (editor
    lock files, macOS resource forks). A file named on the command line is taken whatever its
    name; inside folders only supported suffixes matching one of `patterns` (if any)."""
    files: list[Found] = []
    problems: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()

    def take(path: Path, st: os.stat_result) -> None:
        if (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            files.append(Found(path, st.st_size))

    for arg in paths:
        path = Path(arg)
        try:
            st = path.stat()
        except OSError as exc:
            problems.append((str(path), os_reason(path, exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(path, patterns, take, problems, seen)
        else:
            take(path, st)
    return files, problems


def _walk(root: Path, patterns, take, problems, seen) -> None:
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
            problems.append((str(folder), os_reason(folder, exc)))
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
                    problems.append((str(path), os_reason(path, exc)))
                continue
            if stat.S_ISDIR(st.st_mode):
                folders.append(path)
            elif stat.S_ISREG(st.st_mode) and wanted(path, root, patterns):
                take(path, st)
        stack.extend(reversed(folders))


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---- extracting one file -----------------------------------------------------------------------

def extract(path: str) -> Outcome:
    """Read and extract one file; every failure becomes a one-line reason."""
    from . import pipeline
    from .ingest import IngestError, load

    try:
        source = load(path, max_pages=MAX_PAGES, timeout=TIME_LIMIT)
        record = pipeline.build_record(source)
    except IngestError as exc:
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


class _Overtime(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` on the way swallows it."""


def _extract_here(path: str) -> Outcome:
    """Extract in this process, bounded by an alarm where signals can be had."""
    if threading.current_thread() is not threading.main_thread():
        return extract(path)

    def overtime(signum, frame):
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, overtime)
    signal.setitimer(signal.ITIMER_REAL, HARD_LIMIT)
    try:
        return extract(path)
    except _Overtime:
        return Outcome(error=f"time limit exceeded ({HARD_LIMIT:.0f} s)")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---- worker processes --------------------------------------------------------------------------

_READY = "ready"


def _serve(conn, warm: bool) -> None:
    """A worker's life: warm up, then extract one path at a time until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
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
        self.conn.send(task.stored)

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

    def __init__(self, size: int, method: str = START_METHOD):
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
            elif w.task is not None and now - w.since > HARD_LIMIT:
                w.process.kill()
                w.process.join()
                done.append((w.task, Outcome(error=f"time limit exceeded ({HARD_LIMIT:.0f} s)")))
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

def run_import(db_path, paths, *, patterns=(), workers: int | None = None, force: bool = False,
               progress: bool = False) -> Summary:
    """Import `paths` (files and folders) into the database at `db_path`; see the module doc.

    `workers` processes extract (default: one per core); with one, this process extracts
    itself, which saves starting a worker but cannot survive a file that crashes Python."""
    started = time.perf_counter()
    from . import config, store

    workers = max(1, workers or os.cpu_count() or 1)
    summary = Summary()
    display = Progress(enabled=progress)
    files, problems = discover(paths, patterns)
    db = store.open_db(db_path)
    version = config.pipeline_version()
    # Workers take the largest files first, so that no worker is left with a long document
    # while the other has run out of work.
    queue = deque(sorted(files, key=lambda f: -f.size) if workers > 1 else files)
    claimed: set[str] = set()

    def fail(shown: str, stored: str, reason: str, sha256: str | None = None) -> None:
        summary.failed += 1
        summary.errors.append((shown, reason))
        store.record_error(db, stored, reason, sha256, version if sha256 else None)
        display.error(f"error: {shown}: {reason}")

    def next_task() -> Found | None:
        """The next file that needs extracting; settles the unchanged and unreadable on the way."""
        while queue:
            found = queue.popleft()
            try:
                sha256 = file_sha256(found.path)
            except OSError as exc:
                fail(str(found.path), found.stored, os_reason(found.path, exc))
                display.advance(size=found.size)
                continue
            # The same bytes under a second name are the same document.
            if sha256 in claimed or (
                    not force and store.imported_version(db, sha256) == version):
                summary.skipped += 1
                display.advance(size=found.size)
                continue
            # A file that failed before fails again unless it or the pipeline changed;
            # it is reported without being read again.
            reason = None if force else store.known_error(db, found.stored, sha256, version)
            if reason is not None:
                fail(str(found.path), found.stored, reason, sha256)
                display.advance(size=found.size)
                continue
            claimed.add(sha256)
            return replace(found, sha256=sha256)
        return None

    def write(found: Found, outcome: Outcome) -> None:
        if outcome.error is None:
            try:
                store.save(db, outcome.record, path=found.stored, text=outcome.text,
                           metadata=outcome.metadata)
            except Exception as exc:  # noqa: BLE001 - rolled back; the next file goes on
                outcome.error = f"cannot store ({type(exc).__name__}: {_first_line(exc)})"
            else:
                summary.imported += 1
                summary.pages += outcome.pages
        if outcome.error is not None:
            fail(str(found.path), found.stored, outcome.error, found.sha256)
        display.advance(size=found.size, pages=outcome.pages if outcome.error is None else 0)

    for shown, reason in problems:
        fail(shown, os.path.abspath(shown), reason)
    display.start(len(files), sum(f.size for f in files))
    pool: Pool | None = None
    try:
        task = next_task()
        if workers > 1:
            while task is not None or (pool is not None and pool.busy):
                if task is not None:
                    pool = pool or Pool(workers)
                    worker = pool.idle()
                    if worker is not None:
                        worker.send(task)
                        task = next_task()
                        continue
                for found, outcome in pool.collect(timeout=0.25):
                    write(found, outcome)
                display.draw()
        else:
            while task is not None:
                write(task, _extract_here(task.stored))
                task = next_task()
    finally:
        if pool is not None:
            pool.close()
        display.close()
        db.close()
    summary.seconds = time.perf_counter() - started
    print(summary.line(), file=sys.stderr)
    return summary
