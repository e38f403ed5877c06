"""Numbered agenda items: `1.`, `§ 12`, `KS § 3 a`, `Punkt 3`, `1 Öppnande av mötet`.

Every line that looks like an item opening is a candidate; the items are the longest
increasing run of candidate numbers of one kind. That is what keeps a "§ 121" quoted in
running text, a numbered list inside an item, or a table of contents from opening items.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from .. import rules
from ..ingest import Source
from ..models import Item, Span
from .lines import Line, split_lines


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
class _Rules:
    cfg: dict
    kinds: dict[str, tuple[re.Pattern, float]]  # kind -> (opening pattern, weight)
    strip: list[re.Pattern]
    case_number: re.Pattern
    presenters: re.Pattern
    attachments: re.Pattern


@functools.cache
def _compiled() -> _Rules:
    cfg = rules.load("items")
    return _Rules(
        cfg=cfg,
        kinds={name: (re.compile(spec["pattern"]), float(spec.get("weight", 1.0)))
               for name, spec in cfg["kinds"].items()},
        strip=[re.compile(p) for p in cfg["title"]["strip"]],
        case_number=re.compile(cfg["title"]["case_number"]),
        presenters=re.compile(cfg["presenters"]["label"]),
        attachments=re.compile(cfg["attachments"]["pattern"]),
    )


def _candidates(lines: list[Line]) -> list[Candidate]:
    r = _compiled()
    cfg, kinds = r.cfg, r.kinds
    max_title = cfg["sequence"]["max_title_chars"]
    found = []
    bullet = re.compile(cfg["sequence"]["bullet"])
    for line in lines:
        text = bullet.sub("", line.stripped)
        if not text or len(text) > max_title + 20:
            continue
        for kind, (pattern, _weight) in kinds.items():
            m = pattern.match(text)
            if not m:
                continue
            rest = (m.group("rest") or "").strip()
            if kind in ("dotted", "bare") and rest and not _looks_like_title(
                    _clean_title(rest) or rest, max_title):
                continue
            found.append(Candidate(kind, line, int(m.group("num")), m.group("sub") or "", rest))
    return found


def _looks_like_title(rest: str, max_title: int) -> bool:
    """A heading, not a numbered sentence in running text."""
    words = rest.split()
    if len(rest) > max_title or len(words) > 20:
        return False
    if rest.endswith(".") and len(words) > 6:
        return False
    first = rest[0]
    return first.isupper() or first.isdigit() or first in "\"'”“«(§"


def _best_chain(cands: list[Candidate], content: dict[int, int], max_gap: int) -> list[Candidate]:
    """Longest increasing run of numbers; ties go to the run whose items hold more text."""
    n = len(cands)
    if not n:
        return []
    starts = _run_starts(cands)
    score: list[tuple[int, float]] = [(1, math.log1p(content[id(c)])) for c in cands]
    back = [-1] * n
    for i in range(n):
        ci = cands[i]
        for j in range(i):
            cj = cands[j]
            if not (cj.key < ci.key and 0 <= ci.num - cj.num <= max_gap):
                continue
            # i continues a list that started afresh at "1." after j: a list nested in j.
            if starts[i] > j:
                continue
            cand = (score[j][0] + 1, score[j][1] + math.log1p(content[id(ci)]))
            if cand > score[i]:
                score[i], back[i] = cand, j
    i = max(range(n), key=lambda k: score[k])
    chain = []
    while i != -1:
        chain.append(cands[i])
        i = back[i]
    return chain[::-1]


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


def _coverage(chain: list[Candidate], text_len: int) -> float:
    """Share of the document the run spreads over: an agenda spans the minutes, a
    numbered list inside one item does not."""
    starts = [c.line.start for c in chain]
    gaps = sorted(b - a for a, b in zip(starts, starts[1:]))
    extent = starts[-1] - starts[0] + gaps[len(gaps) // 2]
    return min(1.0, extent / max(1, text_len))


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


def select_items(lines: list[Line], text_len: int) -> list[Candidate]:
    r = _compiled()
    cfg, kinds = r.cfg, r.kinds
    cands = _candidates(lines)
    content = _content_sizes(cands, text_len)
    best: list[Candidate] = []
    best_score = (0.0, 0.0)
    for kind, (_pattern, weight) in kinds.items():
        chain = _best_chain([c for c in cands if c.kind == kind], content,
                            cfg["sequence"]["max_gap"])
        # A lone candidate is not an agenda.
        if len(chain) < 2:
            continue
        s = (len(chain) * weight * _coverage(chain, text_len), sum(content[id(c)] for c in chain))
        if s > best_score:
            best, best_score = chain, s
    return best


def _clean_title(rest: str) -> str:
    strip = _compiled().strip
    title = " " + rest
    for p in strip:
        title = p.sub("", title)
    return title.strip().rstrip(" .:").strip()


def _title_and_end(c: Candidate, lines: list[Line], stop: int) -> tuple[str, int]:
    """The item's title and the index of the last line it took."""
    r = _compiled()
    cfg, case_number = r.cfg, r.case_number
    title = _clean_title(c.rest)
    last = c.line.index
    if not title:
        for k in range(c.line.index + 1, min(stop, c.line.index + 1 + cfg["title"]["lookahead_lines"])):
            t = lines[k].stripped
            if not t:
                continue
            # A sentence below a bare "§ 1." is the item's text, not its title.
            if t.endswith(".") and len(t.split()) > 3:
                break
            if case_number.fullmatch(t) or case_number.match(t) and len(_clean_title(t)) == 0:
                last = k
                continue
            title, last = _clean_title(t), k
            break
    # A long title wraps: take a continuation line that starts in lower case.
    if title and len(title) > 50 and last + 1 < stop:
        nxt = lines[last + 1].stripped
        if nxt and nxt[0].islower() and len(nxt) < 90 and not title.endswith((".", ":")):
            title, last = f"{title} {_clean_title(nxt)}", last + 1
    return title, last


def _case_number(c: Candidate, lines: list[Line], upto: int) -> str | None:
    case_number = _compiled().case_number
    for k in range(c.line.index, upto + 1):
        m = case_number.search(lines[k].stripped if k != c.line.index else c.rest)
        if m:
            return m.group(0)
    return None


def _presenters(body: list[Line]) -> list[str]:
    from ..names import names_in

    presenters = _compiled().presenters
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


@dataclass(frozen=True)
class Section:
    """An item with the lines of its body (heading and title lines excluded)."""

    item: Item
    body: list[Line]


def find_sections(source: Source, lines: list[Line] | None = None) -> list[Section]:
    lines = lines if lines is not None else split_lines(source.text)
    chain = select_items(lines, len(source.text))
    attachments = _compiled().attachments
    sections = []
    for k, c in enumerate(chain):
        stop = chain[k + 1].line.index if k + 1 < len(chain) else len(lines)
        title, last_title_line = _title_and_end(c, lines, stop)
        start = c.line.content_start
        end = lines[stop].start if stop < len(lines) else len(source.text)
        end = max(start, len(source.text[:end].rstrip()))
        body = lines[last_title_line + 1:stop]
        item_text = source.text[start:end]
        item = Item(
            number=c.number,
            title=title,
            presenters=_presenters(body),
            attachments=sorted({m.group(0) for m in attachments.finditer(item_text)}),
            case_number=_case_number(c, lines, last_title_line),
            span=Span(start=start, end=end, page_start=source.page_at(start),
                      page_end=source.page_at(max(start, end - 1))),
        )
        sections.append(Section(item, body))
    return sections


def find_items(source: Source) -> list[Item]:
    """The numbered agenda items of a document, in order, with spans and titles."""
    return [s.item for s in find_sections(source)]
