from __future__ import annotations

import functools
import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "gold"


@functools.cache
def _source(name: str):
    from minutes_extract.ingest import load

    return load(CORPUS / name)


@pytest.fixture
def corpus_source():
    """Load a corpus document by file name (cached across tests)."""
    return _source


@pytest.fixture
def gold():
    def read(name: str) -> dict:
        stem = name.rsplit(".", 1)[0]
        return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))

    return read


@pytest.fixture(scope="session")
def corpus_db_path(tmp_path_factory):
    """The whole bundled corpus imported once, as `minutes-extract import db corpus/` does."""
    from minutes_extract.batch import run_import

    path = tmp_path_factory.mktemp("corpus-db") / "minutes.db"
    run_import(path, [str(CORPUS)], workers=2)
    return path


@functools.cache
def _extracted(relative: str):
    from minutes_extract.pipeline import extract

    return extract(CORPUS / relative)


@pytest.fixture
def extracted():
    """The record of a corpus document by its path under corpus/ (cached across tests;
    do not change it)."""
    return _extracted


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    """A copy of the rules folder the pipeline reads instead of the shipped one, for tests
    that break a rules file; the loaded rules are forgotten before and after."""
    from minutes_extract import rules

    target = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), target)
    monkeypatch.setenv("MINUTES_EXTRACT_RULES", str(target))
    for cached in (rules.load, rules.get, rules.check_all):
        cached.cache_clear()
    yield target
    for cached in (rules.load, rules.get, rules.check_all):
        cached.cache_clear()


@pytest.fixture
def unprivileged() -> list[str]:
    """A command prefix that runs a child without root's power to read and write any file
    regardless of its mode (empty when not root), so that file permissions are tested."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]

