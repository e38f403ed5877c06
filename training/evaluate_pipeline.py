"""Score the project's entity systems on UNER Swedish-Talbanken: rules alone, model alone, both.

- rules: `nlp.get_nlp("rules")` (SCB name lists with context, municipality, county and
  organisation gazetteers and patterns);
- model: the shipped NER model by itself, all its labels;
- both:  `nlp.get_nlp("both")`, rules first and the model filling what they leave.

The project's labels map onto UNER's: PERSON -> PER, MUNICIPALITY -> LOC, ORG -> ORG. The
project keeps no general place label, so places that are not municipalities (counties from
the rules, countries and towns from the model) are scored as LOC where they overlap no chosen
entity; PER and ORG are exactly what the pipeline emits.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy
from spacy.scorer import Scorer
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from minutes_extract import nlp as pipeline
from minutes_extract.ner import load_ner

HERE = Path(__file__).resolve().parent

LABELS = ("PER", "LOC", "ORG")
PROJECT_TO_UNER = {"PERSON": "PER", "MUNICIPALITY": "LOC", "ORG": "ORG"}
# sv_core_news_sm 3.8 model card, NER per type on SUC 3.0 (persons are PRS there).
PUBLISHED_SM_F1 = {"PER": 0.848, "LOC": 0.857, "ORG": 0.549}

Tagger = Callable[[list[str]], Iterable[Doc]]


def _model_alone(texts: list[str]) -> Iterable[Doc]:
    return load_ner().pipe(texts, batch_size=256)


def _project(mode: str) -> Tagger:
    nlp = pipeline.get_nlp(mode)

    def tag(texts: list[str]) -> Iterable[Doc]:
        resolver = nlp.get_pipe("minutes_resolver")
        with nlp.select_pipes(disable=["minutes_resolver"]):
            for doc in nlp.pipe(texts, batch_size=256):
                model_places = [e for e in doc.ents if e.label_ in ("LOC", "GPE")]
                doc = resolver(doc)
                counties = [s for s in doc.spans.get(pipeline.CANDIDATES, []) if s.label_ == "COUNTY"]
                yield _as_uner(doc, counties + model_places)

    return tag


def _as_uner(doc: Doc, places: list[Span]) -> Doc:
    spans = [Span(doc, e.start, e.end, label=PROJECT_TO_UNER[e.label_]) for e in doc.ents]
    taken = {i for s in spans for i in range(s.start, s.end)}
    for s in sorted(places, key=lambda s: s.start - s.end):  # longest first
        if not taken & set(range(s.start, s.end)):
            spans.append(Span(doc, s.start, s.end, label="LOC"))
            taken |= set(range(s.start, s.end))
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc


def in_documents(tag: Tagger, documents: list[int]) -> Tagger:
    """Tag whole documents, as the project reads minutes, and score sentence by sentence:
    `documents` gives how many consecutive sentences each document has. Sentences are
    joined by line breaks; entities come back to their sentence by character offsets."""

    def tagged(texts: list[str]) -> Iterable[Doc]:
        k = 0
        groups = []
        for n in documents:
            groups.append(texts[k:k + n])
            k += n
        if k < len(texts):
            groups.append(texts[k:])
        joined = ["\n".join(g) for g in groups]
        make_doc = load_ner().make_doc
        for group, doc in zip(groups, tag(joined)):
            offset = 0
            for sentence in group:
                out = make_doc(sentence)
                spans = []
                for e in doc.ents:
                    if offset <= e.start_char and e.end_char <= offset + len(sentence):
                        span = out.char_span(e.start_char - offset, e.end_char - offset,
                                             label=e.label_, alignment_mode="expand")
                        if span is not None:
                            spans.append(span)
                out.ents = spacy.util.filter_spans(spans)
                yield out
                offset += len(sentence) + 1

    return tagged


def documents_of(iob2: Path) -> list[int]:
    """Sentences per document ("# newdoc" markers) of a UNER IOB2 file, in order."""
    counts: list[int] = []
    for line in iob2.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            counts.append(0)
        elif line.startswith("# sent_id"):
            if not counts:
                counts.append(0)
            counts[-1] += 1
    return counts


SYSTEMS: dict[str, Callable[[], Tagger]] = {
    "rules": lambda: _project("rules"),
    "model": lambda: _model_alone,
    "both": lambda: _project("both"),
}


def evaluate(tag: Tagger, references: list[Doc]) -> tuple[dict, float]:
    """Entity scores and words/s (best of three passes, tokenizer included)."""
    texts = [d.text for d in references]
    list(tag(texts[:50]))  # warm-up: loads lists and weights outside the timing
    best, predicted = 0.0, []
    for _ in range(3):
        start = time.perf_counter()
        predicted = list(tag(texts))
        best = max(best, sum(len(d) for d in predicted) / (time.perf_counter() - start))
    examples = [Example(p, r) for p, r in zip(predicted, references)]
    return Scorer.score_spans(examples, "ents"), best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=HERE / "corpus" / "test.spacy")
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    parser.add_argument("--documents", type=Path, default=None,
                        help="UNER .iob2 file of the same split: tag whole documents (the "
                             "sentences between '# newdoc' markers) instead of single sentences")
    args = parser.parse_args()

    references = list(DocBin().from_disk(args.data).get_docs(load_ner().vocab))
    print(f"data: {args.data} ({len(references)} sentences)\n")
    print(f"{'system':<7} {'label':<5} {'P':>6} {'R':>6} {'F1':>6}   sv_core_news_sm F1 (SUC 3.0)")
    for name in args.systems:
        tag = SYSTEMS[name]()
        if args.documents:
            tag = in_documents(tag, documents_of(args.documents))
        scores, wps = evaluate(tag, references)
        for label in LABELS:
            s = scores["ents_per_type"].get(label, {"p": 0.0, "r": 0.0, "f": 0.0})
            print(f"{name:<7} {label:<5} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f}   "
                  f"{PUBLISHED_SM_F1[label]:.3f}")
        print(f"{name:<7} {'all':<5} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} "
              f"{scores['ents_f']:6.3f}   {wps:,.0f} words/s\n")


if __name__ == "__main__":
    main()
