"""Rules live as data in the project's `rules/` folder; this module finds and loads them by name."""

from __future__ import annotations

import csv
import functools
import os
import tomllib
from pathlib import Path


def rules_dir() -> Path:
    """The rules folder: $MINUTES_EXTRACT_RULES, else the package's bundled copy."""
    env = os.environ.get("MINUTES_EXTRACT_RULES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "rules"


@functools.cache
def load(name: str) -> dict:
    """Load `rules/<name>.toml` as a dict (cached per process)."""
    with open(rules_dir() / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@functools.cache
def table(name: str) -> tuple[dict, ...]:
    """Load `rules/<name>` (a .csv or .tsv file) as a tuple of row dicts."""
    path = rules_dir() / name
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh, delimiter=delimiter))
