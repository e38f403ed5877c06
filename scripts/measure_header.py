"""Score meeting fields and attendees against the answer keys in corpus/gold.

    .venv/bin/python scripts/measure_header.py [-v] [name-substring ...]

Rules as in corpus/gold/README.md: names match after NFC, case folding and white-space
collapsing, or when first and last word agree; text fields match at token F1 >= 0.8,
dates and times exactly; over matched attendees, municipality and group exactly and role
at token F1 >= 0.5.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from minutes_extract import ingest
from minutes_extract.evaluate import normalise as norm
from minutes_extract.evaluate import same_person, token_f1
from minutes_extract.segment.attendees import parse_attendees
from minutes_extract.segment.header import parse_meeting
from minutes_extract.segment.items import find_items

ROOT = Path(__file__).resolve().parent.parent
TEXT_FIELDS = ("title", "organization", "place", "chair", "secretary")
EXACT_FIELDS = ("date", "start_time", "end_time", "next_meeting")


def same_name(a: str, b: str) -> bool:
    return same_person(norm(a), norm(b))


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    wanted = [a for a in argv if a != "-v"]
    totals = Counter()
    field_hits = Counter()
    field_n = Counter()
    for gold_path in sorted((ROOT / "corpus" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text())
        if wanted and not any(w in gold["source"] for w in wanted):
            continue
        try:
            source = ingest.load(ROOT / "corpus" / gold["source"])
        except ingest.IngestError as e:
            print(f"SKIP {e}")
            continue
        items = find_items(source)
        meeting = parse_meeting(source, items).model_dump()
        people = parse_attendees(source, items)
        misses = []
        for f in TEXT_FIELDS + EXACT_FIELDS:
            g, p = gold["meeting"].get(f), meeting.get(f)
            ok = (token_f1(g, p) >= 0.8) if f in TEXT_FIELDS else (g == p)
            field_n[f] += 1
            field_hits[f] += ok
            if not ok:
                misses.append(f"  meeting.{f}: gold={g!r} pred={p!r}")
        gold_att = gold.get("attendees", [])
        matched, used = [], set()
        for p in people:
            for i, g in enumerate(gold_att):
                if i not in used and same_name(p.name, g["name"]):
                    used.add(i)
                    matched.append((p, g))
                    break
            else:
                if not any(same_name(p.name, g["name"]) for g in gold_att):
                    misses.append(f"  + extra attendee {p.name!r} ({p.group}, {p.role!r})")
        for i, g in enumerate(gold_att):
            if i not in used:
                misses.append(f"  - missed attendee {g['name']!r} ({g['group']})")
        tp = len(matched)
        totals["tp"] += tp
        totals["pred"] += len({norm(p.name) for p in people})
        totals["gold"] += len(gold_att)
        for p, g in matched:
            totals["matched"] += 1
            for attr, ok in (
                ("municipality", p.municipality == g.get("municipality")),
                ("group", p.group == g.get("group")),
                ("role", (g.get("role") is None and p.role is None) or token_f1(p.role, g.get("role")) >= 0.5),
            ):
                totals[attr] += ok
                if not ok:
                    misses.append(f"  {attr} of {g['name']!r}: gold={g.get(attr)!r} pred={getattr(p, attr)!r}")
        print(f"{gold['source']}: attendees {tp}/{len(gold_att)} gold, {len(people)} predicted")
        if verbose or wanted:
            print("\n".join(misses))
    p = totals["tp"] / totals["pred"] if totals["pred"] else 0.0
    r = totals["tp"] / totals["gold"] if totals["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"\nattendees P={p:.3f} R={r:.3f} F1={f1:.3f} (tp {totals['tp']}, pred {totals['pred']}, gold {totals['gold']})")
    for attr in ("municipality", "group", "role"):
        print(f"  {attr} accuracy {totals[attr] / max(totals['matched'], 1):.3f}")
    for f in TEXT_FIELDS + EXACT_FIELDS:
        print(f"meeting.{f}: {field_hits[f]}/{field_n[f]}")


if __name__ == "__main__":
    main(sys.argv[1:])
