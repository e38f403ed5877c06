"""Fuzzing the extraction of one document with mutated corpus texts (hypothesis).

Each example takes a real text or Markdown file of the corpus and changes it the ways
hostile or broken input does: long runs of one character or snippet (blanks, capitals,
digits, brackets, `§ 1`, hyphens at line ends), cut or repeated passages, lines joined into
one, binary bytes spliced in. It runs through `batch.extract`, the function a worker runs,
which turns every exception into a one-line reason. The test fails on a reason that is an
unexpected exception ("extraction failed (...)") and on a document whose extraction takes
more than 5 CPU seconds. A fixed seed (derandomize) keeps CI repeatable; set
HYPOTHESIS_PROFILE=explore for a longer random search.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from minutes_extract import batch

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SOURCES = ["mlr-kdm-2019-01-29.txt", "kungsbacka-ksau-2025-01-14.md",
           "varbygd1891-styrelsemote-2005-03-28.txt", "lithekod-styrelsemote-2021-09-02.txt",
           "stacken-varmote-2018.md", "umearegionen-regionradsmote-2012-06-12.txt"]
CPU_BUDGET = 5.0

# What long runs are made of: blanks, letters, digits, punctuation and the openings the
# segmenter looks for.
SNIPPETS = [" ", "\t", "\n", " \n", "a", "1", ".", "-", "(", "!?", "_", "*", "|", "#", "[",
            "<!--", "a-\n", "1. ", "§ 1 ", "§ ", "den 1 mars ", "kl. 12.00 ", ", ",
            "Beslut: ", "Närvarande: ", "ÅÄÖ", "x" * 7 + " ", ". . . "]

settings.register_profile(
    "ci", max_examples=30, derandomize=True, deadline=None, print_blob=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "explore", max_examples=400, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutation(draw):
    kind = draw(st.sampled_from(["run", "cut", "repeat", "join", "bytes"]))
    where = draw(st.floats(0, 1))
    if kind == "run":
        snippet = draw(st.sampled_from(SNIPPETS) | st.text(min_size=1, max_size=4))
        return kind, where, snippet, draw(st.integers(1, 4000))
    if kind == "bytes":
        return kind, where, draw(st.binary(min_size=1, max_size=64)), 1
    return kind, where, None, draw(st.integers(1, 4000))


def mutate(data: bytes, mutations) -> bytes:
    for kind, where, what, size in mutations:
        at = int(where * len(data))
        if kind == "run":
            data = data[:at] + (what * size).encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "bytes":
            data = data[:at] + what + data[at:]
        elif kind == "cut":
            data = data[:at] + data[at + size:]
        elif kind == "repeat":
            data = data[:at] + data[at:at + size] * 3 + data[at:]
        else:  # join lines into one long line
            data = data[:at] + data[at:at + size * 4].replace(b"\n", b" ") + data[at + size * 4:]
    return data


@settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")))
@given(name=st.sampled_from(SOURCES), mutations=st.lists(mutation(), min_size=1, max_size=3))
def test_mutated_corpus_texts_extract_without_exception_within_the_cpu_budget(
        tmp_path_factory, name, mutations):
    data = mutate((CORPUS / name).read_bytes(), mutations)
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    start = time.process_time()
    outcome = batch.extract(str(path))
    spent = time.process_time() - start
    assert not (outcome.error or "").startswith("extraction failed"), outcome.error
    assert spent < CPU_BUDGET, f"{spent:.1f} CPU seconds"
