"""The records minutes-extract produces.

`MinutesRecord` serialises to the public per-document JSON shape (see corpus/gold/README.md);
fields beyond that shape carry provenance: character spans into the extracted text and the
page numbers they fall on.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

Group = Literal["present", "other", "absent"]


class Span(BaseModel):
    """Where something stands in the extracted text: [start, end) characters, first/last page."""

    start: int
    end: int
    page_start: Optional[int] = None
    page_end: Optional[int] = None


class Meeting(BaseModel):
    title: Optional[str] = None
    organization: Optional[str] = None
    date: Optional[str] = None  # ISO YYYY-MM-DD
    start_time: Optional[str] = None  # HH:MM
    end_time: Optional[str] = None
    place: Optional[str] = None
    chair: Optional[str] = None
    secretary: Optional[str] = None
    next_meeting: Optional[str] = None
    adjusters: list[str] = Field(default_factory=list)  # justerare


class Attendee(BaseModel):
    name: str
    affiliation: Optional[str] = None
    municipality: Optional[str] = None  # official short name
    role: Optional[str] = None
    group: Group = "present"
    party: Optional[str] = None
    replaces: Optional[str] = None  # "ersätter X"
    note: Optional[str] = None  # e.g. "§ 13", "fr o m § 6"
    span: Optional[Span] = None


class DecisionBlock(BaseModel):
    text: str
    label: Optional[str] = None  # the heading as written: "Beslut", "Beslut Miljö och klimat"
    span: Optional[Span] = None


class Item(BaseModel):
    number: str
    title: str
    presenters: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)  # public shape: one string per block
    decision_blocks: list[DecisionBlock] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)
    case_number: Optional[str] = None  # diarienummer, "Dnr KS 2019/123"
    span: Optional[Span] = None


class Mention(BaseModel):
    label: Literal["PERSON", "MUNICIPALITY", "ORG", "DATE", "TIME"]
    text: str  # as written
    value: Optional[str] = None  # normalised: full name, municipality short name, ISO date
    code: Optional[str] = None  # SCB code for municipalities
    start: int
    end: int
    page: Optional[int] = None
    item: Optional[str] = None  # number of the agenda item it stands in


class DocumentInfo(BaseModel):
    file_name: str
    sha256: str
    format: str
    pages: Optional[int] = None
    chars: int = 0


class MinutesRecord(BaseModel):
    source: str
    meeting: Meeting = Field(default_factory=Meeting)
    attendees: list[Attendee] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    persons: list[str] = Field(default_factory=list)
    municipalities: list[str] = Field(default_factory=list)
    organizations: list[str] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)
    dates_ignore: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    document: Optional[DocumentInfo] = None
    pipeline_version: Optional[str] = None
