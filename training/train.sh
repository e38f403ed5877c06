#!/usr/bin/env bash
# Rebuild the shipped Swedish NER model from the corpora in training/data/:
# convert -> train -> ship into src/minutes_extract/model/ner -> evaluate on UNER test.
# Usage: training/train.sh [extra `spacy train` overrides, e.g. --training.max_steps 2000]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
DATA=training/data
CORPUS=training/corpus
MODEL=src/minutes_extract/model/ner
# The shipped mix is convert.py's default: UNER train once, klintan train, no case copies
# (UNER x3, x2 and case copies scored lower on dev; see README.md).
CONVERT_ARGS=()
# One BLAS thread: same result on every run, and the CNN gains nothing from more.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

"$PYTHON" training/convert.py --data "$DATA" --out "$CORPUS" ${CONVERT_ARGS[@]+"${CONVERT_ARGS[@]}"}
rm -rf "$CORPUS/output"
start=$(date +%s)
"$PYTHON" -m spacy train training/config.cfg --output "$CORPUS/output" \
  --paths.train "$CORPUS/train.spacy" --paths.dev "$CORPUS/dev.spacy" "$@"
echo "training took $(( $(date +%s) - start )) s"
"$PYTHON" training/ship.py "$CORPUS/output/model-best" "$MODEL"
"$PYTHON" training/evaluate_ner.py --model "$MODEL" --data "$CORPUS/test.spacy"
"$PYTHON" training/evaluate_pipeline.py --data "$CORPUS/test.spacy"
# The same, reading each test document whole, as the project reads minutes.
"$PYTHON" training/evaluate_pipeline.py --data "$CORPUS/test.spacy" \
  --documents training/data/uner-swedish-talbanken/sv_talbanken-ud-test.iob2
