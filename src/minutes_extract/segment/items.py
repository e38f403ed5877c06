"""Numbered agenda items: `§ 12`, `KS § 3 a`, `53 §`, `1.`, `Punkt 3`, `1 Öppnande`, `1` / title.

Every line that opens like an item is a candidate. A contents list (a dense run of
candidates under "Innehåll"/"Ärendelista", or whose numbers recur further down) names items
but opens none: its entries only lend their titles to items the body holds, and where the
body holds none of them (a cut or partial protocol) the items are the entries themselves.
The items are then the longest run of body candidates of one kind whose numbers rise in
order with small steps, which keeps a "§ 121" quoted in running text and a numbered list
inside an item from opening items. A protocol of a single paragraph is one item.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from .. import rules
from ..ingest import Source
from ..models import Item, Span
from .lines import Line, split_lines


class Kind(rules.Rules):
    pattern: rules.Pattern
    weight: float


class Sequence(rules.Rules):
    max_gap: int
    max_title_chars: int
    bullet: rules.Pattern
    predecessors_per_number: int
    single_kinds: list[str]


class Contents(rules.Rules):
    labels: list[str]
    min_entries: int
    max_chars_between: int
    min_recurring: float
    heading_lines: int


class Title(rules.Rules):
    strip: list[rules.Pattern]
    case_number: rules.Pattern
    lookahead_lines: int
    not_continued: rules.Pattern


class Presenters(rules.Rules):
    label: rules.Pattern


class Attachments(rules.Rules):
    pattern: rules.Pattern


@rules.schema("items")
class ItemRules(rules.Rules):
    """rules/items.toml"""

    kinds: dict[str, Kind]
    sequence: Sequence
    contents: Contents
    title: Title
    presenters: Presenters
    attachments: Attachments


@functools.cache
def _rules() -> ItemRules:
    return rules.get("items")


@dataclass(frozen=True)
class Candidate:
    kind: str
    line: Line
    num: int
    sub: str
    rest: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.num, self.sub)

    @property
    def number(self) -> str:
        return f"{self.num}{self.sub}"


@dataclass(frozen=True)
class Section:
    """An item with the lines of its body (heading and title lines excluded)."""

    item: Item
    body: list[Line]


@dataclass
class Reading:
    """What the item finder saw: the items' sections, the contents list's entries by number,
    and what it found suspicious (for the record's warnings)."""

    sections: list[Section]
    contents: dict[str, str] = field(default_factory=dict)  # number -> title in the contents
    only_in_contents: list[str] = field(default_factory=list)
    from_contents: bool = False  # the items are a contents list's entries
    unread_openings: int = 0  # strong openings ("§ 12") that opened no item
    # Items whose decision sentences were left unread: minutes marking decisions by label.
    unread_sentences: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- candidates


def _candidates(lines: list[Line]) -> list[Candidate]:
    r = _rules()
    seq = r.sequence
    found = []
    for line in lines:
        text = seq.bullet.sub("", line.stripped)
        if not text or len(text) > seq.max_title_chars + 20:
            continue
        for kind, spec in r.kinds.items():
            m = spec.pattern.match(text)
            if not m:
                continue
            rest = (m.group("rest") or "").strip()
            if kind in ("dotted", "bare") and rest and not _looks_like_title(
                    clean_title(rest) or rest, seq.max_title_chars):
                continue
            if kind == "number_line" and not _title_below(lines, line.index):
                continue
            found.append(Candidate(kind, line, int(m.group("num")), m.group("sub") or "", rest))
    return _ordinal_ones(found)


def _looks_like_title(rest: str, max_title: int) -> bool:
    """A heading, not a numbered sentence in running text."""
    words = rest.split()
    if len(rest) > max_title or len(words) > 20:
        return False
    if rest.endswith(".") and len(words) > 6:
        return False
    first = rest[0]
    return first.isupper() or first.isdigit() or first in "\"'”“«(§"


def _title_below(lines: list[Line], index: int) -> bool:
    """A number alone on its line heads an item when a title-like line follows it."""
    for k in range(index + 1, min(len(lines), index + 3)):
        t = lines[k].stripped
        if t:
            return (t[0].isupper() and not t.endswith(".") and len(t) <= 120
                    and not re.fullmatch(r"[\d\s()/.,-]+", t))
    return False


def _ordinal_ones(cands: list[Candidate]) -> list[Candidate]:
    """A Markdown list written "1." before every item ("1. Öppnande / 1. Val ...") renders
    as 1, 2, 3: where a kind has nothing but ones, three or more, they count in order."""
    by_kind: dict[str, list[Candidate]] = {}
    for c in cands:
        by_kind.setdefault(c.kind, []).append(c)
    out = list(cands)
    for group in by_kind.values():
        if len(group) >= 3 and all(c.key == (1, "") for c in group):
            renumbered = {id(c): Candidate(c.kind, c.line, n, "", c.rest)
                          for n, c in enumerate(group, 1)}
            out = [renumbered.get(id(c), c) for c in out]
    return out


# ------------------------------------------------------------------------------ contents


def _contents_runs(lines: list[Line], cands: list[Candidate],
                   content: dict[int, int]) -> list[list[Candidate]]:
    """Dense runs of candidates that are contents lists: under a contents heading, or named
    again further down where the same numbers hold much more text (the items themselves).
    A numbered list inside an item recurs, if at all, with less text, and stays."""
    cfg = _rules().contents
    labels = re.compile(rf"(?i)^[\s#*]*(?:{'|'.join(re.escape(w) for w in cfg.labels)})\b")
    by_kind: dict[str, list[Candidate]] = {}
    for c in cands:
        by_kind.setdefault(c.kind, []).append(c)
    runs: list[list[Candidate]] = []
    for group in by_kind.values():
        run: list[Candidate] = []
        for c in group + [None]:
            if c is not None and run and c.line.start - run[-1].line.end <= cfg.max_chars_between \
                    and c.key > run[-1].key:
                run.append(c)
                continue
            if len(run) >= cfg.min_entries and (_headed(lines, run, labels)
                                                 or _named_again(run, group, content)):
                runs.append(run)
            run = [c] if c is not None else []
    return runs


def _headed(lines: list[Line], run: list[Candidate], labels: re.Pattern) -> bool:
    first = run[0].line.index
    k0 = max(0, first - _rules().contents.heading_lines)
    return any(labels.match(lines[k].text) for k in range(k0, first))


def _named_again(run: list[Candidate], group: list[Candidate], content: dict[int, int]) -> bool:
    cfg = _rules().contents
    end = run[-1].line.end
    later: dict[tuple[int, str], Candidate] = {}
    for x in group:
        if x.line.start > end:
            later.setdefault(x.key, x)
    again = [later[c.key] for c in run if c.key in later]
    if len(again) < cfg.min_recurring * len(run):
        return False
    here = sorted(content[id(c)] for c in run)
    there = sorted(content[id(x)] for x in again)
    return there[len(there) // 2] > 2 * here[len(here) // 2]


# --------------------------------------------------------------------------------- chain


def _content_sizes(cands: list[Candidate], text_len: int) -> dict[int, int]:
    """Characters from each candidate to the next candidate of its kind."""
    sizes = {}
    by_kind: dict[str, list[Candidate]] = {}
    for c in cands:
        by_kind.setdefault(c.kind, []).append(c)
    for group in by_kind.values():
        for a, b in zip(group, group[1:] + [None]):
            end = b.line.start if b else text_len
            sizes[id(a)] = max(0, end - a.line.end)
    return sizes


def _run_starts(cands: list[Candidate]) -> list[int]:
    """For each candidate, where its list began: the index of the "1." that a run of
    consecutive numbers leads back to, or -1 when it does not lead back to a 1."""
    starts = []
    for i, c in enumerate(cands):
        if c.num == 1 and not c.sub:
            starts.append(i)
        elif i and starts[i - 1] >= 0 and _follows(cands[i - 1], c):
            starts.append(starts[i - 1])
        else:
            starts.append(-1)
    return starts


def _follows(a: Candidate, b: Candidate) -> bool:
    return b.num == a.num + 1 or (b.num == a.num and b.sub > a.sub)


def _best_chain(cands: list[Candidate], content: dict[int, int]) -> list[Candidate]:
    """Longest run of rising numbers with steps of at most `max_gap`; ties go to the run
    whose items hold more text. Each candidate looks for its predecessor only among the
    best few earlier candidates of each of the `max_gap` numbers below it, so the cost is
    linear in the number of candidates."""
    seq = _rules().sequence
    n = len(cands)
    if not n:
        return []
    starts = _run_starts(cands)
    score: list[tuple[int, float]] = [(1, math.log1p(content[id(c)])) for c in cands]
    back = [-1] * n
    best_by_num: dict[int, list[int]] = {}
    for i, ci in enumerate(cands):
        for num in range(ci.num - seq.max_gap, ci.num + 1):
            for j in best_by_num.get(num, ()):
                cj = cands[j]
                # i continues a list that started afresh at "1." after j: a list nested in j.
                if not cj.key < ci.key or starts[i] > j:
                    continue
                cand = (score[j][0] + 1, score[j][1] + math.log1p(content[id(ci)]))
                if cand > score[i]:
                    score[i], back[i] = cand, j
        kept = best_by_num.setdefault(ci.num, [])
        kept.append(i)
        # The best, and among equals the latest: a later one is the likelier predecessor
        # of what follows (a list restarting at 1 takes its predecessors after the restart).
        kept.sort(key=lambda j: (score[j], j), reverse=True)
        del kept[seq.predecessors_per_number:]
    i = max(range(n), key=lambda k: score[k])
    chain = []
    while i != -1:
        chain.append(cands[i])
        i = back[i]
    return chain[::-1]


def _coverage(chain: list[Candidate], text_len: int) -> float:
    """Share of the document the run spreads over: an agenda spans the minutes, a numbered
    list inside one item does not."""
    starts = [c.line.start for c in chain]
    gaps = sorted(b - a for a, b in zip(starts, starts[1:]))
    extent = starts[-1] - starts[0] + (gaps[len(gaps) // 2] if gaps else 0)
    return min(1.0, extent / max(1, text_len))


def select_items(cands: list[Candidate], text_len: int) -> list[Candidate]:
    r = _rules()
    content = _content_sizes(cands, text_len)
    best: list[Candidate] = []
    best_score = (0.0, 0.0)
    for kind, spec in r.kinds.items():
        chain = _best_chain([c for c in cands if c.kind == kind], content)
        if len(chain) < 2:
            continue  # a lone candidate is not an agenda
        s = (len(chain) * spec.weight * _coverage(chain, text_len),
             sum(content[id(c)] for c in chain))
        if s > best_score:
            best, best_score = chain, s
    if not best or _inside_single_paragraph(best, cands):
        best = _single_paragraph(cands)
    return best


def _single_paragraph(cands: list[Candidate]) -> list[Candidate]:
    """A protocol of one paragraph ("§ 12 Budget" and its text, as extra meetings and
    fullmäktige write them): one item, when it is the only one of its kind."""
    strong = [c for c in cands if c.kind in _rules().sequence.single_kinds]
    return strong if len(strong) == 1 else []


def _inside_single_paragraph(chain: list[Candidate], cands: list[Candidate]) -> bool:
    """A run that starts after the one paragraph heading of the text is a list inside it."""
    single = _single_paragraph(cands)
    return bool(single) and chain[0].kind not in _rules().sequence.single_kinds \
        and single[0].line.start < chain[0].line.start


# --------------------------------------------------------------------------------- titles


_PAGE_AT_END = re.compile(r"\s+\d{1,3}$")


def clean_title(rest: str) -> str:
    title = " " + rest
    for p in _rules().title.strip:
        title = p.sub("", title)
    title = _without_case_number(title)
    return title.strip().rstrip(" .:").strip()


def _without_case_number(text: str) -> str:
    """A title with a diarienummer cut off its start or end ("Dnr KS 2019/123 Budget")."""
    pat = _rules().title.case_number
    m = pat.match(text.strip())
    if m:
        text = text.strip()[m.end():]
    last = None
    for last in pat.finditer(text):  # noqa: B007 - the last match is the one wanted
        pass
    if last and not text[last.end():].strip(" \t.)]"):
        text = text[:last.start()]
    return text.strip(" \t,")


def _is_case_number_line(text: str) -> bool:
    """A line holding a diarienummer and nothing to read as a title."""
    return not _without_case_number(text).strip(" \t|:-–")


def _title_and_end(c: Candidate, lines: list[Line], stop: int,
                   style: dict[int, tuple[float, bool]] | None = None) -> tuple[str, int]:
    """The item's title and the index of the last line it took. With the page's `style`
    (font size and weight by line start), a heading set over two lines is one title."""
    r = _rules()
    title = clean_title(c.rest)
    last = c.line.index
    if not title:
        for k in range(c.line.index + 1, min(stop, c.line.index + 1 + r.title.lookahead_lines)):
            t = lines[k].stripped
            if not t:
                continue
            # A sentence below a bare "§ 1." is the item's text, not its title.
            if t.endswith(".") and len(t.split()) > 3:
                break
            if _is_case_number_line(t):
                last = k
                continue
            title, last = clean_title(t), k
            break
    # A long title wraps: take a continuation line that starts in lower case.
    if title and len(title) > 50 and last + 1 < stop:
        nxt = lines[last + 1].stripped
        if nxt and nxt[0].islower() and len(nxt) < 90 and not title.endswith((".", ":")):
            title, last = f"{title} {clean_title(nxt)}", last + 1
    # A heading set in bold over two lines ("Bygglov för förskola på fastigheten" /
    # "Ekorren 4, Ekby"): the next line in the same bold face and size goes on with it.
    if title and style and last + 1 < stop and not title.endswith((".", ":")):
        here, nxt = style.get(lines[last].content_start), lines[last + 1]
        there = style.get(nxt.content_start)
        t = nxt.stripped
        if here and there and here[1] and there[1] and abs(here[0] - there[0]) < 0.5 \
                and t and len(t) < 90 and not _is_case_number_line(t) \
                and not _rules().title.not_continued.match(t) and not _part_heading(t):
            title, last = f"{title} {clean_title(t)}", last + 1
    return title, last


def _part_heading(text: str) -> bool:
    """A heading of a part of the item (its decision, or a part that ends one)."""
    from . import decisions

    return decisions.heads_a_decision(text) or decisions.ends_a_block(text)


def _case_number(c: Candidate, lines: list[Line], upto: int) -> str | None:
    """The item's diarienummer as written, from its heading or the lines up to its title."""
    pat = _rules().title.case_number
    for k in range(c.line.index, min(len(lines), upto + 2)):
        text = c.rest if k == c.line.index else lines[k].stripped
        m = pat.search(text)
        if m:
            return m.group(0).strip(" ,")
    return None


def _presenters(body: list[Line]) -> list[str]:
    from ..names import names_in

    presenters = _rules().presenters.label
    found: list[str] = []
    for i, line in enumerate(body):
        m = presenters.match(line.text)
        if not m:
            continue
        text = m.group("rest")
        # The list may wrap onto the next line.
        if i + 1 < len(body) and not body[i + 1].blank and text.rstrip().endswith(","):
            text += " " + body[i + 1].stripped
        found.extend(n for n in names_in(text) if n not in found)
    return found


# -------------------------------------------------------------------------------- reading


def read_items(source: Source, lines: list[Line] | None = None) -> Reading:
    """The agenda items of a document with their sections, and what the contents list said."""
    lines = lines if lines is not None else split_lines(source.text)
    # Font size and weight of each line the page measured (a PDF), by where it starts.
    style = {ln.start: (ln.size, ln.bold) for ln in source.lines or () if ln.measured}
    cands = _candidates(lines)
    runs = _contents_runs(lines, cands, _content_sizes(cands, len(source.text)))
    in_contents = {id(c) for run in runs for c in run}
    contents: dict[str, str] = {}
    for run in runs:
        titles = [_title_and_end(c, lines, min(len(lines), c.line.index + 3))[0] for c in run]
        # A contents list's page numbers stand at the end of most entries, a column of
        # numbers: an entry whose number is set off by a single blank (where no wide gap
        # marks the column) loses it too.
        if sum(1 for c in run if _PAGE_AT_END.search(c.rest.strip())) * 2 > len(run):
            titles = [_PAGE_AT_END.sub("", t) if t == clean_title(c.rest) and
                      c.rest.strip().endswith(t[-3:]) else t for c, t in zip(run, titles)]
        for c, title in zip(run, titles):
            contents.setdefault(c.number, title)
    body = [c for c in cands if id(c) not in in_contents]
    chain = select_items(body, len(source.text))
    reading = Reading([], contents)
    if not chain and runs:
        # The text holds no item the contents list names (a cut or partial protocol): the
        # entries are all there is.
        chain = max(runs, key=len)
        reading.from_contents = True
    numbers = {c.number for c in chain}
    reading.only_in_contents = [n for n in contents if n not in numbers]
    taken = {id(c) for c in chain}
    strong = _rules().sequence.single_kinds
    reading.unread_openings = sum(1 for c in body if c.kind in strong and id(c) not in taken
                                  and c.rest and _looks_like_title(c.rest, 200))
    attachments = _rules().attachments.pattern
    for k, c in enumerate(chain):
        stop = chain[k + 1].line.index if k + 1 < len(chain) else len(lines)
        title, last_title_line = _title_and_end(c, lines, stop, style)
        if (reading.from_contents or not title or _is_case_number_line(title)) \
                and contents.get(c.number):
            title = contents[c.number]
        start = c.line.content_start
        end = lines[stop].start if stop < len(lines) else len(source.text)
        end = max(start, len(source.text[:end].rstrip()))
        body_lines = lines[last_title_line + 1:stop]
        item_text = source.text[start:end]
        item = Item(
            number=c.number,
            title=title,
            presenters=_presenters(body_lines),
            attachments=sorted({m.group(0) for m in attachments.finditer(item_text)}),
            case_number=_case_number(c, lines, last_title_line),
            span=Span(start=start, end=end, page_start=source.page_at(start),
                      page_end=source.page_at(max(start, end - 1))),
        )
        reading.sections.append(Section(item, body_lines))
    if not reading.from_contents and reading.only_in_contents:
        _add_contents_only(source, lines, runs, reading)
    return reading


def _add_contents_only(source: Source, lines: list[Line], runs: list[list[Candidate]],
                       reading: Reading) -> None:
    """Items the contents list names but the text does not hold: items of their own, at
    their contents line, with no text and so no one else's decisions."""
    entries = {c.number: c for run in runs for c in run}
    for number in reading.only_in_contents:
        c = entries[number]
        start, end = c.line.content_start, c.line.end
        item = Item(number=number, title=reading.contents[number],
                    case_number=_case_number(c, lines, c.line.index + 1),
                    span=Span(start=start, end=end, page_start=source.page_at(start),
                              page_end=source.page_at(max(start, end - 1))))
        reading.sections.append(Section(item, []))
    reading.sections.sort(key=lambda s: _sort_key(s.item.number))


def _sort_key(number: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", number)
    return (int(m.group(1)), m.group(2)) if m else (0, number)


def find_sections(source: Source, lines: list[Line] | None = None) -> list[Section]:
    return read_items(source, lines).sections


def find_items(source: Source) -> list[Item]:
    """The numbered agenda items of a document, in order, with spans and titles."""
    return [s.item for s in find_sections(source)]
