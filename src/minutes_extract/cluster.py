"""The import on a Dask cluster (`import --executor dask`, `--scheduler ADDRESS`).

The main process plans as every import does (batch.py: files found, hashed, unchanged ones
and known failures left out). Then the cluster's workers extract, one task per file, the
largest first; every COMMIT_DOCUMENTS results go to a writer task, which writes them into a
database of their own (a part) on the worker that holds them, so that no single process
writes everything; once all are written, the main process merges the parts into the database
(merge.py: persons linked and search indexes built once) and removes them.

On a cluster of several machines the input files and the database's folder (where the parts
are written) must be at the same paths on every worker: a shared file system. Parts that a
stopped run wrote but did not merge are merged by the next run before it plans. A worker that
dies on a file (a crash, Dask's memory limit) is replaced by Dask, which tries the file again
on another; a file that kills workers repeatedly is recorded as "worker process died".
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

COMMIT_DOCUMENTS = 200


def parts_folder(db_path) -> Path:
    return Path(f"{db_path}.parts")


def merge_leftovers(db, db_path) -> int:
    """Merge the parts a stopped cluster run wrote but did not merge (each holds whole
    documents only), so that their work is not done again; return how many there were."""
    from .merge import merge

    parts = sorted(parts_folder(db_path).glob("part-*.db"))
    if parts:
        merge(db, parts)
        shutil.rmtree(parts_folder(db_path), ignore_errors=True)
    return len(parts)


def _extract(source: str):
    from .batch import extract

    return extract(source)


def _write_part(path: str, stored: list[str], *outcomes) -> list[tuple[str | None, int]]:
    """Write extracted documents into a new database at `path`; for each, the reason it
    failed (None when written) and its pages."""
    from . import search, store

    db = store.open_db(path)
    search.suspend(db)  # the merge builds the search indexes
    docs, results = [], []
    for where, outcome in zip(stored, outcomes):
        if outcome.error is None:
            docs.append(store.Document(outcome.record, where, outcome.text, outcome.metadata))
    written = iter(store.save_many(db, docs, defer=True)) if docs else iter(())
    for outcome in outcomes:
        if outcome.error is not None:
            results.append((outcome.error, 0))
            continue
        result = next(written)
        if isinstance(result, Exception):
            results.append((f"cannot store ({type(result).__name__}: {result})", 0))
        else:
            results.append((None, outcome.pages))
    db.close()
    return results


def client_for(scheduler: str | None, workers: int):
    """A Dask client: of the scheduler at `scheduler`, else of a local cluster of `workers`
    processes with one thread each (the pipeline holds the GIL)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - the extra is part of the dev install
        raise RuntimeError("--executor dask needs Dask: pip install 'minutes-extract[cluster]'"
                           ) from None
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def extract_on_dask(db, db_path, planned, followers, holders, workers, scheduler, display,
                    summary, fail, database_fault) -> None:
    """Extract and write the planned files on a Dask cluster, then merge; see the module doc."""
    import sqlite3

    from distributed import as_completed

    from .merge import merge

    display.start(len(planned), sum(f.pages for f in planned))
    if not planned:
        return
    parts_dir = parts_folder(db_path)
    parts_dir.mkdir(exist_ok=True)
    client, cluster = client_for(scheduler, workers)
    try:
        by_key = {}
        futures = []
        for found in sorted(planned, key=lambda f: -f.size):
            future = client.submit(_extract, found.source, pure=False, priority=found.size,
                                   retries=0)
            by_key[future.key] = found
            futures.append(future)
        writes, batch = [], []

        def write_batch() -> None:
            part = parts_dir / f"part-{len(writes):05d}-{os.getpid()}.db"
            founds = [by_key[f.key] for f in batch]
            writes.append((part, founds, client.submit(
                _write_part, str(part), [f.stored for f in founds], *batch, pure=False,
                priority=-1)))
            batch.clear()

        for future in as_completed(futures):
            found = by_key[future.key]
            if future.status == "error":
                display.advance(found.pages, 0, failed=True)
                for f in (found, *followers.get(found.sha256, ())):
                    fail(f.shown, f.stored, f"worker process died ({_reason(future)})",
                         f.sha256)
                continue
            display.advance(found.pages, found.pages)
            batch.append(future)
            if len(batch) >= COMMIT_DOCUMENTS:
                write_batch()
            display.draw()
        if batch:
            write_batch()
        parts = []
        for part, founds, write in writes:
            for found, (error, pages) in zip(founds, write.result()):
                if error is not None:
                    for f in (found, *followers.get(found.sha256, ())):
                        fail(f.shown, f.stored, error, f.sha256)
                    continue
                summary.imported += 1
                summary.pages += pages
                summary.skipped += len(followers.get(found.sha256, ()))
            parts.append(part)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    try:
        merge(db, parts, elsewhere=holders)
    except sqlite3.Error as exc:
        database_fault(exc)
        raise
    shutil.rmtree(parts_dir, ignore_errors=True)


def _reason(future) -> str:
    try:
        exc = future.exception()
    except Exception as err:  # noqa: BLE001 - the reason is only for the message
        exc = err
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
