"""One document, end to end: ingest -> segment -> entities -> record."""

from __future__ import annotations

from . import config
from .ingest import IngestError, Source, load
from .models import DocumentInfo, Mention, MinutesRecord
from .segment import segment


def extract(path) -> MinutesRecord:
    """The record of the minutes in `path`; raises IngestError for unreadable files."""
    return build_record(load(path))


def build_record(source: Source) -> MinutesRecord:
    from .dates import find_dates
    from .entities import find_entities

    seg = segment(source)
    meeting = seg.meeting
    if not (meeting.date or seg.attendees or seg.items):
        raise IngestError(source.path, "no minutes structure found "
                          "(no meeting date, attendee list or numbered agenda)")
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
    )


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
    """Everyone named in full: attendees with at least a first and a last name, then
    person mentions in the text."""
    names = [a.name for a in attendees if len(a.name.split()) >= 2]
    names += [m.value for m in mentions if m.label == "PERSON" and m.value
              and len(m.value.split()) >= 2]
    return _unique(names)


def _unique(values) -> list[str]:
    seen, out = set(), []
    for v in values:
        key = " ".join(v.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out
