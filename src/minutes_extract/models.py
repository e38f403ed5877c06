"""The records minutes-extract produces.

`MinutesRecord` serialises to the public per-document JSON shape (see corpus/gold/README.md);
fields beyond that shape carry provenance: character spans into the extracted text and the
page numbers they fall on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_serializer

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
    party: str | None = None  # canonical code: "S", "L" (for "fp"), see rules/parties.toml
    party_as_written: str | None = None  # "s", "fp", "(S)"
    replaces: str | None = None  # "ersätter X"
    note: str | None = None  # e.g. "§ 13", "fr o m § 6"
    span: Span | None = None
    # The items this member was present for, where the minutes limit it (a note such as
    # "§§ 28-35", arriving or leaving during the meeting); None: the whole meeting.
    items: list[str] | None = None


class DecisionBlock(BaseModel):
    # In an item's `decision_blocks` the text is not written out: it is the item's
    # `decisions` string at the same position.
    text: str = ""
    label: str | None = None  # the heading as written: "Beslut", "Beslut Miljö och klimat"
    span: Span | None = None


VoteChoice = Literal["yes", "no", "abstain", "absent"]


class Ballot(BaseModel):
    """One member's vote in a roll-call list."""

    name: str
    party: str | None = None
    vote: VoteChoice
    replaces: str | None = None  # the member a tjänstgörande ersättare votes for


class Vote(BaseModel):
    """An omröstning / votering: counts, what "ja" meant, the result and the ballots."""

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    absent: int | None = None  # null unless the minutes state a count
    yes_means: str | None = None  # as written: "Ja för bifall till kommunstyrelsens förslag"
    no_means: str | None = None
    # The proposals set against each other, as written, yes side first.
    proposals: list[str] = Field(default_factory=list)
    # "kontraproposition": choosing the counter-proposal; "huvudvotering": the main vote.
    stage: Literal["kontraproposition", "huvudvotering"] | None = None
    result: str | None = None  # as written
    ballots: list[Ballot] = Field(default_factory=list)
    # True when the listed ballots add up to the stated counts, False when they do not,
    # None when there is nothing to check against.
    verified: bool | None = None
    attachment: str | None = None  # the voting list's label, "Bilaga A"
    span: Span | None = None


class Stance(BaseModel):
    """Who (a person or a party, as written) reserved, entered a note, or stood aside."""

    who: str  # as written: "Fredrik Karström (M)", "KD"
    name: str | None = None  # the person, without party
    party: str | None = None
    text: str | None = None  # the sentence as written (a note's content)
    written: bool | None = None  # a reservation or note handed in in writing
    in_favour_of: str | None = None  # "eget yrkande", "Thomas Eneströms (S) yrkande"
    attachment: str | None = None  # "Bilaga C"
    reason: str | None = None  # a recusal's or non-participation's grounds: "jäv"
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
    # The case number as a join key: label, case and spacing aside ("KS 2019/123").
    case_key: str | None = None
    votes: list[Vote] = Field(default_factory=list)
    reservations: list[Stance] = Field(default_factory=list)
    protocol_notes: list[Stance] = Field(default_factory=list)
    recusals: list[Stance] = Field(default_factory=list)  # jäv
    # Present but not taking part in the decision ("deltar inte i beslutet"): not a reservation.
    not_participating: list[Stance] = Field(default_factory=list)
    # Members of the meeting not present for this item, with the reason: an attendance note
    # ("§§ 28-35"), arriving or leaving at a §, jäv, not taking part.
    not_present: list[Stance] = Field(default_factory=list)

    @field_serializer("decision_blocks")
    def _blocks_without_text(self, blocks: list[DecisionBlock]) -> list[dict]:
        """Label and span only: the text stands once, in `decisions`."""
        return [b.model_dump(mode="json", exclude={"text"}) for b in blocks]


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


class Warning(BaseModel):
    """Something the extraction found doubtful, e.g. ballots that do not add up."""

    kind: str
    message: str
    item: str | None = None  # number of the agenda item it concerns


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
    warnings: list[Warning] = Field(default_factory=list)
