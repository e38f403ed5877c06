"""Convert the Swedish NER corpora in training/data/ to spaCy DocBin files.

Labels kept: PER, LOC, ORG.  Klintan's MISC becomes no entity; its outside tag is
the digit "0" and its scheme is IO, so a run of equal labels is one entity (two
adjacent same-label names cannot be told apart in IO, which is the corpus' loss).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

LABELS = {"PER", "LOC", "ORG"}
SOFT_HYPHEN = "\u00ad"
# Detokenising klintan (no raw text): no space before closing punctuation, none after opening.
NO_SPACE_BEFORE = set(",.:;!?)]}%")
NO_SPACE_AFTER = set("([{")

Sentence = tuple[list[str], list[bool], list[str]]  # words, spaces, IOB2 tags


def read_uner(path: Path) -> Iterator[Sentence]:
    """UNER CoNLL-style IOB2: comment lines start with '#', token lines are
    index, word, tag, and two annotator columns."""
    words: list[str] = []
    tags: list[str] = []
    text = ""
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[len("# text = "):]
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if words:
                yield words, _spaces_from_text(words, text), [_keep(t) for t in tags]
            words, tags, text = [], [], ""
        else:
            cols = line.split("\t")
            words.append(cols[1])
            tags.append(cols[2])


def _keep(tag: str) -> str:
    return tag if tag == "O" or tag[2:] in LABELS else "O"


def _spaces_from_text(words: list[str], text: str) -> list[bool]:
    """Recover whitespace after each token from the sentence text, so the DocBin's
    text reads like running Swedish and the tokenizer sees realistic input."""
    spaces = []
    cursor = 0
    for word in words:
        found = text.find(word, cursor)
        if found < 0:
            spaces.append(True)
            continue
        cursor = found + len(word)
        spaces.append(cursor < len(text) and text[cursor].isspace())
    return spaces


def read_klintan(path: Path) -> Iterator[Sentence]:
    words: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if len(parts) == 2:
            word = parts[0].replace(SOFT_HYPHEN, "") or parts[0]
            words.append(word)
            labels.append(parts[1] if parts[1] in LABELS else "O")
        elif not parts and words:
            yield words, _guess_spaces(words), _io_to_iob2(labels)
            words, labels = [], []
        # a line with a word but no tag (one in the corpus) is dropped


def _guess_spaces(words: list[str]) -> list[bool]:
    spaces = []
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        spaces.append(bool(nxt) and nxt not in NO_SPACE_BEFORE and word not in NO_SPACE_AFTER)
    return spaces


def _io_to_iob2(labels: list[str]) -> list[str]:
    tags = []
    previous = "O"
    for label in labels:
        if label == "O":
            tags.append("O")
        else:
            tags.append(("I-" if label == previous else "B-") + label)
        previous = label
    return tags


def case_variants(sentences: list[Sentence], share: float, seed: int) -> list[Sentence]:
    """Upper-cased and title-cased copies of a share of the sentences that hold a
    name: minutes set names in headings and signature blocks in these cases."""
    rng = random.Random(seed)
    with_names = [s for s in sentences if any(t != "O" for t in s[2])]
    picked = rng.sample(with_names, int(len(with_names) * share))
    variants = []
    for i, (words, spaces, tags) in enumerate(picked):
        change = str.upper if i % 2 == 0 else str.title
        variants.append(([change(w) for w in words], spaces, tags))
    return variants


def to_docbin(sentences: Iterable[Sentence]) -> DocBin:
    vocab = spacy.blank("sv").vocab
    db = DocBin(store_user_data=False)
    for words, spaces, tags in sentences:
        db.add(Doc(vocab, words=words, spaces=spaces, ents=tags))
    return db


def _dedupe(sentences: Iterable[Sentence], seen: set[tuple[str, ...]]) -> list[Sentence]:
    kept = []
    for s in sentences:
        key = tuple(s[0])
        if key not in seen:
            seen.add(key)
            kept.append(s)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "corpus")
    parser.add_argument("--klintan", action=argparse.BooleanOptionalAction, default=True,
                        help="add the klintan corpus to train.spacy")
    parser.add_argument("--klintan-dev", action=argparse.BooleanOptionalAction, default=True,
                        help="add klintan's test file to dev.spacy (else it goes to train)")
    parser.add_argument("--case-share", type=float, default=0.0,
                        help="share of name-bearing train sentences added again in upper/title case")
    parser.add_argument("--uner-repeat", type=int, default=1,
                        help="copies of UNER train in train.spacy, to weigh it against the larger klintan")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    uner = args.data / "uner-swedish-talbanken"
    klintan = args.data / "klintan-swedish-ner-corpus"
    args.out.mkdir(parents=True, exist_ok=True)

    splits = {s: list(read_uner(uner / f"sv_talbanken-ud-{s}.iob2")) for s in ("train", "dev", "test")}
    # Held-out sentences must never reach training, even via the other corpus.
    seen = {tuple(s[0]) for split in ("dev", "test") for s in splits[split]}
    dev = list(splits["dev"])
    # with --no-klintan-dev the file goes to train below, so it must not mark its sentences seen
    klintan_test = _dedupe(read_klintan(klintan / "test_corpus.txt"), seen if args.klintan_dev else set(seen))
    if args.klintan_dev:
        # UNER dev holds 23 entities, too few to pick a checkpoint by; klintan's own
        # test file adds some 1,300 more from Swedish news.
        dev += klintan_test
    # UNER is the target domain (mixed Swedish prose); klintan has four times its names.
    train = _dedupe(splits["train"], seen) * args.uner_repeat
    if args.klintan:
        files = ["train_corpus.txt"] + ([] if args.klintan_dev else ["test_corpus.txt"])
        for name in files:
            train += _dedupe(read_klintan(klintan / name), seen)
    train += case_variants(train, args.case_share, args.seed)
    random.Random(args.seed).shuffle(train)

    outputs = {"train": train, "dev": dev, "uner-dev": splits["dev"], "test": splits["test"],
               "klintan-test": klintan_test}
    for split, sentences in outputs.items():
        path = args.out / f"{split}.spacy"
        to_docbin(sentences).to_disk(path)
        n_ents = sum(t.startswith("B-") for s in sentences for t in s[2])
        print(f"{path}: {len(sentences)} sentences, {n_ents} entities")

if __name__ == "__main__":
    main()
