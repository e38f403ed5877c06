"""One document, end to end: ingest -> segment -> entities -> record."""

from __future__ import annotations

import re

from . import config, parties, rules
from .errors import NotMinutes
from .ingest import Source, load
from .models import DocumentInfo, Mention, MinutesRecord
from .segment import proceedings, segment


def extract(path) -> MinutesRecord:
    """The record of the minutes in `path`; raises `IngestError` for a file that cannot be
    read and `NotMinutes` for a text without minutes structure (both `ExtractionError`)."""
    return build_record(load(path))


def build_record(source: Source) -> MinutesRecord:
    from .dates import find_dates
    from .entities import find_entities

    rules.check_all()  # a rules file that does not match its schema stops the run here
    seg = segment(source)
    _tidy(seg)
    meeting = seg.meeting
    if not (meeting.date or seg.attendees or seg.items):
        raise NotMinutes(source.path, "no minutes structure found "
                         "(no meeting date, attendee list or numbered agenda)")
    # Votes, reservations, notes, jäv and presence per item.
    warnings = seg.warnings + proceedings.attach(source, seg.items, seg.attendees)
    mentions: list[Mention] = find_entities(
        source.text, known_persons=[a.name for a in seg.attendees],
        meeting_date=meeting.date)
    for d in find_dates(source.text, meeting.date):
        for value in d.values:
            mentions.append(Mention(label="DATE", text=d.text, value=value,
                                    start=d.start, end=d.end))
    mentions.sort(key=lambda m: (m.start, m.end))
    for m in mentions:
        m.page = source.page_at(m.start)
        m.item = _item_number_at(seg.items, m.start)
    ocr_pages = set(source.metadata.get("ocr", {}).get("pages", []))
    if ocr_pages:
        _mend_misread_names(mentions, [a.name for a in seg.attendees], ocr_pages)
    return MinutesRecord(
        source=source.path.name,
        meeting=meeting,
        attendees=seg.attendees,
        items=seg.items,
        decisions=seg.decisions,
        persons=_persons(seg.attendees, mentions),
        municipalities=_unique(
            [a.municipality for a in seg.attendees if a.municipality]
            + [m.value for m in mentions if m.label == "MUNICIPALITY" and m.value]),
        organizations=_unique([m.value or m.text for m in mentions if m.label == "ORG"]),
        # The meeting's own date counts even where only the title or front matter states it.
        dates=_unique(([meeting.date] if meeting.date else [])
                      + [m.value for m in mentions if m.label == "DATE" and m.value]),
        mentions=mentions,
        document=DocumentInfo(file_name=source.path.name, sha256=source.sha256,
                              format=source.format, pages=len(source.pages) or None,
                              chars=len(source.text), **_ocr_info(source.metadata)),
        pipeline_version=config.pipeline_version(),
        warnings=warnings,
    )


def _tidy(seg) -> None:
    """What a user counts on: one canonical party code with the form as written beside it,
    notes and other attendee fields on one line without trailing white space, each
    attachment listed once ("Bilaga 2" and "bil. 2" are one)."""
    for a in seg.attendees:
        written = a.party
        a.party = parties.canonical(written)
        a.party_as_written = " ".join(written.split()) if written else None
        for field in ("note", "role", "affiliation", "replaces"):
            value = getattr(a, field)
            if value is not None:
                setattr(a, field, _one_line(value) or None)
    for it in seg.items:
        it.attachments = _unique_attachments(it.attachments)


def _one_line(text: str) -> str:
    return re.sub(r"\s+([,.;:)])", r"\1", " ".join(text.split()))


_ATTACHMENT_WORD = re.compile(r"^(?:bilagor|bilaga|bil)\b\.?\s*", re.IGNORECASE)


def _attachment_key(text: str) -> str:
    """"Bilaga 2", "bilaga 2" and "bil. 2" compare equal."""
    return _ATTACHMENT_WORD.sub("bilaga ", " ".join(text.split()).casefold())


def _unique_attachments(attachments: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for a in attachments:
        seen.setdefault(_attachment_key(a), _one_line(a))
    return list(seen.values())


def _mend_misread_names(mentions: list[Mention], attendees: list[str], ocr_pages: set[int]) -> None:
    """OCR misreads a letter or two of a name, above all a handwritten one ("Simon Lindblac"
    beside "Simon Lindblad"). A person named on an OCR'd page whose surname is one letter
    (two, in a surname of eight letters or more) off that of another person with the same
    first name in the document is that person: the mention takes the name the document
    writes most often, or first. Short surnames are left alone: "Berg" and "Borg" are two
    people."""
    people = [m for m in mentions if m.label == "PERSON" and m.value and len(m.value.split()) >= 2]
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    for k, name in enumerate(attendees + [m.value for m in people]):
        key = " ".join(name.casefold().split())
        count[key] = count.get(key, 0) + 1
        first.setdefault(key, k)
    written = {" ".join(m.value.casefold().split()): m.value for m in people}
    written.update({" ".join(a.casefold().split()): a for a in attendees})
    rank = sorted(count, key=lambda n: (-count[n], first[n]))
    mended: dict[str, str] = {}
    for name in rank:
        if not any(m.page in ocr_pages and " ".join(m.value.casefold().split()) == name
                   for m in people):
            continue
        for better in rank[:rank.index(name)]:
            if better not in mended and _same_person_misread(name, better):
                mended[name] = written[better]
                break
    for m in people:
        key = " ".join(m.value.casefold().split())
        if key in mended:
            m.value = mended[key]


def _same_person_misread(a: str, b: str) -> bool:
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or wa[:-1] != wb[:-1]:
        return False
    last = min(len(wa[-1]), len(wb[-1]))
    allowed = 2 if last >= 8 else 1 if last >= 5 else 0
    return 0 < _edits(wa[-1], wb[-1]) <= allowed


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j - 1] + (ca != cb), prev[j] + 1, cur[j - 1] + 1))
        prev = cur
    return prev[-1]


def _ocr_info(metadata: dict) -> dict:
    ocr = metadata.get("ocr")
    if not ocr:
        return {}
    weights = ocr["characters"]
    read = sum(c for c, k in zip(weights, ocr["confidence"]) if k is not None)
    return {
        "ocr_engine": ocr["engine"], "ocr_pages": ocr["pages"],
        "ocr_page_confidence": ocr["confidence"],
        "ocr_confidence": round(sum(c * k for c, k in zip(weights, ocr["confidence"])
                                    if k is not None) / read, 3) if read else None,
    }


def _item_number_at(items, offset: int) -> str | None:
    for it in items:
        if it.span and it.span.start <= offset < it.span.end:
            return it.number
    return None


def _persons(attendees, mentions) -> list[str]:
    """Everyone named in full: attendees with at least a first and a last name (an initial
    for a surname, "Martin I", is no full name), then person mentions in the text."""
    names = [a.name for a in attendees if _full_name(a.name)]
    names += [m.value for m in mentions if m.label == "PERSON" and m.value and _full_name(m.value)]
    return _unique(names)


def _full_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and len(words[-1].rstrip(".")) > 1


def _unique(values) -> list[str]:
    seen, out = set(), []
    for v in values:
        key = " ".join(v.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
