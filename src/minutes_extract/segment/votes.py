"""Votes (omröstning, votering): counts, what "ja" meant, the result and who voted how.

A vote is found where the minutes state its counts, in any of the ways they are written:
- prose with digits or number words: "med 11 ja-röster mot 4 nej-röster", "Med 8 ja-röster,
  3 nej-röster och 2 som avstår beslutar nämnden", "med tio ja-röster mot fem nej-röster";
- labelled counts: "Ja: 23, Nej: 22", "Antal ja: 23", "12 för, 3 emot";
- the side that carried it first: "med 23 röster mot 22";
- names per side: "A (S), B (V) och ordföranden C (S) röstar Ja (7)." / "Ja röstar: A, B";
- a voting list alone (table or columns, see ballots.py), counted from its total row or marks.
Around each count it reads what ja and nej stood for ("Ja för avslag och Nej för bifall",
"Den som önskar avslå ... röstar ja"), the proposals set against each other ("ställer X mot
Y"), whether it chose a counter-proposal (kontraproposition) or was the main vote, and the
result as written. A voting list is paired with its statement by its attachment label
("Bilaga A"), its counts, or its place; ballots that do not add up to the stated counts
leave the vote unverified and raise a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import Ballot, Span, Vote, Warning
from . import name_lists, sentences
from .ballots import SIDES, BallotList, read_lists
from .wording import any_of, number_pattern, number_value, rx, wording

ItemAt = Callable[[int], "str | None"]


@dataclass
class Statement:
    start: int
    end: int
    counts: dict[str, int]
    ballots: list[Ballot] | None = None  # names per side in the text
    named_counts: dict[str, int] = field(default_factory=dict)  # "(7)" beside the names
    attachment: str | None = None
    item: str | None = None
    inside_list: bool = False
    from_list: bool = False  # a voting list standing alone, counted from itself


# ------------------------------------------------------------------------------ counts

def _side_pattern() -> list[tuple[str, str]]:
    c = wording().counts
    return [("yes", any_of(c.yes)), ("no", any_of(c.no)), ("abstain", any_of(c.abstain)),
            ("absent", any_of(c.absent)), ("weak_yes", any_of(c.weak_yes))]


def _token_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A count before its side's word ("23 ja-röster") and after it ("Nej: 22"), each one
    pattern with a group per side, so the text is read once for each."""
    n = number_pattern()
    filler = wording().counts.number_filler
    sides = _side_pattern()
    before = "|".join(f"(?P<{side}>{words})" for side, words in sides)
    after = "|".join(f"(?P<{side}>{words})" for side, words in sides if side != "weak_yes")
    return (rx(rf"(?<![\w/.,:§-])(?P<n>{n})\s+{filler}(?:{before})(?![\wåäö-])"),
            rx(rf"(?<![\wåäö-])(?:antal\s+)?(?:{after})\s*(?:[:=]|–|-)?\s*(?P<n>\d{{1,3}})"
               r"(?![\d/:-]|[.,]\d|\s*(?:§|kr|%|procent|år\b))"))


def _tokens(text: str, lo: int, hi: int):
    """(start, end, side, value) for every count written next to its side's word."""
    out = []
    for pattern in _token_patterns():
        for m in pattern.finditer(text, lo, hi):
            value = number_value(m.group("n"))
            side = next(k for k, v in m.groupdict().items() if v is not None and k != "n")
            if value is not None:
                out.append((m.start(), m.end(), side, value))
    # Where two readings overlap ("2 som avstår" and "avstår 2"), keep the longer.
    out.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept = []
    for t in out:
        if kept and t[0] < kept[-1][1]:
            continue
        kept.append(t)
    return kept


def count_statements(text: str, lo: int = 0, hi: int | None = None) -> list[Statement]:
    hi = len(text) if hi is None else hi
    joiner = rx(wording().counts.joiner)
    groups: list[list] = []
    for tok in _tokens(text, lo, hi):
        if groups:
            last = groups[-1][-1]
            gap = text[last[1]:tok[0]]
            sides = {t[2] for t in groups[-1]}
            if len(gap) <= 40 and joiner.match(gap) and tok[2] not in sides:
                groups[-1].append(tok)
                continue
        groups.append([tok])
    out = []
    for g in groups:
        strong = {t[2] for t in g if t[2] != "weak_yes"}
        counts = {("yes" if t[2] == "weak_yes" else t[2]): t[3] for t in g}
        if len(strong) < 1 or len(counts) < 2 or not ({"yes", "no"} & set(counts)):
            continue
        if "weak_yes" in {t[2] for t in g} and "yes" in strong:
            continue
        out.append(Statement(start=g[0][0], end=g[-1][1], counts=counts))
    taken = [(s.start, s.end) for s in out]
    versus = rx(wording().counts.versus.replace("{n}", number_pattern()))
    for m in versus.finditer(text, lo, hi):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        counts = {"yes": number_value(m.group("first") or m.group("first2")),
                  "no": number_value(m.group("second"))}
        if m.group("third"):
            counts["abstain"] = number_value(m.group("third"))
        if None in counts.values():
            continue
        out.append(Statement(start=m.start(), end=m.end(), counts=counts))
    return sorted(out, key=lambda s: s.start)


# ------------------------------------------------------------------------------ names per side

_SIDE_WORDS = (("ja", "yes"), ("nej", "no"), ("avst", "abstain"), ("inte", "abstain"),
               ("frånv", "absent"))


def _side(word: str) -> str:
    w = word.casefold()
    for key, side in _SIDE_WORDS:
        if re.search(rf"\b{key}", w):
            return side
    return "abstain"


def group_statements(text: str, lo: int = 0, hi: int | None = None) -> list[Statement]:
    """Votes written as names per side: "... röstar Ja (7). ... röstar Nej (6)."."""
    hi = len(text) if hi is None else hi
    v = wording().vote
    entries = []  # (start, end, side, n, people)
    for m in rx(v.group_after).finditer(text, lo, hi):
        s_start, _ = sentences.sentence_at(text, m.start(), lo, hi)
        prev_end = entries[-1][1] if entries else lo
        s_start = max(s_start, prev_end)
        subject = name_lists.fold(text[s_start:m.start()])
        people = name_lists.trailing_names(subject)
        if not people or any(p.name is None for p in people):
            continue
        n = int(m.group("n")) if m.group("n") else None
        entries.append((s_start, m.end(), _side(m.group("side")), n, people))
    for m in rx(v.group_before).finditer(text, lo, hi):
        people = name_lists.name_list(name_lists.fold(m.group("names")).rstrip("."))
        if not people or any(p.name is None for p in people):
            continue
        n = int(m.group("n")) if m.group("n") else None
        entries.append((m.start("side"), m.end(), _side(m.group("side")), n, people))
    entries.sort(key=lambda e: e[0])
    out: list[Statement] = []
    for e in entries:
        cur = out[-1] if out else None
        if cur and e[0] - cur.end <= 300 and e[2] not in cur.named_counts \
                and not _marks_new_vote(text[cur.end:e[0]]):
            _add_group(cur, e)
            continue
        st = Statement(start=e[0], end=e[1], counts={}, ballots=[])
        _add_group(st, e)
        out.append(st)
    return [s for s in out if len(s.named_counts) >= 2 or sum(s.counts.values()) >= 2]


def _add_group(st: Statement, e) -> None:
    _, end, side, n, people = e
    st.end = end
    st.counts[side] = n if n is not None else len(people)
    st.named_counts[side] = len(people)
    st.ballots.extend(Ballot(name=p.name, party=p.party, vote=side) for p in people)


def _marks_new_vote(gap: str) -> bool:
    return bool(rx(any_of(wording().vote.requested)).search(name_lists.fold(gap)))


# ------------------------------------------------------------------------------ context

def _yes_means(window: str) -> tuple[str | None, str | None, list[str]]:
    best = None
    for pattern in wording().vote.yes_means:
        for m in rx(pattern, re.IGNORECASE | re.MULTILINE).finditer(window):
            if best is None or m.start() > best.start():
                best = m
        if best is not None:
            break
    if best is None:
        return None, None, []
    g = best.groupdict()
    proposals = [x.strip(" ,”\"") for x in (g.get("y"), g.get("n")) if x]
    return ((g.get("yes") or "").strip(" ,”\"") or None,
            (g.get("no") or "").strip(" ,”\"") or None,
            proposals if len(proposals) == 2 else [])


def _against(window: str) -> tuple[list[str], str | None]:
    """The last "ställer X mot Y" in the window: the two proposals and its sentence."""
    last = None
    for pattern in wording().vote.against:
        for m in rx(pattern, re.IGNORECASE | re.MULTILINE).finditer(window):
            if last is None or m.start() > last.start():
                last = m
    if last is None:
        return [], None
    line_start = window.rfind("\n", 0, last.start()) + 1
    line_end = window.find("\n", last.end())
    line = window[line_start:line_end if line_end >= 0 else len(window)]
    return [last.group("a").strip(" ,"), last.group("b").strip(" ,")], line


def _attachment_near(text: str, start: int, end: int) -> str | None:
    pattern = rx(wording().vote.attachment, 0)
    near = list(pattern.finditer(text, max(0, start - 250), start))
    after = pattern.search(text, end, min(len(text), end + 60))
    m = near[-1] if near else after
    if not m:
        return None
    return f"Bilaga {m.group('label')}" if m.group("label") else "Bilaga"


def _result(text: str, st: Statement, hi: int, skip: list[tuple[int, int]]) -> str | None:
    """The first sentence from the count on that states a decision (voting lists aside)."""
    patterns = [rx(p) for p in wording().vote.result]
    s_start, _ = sentences.sentence_at(text, st.start, 0, hi)
    rest = _without(text, s_start, min(hi, s_start + 2500), skip)
    for a, b in sentences.split(rest)[:7]:
        sentence = name_lists.fold(rest[a:b])
        if any(p.search(sentence) for p in patterns):
            return sentence
    return None


def _stage(*texts: str | None) -> str | None:
    v = wording().vote
    joined = " ".join(t for t in texts if t)
    if rx(v.main_vote).search(joined):
        return "huvudvotering"
    if rx(v.counter_proposal).search(joined):
        return "kontraproposition"
    return None


# ------------------------------------------------------------------------------ assembly

def _agrees(stated: dict[str, int], tally: dict[str, int]) -> bool:
    return all(tally.get(k, 0) == v for k, v in stated.items())


def _fmt(counts: dict[str, int]) -> str:
    words = {"yes": "ja", "no": "nej", "abstain": "avstår", "absent": "frånvarande"}
    return ", ".join(f"{counts[k]} {words[k]}" for k in SIDES if k in counts)


def read(text: str, regions: list[tuple[int, int, str]], item_at: ItemAt,
         page_at: Callable[[int], int | None],
         lines=None) -> tuple[list[tuple[str | None, Vote]], list[Warning]]:
    """Every vote in the document with the item it belongs to, and the warnings raised.

    `regions` are the (start, end, item number) stretches of text each item owns; `lines`
    the text as laid out (`Source.lines`), whose measured positions place a PDF table's marks.
    """
    warnings: list[Warning] = []
    statements = count_statements(text) + group_statements(text)
    statements.sort(key=lambda s: s.start)
    lists = read_lists(text, lines)
    for st in statements:
        st.item = item_at(st.start)
        st.attachment = _attachment_near(text, st.start, st.end)
    for b in lists:
        b_item = b.item_ref if b.item_ref and any(r[2] == b.item_ref for r in regions) \
            else item_at(b.start)
        b.item = b_item
        lo = b.heading_start if b.heading_start is not None else b.start
        for st in statements:
            if lo <= st.start < b.end:
                st.inside_list = True
                for k, v in st.counts.items():
                    b.totals.setdefault(k, v)
    statements = [s for s in statements if not s.inside_list]
    statements = _drop_repeats(text, statements)

    pairs = _pair(statements, lists)
    # A voting list no statement speaks for is a vote of its own, counted from its total
    # row or its marks; what ja meant and the result are read around it all the same.
    paired = set(map(id, pairs.values()))
    for b in lists:
        if id(b) in paired or not (b.ballots or b.totals):
            continue
        counts = dict(b.totals) or {k: v for k, v in b.tally().items() if v or k != "absent"}
        st = Statement(start=b.start, end=b.end, counts=counts, item=b.item,
                       attachment=b.attachment, from_list=True)
        pairs[id(st)] = b
        statements.append(st)
    statements.sort(key=lambda s: s.start)
    list_spans = [(b.heading_start if b.heading_start is not None else b.start, b.end)
                  for b in lists]
    out: list[tuple[str | None, Vote]] = []
    votes_in_order: list[tuple[int, str | None, Vote]] = []
    # A vote's result is read up to the sentence of the next vote's count.
    next_start = {id(s): (sentences.sentence_at(text, statements[k + 1].start)[0]
                          if k + 1 < len(statements) else len(text))
                  for k, s in enumerate(statements)}
    prev_end: dict[str | None, int] = {}
    for st in statements:
        region_lo = _region_start(regions, st.start)
        lo = max(prev_end.get(st.item, region_lo), region_lo)
        raw = _without(text, lo, st.start, list_spans)
        # One sentence a line, so that a clause ends with its sentence or heading.
        window = "\n".join(name_lists.fold(raw[a:b]) for a, b in sentences.split(raw))
        yes_means, no_means, proposals = _yes_means(window)
        against, against_sentence = _against(window)
        proposals = proposals or against
        result = _result(text, st, max(next_start[id(st)], st.end), list_spans)
        s_start, s_end = sentences.sentence_at(text, st.start)
        # A heading or sentence just before the count may name the stage ("Omröstnings-
        # resultat i huvudomröstningen"), as may the sentence setting the proposals up.
        lead = " ".join(window.split("\n")[-2:] + [against_sentence or ""])
        vote = Vote(yes_means=yes_means, no_means=no_means, proposals=proposals, result=result,
                    stage=_stage(name_lists.fold(text[s_start:s_end]), result, lead),
                    attachment=st.attachment,
                    span=Span(start=s_start, end=s_end, page_start=page_at(s_start),
                              page_end=page_at(max(s_start, s_end - 1))))
        counts = dict(st.counts)
        b = pairs.get(id(st))
        where = f"§ {st.item}" if st.item else "a vote"
        if st.ballots is not None:
            vote.ballots = st.ballots
            vote.verified = all(st.named_counts.get(k) == v for k, v in st.counts.items())
            if not vote.verified:
                warnings.append(Warning(kind="ballots_disagree", item=st.item, message=(
                    f"{where}: the names listed per side ({_fmt(st.named_counts)}) do not add "
                    f"up to the stated counts ({_fmt(st.counts)})")))
        elif b is not None:
            vote.attachment = vote.attachment or b.attachment
            for k, v in b.totals.items():
                counts.setdefault(k, v)
            _check_list(vote, b, {} if st.from_list else st.counts, where, st.item, warnings)
            for k, v in b.tally().items():
                if k != "absent" and b.ballots:
                    counts.setdefault(k, v)
        _set_counts(vote, counts)
        prev_end[st.item] = st.end
        votes_in_order.append((st.start, st.item, vote))
    for _, item, vote in sorted(votes_in_order, key=lambda t: t[0]):
        out.append((item, vote))
    return out, warnings


def _set_counts(vote: Vote, counts: dict[str, int]) -> None:
    vote.yes = counts.get("yes")
    vote.no = counts.get("no")
    vote.abstain = counts.get("abstain")
    vote.absent = counts.get("absent")


def _check_list(vote: Vote, b: BallotList, stated: dict[str, int], where: str,
                item: str | None, warnings: list[Warning]) -> None:
    label = f" ({b.attachment})" if b.attachment else ""
    if b.unreadable:
        vote.verified = None
        warnings.append(Warning(kind="ballots_unreadable", item=item,
                                message=f"{where}: {b.unreadable}{label}"))
        return
    vote.ballots = b.ballots
    if not b.ballots:
        return
    tally = b.tally()
    shown = {k: v for k, v in tally.items() if v or k in stated}
    checks = [_agrees(c, tally) for c in (stated, b.totals) if c]
    ok = all(checks) if checks else None
    if b.totals and not _agrees(b.totals, tally):
        warnings.append(Warning(kind="ballots_disagree", item=item, message=(
            f"{where}: the voting list{label} marks {_fmt(shown)} but its total row says "
            f"{_fmt(b.totals)}")))
    if stated and not _agrees(stated, tally):
        warnings.append(Warning(kind="ballots_disagree", item=item, message=(
            f"{where}: the voting list{label} marks {_fmt(shown)} but the minutes state "
            f"{_fmt(stated)}")))
    vote.verified = ok


def _region_start(regions, pos: int) -> int:
    best = 0
    for start, end, _ in regions:
        if start <= pos < end:
            best = max(best, start)
    return best


def _without(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> str:
    """text[lo:hi] with the voting lists in it left out."""
    parts, pos = [], lo
    for a, b in sorted(spans):
        if b <= pos or a >= hi:
            continue
        parts.append(text[pos:max(pos, a)])
        pos = max(pos, b)
    parts.append(text[pos:hi])
    return "\n".join(parts)


def _drop_repeats(text: str, statements: list[Statement]) -> list[Statement]:
    """A count stated twice for one vote ("Omröstningsresultat: 8 ja, 7 nej" and later
    "Med 8 ja-röster mot 7 nej-röster beslutar ...") is one vote, unless a new vote was
    called for in between."""
    out: list[Statement] = []
    for st in statements:
        prev = next((p for p in reversed(out) if p.item == st.item), None)
        if (prev is not None and prev.counts == st.counts and prev.ballots is None
                and st.ballots is None and not _marks_new_vote(text[prev.end:st.start])
                and not any(rx(p).search(name_lists.fold(text[prev.end:st.start]))
                            for p in wording().vote.yes_means)):
            continue
        out.append(st)
    return out


def _pair(statements: list[Statement], lists: list[BallotList]) -> dict[int, BallotList]:
    """Which voting list belongs to which count statement (by id of the statement)."""
    pairs: dict[int, BallotList] = {}
    free = [s for s in statements if s.ballots is None]

    def same_item(s, b):
        return s.item == b.item

    def take(s, b):
        pairs[id(s)] = b
        free.remove(s)

    left = list(lists)
    for rule in ("label", "counts", "before", "after"):
        for b in list(left):
            cands = [s for s in free if same_item(s, b)]
            chosen = None
            if rule == "label" and b.attachment and b.attachment != "Bilaga":
                chosen = next((s for s in cands if s.attachment == b.attachment), None)
            elif rule == "counts":
                own = b.totals or (b.tally() if b.ballots else {})
                chosen = next((s for s in cands if own and _agrees(s.counts, own)), None)
            elif rule == "before":
                before = [s for s in cands if s.start < b.start]
                chosen = before[-1] if before else None
            elif rule == "after":
                chosen = next((s for s in cands if s.start > b.start), None)
            if chosen is not None:
                take(chosen, b)
                left.remove(b)
    # A list standing away from its paragraph (all lists after the last item) still goes
    # with the statement whose attachment label and counts it shares.
    for b in list(left):
        own = b.totals or (b.tally() if b.ballots else {})
        chosen = next((s for s in reversed(free) if s.start < b.start and own
                       and _agrees(s.counts, own)
                       and (b.attachment in (None, "Bilaga") or s.attachment == b.attachment)),
                      None)
        if chosen is not None:
            b.item = chosen.item
            take(chosen, b)
            left.remove(b)
    return pairs
