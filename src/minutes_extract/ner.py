"""The statistical Swedish NER model (PER, LOC, ORG) shipped inside the package.

Trained from openly licensed corpora (training/data/) by `training/train.sh`; loaded from
disk only, never fetched, so extraction works offline. The weights are CC BY-SA 4.0 (see
model/ner/README.md).
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language


def model_path() -> Path:
    """The shipped model's directory."""
    return Path(__file__).resolve().parent / "model" / "ner"


@functools.cache
def load_ner() -> Language:
    """The shipped pipeline (tokenizer and ner), loaded once per process.

    Use it directly, or copy its recogniser into another `spacy.blank("sv")`
    pipeline with `nlp.add_pipe("ner", source=load_ner())`: the ner component carries
    its own tok2vec layer, so it needs nothing else from this pipeline.
    """
    return spacy.load(model_path())
