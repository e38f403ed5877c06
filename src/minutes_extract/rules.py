"""Rules live as data in the project's `rules/` folder; this module finds them, loads them by
name and checks them against their schema.

`get(name)` returns the validated rules of `rules/<name>.toml` as a frozen pydantic object:
an unknown or a missing key, a value of the wrong type or a regular expression that does not
compile is an error naming the file when the rules are first loaded, not a KeyError on the
first document. `check_all()` loads every rules file with a schema at once (the pipeline does
so at start). Schemas are declared next to the code that reads them and registered here by
name with `@schema("name")`.
"""

from __future__ import annotations

import csv
import functools
import importlib
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

# Modules that declare rule schemas; importing them registers their schemas.
_SCHEMA_MODULES = (
    "minutes_extract.names",
    "minutes_extract.segment.form",
    "minutes_extract.segment.attendance",
    "minutes_extract.segment.meeting",
    "minutes_extract.segment.items",
    "minutes_extract.segment.decisions",
    "minutes_extract.segment.checks",
    "minutes_extract.segment.wording",
)

# Rules files read as plain dicts (`load`) and the light module that declares the schema each
# is checked against when it is first loaded: importing it costs no more than the file.
_LOAD_SCHEMA_HOMES = {
    "ingest": "minutes_extract.text",
    "dates": "minutes_extract.dates",
    "parties": "minutes_extract.parties",
    "organisations": "minutes_extract.organisations",
    "municipality_forms": "minutes_extract.gazetteer",
}


class RulesError(ValueError):
    """A rules file that does not match its schema; str() names the file and the problem."""


def _compile(value: Any) -> re.Pattern:
    if isinstance(value, re.Pattern):
        return value
    try:
        return re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression ({exc}): {value!r}") from None


# A regular expression written as a string in a rules file, compiled when loaded.
Pattern = Annotated[re.Pattern, BeforeValidator(_compile)]


def _compiles(value: str) -> str:
    _compile(value)
    return value


# A regular expression (or a part of one) kept as its string for code that builds a larger
# pattern from it; a string that does not compile on its own is still an error when loaded.
PatternText = Annotated[str, AfterValidator(_compiles)]


class Rules(BaseModel):
    """Base of every rules schema: immutable, and no key it does not declare."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


_SCHEMAS: dict[str, type[Rules]] = {}


def schema(name: str):
    """Register a `Rules` subclass as the schema of `rules/<name>.toml`."""

    def register(cls: type[Rules]) -> type[Rules]:
        _SCHEMAS[name] = cls
        return cls

    return register


def alternation(words) -> str:
    """A regex alternation of literal words, longest first, so that "september" wins over
    "sep" and "Plats och tid" over "Plats"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def rules_dir() -> Path:
    """The rules folder: $MINUTES_EXTRACT_RULES, else the package's bundled copy."""
    env = os.environ.get("MINUTES_EXTRACT_RULES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "rules"


@functools.cache
def load(name: str) -> dict:
    """Load `rules/<name>.toml` as a plain dict (cached per process); a file read this way
    whose schema is declared in `_LOAD_SCHEMA_HOMES` is checked against it first."""
    data = _read(name)
    home = _LOAD_SCHEMA_HOMES.get(name)
    if home is not None:
        importlib.import_module(home)
        _validate(name, data)
    return data


def _read(name: str) -> dict:
    path = rules_dir() / f"{name}.toml"
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from None
    except FileNotFoundError:
        raise RulesError(f"{path}: no such rules file") from None


def _validate(name: str, data: dict) -> Rules:
    try:
        return _SCHEMAS[name].model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise RulesError(f"{rules_dir() / (name + '.toml')}: {problems}") from None


@functools.cache
def get(name: str) -> Rules:
    """The rules of `rules/<name>.toml`, validated against the schema registered for it."""
    if name not in _SCHEMAS:
        _import_schemas()
    if name in _LOAD_SCHEMA_HOMES:
        importlib.import_module(_LOAD_SCHEMA_HOMES[name])
    if name not in _SCHEMAS:
        raise RulesError(f"no schema for rules/{name}.toml")
    return _validate(name, _read(name))


def _import_schemas() -> None:
    for module in (*_SCHEMA_MODULES, *_LOAD_SCHEMA_HOMES.values()):
        importlib.import_module(module)


@functools.cache
def check_all() -> tuple[str, ...]:
    """Load and validate every rules file that has a schema; returns their names."""
    _import_schemas()
    for name in _SCHEMAS:
        get(name)
    return tuple(sorted(_SCHEMAS))


@functools.cache
def table(name: str) -> tuple[dict, ...]:
    """Load `rules/<name>` (a .csv or .tsv file) as a tuple of row dicts."""
    path = rules_dir() / name
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh, delimiter=delimiter))
