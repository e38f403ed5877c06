"""Score a trained NER model on UNER Swedish-Talbanken and measure its speed.

Prints per-label precision/recall/F1 beside spaCy's published sv_core_news_sm
figures. Those were measured on SUC 3.0, a different test set, so the columns are a
reference point, not a like-for-like comparison.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import DocBin
from spacy.training import Example

# sv_core_news_sm 3.8 model card, NER per type on SUC 3.0 (it names persons PRS).
PUBLISHED_SM_F1 = {"PER": 0.848, "LOC": 0.857, "ORG": 0.549}
LABELS = ("PER", "LOC", "ORG")


def load_examples(nlp: Language, path: Path, limit: int = 0) -> list[Example]:
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    if limit:
        docs = docs[:limit]
    return [Example(nlp.make_doc(doc.text), doc) for doc in docs]


def score(nlp: Language, examples: list[Example]) -> dict:
    """Entity scores with the model running on raw text, as in use."""
    predicted = nlp.pipe(ex.predicted for ex in examples)
    scored = [Example(doc, ex.reference) for doc, ex in zip(predicted, examples)]
    return Scorer.score_spans(scored, "ents")


def words_per_second(nlp: Language, texts: list[str], rounds: int = 3) -> float:
    """Best of a few timed passes over raw text, tokenizer included."""
    list(nlp.pipe(texts[:50]))  # warm-up
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))
        best = max(best, n_words / (time.perf_counter() - start))
    return best


def main() -> None:
    here = Path(__file__).parent
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path,
                        default=here.parent / "src" / "minutes_extract" / "model" / "ner")
    parser.add_argument("--data", type=Path, default=here / "corpus" / "test.spacy")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N sentences")
    args = parser.parse_args()

    nlp = spacy.load(args.model)
    examples = load_examples(nlp, args.data, args.limit)
    scores = score(nlp, examples)
    per_type = scores["ents_per_type"]

    print(f"model: {args.model}\ndata:  {args.data} ({len(examples)} sentences)\n")
    print(f"{'label':<6} {'P':>6} {'R':>6} {'F1':>6}   {'sv_core_news_sm F1 (SUC 3.0)':>28}")
    for label in LABELS:
        s = per_type.get(label, {"p": 0.0, "r": 0.0, "f": 0.0})
        print(f"{label:<6} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f}   {PUBLISHED_SM_F1[label]:>28.3f}")
    print(f"{'all':<6} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} {scores['ents_f']:6.3f}")
    wps = words_per_second(nlp, [ex.reference.text for ex in examples])
    print(f"\nspeed: {wps:,.0f} words/s on CPU (1 process)")


if __name__ == "__main__":
    main()
