"""Dates of the answer keys found by the project's own grammar and by dateparser, side by side.

    .venv/bin/pip install dateparser && .venv/bin/python scripts/compare_dateparser.py

The measurement behind leaving dateparser out (see `minutes_extract.dates`).
"""

from __future__ import annotations

import datetime
import json
import time
from pathlib import Path

from dateparser.search import search_dates

from minutes_extract.dates import find_dates
from minutes_extract.ingest import load

ROOT = Path(__file__).resolve().parent.parent


def prf(tp: int, fp: int, fn: int) -> str:
    p, r = tp / (tp + fp), tp / (tp + fn)
    return f"P {p:.3f}  R {r:.3f}  F1 {2 * p * r / (p + r):.3f}"


def main() -> None:
    own, other = [0, 0, 0], [0, 0, 0]
    cpu_own = cpu_other = 0.0
    for key_path in sorted((ROOT / "corpus" / "gold").glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        if "transcript" in key:
            continue  # scanned: no text layer
        text = load(ROOT / "corpus" / key["source"]).text
        ignore = set(key.get("dates_ignore") or [])
        gold = set(key["dates"]) - ignore
        date = key["meeting"].get("date")
        t = time.process_time()
        mine = {v for d in find_dates(text, date) for v in d.values} - ignore
        cpu_own += time.process_time() - t
        base = datetime.datetime.fromisoformat(date) if date else datetime.datetime(2020, 1, 1)
        t = time.process_time()
        found = search_dates(text, languages=["sv", "en"], settings={
            "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"], "RELATIVE_BASE": base}) or []
        cpu_other += time.process_time() - t
        theirs = {d.date().isoformat() for _, d in found} - ignore
        for acc, got in ((own, mine), (other, theirs)):
            acc[0] += len(got & gold)
            acc[1] += len(got - gold)
            acc[2] += len(gold - got)
    print(f"own grammar  {prf(*own)}  {cpu_own:.2f} CPU s")
    print(f"dateparser   {prf(*other)}  {cpu_other:.2f} CPU s")


if __name__ == "__main__":
    main()
