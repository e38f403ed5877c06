"""Rebuild rules/names/* and rules/agencies.tsv from the shared gazetteers and NER corpus.

Keeps first names and surnames with at least MIN_BEARERS bearers, and the lower-case words
that occur at least MIN_COUNT times in running news text (evidence that a capitalised token
is an ordinary word rather than a surname).

    python scripts/build_name_rules.py /work/shared
"""

from __future__ import annotations

import collections
import csv
import gzip
import sys
from pathlib import Path

MIN_BEARERS = 20
MIN_COUNT = 1
RULES = Path(__file__).resolve().parent.parent / "rules"


def write_counts(path: Path, counts: dict[str, int]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "persons"])
        for name, n in sorted(counts.items()):
            if n >= MIN_BEARERS:
                w.writerow([name, n])


def main(shared: Path) -> None:
    names = shared / "gazetteers" / "names"
    first: dict[str, int] = collections.Counter()
    for f in ["tilltalsnamn-kvinnor", "tilltalsnamn-man", "fornamn-kvinnor", "fornamn-man"]:
        with open(names / f"{f}.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                first[r["name"]] = max(first[r["name"]], int(r["persons"]))
    with gzip.open(names / "efternamn.csv.gz", "rt", encoding="utf-8") as fh:
        last = {r["name"]: int(r["persons"]) for r in csv.DictReader(fh)}
    write_counts(RULES / "names" / "first-names.csv.gz", first)
    write_counts(RULES / "names" / "surnames.csv.gz", last)

    words: collections.Counter[str] = collections.Counter()
    for f in ["train_corpus.txt", "test_corpus.txt"]:
        with open(shared / "ner-data" / "klintan-swedish-ner-corpus" / f, encoding="utf-8") as fh:
            for line in fh:
                token = line.split("\t")[0]
                if token.isalpha() and token.islower():
                    words[token] += 1
    with gzip.open(RULES / "names" / "common-words.txt.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(f"{w}\n" for w, n in sorted(words.items()) if n >= MIN_COUNT)
    # Function words, so that the name rules need not load spaCy to know them.
    from spacy.lang.sv.stop_words import STOP_WORDS

    with gzip.open(RULES / "names" / "stop-words.txt.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(f"{w}\n" for w in sorted(STOP_WORDS))

    with open(shared / "gazetteers" / "myndigheter.tsv", encoding="utf-8") as src:
        (RULES / "agencies.tsv").write_text(src.read(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared"))
