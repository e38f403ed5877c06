"""A database of tens of thousands of documents for the writer and query benchmarks.

    .venv/bin/python bench/scale.py DB [--documents 30000]

How it is made: every corpus document is extracted once by the import's own function
(batch.extract); its record is then written again and again through the import's writer
(store.save_many, 200 documents to a transaction, search indexes and person links kept
current as in an ordinary import), each copy as a new document: its own sha256 and id, its
own path, the meeting moved back by 0 to 19 years. What is cloned is the extraction, not the
writing: every row is inserted, indexed, linked and searched as an import of that many real
files would. Names of persons (attendees, names in the text, ballots and stances) get a
suffix per generation of 25 copies of the corpus, so a person attends a few hundred meetings at most, as a member of a body does in twenty years,
while the number of persons grows with the archive, as it does when more municipalities
are added. Without that, every copy would add attendances to the same few hundred persons
and a person would attend tens of thousands of meetings.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GENERATION = 25  # copies of the corpus whose persons are the same persons
BATCH = 200


def corpus_outcomes() -> list:
    """Each corpus document extracted once: batch.Outcome objects (failures left out)."""
    from minutes_extract.batch import SUFFIXES, extract

    out = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix.lower() in SUFFIXES and "gold" not in path.parts:
            outcome = extract(str(path))
            if outcome.error is None:
                out.append((path, outcome))
    return out


def _suffix(generation: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[generation // 26 % 26] + letters[generation % 26] if generation else ""


def _rename(name: str | None, suffix: str) -> str | None:
    if not name or not suffix:
        return name
    words = name.split()
    words[-1] = words[-1] + suffix
    return " ".join(words)


def clone(path: Path, outcome, copy: int):
    """The record of `outcome` as the `copy`-th copy: a new document (see the module doc)."""
    from minutes_extract import store

    record = outcome.record.model_copy(deep=True)
    sha = hashlib.sha256(f"{record.document.sha256}:{copy}".encode()).hexdigest()
    record.document.sha256 = sha
    suffix = _suffix(copy // GENERATION)
    for a in record.attendees:
        a.name = _rename(a.name, suffix)
    for m in record.mentions:
        if m.label == "PERSON":
            m.value = _rename(m.value, suffix)
    for it in record.items:  # names in votes and stances are the same members
        for vote in it.votes:
            for ballot in vote.ballots:
                ballot.name = _rename(ballot.name, suffix)
        for stance in (*it.reservations, *it.protocol_notes, *it.recusals, *it.not_present):
            stance.name = _rename(stance.name, suffix)
    if record.meeting.date:
        year = int(record.meeting.date[:4]) - copy % 20
        record.meeting.date = f"{year:04d}{record.meeting.date[4:]}"
    stored = f"archive/{copy // 1000:03d}/{copy:06d}-{path.name}"
    return store.Document(record, stored, outcome.text, outcome.metadata)


def build(db_path, documents: int, windows=(), report=print) -> dict[int, dict]:
    """Write `documents` copies into the database at `db_path`; for each (start, end) in
    `windows`, the writer's CPU and wall milliseconds per document over those documents."""
    from minutes_extract import store

    sources = corpus_outcomes()
    db = store.open_db(db_path)
    have = db.execute("select count(*) from documents").fetchone()[0]
    figures: dict[int, dict] = {}
    n, started = have, time.perf_counter()
    timing = {}
    while n < documents:
        size = min(BATCH, documents - n)
        docs = [clone(*sources[(n + k) % len(sources)], (n + k) // len(sources))
                for k in range(size)]
        cpu, wall = time.process_time(), time.perf_counter()
        store.save_many(db, docs)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        for start, end in windows:
            if start <= n < end:
                t = timing.setdefault(start, {"documents": 0, "cpu": 0.0, "wall": 0.0,
                                              "end": end})
                t["documents"] += size
                t["cpu"] += cpu
                t["wall"] += wall
        n += size
        if n % 2000 == 0:
            report(f"  {n} documents written ({time.perf_counter() - started:.0f} s)")
    for start, t in timing.items():
        figures[start] = {"cpu_ms": 1000 * t["cpu"] / t["documents"],
                          "wall_ms": 1000 * t["wall"] / t["documents"],
                          "documents": t["documents"], "end": t["end"]}
    db.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--documents", type=int, default=30_000)
    opts = parser.parse_args()
    figures = build(opts.db, opts.documents,
                    windows=[(1_600, 2_400), (opts.documents - 800, opts.documents)])
    for start, f in sorted(figures.items()):
        print(f"documents {start}-{f['end']}: {f['cpu_ms']:.1f} CPU ms, "
              f"{f['wall_ms']:.1f} wall ms per document")


if __name__ == "__main__":
    sys.exit(main())


# Pages a reader opens first: the canned queries (with typical values) and the main views
# and tables, as Datasette serves them (facets, counts, sorting and the plugin included).
def pages(db) -> list[tuple[str, str]]:
    """(what, path) for every canned query and view, with values found in the database."""
    from minutes_extract import serve

    name = "bench"
    meta = serve.metadata(name)["databases"][name]
    row = db.execute("select d.id, d.char_start, d.char_end, d.page_start from decisions d "
                     "where d.char_start is not null limit 1").fetchone()
    person = db.execute("select name from persons order by rowid limit 1 offset 100"
                        ).fetchone()[0].split()[-1]
    values = {
        "municipality": "Lund", "from_year": "", "to_year": "", "name": person,
        "organisation": "kommunstyrelsen", "kind": "", "q": "budget",
        "document_id": row[0][:16] if row else "", "start": str(row[1] if row else 0),
        "end": str(row[2] if row else 10), "page": str(row[3] if row else 1),
        "page_end": str(row[3] if row else 1),
    }
    out = []
    for query, spec in meta["queries"].items():
        import re as _re

        params = sorted(set(_re.findall(r"(?<!:):(\w+)", spec["sql"])))
        args = "&".join(f"{p}={values.get(p, '')}" for p in params)
        out.append((f"query {query}", f"/{name}/{query}?{args}"))
        if query == "attended_most":
            out.append(("query attended_most (all)", f"/{name}/{query}?organisation="))
    for view in ("decisions_view", "attendance", "mentions_view", "items_view",
                 "decision_municipalities", "meetings", "persons", "organisations",
                 "documents", "attendees", "mentions", "decisions"):
        out.append((f"table {view}", f"/{name}/{view}"))
    out.append(("search decisions_view", f"/{name}/decisions_view?_search=budget"))
    return out


def time_pages(db_path, repeat: int = 3) -> list[tuple[str, int, float]]:
    """(what, HTTP status, median seconds) of each page of `pages` served by Datasette with
    its default settings (a query may take 1 s)."""
    import asyncio
    import shutil
    import statistics
    import tempfile

    import sqlite_utils
    from datasette.app import Datasette

    from minutes_extract import store

    async def run(path) -> list:
        from minutes_extract.serve import SETTINGS

        # as `minutes-extract serve` starts it
        settings = {k: v not in ("off", "0") for k, v in SETTINGS.items()}
        ds = Datasette([str(path)], settings=settings)
        await ds.invoke_startup()
        out = []
        for what, url in pages(sqlite_utils.Database(path)):
            times, status = [], None
            for _ in range(repeat):
                t = time.perf_counter()
                response = await ds.client.get(url)
                times.append(time.perf_counter() - t)
                status = response.status_code
            out.append((what, status, statistics.median(times)))
        return out

    with tempfile.TemporaryDirectory() as tmp:
        # served under the name the pages use; the views brought up to date as `serve` does
        path = Path(tmp) / "bench.db"
        shutil.copy(db_path, path)
        store.open_db(path).close()
        return asyncio.run(run(path))
