"""Rule-based Swedish segmenter: header, attendees, agenda items, decision blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest import Source
from ..models import Attendee, DecisionBlock, Item, Meeting
from . import decisions
from .attendees import parse_attendees
from .header import parse_meeting
from .items import find_sections
from .lines import split_lines


@dataclass
class Segments:
    meeting: Meeting
    attendees: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    # Decision blocks of minutes without numbered items ("Beslut: ..." under plain headings).
    decisions: list[DecisionBlock] = field(default_factory=list)


def _attach_decisions(source: Source, sections, meeting_body: str | None = None) -> None:
    explicit = [decisions.explicit_blocks(s.body, source, meeting_body) for s in sections]
    # Minutes that mark decisions with headings or labels do so throughout; reading
    # decision sentences as well would add discussion to their items.
    labelled = sum(1 for b in explicit if b)
    use_sentences = labelled < max(1, 0.3 * len(sections))
    for s, blocks in zip(sections, explicit):
        if not blocks and use_sentences:
            blocks = decisions.sentence_blocks(s.body, source)
        s.item.decision_blocks = blocks
        s.item.decisions = [b.text for b in blocks]


def segment(source: Source) -> Segments:
    lines = split_lines(source.text)
    sections = find_sections(source, lines)
    items = [s.item for s in sections]
    meeting = parse_meeting(source, items)
    _attach_decisions(source, sections, meeting.title)
    loose = [] if sections else (decisions.explicit_blocks(lines, source, meeting.title)
                                 or decisions.sentence_blocks(lines, source))
    return Segments(meeting=meeting, attendees=parse_attendees(source, items), items=items,
                    decisions=loose)
