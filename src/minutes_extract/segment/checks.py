"""Self-checks: what the segmenter finds doubtful in its own reading of a document.

Each check compares two things the minutes say, or a reading with what it was read from:
the cover's paragraph range with the items found; the contents list with the body; the
item numbers with their order; an attendance list's lines with the attendees it gave; a
decision heading with the text under it. A user with thousands of documents finds the ones
to look at by these warnings.
"""

from __future__ import annotations

import functools
import re

from .. import rules
from ..ingest import Source
from ..models import Attendee, DecisionBlock, Item, Meeting, Warning
from ..names import find_listed
from . import decisions
from .form import Field
from .items import Reading

# A line that looks like it holds a name: two capitalised words, or two in capitals.
_NAME_LIKE = re.compile(r"[A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäö]+)?[ \t]+[A-ZÅÄÖ][a-zåäöé]+"
                        r"|\b[A-ZÅÄÖ]{2,}[ \t]+[A-ZÅÄÖ]{2,}\b")


@rules.schema("checks")
class CheckRules(rules.Rules):
    """rules/checks.toml"""

    long_decision_chars: int
    min_attendee_share: float
    min_name_lines: int
    max_unread_openings: int
    min_bodiless: int
    short_run: int
    short_run_share: float
    short_run_min_chars: int
    min_unlabelled: int
    unlabelled_share: float
    bodiless_share: float
    max_name_words: int
    name_particles: list[str]
    min_list_names: int
    list_joiners: list[str]
    head_chars: int
    paragraph_range: rules.Pattern
    max_range: int


@functools.cache
def _rules() -> CheckRules:
    return rules.get("checks")


def check(source: Source, fields: list[Field], reading: Reading, attendees: list[Attendee],
          meeting: Meeting, loose: list[DecisionBlock]) -> list[Warning]:
    """The warnings of one document's reading."""
    items = [s.item for s in reading.sections]
    out: list[Warning] = []
    if not meeting.date:
        out.append(Warning(kind="no_meeting_date", message="no meeting date"))
    if not items and not loose and _decision_lines(source):
        out.append(Warning(kind="no_items", message="no numbered agenda items, and decision "
                                                    "headings in the text went unread"))
    out += _contents(reading)
    out += _paragraph_range(source, fields, items)
    out += _numbering(items)
    out += _unread_openings(reading)
    out += _bodiless(reading)
    out += _short_run(source, reading)
    out += _attendance(source, fields, attendees)
    out += _unread_name_lists(source, reading, attendees)
    out += _decisions(source, reading)
    out += _unlabelled_decisions(source, reading)
    out += _titles(items)
    return out


def _decision_lines(source: Source) -> int:
    return sum(1 for line in source.text.split("\n") if decisions.heads_a_decision(line))


def _numbers(numbers: list[str]) -> str:
    """"46–49" for a run, "46, 48" otherwise."""
    nums = [int(re.match(r"\d+", n).group()) for n in numbers if re.match(r"\d+", n)]
    if len(nums) > 2 and nums == list(range(nums[0], nums[0] + len(nums))):
        return f"{nums[0]}–{nums[-1]}"
    return ", ".join(numbers)


def _contents(reading: Reading) -> list[Warning]:
    if reading.from_contents:
        return [Warning(kind="items_from_contents",
                        message="the items come from the contents list alone: the text holds none "
                                f"of them (§§ {_numbers([s.item.number for s in reading.sections])})")]
    if reading.only_in_contents:
        return [Warning(kind="contents_mismatch",
                        message=f"the contents list names §§ {_numbers(reading.only_in_contents)} "
                                "but the text does not hold them")]
    return []


def _paragraph_range(source: Source, fields: list[Field], items: list[Item]) -> list[Warning]:
    """The cover's "Paragrafer 46-49" against the items found."""
    cfg = _rules()
    found = {int(m.group()) for i in items if (m := re.match(r"\d+", i.number))}
    for f in fields:
        if f.key != "paragraphs" or not f.pieces:
            continue
        m = cfg.paragraph_range.search(f.text(source))
        if not m:
            continue
        first, last = int(m["first"]), int(m["last"])
        if not 0 <= last - first <= cfg.max_range:
            continue
        missing = [str(n) for n in range(first, last + 1) if n not in found]
        outside = sorted(n for n in found if not first <= n <= last)
        out = []
        if missing:
            out.append(Warning(kind="paragraphs_missing",
                               message=f"the cover names §§ {first}–{last} but §§ "
                                       f"{_numbers(missing)} were not found"))
        if outside:
            out.append(Warning(kind="paragraphs_outside",
                               message=f"items {_numbers([str(n) for n in outside])} stand outside "
                                       f"the cover's §§ {first}–{last}"))
        return out
    return []


def _numbering(items: list[Item]) -> list[Warning]:
    out = []
    nums = [(i.number, int(m.group())) for i in items if (m := re.match(r"\d+", i.number))]
    for (a, x), (b, y) in zip(nums, nums[1:]):
        if y - x > 1:
            out.append(Warning(kind="numbering_gap", item=b,
                               message=f"§ numbers jump from {a} to {b}"))
    return out


def _unread_openings(reading: Reading) -> list[Warning]:
    n = reading.unread_openings
    if n >= _rules().max_unread_openings:
        return [Warning(kind="unread_openings",
                        message=f"{n} lines open like agenda items ('§ 12') but no item was read "
                                "from them")]
    return []


def _bodiless(reading: Reading) -> list[Warning]:
    """Items of a real agenda have text under their headings; a numbered list read as the
    agenda ("1. Mer struktur. 2. Bättre uppföljning.") has a line each and nothing below."""
    if reading.from_contents:
        return []  # the contents list's entries have no text by nature, and say so already
    cfg = _rules()
    sections = [s for s in reading.sections if s.item.number not in reading.only_in_contents]
    empty = [s.item.number for s in sections if not any(ln.stripped for ln in s.body)]
    if len(sections) >= cfg.min_bodiless and len(empty) >= cfg.bodiless_share * len(sections):
        return [Warning(kind="items_without_text",
                        message=f"{len(empty)} of {len(sections)} items have no text under their "
                                "heading: the numbers may be a list inside the text, not the agenda")]
    return []


def _short_run(source: Source, reading: Reading) -> list[Warning]:
    """Two or so items close together in a long text: the agenda of a short meeting spans
    its minutes, a numbered list inside the text ("1. Bordlägg ... 2. Acceptera ...") does
    not."""
    cfg = _rules()
    spans = [s.item.span for s in reading.sections if s.item.span]
    if not spans or len(spans) >= cfg.short_run or reading.from_contents:
        return []
    first = spans[0].start
    last = spans[-1].start if len(spans) > 1 else spans[0].end
    extent = max(last - first, min(sp.end - sp.start for sp in spans))
    if len(source.text) >= cfg.short_run_min_chars and extent < cfg.short_run_share * len(source.text):
        numbers = ", ".join(s.item.number for s in reading.sections)
        return [Warning(kind="short_run",
                        message=f"the only items ({numbers}) stand close together in a long text: "
                                "they may be a numbered list inside it, not the agenda")]
    return []


def _attendance(source: Source, fields: list[Field], attendees: list[Attendee]) -> list[Warning]:
    cfg = _rules()
    out = []
    lists = [f for f in fields if f.key == "attendance" and f.pieces]
    for f in lists:
        text = f.text(source)
        rows = text.split("\n")[1 if f.table else 0:]  # a table's first line names its columns
        lines = [ln for ln in rows if _NAME_LIKE.search(ln)]
        if len(lines) < cfg.min_name_lines:
            continue
        got = f.entries
        if got < cfg.min_attendee_share * len(lines):
            kind = "attendance_table_short" if f.table else "attendance_list_short"
            shape = "table" if f.table else "list"
            out.append(Warning(kind=kind, message=f"an attendance {shape} of {len(lines)} lines "
                                                  f"('{f.label or 'table'}') gave {got} attendees"))
    if not attendees and any(f.key == "attendance" for f in fields):
        out.append(Warning(kind="no_attendees",
                           message="the header has attendance labels but no attendee was read"))
    for a in attendees:
        if _odd_name(a.name):
            out.append(Warning(kind="attendee_name", message=f"an attendee's name looks wrong: "
                                                             f"'{a.name}'"))
    return out


def _odd_name(name: str) -> bool:
    """More words than a name has, or words no name part is (see rules/checks.toml)."""
    cfg = _rules()
    words = name.split()
    if len(words) > cfg.max_name_words:
        return True
    if any(ch.isdigit() for ch in name):
        return True
    particles = set(cfg.name_particles)
    return len(words) > 1 and any(
        w[:1].islower() and w.strip(".,") not in particles for w in words)




@functools.cache
def _list_glue() -> re.Pattern:
    """What may stand between the names of a list line: commas, list marks, party tags and
    the joining words of rules/checks.toml ("och")."""
    words = "|".join(re.escape(w) for w in _rules().list_joiners)
    return re.compile(rf"^(?:[\s,;&*•|-]|\((?:[A-ZÅÄÖa-zåäö]{{1,4}})\)|\b(?:{words})\b)*$")


_LEAD_LABEL = re.compile(r"^\s*[#*\s]*[A-ZÅÄÖ][\w ]{0,40}:")


def _list_names(line: str) -> list[str]:
    """The names of a line that holds nothing but names (after an optional label)."""
    found = find_listed(line)
    if not found:
        return []
    rest = line
    for a, b in reversed(found):
        rest = rest[:a] + "," + rest[b:]
    rest = _LEAD_LABEL.sub("", rest, count=1)
    return [line[a:b] for a, b in found] if _list_glue().match(rest) else []


def _unread_name_lists(source: Source, reading: Reading,
                       attendees: list[Attendee]) -> list[Warning]:
    """A list of names in the header (a line of them, or a line each, under any label or
    none) of which no one became an attendee: an attendance list the form did not know."""
    cfg = _rules()
    starts = [s.item.span.start for s in reading.sections if s.item.span]
    head = source.text[:min(starts) if starts else min(len(source.text), cfg.head_chars)]
    known = {" ".join(a.name.split()).casefold() for a in attendees}
    block: list[str] = []
    for line in head.split("\n") + [""]:
        names = _list_names(line)
        if names and (not block or not _LEAD_LABEL.match(line)):
            block += names
            continue
        if len(block) >= cfg.min_list_names and not any(
                " ".join(n.split()).casefold() in known for n in block):
            return [Warning(kind="unread_name_list",
                            message=f"a list of {len(block)} names in the header ('{block[0]}, "
                                    f"{block[1]}, ...') gave no attendee")]
        block = names
    return []


def _decisions(source: Source, reading: Reading) -> list[Warning]:
    cfg = _rules()
    out = []
    for s in reading.sections:
        item = s.item
        for b in item.decision_blocks:
            if len(b.text) > cfg.long_decision_chars:
                out.append(Warning(kind="long_decision", item=item.number,
                                   message=f"item {item.number} has a decision of "
                                           f"{len(b.text):,} characters"))
        if not item.decision_blocks:
            label = next((ln.stripped for ln in s.body if ln.stripped
                          and decisions.heads_a_decision(ln.text)), None)
            if label:
                out.append(Warning(kind="label_without_decision", item=item.number,
                                   message=f"item {item.number} has a '{label[:40]}' label but no "
                                           "decision text"))
    return out


def _unlabelled_decisions(source: Source, reading: Reading) -> list[Warning]:
    """Minutes that mark decisions with labels are read by their labels alone; items without
    a label whose text still holds decision sentences ("Nämnden beslutar att ...") may have
    decisions the record lacks."""
    cfg = _rules()
    sections = reading.sections
    if not any(s.item.decision_blocks for s in sections):
        return []
    unread = reading.unread_sentences  # found while the decisions were read
    if len(unread) >= cfg.min_unlabelled and len(unread) >= cfg.unlabelled_share * len(sections):
        return [Warning(kind="decisions_unlabelled",
                        message=f"items {_numbers(unread)} have decision sentences but no decision "
                                "label: their decisions were not read")]
    return []


def _titles(items: list[Item]) -> list[Warning]:
    empty = [i.number for i in items if not i.title.strip()]
    if empty:
        return [Warning(kind="item_without_title",
                        message=f"items {_numbers(empty)} have no title" if len(empty) > 1
                        else f"item {empty[0]} has no title", item=empty[0] if len(empty) == 1 else None)]
    return []
