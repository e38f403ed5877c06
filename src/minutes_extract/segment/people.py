"""Name-shaped phrases in short label values ("Föredragande: Anna Normann, utvecklingsstrateg")."""

from __future__ import annotations

import re

# A name word: capitalised, may be hyphenated ("Lars-Åke"), may carry an apostrophe.
_WORD = r"[A-ZÅÄÖÉÜ][a-zåäöéèüßøæ'’]+(?:-[A-ZÅÄÖÉÜ]?[a-zåäöéèüßøæ]+)*"
_PARTICLE = r"(?:af|av|von|van|der|de|da|di|la|le)"
NAME = re.compile(rf"\b{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,3}}\b")


def names_in(text: str) -> list[str]:
    """Full names (two to four name words) in a label value, in order, once each.

    Words that are organisation or place markers end a name, so "Region Skåne Anna Normann"
    yields "Anna Normann" rather than one four-word name.
    """
    found: list[str] = []
    for m in NAME.finditer(text):
        words = m.group(0).split()
        # A two-word run is a name even when its last word is a place ("Anna Lund").
        stop = {w for w in words if _not_a_name_word(w, place_too=len(words) > 2)}
        # Drop leading and trailing words that are not part of a person's name.
        while words and words[0] in stop:
            words.pop(0)
        while words and words[-1] in stop:
            words.pop()
        # "Region Skåne Anna Normann": cut after a stop word inside the run.
        for i, w in enumerate(words):
            if w in stop:
                words = words[i + 1:]
                break
        if len(words) >= 2:
            name = " ".join(words)
            if name not in found:
                found.append(name)
    return found


def _not_a_name_word(word: str, *, place_too: bool) -> bool:
    from .. import rules
    from ..gazetteer import lookup_municipality

    if word in rules.load("people")["not_name_words"]:
        return True
    return place_too and lookup_municipality(word) is not None
