"""The records minutes-extract produces.

`MinutesRecord` serialises to the public per-document JSON shape (see corpus/gold/README.md);
fields beyond that shape carry provenance: character spans into the extracted text and the
page numbers they fall on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Group = Literal["present", "other", "absent"]


class Span(BaseModel):
    """Where something stands in the extracted text: [start, end) characters, first/last page."""

    start: int
    end: int
    page_start: int | None = None
    page_end: int | None = None


class Meeting(BaseModel):
    title: str | None = None
    organization: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    start_time: str | None = None  # HH:MM
    end_time: str | None = None
    place: str | None = None
    chair: str | None = None
    secretary: str | None = None
    next_meeting: str | None = None
    adjusters: list[str] = Field(default_factory=list)  # justerare


class Attendee(BaseModel):
    name: str
    affiliation: str | None = None
    municipality: str | None = None  # official short name
    role: str | None = None
    group: Group = "present"
    party: str | None = None
    replaces: str | None = None  # "ersätter X"
    note: str | None = None  # e.g. "§ 13", "fr o m § 6"
    span: Span | None = None


class DecisionBlock(BaseModel):
    text: str
    label: str | None = None  # the heading as written: "Beslut", "Beslut Miljö och klimat"
    span: Span | None = None


class Item(BaseModel):
    number: str
    title: str
    presenters: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)  # public shape: one string per block
    decision_blocks: list[DecisionBlock] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)
    case_number: str | None = None  # diarienummer, "Dnr KS 2019/123"
    span: Span | None = None


class Mention(BaseModel):
    label: Literal["PERSON", "MUNICIPALITY", "ORG", "DATE", "TIME"]
    text: str  # as written
    value: str | None = None  # normalised: full name, municipality short name, ISO date
    code: str | None = None  # SCB code for municipalities
    start: int
    end: int
    page: int | None = None
    item: str | None = None  # number of the agenda item it stands in


class DocumentInfo(BaseModel):
    file_name: str
    sha256: str
    format: str
    pages: int | None = None
    chars: int = 0
    # Pages without a usable text layer, read by OCR: the engine, the page numbers, each
    # page's mean word confidence (0-1; None where OCR found nothing) and the mean over all.
    ocr_engine: str | None = None
    ocr_pages: list[int] = Field(default_factory=list)
    ocr_page_confidence: list[float | None] = Field(default_factory=list)
    ocr_confidence: float | None = None


class MinutesRecord(BaseModel):
    source: str
    meeting: Meeting = Field(default_factory=Meeting)
    attendees: list[Attendee] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    # Decision blocks that stand outside numbered agenda items, in minutes that have none.
    decisions: list[DecisionBlock] = Field(default_factory=list)
    persons: list[str] = Field(default_factory=list)
    municipalities: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)
    dates_ignore: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    document: DocumentInfo | None = None
    pipeline_version: str | None = None
