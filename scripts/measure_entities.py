"""Score `find_entities` against the corpus answer keys: persons and municipalities, micro P/R/F1.

    python scripts/measure_entities.py [--mode rules|model|both] [--no-known] [--errors]

Known persons are the key's attendee names (the pipeline passes the segmenter's); with
--no-known the entity finder works alone. Person names match by the gold README rule:
equal after NFC/casefold/space-collapse, or the same first and last word.
"""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from pathlib import Path

from minutes_extract.entities import find_entities
from minutes_extract.ingest import load

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def same_person(a: str, b: str) -> bool:
    ka, kb = key(a).split(), key(b).split()
    return ka == kb or (ka and kb and ka[0] == kb[0] and ka[-1] == kb[-1])


def score_persons(pred: set[str], gold: set[str]) -> tuple[int, int, int, list[str], list[str]]:
    """(tp, fp, fn, false positives, misses); an alias of a matched person counts neither way."""
    matched_gold: set[str] = set()
    fps = []
    for p in sorted(pred):
        hit = next((g for g in gold if same_person(p, g)), None)
        if hit is None:
            fps.append(p)
        else:
            matched_gold.add(hit)
    misses = sorted(gold - matched_gold)
    return len(matched_gold), len(fps), len(misses), fps, misses


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default=None)
    ap.add_argument("--no-known", action="store_true")
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args()
    totals = {"persons": [0, 0, 0], "municipalities": [0, 0, 0]}
    words, seconds = 0, 0.0
    runs: list[tuple[str, list[str]]] = []
    find_entities("Uppvärmning.", mode=args.mode)  # build the pipeline outside the timing
    for gold_path in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = load(CORPUS / gold["source"]).text
        known = [] if args.no_known else [a["name"] for a in gold.get("attendees", [])]
        runs.append((text, known))
        t0 = time.perf_counter()
        mentions = find_entities(text, known_persons=known, mode=args.mode)
        seconds += time.perf_counter() - t0
        words += len(text.split())
        persons = {m.value for m in mentions if m.label == "PERSON"}
        munis = {m.value for m in mentions if m.label == "MUNICIPALITY"}
        tp, fp, fn, fps, misses = score_persons(persons, set(gold.get("persons", [])))
        gm = set(gold.get("municipalities", []))
        mt = (len(munis & gm), len(munis - gm), len(gm - munis))
        for name, t in (("persons", (tp, fp, fn)), ("municipalities", mt)):
            totals[name] = [a + b for a, b in zip(totals[name], t)]
        if args.errors and (fps or misses or munis ^ gm):
            print(f"== {gold['source']}")
            if fps:
                print("  person FP:", fps)
            if misses:
                print("  person FN:", misses)
            if munis - gm:
                fp_m = [(m.text, m.start) for m in mentions if m.label == "MUNICIPALITY" and m.value in munis - gm]
                print("  muni FP:", fp_m)
            if gm - munis:
                print("  muni FN:", sorted(gm - munis))
    for name, (tp, fp, fn) in totals.items():
        p, r, f = prf(tp, fp, fn)
        print(f"{name:15s} tp={tp:4d} fp={fp:4d} fn={fn:4d}  P={p:.3f} R={r:.3f} F1={f:.3f}")
    print(f"speed (first pass): {words} words in {seconds:.2f}s = {words / seconds:,.0f} words/s")
    t0 = time.perf_counter()
    for text, known in runs:
        find_entities(text, known_persons=known, mode=args.mode)
    warm = time.perf_counter() - t0
    print(f"speed (second pass): {words / warm:,.0f} words/s")


if __name__ == "__main__":
    main()
