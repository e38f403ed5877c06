"""Persons, municipalities and organisations in minutes text, as mentions with spans.

Persons named in the attendee lists (`known_persons`) are found wherever their full name is
written and give their spelling to other full-name mentions of the same person; the rest
comes from the pipeline of `minutes_extract.nlp`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from minutes_extract.gazetteer import by_code
from minutes_extract.models import Mention
from minutes_extract.nlp import entity_docs, is_surname
from minutes_extract.organisations import plausible as plausible_organisation

_GENITIVE_BODY = re.compile(r"(ens|ets|iges)$")
_GENITIVE_PLACE_ORG = re.compile(r"^(Region|Länsstyrelsen) .*[^s]s$")
_GENITIVE_COMPANY = re.compile(r"\bAB:?s$")


class _Ent(NamedTuple):
    """An entity of the pipeline, with offsets into the whole text."""

    start_char: int
    end_char: int
    label_: str
    id_: str
    text: str


def _entities(text: str, mode: str | None) -> list[_Ent]:
    """The pipeline's entities over the whole text, read in pieces (see nlp.entity_docs)."""
    return [_Ent(offset + e.start_char, offset + e.end_char, e.label_, e.id_,
                 text[offset + e.start_char:offset + e.end_char])
            for offset, doc in entity_docs(text, mode) for e in doc.ents]


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _first_last(name: str) -> tuple[str, str]:
    words = _key(name).split()
    return words[0], words[-1]


def _full_names(known_persons: Iterable[str]) -> list[str]:
    """Known names with a first and a last name; a bare username or surname is no full name."""
    names = {" ".join(n.split()) for n in known_persons}
    return sorted((n for n in names if len(n.split()) >= 2), key=len, reverse=True)


def _known_spans(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for name in names:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)"
        spans += [(m.start(), m.end(), name) for m in re.finditer(pattern, text, re.IGNORECASE)]
    return spans


def _person_value(text: str, known: dict[tuple[str, str], str], written: set[tuple[str, str]]) -> str:
    """A person's full name: the attendee list's spelling of the same person, else as written,
    a genitive -s dropped when the document writes the name without it or the name lists
    know only the form without it ("Fredrik Hanssons förslag")."""
    name = " ".join(text.split())
    first, last = _first_last(name)
    if (first, last) in known:
        return known[(first, last)]
    if last.endswith("s") and not last.endswith("ss"):
        stem = (first, last[:-1])
        if stem in known:
            return known[stem]
        surname = name.split()[-1]
        if stem in written or is_surname(surname[:-1]) and not is_surname(surname):
            return name[:-1]
    return name


def _org_value(written: str) -> str:
    """Canonical organisation name: white space collapsed, a genitive dropped (a body's
    "Kommunstyrelsens", a place's "Region Skånes", a company's "Serneke ABs", "AB:s")."""
    name = " ".join(written.split())
    if _GENITIVE_COMPANY.search(name):
        name = _GENITIVE_COMPANY.sub("AB", name)
    elif _GENITIVE_BODY.search(name) or _GENITIVE_PLACE_ORG.match(name):
        name = name[:-1]
    return name[:1].upper() + name[1:]


def find_entities(
    text: str,
    *,
    known_persons: Iterable[str] = (),
    meeting_date: str | None = None,
    mode: str | None = None,
) -> list[Mention]:
    """PERSON, MUNICIPALITY and ORG mentions in `text`, ordered by position.

    `meeting_date` is accepted for the pipeline's uniform call and does not change the result;
    `mode` picks rules, model or both (see `minutes_extract.nlp`).
    """
    del meeting_date
    names = _full_names(known_persons)
    known = {_first_last(n): n for n in names}
    ents = _entities(text, mode)
    persons = [e for e in ents if e.label_ == "PERSON"]
    # a known name inside a longer written name ("Julia Magdalena Sundqvist") yields to it
    found = [(s, e, v) for s, e, v in _known_spans(text, names)
             if not any(p.start_char <= s and e <= p.end_char and (e - s) < len(p.text) for p in persons)]
    mentions = [Mention(label="PERSON", text=text[s:e], value=v, start=s, end=e) for s, e, v in found]
    written = {_first_last(e.text) for e in persons} | set(known)
    for ent in ents:
        s, e = ent.start_char, ent.end_char
        if any(s < fe and fs < e for fs, fe, _ in found):
            continue
        if ent.label_ == "PERSON":
            # A surname alone carries the full name it stands for as its id.
            full = ent.id_ if len(ent.text.split()) == 1 and ent.id_ else ent.text
            mentions.append(Mention(label="PERSON", text=ent.text, value=_person_value(full, known, written),
                                    start=s, end=e))
        elif ent.label_ == "MUNICIPALITY":
            m = by_code()[ent.id_]
            mentions.append(Mention(label="MUNICIPALITY", text=ent.text, value=m.name, code=m.code,
                                    start=s, end=e))
        elif plausible_organisation(ent.text):
            mentions.append(Mention(label="ORG", text=ent.text, value=_org_value(ent.text), start=s, end=e))
    _genitive_organisations(mentions)
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _genitive_organisations(mentions: list[Mention]) -> None:
    """An organisation written both with and without a final s in one document is the same
    organisation, the s a genitive ("Strandstädningsföreningen Vrakats årsmöte")."""
    names = {m.value for m in mentions if m.label == "ORG"}
    for m in mentions:
        if m.label == "ORG" and m.value and m.value.endswith("s") and m.value[:-1] in names:
            m.value = m.value[:-1]
