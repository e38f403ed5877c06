"""Rule-based Swedish segmenter: header form, attendees, meeting fields, agenda items and
decision blocks. It reads `Source.text` and `Source.lines` and loads no NLP model."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest import Source
from ..models import Attendee, DecisionBlock, Item, Meeting, Warning
from . import decisions
from .attendance import read_attendees
from .checks import check
from .form import read_fields
from .items import Reading, read_items
from .lines import split_lines
from .meeting import read_meeting

# Without agenda items, how much of the text the meeting fields are looked for in.
_HEAD_WITHOUT_ITEMS = 4000


@dataclass
class Segments:
    meeting: Meeting
    attendees: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    # Decision blocks of minutes without numbered items ("Beslut: ..." under plain headings).
    decisions: list[DecisionBlock] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)  # what the reading found doubtful


def _attach_decisions(source: Source, reading: Reading, meeting_body: str | None = None) -> None:
    sections = reading.sections
    explicit = [decisions.explicit_blocks(s.body, source, meeting_body) for s in sections]
    # Minutes that mark decisions with headings or labels do so throughout; reading
    # decision sentences as well would add discussion to their items.
    labelled = sum(1 for b in explicit if b)
    use_sentences = labelled < min(2, max(1, len(sections) // 4))
    for s, blocks in zip(sections, explicit):
        if not blocks:
            found = decisions.sentence_blocks(s.body, source)
            blocks = found if use_sentences else decisions.marked(found)
            if found and not blocks:
                reading.unread_sentences.append(s.item.number)
        s.item.decision_blocks = blocks
        s.item.decisions = [b.text for b in blocks]


def segment(source: Source) -> Segments:
    lines = split_lines(source.text)
    reading = read_items(source, lines)
    sections = reading.sections
    items = [s.item for s in sections]
    first_item = next((i.span.start for i in items if i.span), None)
    fields = read_fields(source, 0, len(source.text) if first_item is None else first_item)
    attendees = read_attendees(source, fields, items)
    head_end = first_item if first_item is not None else min(len(source.text), _HEAD_WITHOUT_ITEMS)
    meeting = read_meeting(source, head_end, fields, items, attendees)
    _attach_decisions(source, reading, meeting.title)
    loose = [] if sections else (decisions.explicit_blocks(lines, source, meeting.title)
                                 or decisions.sentence_blocks(lines, source))
    warnings = check(source, fields, reading, attendees, meeting, loose)
    return Segments(meeting=meeting, attendees=attendees, items=items, decisions=loose,
                    warnings=warnings)
