"""Copy a trained pipeline into the package, keeping only what loading needs.

The ner component gets its own copy of the tok2vec layer (listeners replaced), so
another pipeline can take it with `add_pipe("ner", source=...)` alone.  Training
scores and other bookkeeping are dropped from meta.json.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import spacy

KEEP_META = ("lang", "name", "version", "description", "license", "author", "spacy_version",
             "labels", "pipeline", "components", "disabled")
NOTICE = """\
Swedish NER model (PER, LOC, ORG) for minutes-extract, trained by training/train.sh.

Training data:
- UNER Swedish-Talbanken (Universal NER v1), CC BY-SA 4.0:
  Mayhew et al., "Universal NER: A Gold-Standard Multilingual Named Entity
  Recognition Benchmark", NAACL 2024.
- Swedish manually annotated NER corpus (klintan, from Spraakbanken's
  Webbnyheter 2012), CC BY 4.0.

The model weights derive from CC BY-SA 4.0 data and are shared under CC BY-SA 4.0
(https://creativecommons.org/licenses/by-sa/4.0/). The corpora, their licences and
read-me files are in training/data/ (see SOURCES.md there).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, help="trained pipeline, e.g. .../model-best")
    parser.add_argument("dest", type=Path)
    args = parser.parse_args()

    nlp = spacy.load(args.source)
    if "tok2vec" in nlp.pipe_names:
        nlp.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
        nlp.remove_pipe("tok2vec")
    nlp.meta["name"] = "minutes_extract_ner"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Swedish PER/LOC/ORG recogniser; see README.md beside it."
    nlp.meta["license"] = "CC BY-SA 4.0"
    for key in list(nlp.meta):
        if key not in KEEP_META:
            del nlp.meta[key]

    if args.dest.exists():
        shutil.rmtree(args.dest)
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.dest)
    (args.dest / "README.md").write_text(NOTICE, encoding="utf-8")
    size = sum(p.stat().st_size for p in args.dest.rglob("*") if p.is_file())
    print(f"shipped {args.dest} ({size / 1e6:.1f} MB), pipeline {nlp.pipe_names}")


if __name__ == "__main__":
    main()
