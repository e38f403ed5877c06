"""Import throughput, memory and re-import speed against raw pdfplumber and raw pypdfium2 on
the corpus PDFs; OCR seconds per page on the scanned ones; the import on a local Dask
cluster beside the local pool; the writer and the canned queries and views on a database of
30,000 documents; hours for a million.

    .venv/bin/python bench/run.py [--rounds N] [--ocr-rounds N] [--start-methods]
                                  [--documents N] [--no-scale]

Prints the method, the figures and whether each bar is met. The part at scale (bench/scale.py)
writes `--documents` documents (30,000: about half an hour on two loaded cores).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CLI = "from minutes_extract.cli import cli; cli()"
# Chooses the start method of the worker processes, for the comparison only.
CLI_WITH_METHOD = ("import sys; import minutes_extract.batch as b; b.START_METHOD = sys.argv.pop(1); "
                   + CLI)

BARS = {
    "1 worker vs raw pdfplumber": (">=", 0.6),
    "full import vs raw pdfplumber": (">=", 1.5),
    "writer at the largest vs at 2k documents": ("<=", 1.5),
    "slowest canned query or view, s": ("<", 1.0),
    "PDFium reader vs pdfplumber reader": (">=", 2.0),
    "2 workers vs 1 worker": (">=", 1.6),
    "peak memory, MiB": ("<", 1024),
    "unchanged re-import speed-up": (">=", 20),
}


def text_layer_pdfs() -> tuple[list[Path], list[Path], list[Path]]:
    """Corpus PDFs with a text layer on every page, scans (no page has one), and the rest
    (some pages are read by OCR), as the import tells them apart."""
    from minutes_extract.pdf import scanned_pages

    with_text, scans, mixed = [], [], []
    for path in sorted(CORPUS.glob("*.pdf")):
        data = path.read_bytes()
        scanned = scanned_pages(data)
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
        (scans if len(scanned) == count else mixed if scanned else with_text).append(path)
    return with_text, scans, mixed


def make_rounds(pdfs: list[Path], rounds: int, folder: Path) -> list[Path]:
    """Each PDF once per round under its own name, a comment appended after %%EOF so every
    copy has its own sha256 (and so its own document) while its text stays the same."""
    out = []
    for r in range(rounds):
        for pdf in pdfs:
            copy = folder / f"{pdf.stem}-r{r}.pdf"
            copy.write_bytes(pdf.read_bytes() + f"% round {r}\n".encode())
            out.append(copy)
    return out


def raw_pdfplumber(files: list[Path]) -> tuple[int, float, float]:
    """Pages, wall seconds and CPU seconds of plain pdfplumber text extraction."""
    pages = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - start, time.process_time() - cpu


def raw_pypdfium2(files: list[Path]) -> tuple[int, float, float]:
    """Pages, wall seconds and CPU seconds of plain pypdfium2 text extraction (the text of
    each page's text page), in this process."""
    import pypdfium2

    pages = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        pdf = pypdfium2.PdfDocument(path)
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages, time.perf_counter() - start, time.process_time() - cpu


def raw_pdfplumber_parallel(files: list[Path], processes: int) -> tuple[int, float]:
    """Pages and wall seconds of raw extraction split over `processes` processes: what the
    machine gives two CPU-bound processes, the ceiling for two import workers."""
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(processes) as pool:
        parts = list(pool.map(raw_pdfplumber, [files[k::processes] for k in range(processes)]))
    return sum(p[0] for p in parts), time.perf_counter() - start


class TreeMemory(threading.Thread):
    """Peak of the summed PSS (shared pages split between the processes sharing them) and of
    the largest RSS over a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_pss = 0
        self.peak_rss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            pss = rss = 0
            for pid in self._tree(self.pid):
                fields = self._rollup(pid)
                pss += fields.get("Pss", 0)
                rss = max(rss, fields.get("Rss", 0))
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss = max(self.peak_rss, rss)

    def _tree(self, pid: int) -> list[int]:
        pids, todo = [], [pid]
        while todo:
            p = todo.pop()
            pids.append(p)
            try:
                for task in os.listdir(f"/proc/{p}/task"):
                    with open(f"/proc/{p}/task/{task}/children") as fh:
                        todo.extend(int(c) for c in fh.read().split())
            except OSError:
                pass
        return pids

    @staticmethod
    def _rollup(pid: int) -> dict[str, int]:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                lines = fh.read().splitlines()
        except OSError:
            return {}
        out = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                out[key] = int(value.split()[0])
        return out


def run_import(db: Path, folder: Path, workers: int, method: str | None = None,
               engine: str | None = None, executor: str = "local") -> dict:
    args = ["import", str(db), str(folder), "--workers", str(workers), "--no-progress",
            "--executor", executor]
    cmd = ([sys.executable, "-c", CLI_WITH_METHOD, method, *args] if method
           else [sys.executable, "-c", CLI, *args])
    env = dict(os.environ, **({"MINUTES_EXTRACT_PDF_ENGINE": engine} if engine else {}))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    memory = TreeMemory(proc.pid)
    memory.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    memory.done.set()
    memory.join()
    stderr = proc.stderr.read()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"import failed ({proc.returncode}):\n{stderr}")
    summary = stderr.strip().splitlines()[-1]
    pages = int(re.search(r"; (\d+) pages", summary).group(1))
    return {"seconds": seconds, "pages": pages, "summary": summary,
            "cpu": usage.ru_utime + usage.ru_stime,
            "pss_mib": memory.peak_pss / 1024, "rss_mib": memory.peak_rss / 1024,
            "maxrss_mib": usage.ru_maxrss / 1024}


def pipeline_words_per_second() -> tuple[int, float, float]:
    """Words of corpus text through the extraction after ingest (segmenter, entities, dates)
    and through the entity pipeline alone; each text read once before timing."""
    from minutes_extract.entities import find_entities
    from minutes_extract.ingest import IngestError, load
    from minutes_extract.pipeline import build_record

    sources = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix.lower() in (".pdf", ".txt", ".md"):
            try:
                sources.append(load(path))
            except IngestError:
                continue
    words = sum(len(s.text.split()) for s in sources)
    find_entities(sources[0].text)  # load the pipeline before the clock starts
    t = time.perf_counter()
    for s in sources:
        find_entities(s.text)
    entities_s = time.perf_counter() - t
    t = time.perf_counter()
    for s in sources:
        build_record(s)
    record_s = time.perf_counter() - t
    return words, words / record_s, words / entities_s


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def verdict(name: str, value: float) -> str:
    op, bar = BARS[name]
    ok = value >= bar if op == ">=" else value <= bar if op == "<=" else value < bar
    return f"{'PASS' if ok else 'MISS'} ({name} {op} {bar:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8,
                        help="copies of the corpus PDFs in each run (default 8)")
    parser.add_argument("--ocr-rounds", type=int, default=2,
                        help="copies of the scanned corpus PDFs in the OCR runs (default 2)")
    parser.add_argument("--start-methods", action="store_true",
                        help="also time 2 workers forked, from a fork server and spawned")
    parser.add_argument("--documents", type=int, default=30_000,
                        help="documents of the database at scale (default 30000)")
    parser.add_argument("--no-scale", action="store_true",
                        help="leave out the writer and queries at scale")
    opts = parser.parse_args()

    pdfs, scans, mixed = text_layer_pdfs()
    print("Method")
    print(f"  {len(pdfs)} corpus PDFs with a text layer on every page ({len(scans)} scans and "
          f"{len(mixed)} with a picture-only page left out), each "
          f"copied {opts.rounds}x under its own name with a comment appended after %%EOF: "
          "every copy is a new document (own sha256) of the same text.")
    print(f"  OCR: the {len(scans)} scanned corpus PDFs copied {opts.ocr_rounds}x, imported "
          "with 1 and 2 workers; seconds per page = (wall - start-up) / pages, CPU per page "
          "= CPU of the import and its workers / pages.")
    print("  raw: pdfplumber.open + page.extract_text() of every page, in this process; then the "
          "same split over 2 processes at once, which shows how much of a second core the "
          "machine really gives.")
    print("  import: `minutes-extract import --no-progress` in a fresh process and a fresh "
          "database; wall clock (time.perf_counter) from start to exit, interpreter start and "
          "pipeline loading included; CPU = user+sys of the process and its workers.")
    print("  start-up: the same command on one small text file; steady = pages / (wall - "
          "start-up).")
    print("  memory: peak of the summed PSS of the import and its workers (every 50 ms), and "
          "the largest single process (getrusage maxrss).")
    print(f"  machine: {os.cpu_count()} cores; load average at start "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
          "slows the wall clock, not the CPU figures)")

    with tempfile.TemporaryDirectory(prefix="minutes-bench-") as tmp:
        tmp = Path(tmp)
        folder, tiny = tmp / "pdfs", tmp / "tiny"
        folder.mkdir()
        tiny.mkdir()
        (tiny / "start.txt").write_text(
            "Protokoll 2024-01-15\n§ 1 Mötets öppnande\n§ 2 Mötets avslutande\n", encoding="utf-8")
        files = make_rounds(pdfs, opts.rounds, folder)
        ocr_folder = tmp / "scans"
        ocr_folder.mkdir()
        ocr_files = make_rounds(scans, opts.ocr_rounds, ocr_folder)

        raw_pages, raw_s, raw_cpu = raw_pdfplumber(files)
        raw_rate = raw_pages / raw_s
        pdfium_pages, pdfium_s, pdfium_cpu = raw_pypdfium2(files)
        _, raw2_s = raw_pdfplumber_parallel(files, 2)
        raw2_rate = raw_pages / raw2_s
        start1 = run_import(tmp / "start1.db", tiny, 1)["seconds"]
        start2 = run_import(tmp / "start2.db", tiny, 2)["seconds"]
        one = run_import(tmp / "one.db", folder, 1)
        plumber = run_import(tmp / "plumber.db", folder, 1, engine="pdfplumber")
        two = run_import(tmp / "two.db", folder, 2)
        dask = run_import(tmp / "dask.db", folder, 2, executor="dask")
        again_one = run_import(tmp / "one.db", folder, 1)
        again_two = run_import(tmp / "two.db", folder, 2)

        rate1 = one["pages"] / one["seconds"]
        rate2 = two["pages"] / two["seconds"]
        steady1 = one["pages"] / (one["seconds"] - start1)
        steady2 = two["pages"] / (two["seconds"] - start2)
        peak = max(one["pss_mib"], two["pss_mib"])
        speedup = min(one["seconds"] / again_one["seconds"], two["seconds"] / again_two["seconds"])

        print(f"\nResults ({len(files)} files, {raw_pages} pages per run)")
        line("raw pdfplumber", f"{raw_rate:7.2f} pages/s  ({raw_s:.1f} s, CPU {raw_cpu:.1f} s)")
        line("raw pdfplumber, 2 processes", f"{raw2_rate:7.2f} pages/s  ({raw2_s:.1f} s)  "
                                            f"{raw2_rate / raw_rate:.2f}x 1 process: the "
                                            "machine's ceiling for 2 workers")
        line("raw pypdfium2", f"{pdfium_pages / pdfium_s:7.2f} pages/s  ({pdfium_s:.1f} s, "
                              f"CPU {pdfium_cpu:.1f} s)  {pdfium_pages / pdfium_s / raw_rate:.1f}x "
                              "raw pdfplumber")
        for name, run, rate, steady, start in (("1 worker", one, rate1, steady1, start1),
                                               ("2 workers", two, rate2, steady2, start2)):
            line(f"import, {name}", f"{rate:7.2f} pages/s  ({run['seconds']:.1f} s, CPU "
                                    f"{run['cpu']:.1f} s)  {rate / raw_rate:.2f}x raw")
            line(f"  start-up {start:.1f} s; steady", f"{steady:7.2f} pages/s  "
                                                     f"{steady / raw_rate:.2f}x raw")
        plumber_rate = plumber["pages"] / plumber["seconds"]
        line("import, 1 worker, pdfplumber reader",
             f"{plumber_rate:7.2f} pages/s  ({plumber['seconds']:.1f} s, CPU "
             f"{plumber['cpu']:.1f} s): PDFium reader {rate1 / plumber_rate:.2f}x faster, "
             f"{plumber['cpu'] / one['cpu']:.2f}x less CPU")
        dask_rate = dask["pages"] / dask["seconds"]
        line("import, 2 workers on a local Dask cluster",
             f"{dask_rate:7.2f} pages/s  ({dask['seconds']:.1f} s, CPU {dask['cpu']:.1f} s)  "
             f"{dask_rate / rate2:.2f}x the local pool of 2 workers")
        line("2 workers / 1 worker", f"{rate2 / rate1:7.2f}x  (steady {steady2 / steady1:.2f}x; "
                                     f"raw pdfplumber 2 / 1 processes {raw2_rate / raw_rate:.2f}x)")
        line("CPU per page: raw, 1 worker, 2 workers",
             f"{raw_cpu / raw_pages * 1000:.0f}, {one['cpu'] / one['pages'] * 1000:.0f}, "
             f"{two['cpu'] / two['pages'] * 1000:.0f} ms")
        for name, run in (("1 worker", one), ("2 workers", two)):
            line(f"peak memory, {name}", f"{run['pss_mib']:7.0f} MiB PSS summed  "
                                          f"(largest process {run['maxrss_mib']:.0f} MiB)")
        for name, run, again in (("1 worker", one, again_one), ("2 workers", two, again_two)):
            line(f"unchanged re-import, {name}",
                 f"{again['seconds']:7.2f} s  {run['seconds'] / again['seconds']:.0f}x faster "
                 f"than the first  ({again['summary'].split(';')[0]})")
        if {one["pages"], two["pages"]} != {raw_pages}:
            line("note", f"the imports counted {one['pages']} and {two['pages']} pages, "
                         f"raw {raw_pages}")

        ocr_one = run_import(tmp / "ocr-one.db", ocr_folder, 1)
        ocr_two = run_import(tmp / "ocr-two.db", ocr_folder, 2)
        print(f"\nOCR ({len(ocr_files)} scanned files, {ocr_one['pages']} pages per run, "
              "each engine single-threaded)")
        for name, run, start in (("1 worker", ocr_one, start1), ("2 workers", ocr_two, start2)):
            line(f"OCR import, {name}",
                 f"{(run['seconds'] - start) / run['pages']:7.2f} s/page  ({run['seconds']:.1f} s, "
                 f"CPU {run['cpu'] / run['pages']:.2f} s/page)")
        line("2 workers / 1 worker", f"{ocr_one['seconds'] / ocr_two['seconds']:7.2f}x")

        if opts.start_methods:
            print("\nStart method of the workers (2 workers, fresh database each)")
            for method in ("fork", "forkserver", "spawn"):
                run = run_import(tmp / f"{method}.db", folder, 2, method)
                line(method, f"{run['pages'] / run['seconds']:7.2f} pages/s  "
                             f"({run['seconds']:.1f} s, CPU {run['cpu']:.1f} s, "
                             f"{run['pss_mib']:.0f} MiB PSS)")

        at_scale = None if opts.no_scale else scale_part(tmp, opts.documents)
        words, record_wps, entity_wps = pipeline_words_per_second()
        print(f"\nExtraction after ingest ({words} words of corpus text, one process)")
        line("segmenter + entities + dates", f"{record_wps:9.0f} words/s")
        line("entity pipeline alone (rules; model off)", f"{entity_wps:9.0f} words/s")

        if at_scale is not None:
            hours_for_a_million(one, two, at_scale)

        print("\nBars (wall clock, start-up included)")
        line("1 worker / raw", verdict("1 worker vs raw pdfplumber", rate1 / raw_rate))
        line("full import, 1 worker / raw", verdict("full import vs raw pdfplumber",
                                                    rate1 / raw_rate))
        if at_scale is not None:
            line("writer CPU ms/document, largest / 2k",
                 verdict("writer at the largest vs at 2k documents", at_scale["writer_ratio"]))
            line("slowest canned query or view", verdict("slowest canned query or view, s",
                                                         at_scale["slowest"]))
        line("PDFium / pdfplumber reader",
             verdict("PDFium reader vs pdfplumber reader", rate1 / plumber_rate))
        line("2 workers / 1 worker", verdict("2 workers vs 1 worker", rate2 / rate1))
        line("peak memory", verdict("peak memory, MiB", peak))
        line("first / unchanged import", verdict("unchanged re-import speed-up", speedup))
        print(f"  load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        shutil.rmtree(folder)


def scale_part(tmp: Path, documents: int) -> dict:
    """The writer at 2,000 documents and at `documents`, the merge of that database into an
    empty one, and every canned query and main view served by Datasette on it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import scale

    from minutes_extract import store
    from minutes_extract.merge import merge

    db_path = tmp / "scale.db"
    print(f"\nAt scale ({documents} documents; see bench/scale.py for how they are made)")
    started = time.perf_counter()
    windows = [(1_600, 2_400), (documents - 800, documents)]
    figures = scale.build(db_path, documents, windows, report=lambda s: None)
    line("written", f"{documents} documents in {time.perf_counter() - started:.0f} s, "
                    f"{db_path.stat().st_size / 2**20:.0f} MiB")
    small, large = figures[windows[0][0]], figures[windows[1][0]]
    for (start, end), f in zip(windows, (small, large)):
        line(f"writer, documents {start}-{end}",
             f"{f['cpu_ms']:6.1f} CPU ms/document  ({f['wall_ms']:.1f} wall ms)")
    ratio = large["cpu_ms"] / small["cpu_ms"]
    line("writer, largest / 2k", f"{ratio:6.2f}x CPU")
    out_path = tmp / "merged.db"
    out = store.open_db(out_path)
    cpu, wall = time.process_time(), time.perf_counter()
    merge(out, [db_path])
    merge_cpu, merge_wall = time.process_time() - cpu, time.perf_counter() - wall
    out.close()
    out_path.unlink()
    line("merge into an empty database", f"{1000 * merge_cpu / documents:6.2f} CPU ms/document "
                                         f"({merge_wall:.0f} s: links and search built once)")
    print(f"\nCanned queries and views at {documents} documents (Datasette, as `serve` "
          "starts it; median of 3)")
    times = scale.time_pages(db_path)
    for what, status, seconds in times:
        line(what, f"{seconds * 1000:7.0f} ms" + ("" if status == 200 else f"  HTTP {status}"))
    slowest = max(s if status == 200 else float("inf") for _, status, s in times)
    db_path.unlink()
    return {"writer_cpu_ms": large["cpu_ms"], "writer_ratio": ratio, "slowest": slowest,
            "merge_cpu_ms": 1000 * merge_cpu / documents}


def hours_for_a_million(one: dict, two: dict, at_scale: dict, documents: int = 1_000_000,
                        pages_each: int = 30) -> None:
    """Hours for an archive of a million documents of 30 pages (290 municipalities, 15
    bodies, 11 meetings a year for 20 years) from this run's CPU per page, writer and merge:
    extraction shares the cores; the local pool's single writer and a cluster's one merge at
    the end do not."""
    extract_ms = min(one["cpu"] / one["pages"], two["cpu"] / two["pages"]) * 1000
    writer_ms, merge_ms = at_scale["writer_cpu_ms"], at_scale["merge_cpu_ms"]
    print(f"\n1M documents of {pages_each} pages ({extract_ms:.0f} CPU ms a page extracted, "
          f"writer {writer_ms:.1f} and merge {merge_ms:.1f} CPU ms a document)")
    for cores in (2, 16, 64):
        extraction = documents * pages_each * extract_ms / 1000 / cores
        pool = max(extraction, documents * writer_ms / 1000)  # one writer
        cluster = (documents * (pages_each * extract_ms + writer_ms) / 1000 / cores
                   + documents * merge_ms / 1000)
        line(f"{cores} cores", f"local pool {pool / 3600:7.1f} h   cluster (shard writers and "
                               f"one merge) {cluster / 3600:7.1f} h")


if __name__ == "__main__":
    main()
