"""Sweden's 290 municipalities and the phrases that name them.

The data is rules/municipalities.csv (SCB codes, official short and long names, county) and
rules/municipality_forms.toml (institution words such as "kommun"/"stad", whole-phrase aliases).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from minutes_extract import rules


@rules.schema("municipality_forms")
class MunicipalityFormRules(rules.Rules):
    """rules/municipality_forms.toml: words that make a municipality's name an institution,
    names that need context, and other names of a municipality."""

    institution_words: list[str]
    needs_context: list[str]
    aliases: dict[str, str]


@dataclass(frozen=True)
class Municipality:
    code: str  # SCB code, e.g. "1281"
    name: str  # official short name, e.g. "Lund"
    long_name: str  # "Lunds kommun"
    county: str  # "Skåne län"

    @property
    def genitive(self) -> str:
        """The genitive stem the official long name uses: "Lunds", "Falu", "Malmö"."""
        return self.long_name.removesuffix(" kommun")


def normalise(text: str) -> str:
    """Compare key: NFC, case folded, white space collapsed, outer punctuation dropped."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\s+", " ", text)
    return text.strip(" \t\n.,;:()[]\"'”“-–")


def genitives(name: str) -> tuple[str, ...]:
    """Genitive spellings of a place name: "Lund" -> "Lunds"; names ending in s/x/z stay as they are."""
    if name[-1:].lower() in "sxz":
        return (name,)
    return (name + "s",)


@functools.cache
def municipalities() -> tuple[Municipality, ...]:
    """All 290 municipalities in SCB code order."""
    return tuple(
        Municipality(code=r["code"], name=r["name"], long_name=r["long_name"], county=r["county"])
        for r in rules.table("municipalities.csv")
    )


@functools.cache
def by_code() -> dict[str, Municipality]:
    return {m.code: m for m in municipalities()}


@functools.cache
def by_name() -> dict[str, Municipality]:
    """By official short name, as attendees' `municipality` holds it."""
    return {m.name: m for m in municipalities()}


def institution_forms(m: Municipality) -> set[str]:
    """Phrases naming the municipality as an institution: "Lunds kommun", "Malmö stad", "Lunds kommuns"."""
    words = rules.load("municipality_forms")["institution_words"]
    stems = {m.genitive, *genitives(m.name), m.name}
    forms = set()
    for stem in stems:
        for word in words:
            forms.add(f"{stem} {word}")
            forms.add(f"{stem} {word}s")
    return forms


@functools.cache
def phrase_index() -> dict[str, Municipality]:
    """Normalised phrase -> municipality, for every whole-phrase form of every municipality."""
    index: dict[str, Municipality] = {}
    for m in municipalities():
        for form in {m.name, m.long_name, *institution_forms(m)}:
            index.setdefault(normalise(form), m)
    for phrase, code in rules.load("municipality_forms")["aliases"].items():
        index[normalise(phrase)] = by_code()[code]
    return index


def lookup_municipality(text: str) -> Municipality | None:
    """The municipality a whole phrase names ("Lunds kommun", "Malmö stad", "Region Gotland"), else None."""
    return phrase_index().get(normalise(text))
