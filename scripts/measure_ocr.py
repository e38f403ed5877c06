"""Character error and seconds per page of each OCR engine on the scanned corpus PDFs.

    .venv/bin/python scripts/measure_ocr.py [--dpi 200 300] [--engine rapidocr tesseract]
                                            [--min-confidence 0.5] [--rasterised FOLDER]

The reference is the answer key's `transcript` (every page as a person reads it). The text
measured is each page as the tool lays it out (lines of cells, before running heads and
hyphens are dealt with); `minutes_extract.transcripts` compares them.

- printed CER: errors on the printed text alone, over its characters (the key's
  `transcript_printed` tells which lines are printed). What the OCR makes of handwritten
  lines, and anything it adds beside them, is not counted.
- all CER: errors against the whole `transcript`, handwriting included.

With --rasterised, the image-only PDFs in FOLDER (made by `tests/make_forms.py scans`) are
measured instead, each against the text layer of its corpus original laid out the same way
(pages of the original without one are left out).

Seconds are per OCR'd page, rendering included: CPU time of this process and its children
(Tesseract runs as a child), and wall time. Each engine runs on one thread.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from minutes_extract import layout, ocr, pdf, rules  # noqa: E402
from minutes_extract.transcripts import CharacterErrors, page_errors  # noqa: E402


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(path: Path, key: dict, engine: str) -> dict:
    data = path.read_bytes()
    started_cpu, started = cpu(), time.perf_counter()
    pages, info = pdf.extract(data, max_pages=2000, deadline=time.monotonic() + 3600,
                              ocr_engine=engine)
    seconds_cpu, seconds = cpu() - started_cpu, time.perf_counter() - started
    total = CharacterErrors()
    for n, (words, full, printed) in enumerate(
            zip(pages, key["transcript"], key["transcript_printed"]), 1):
        total += page_errors(layout.render(layout.lines_from_words(words, n)), full, printed)
    ocr_pages = len(info.get("ocr", {}).get("pages", []))
    return {"file": path.name, "engine": engine, "ocr pages": ocr_pages,
            "printed CER %": round(100 * total.printed_rate, 2),
            "all CER %": round(100 * total.rate, 2),
            "CPU s/page": round(seconds_cpu / max(1, ocr_pages), 2),
            "wall s/page": round(seconds / max(1, ocr_pages), 2),
            "confidence": info.get("ocr", {}).get("confidence")}


def page_texts(pages) -> list[str]:
    return [layout.render(layout.lines_from_words(words, n)) for n, words in enumerate(pages, 1)]


def measure_rasterised(path: Path, original: Path, engine: str) -> dict:
    reference, own = pdf.extract(original.read_bytes(), max_pages=2000,
                                 deadline=time.monotonic() + 3600)
    # A picture page of the original has no text layer to compare with.
    pictures = set(own.get("ocr", {}).get("pages", []))
    started_cpu, started = cpu(), time.perf_counter()
    pages, info = pdf.extract(path.read_bytes(), max_pages=2000,
                              deadline=time.monotonic() + 3600, ocr_engine=engine)
    seconds_cpu, seconds = cpu() - started_cpu, time.perf_counter() - started
    total = CharacterErrors()
    for n, (ocr_text, text) in enumerate(zip(page_texts(pages), page_texts(reference)), 1):
        if n not in pictures:
            total += page_errors(ocr_text, text)
    ocr_pages = len(info.get("ocr", {}).get("pages", []))
    return {"file": path.name, "engine": engine, "ocr pages": ocr_pages,
            "CER %": round(100 * total.rate, 2),
            "CPU s/page": round(seconds_cpu / max(1, ocr_pages), 2),
            "wall s/page": round(seconds / max(1, ocr_pages), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dpi", type=int, nargs="+", default=[rules.load("ingest")["ocr"]["dpi"]])
    ap.add_argument("--engine", nargs="+", default=list(ocr.ENGINES))
    ap.add_argument("--min-confidence", type=float, nargs="+",
                    default=[rules.load("ingest")["ocr"]["min_word_confidence"]])
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--rasterised", type=Path, help="folder of image-only corpus PDFs")
    ap.add_argument("--despeckle", type=int, nargs="+",
                    default=[rules.load("ingest")["ocr"]["despeckle"]],
                    help="median filter sizes to measure (0: none)")
    ap.add_argument("--files", nargs="+", help="only these file names")
    args = ap.parse_args()
    keys = []
    for path in sorted(args.gold.glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        if "transcript" in key:
            keys.append((args.corpus / key["source"], key))
    settings = rules.load("ingest")["ocr"]
    runs = [(d, f, k, e) for d in args.dpi for f in args.min_confidence for k in args.despeckle
            for e in args.engine]
    for dpi, floor, despeckle, engine in runs:
        settings["dpi"], settings["min_word_confidence"] = dpi, floor
        settings["despeckle"] = despeckle
        try:
            ocr.check(engine)
        except ocr.OcrUnavailable as exc:
            print(f"{engine}: not measured ({exc})")
            continue
        if args.rasterised:
            tasks = [(path, args.corpus / path.name.replace("-scan.pdf", ".pdf"))
                     for path in sorted(args.rasterised.glob("*-scan.pdf"))]
        else:
            tasks = keys
        for path, against in tasks:
            if args.files and path.name not in args.files:
                continue
            row = (measure_rasterised(path, against, engine) if args.rasterised
                   else measure(path, against, engine))
            print(json.dumps({"dpi": dpi, "min confidence": floor, "despeckle": despeckle,
                              **row}, ensure_ascii=False), flush=True)

if __name__ == "__main__":
    main()
