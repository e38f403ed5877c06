"""Roll-call voting lists: who voted ja, nej or avstår, as a table or a list of rows.

Three layouts are read:
- cells separated by " | " (Markdown tables; empty cells between filled ones kept), with a
  header naming the columns (Ja, Nej, Avstår, Frånvarande; perhaps Ersätter) and an X in the
  voter's column, perhaps a total row ("Summa | | 3 | 2 | 8");
- text laid out in columns (pdftotext -layout): the header's words mark the columns and an X
  under one of them is a vote. The marks may stand on the lines between the names, where the
  layout drew them; then the n-th mark belongs to the n-th name. A list continues over a page
  break (a second header without a total row before it);
- rows ending in their vote word ("Aslan Akbas  S  1  Ordförande  Ja").
A list whose marks cannot be placed in columns (the columns flattened away) keeps its total
row and says why its ballots are missing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..models import Ballot
from . import name_lists
from .wording import rx, wording

SIDES = ("yes", "no", "abstain", "absent")


@dataclass
class BallotList:
    start: int
    end: int
    ballots: list[Ballot] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    attachment: str | None = None  # "Bilaga A", "Bilaga"
    item_ref: str | None = None  # the § its heading names
    unreadable: str | None = None  # why the ballots could not be read
    heading_start: int | None = None
    item: str | None = None  # the item it belongs to, once known

    def tally(self) -> dict[str, int]:
        out = dict.fromkeys(SIDES, 0)
        for b in self.ballots:
            out[b.vote] += 1
        return out


def _side_of_label(label: str) -> str | None:
    v = wording().vote
    label = " ".join(label.split()).strip(" :.").casefold()
    for side, pattern in (("yes", v.column_yes), ("no", v.column_no),
                          ("abstain", v.column_abstain), ("absent", v.column_absent)):
        if rx(pattern).match(label):
            return side
    return None


def _is_mark(cell: str) -> bool:
    return bool(rx(wording().vote.mark).match(cell.strip()))


def _lines(text: str, lo: int, hi: int):
    pos = lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl < 0 else nl
        yield pos, text[pos:end]
        pos = end + 1


def _voter(cell: str) -> name_lists.Person | None:
    # A party in a column of its own ("Anna Andersson   S   X", "Anna Andersson | S | X").
    words = cell.replace(" | ", " ").split()
    if len(words) >= 3 and name_lists.party_of(words[-1]) == words[-1]:
        p = name_lists.person(" ".join(words[:-1]))
        if p is not None and p.name and not p.party:
            return name_lists.Person(who=cell, name=p.name, party=words[-1])
    p = name_lists.person(cell)
    # A one-word "name" without a party is a column or page heading ("Voteringsprotokoll").
    if p is None or p.name is None or (len(p.name.split()) < 2 and not p.party):
        return None
    return p


# ------------------------------------------------------------------------------ headings

def _heading(text: str, pos: int) -> tuple[str | None, str | None, int | None]:
    """The attachment label and § named in the few lines above a list's header."""
    lo = max(0, pos - 400)
    block = text[lo:pos]
    lines = block.split("\n")[-5:]
    v = wording().vote
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k]
        m = rx(v.attachment, 0).search(line)
        ref = rx(v.list_item_ref).search(line)
        if m and (ref or k >= len(lines) - 3):
            label = m.group("label")
            start = pos - len("\n".join(lines[k:]))
            return (f"Bilaga {label}" if label else "Bilaga",
                    ref.group("number") if ref else None, start)
        if ref and re.search(r"(?i)votering|omröstning|röstlista", line):
            return None, ref.group("number"), pos - len("\n".join(lines[k:]))
    return None, None, None


# ------------------------------------------------------------------------------ pipe tables

def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split(" | ")]


def _pipe_header(cells: list[str]) -> list[str | None] | None:
    sides = [_side_of_label(c) for c in cells]
    if sum(1 for s in sides if s) < 2 or not any(s in ("yes", "no") for s in sides):
        return None
    out: list[str | None] = []
    for c, s in zip(cells, sides):
        if not s and rx(wording().vote.column_replaces).match(c.casefold()):
            s = "replaces"
        elif not s and re.fullmatch(r"(?i)parti(?:beteckning)?", c):
            s = "party"
        out.append(s)
    return out


def pipe_lists(text: str, lo: int, hi: int) -> list[BallotList]:
    out: list[BallotList] = []
    current: BallotList | None = None
    columns: list[str | None] = []
    offset = 0
    open_list: BallotList | None = None  # ended without a total row: may go on after a page break
    total_row = rx(wording().counts.total_row)
    for start, line in _lines(text, lo, hi):
        if " | " not in line:
            if current is not None:
                if not current.totals:
                    open_list = current
                current = None
            continue
        cells = _cells(line)
        header = _pipe_header(cells)
        if header:
            current = None
            label, ref, hstart = _heading(text, start)
            current = BallotList(start=start, end=start + len(line), attachment=label,
                                 item_ref=ref, heading_start=hstart)
            out.append(current)
            open_list = None
            columns = header
            # The voter's own column has no heading when it was empty in the source table:
            # then the first heading names the second column.
            offset = 1 if columns[0] is not None else 0
            continue
        target = current or open_list
        if target is None:
            continue
        if total_row.match(cells[0]):
            for k, c in enumerate(cells[1:], 1):
                side = _column(columns, k - offset)
                if side in SIDES and c.isdigit():
                    target.totals[side] = int(c)
            target.end = start + len(line)
            current, open_list = None, None
            continue
        # The voter's cell, and a party column beside it.
        party_cell = next((c for k, c in enumerate(cells[1:], 1)
                           if _column(columns, k - offset) == "party"), None)
        voter = _voter(f"{cells[0]} {party_cell}" if party_cell else cells[0])
        if voter is None:
            continue
        vote, replaces = None, None
        for k, c in enumerate(cells[1:], 1):
            kind = _column(columns, k - offset)
            if kind in SIDES and _is_mark(c):
                vote = kind if vote is None else "conflict"
            elif kind == "replaces" and c:
                replaces = c
            elif kind is None and _side_of_label(c) in SIDES:
                vote = _side_of_label(c)
        if vote in SIDES:
            rep = name_lists.person(replaces) if replaces else None
            target.ballots.append(Ballot(name=voter.name, party=voter.party, vote=vote,
                                         replaces=rep.name if rep and rep.name else replaces))
        target.end = start + len(line)
        if current is None:
            current = target  # the list goes on after a page break
    return out


def _column(columns: list[str | None], k: int) -> str | None:
    return columns[k] if 0 <= k < len(columns) else None


# ------------------------------------------------------------------------------ laid-out columns

# The column words end the line; before them stand at most a few words of heading
# ("Ledamot", "Voteringsprotokoll", "Namn Parti").
_LAYOUT_HEADER = re.compile(
    r"^(?:[ \t]*[A-ZÅÄÖ][\w/:.-]*(?:[ \t]+[\w/:.§-]+){0,5})?[ \t]*(?:^|(?<=\s))(?P<labels>(?:Ja|JA|Ja-röst(?:er)?)[ \t]+(?:Nej|NEJ|Nej-röst(?:er)?)"
    r"(?:[ \t]+(?:Avstår|AVSTÅR|Avst\.?|Avstod))?(?:[ \t]+(?:Frånvarande|Frånv\.?))?)[ \t]*$")
_MARK = re.compile(r"(?<!\S)[Xx×✓✔](?!\S)")
_NUMBER = re.compile(r"(?<!\S)\d{1,3}(?!\S)")


def _label_columns(line: str, m: re.Match) -> list[tuple[int, int, str]]:
    cols = []
    for w in re.finditer(r"\S+", m.group("labels")):
        side = _side_of_label(w.group(0))
        if side:
            cols.append((m.start("labels") + w.start(), m.start("labels") + w.end(), side))
    return cols


def _nearest(cols, a: int, b: int, slack: int = 2) -> str | None:
    for start, end, side in cols:
        if a >= start - slack and b <= end + slack:
            return side
    return None


def _is_prose(s: str) -> bool:
    words = s.split()
    lower = [w for w in words if re.match(r"[a-zåäö]", w)]
    return len(words) >= 4 and len(lower) >= 2


def layout_lists(text: str, lo: int, hi: int) -> list[BallotList]:
    out: list[BallotList] = []
    lines = list(_lines(text, lo, hi))
    k = 0
    while k < len(lines):
        start, line = lines[k]
        m = _LAYOUT_HEADER.search(line)
        if not m or " | " in line:
            k += 1
            continue
        label, ref, hstart = _heading(text, start)
        cols = _label_columns(line, m)
        lst = BallotList(start=start, end=start + len(line), attachment=label, item_ref=ref,
                         heading_start=hstart)
        voters: list[tuple[int, name_lists.Person, list[str | None]]] = []  # line, person, marks
        marks: list[tuple[int, str | None]] = []  # line, side (None: off the columns)
        totals_seen = False
        k += 1
        while k < len(lines):
            start, line = lines[k]
            stripped = line.strip()
            m2 = _LAYOUT_HEADER.search(line)
            if m2 and " | " not in line:
                if totals_seen or _heading(text, start)[0]:
                    break
                cols = _label_columns(line, m2)  # the list goes on over a page break
                lst.end = start + len(line)
                k += 1
                continue
            if not stripped:
                k += 1
                continue
            nums = list(_NUMBER.finditer(line))
            if nums and not _MARK.search(line) and (
                    re.fullmatch(r"[\d\s]+", stripped)
                    or rx(wording().counts.total_row).match(stripped)):
                placed = [_nearest(cols, n.start(), n.end(), slack=3) for n in nums]
                if None in placed or len(set(placed)) < len(placed):
                    placed = [side for _, _, side in cols][:len(nums)]  # flattened: in order
                for n, side in zip(nums, placed):
                    lst.totals[side] = int(n.group(0))
                lst.end = start + len(line)
                totals_seen = True
                k += 1
                break
            line_marks = list(_MARK.finditer(line))
            left = line[:line_marks[0].start()] if line_marks else line
            voter = _voter(left.strip())
            if voter is None and not line_marks and _is_prose(stripped):
                break
            if voter is None and not line_marks and rx(wording().vote.attachment, 0).search(line):
                break
            # A mark one space after the name is text run together, not a column.
            sides = [_nearest(cols, mk.start(), mk.end())
                     if not re.search(r"\S ?$", line[:mk.start()]) else None
                     for mk in line_marks]
            for s in sides:
                marks.append((k, s))
            if voter is not None:
                voters.append((k, voter, sides))
            lst.end = start + len(line)
            k += 1
        _place_marks(lst, voters, marks)
        if lst.ballots or lst.totals:
            out.append(lst)
    return out


def _place_marks(lst: BallotList, voters, marks) -> None:
    if not voters:
        return
    if any(side is None for _, side in marks):
        lst.unreadable = ("the voting list's marks do not stand under its columns "
                          "(the table was flattened to text)")
        return
    own_line = all(len(s) == 1 for _, _, s in voters if s) and sum(
        len(s) for _, _, s in voters) == len(marks)
    if own_line:
        pairs = [(p, s[0]) for _, p, s in voters if s]
    elif len(marks) == len(voters):
        # The layout put the marks between the names: the n-th mark is the n-th name's.
        pairs = [(p, side) for (_, p, _), (_, side) in zip(voters, marks)]
    else:
        lst.unreadable = (f"the voting list has {len(voters)} names but {len(marks)} marks, "
                          "which cannot be paired")
        return
    lst.ballots = [Ballot(name=p.name, party=p.party, vote=side) for p, side in pairs]


# ------------------------------------------------------------------------------ measured (PDF)

def _label_words(line) -> list[tuple[float, float, str]]:
    """The vote columns a table header line names, as (x0, x1, side), or [] if it is none:
    each label is a cell of its own ("Ledamot | Ersätter | Ja | Nej | Avstår")."""
    cols = []
    for cell in line.cells:
        side = _side_of_label(cell.text)
        if side:
            cols.append((cell.x0, cell.x1, side))
        elif rx(wording().vote.column_replaces).match(cell.text.casefold()):
            cols.append((cell.x0, cell.x1, "replaces"))
    sides = {c[2] for c in cols}
    if not ({"yes", "no"} <= sides) or len(line.words) > 12:
        return []
    return cols


def _column_of(cols, x0: float, x1: float, size: float) -> str | None:
    """The column a word stands under: the nearest column centre, within half the column's
    width and an em."""
    centre = (x0 + x1) / 2
    best = min(cols, key=lambda c: abs((c[0] + c[1]) / 2 - centre))
    return best[2] if abs((best[0] + best[1]) / 2 - centre) <= (best[1] - best[0]) / 2 + size \
        else None


def measured_lists(text: str, lines) -> list[BallotList]:
    """Voting lists in lines measured on PDF pages: an X under a column of the header."""
    out: list[BallotList] = []
    mark = rx(wording().vote.mark)
    total_row = rx(wording().counts.total_row)
    k = 0
    while k < len(lines):
        line = lines[k]
        cols = _label_words(line) if line.measured and line.start >= 0 else []
        if not cols:
            k += 1
            continue
        label, ref, hstart = _heading(text, line.start)
        lst = BallotList(start=line.start, end=line.end, attachment=label, item_ref=ref,
                         heading_start=hstart)
        voters: list[tuple[int, name_lists.Person, list[str | None]]] = []
        marks: list[tuple[int, str | None]] = []
        replaces: dict[int, str] = {}
        k += 1
        while k < len(lines):
            ln = lines[k]
            words = [w for w in ln.words if w.placed]
            if not words:
                k += 1
                continue
            again = _label_words(ln)
            if again:
                if lst.totals or _heading(text, ln.start)[0]:
                    break
                cols = again  # the list goes on over a page break
                k += 1
                continue
            votes_x0 = min(c[0] for c in cols if c[2] in SIDES)
            if total_row.match(words[0].text) or all(w.text.isdigit() for w in words):
                for w in words:
                    side = _column_of(cols, w.x0, w.x1, ln.size) if w.text.isdigit() else None
                    if side in SIDES:
                        lst.totals[side] = int(w.text)
                lst.end = ln.end
                k += 1
                break
            line_marks = [w for w in words if mark.match(w.text) and w.x0 >= votes_x0 - ln.size]
            sides = [_column_of(cols, w.x0, w.x1, ln.size) for w in line_marks]
            sides = [s if s in SIDES else None for s in sides]
            left = [w for w in words if w.x1 <= votes_x0 - 0.5 * ln.size and w not in line_marks]
            # The Ersätter column runs from its heading to the vote columns.
            rep_x0 = min((c[0] for c in cols if c[2] == "replaces"), default=None)
            rep = [w for w in left if rep_x0 is not None and w.x0 >= rep_x0 - ln.size]
            own = [w for w in left if w not in rep]
            voter = _voter(" ".join(w.text for w in own)) if own else None
            if voter is None and not line_marks:
                if _is_prose(ln.text):
                    break
                k += 1
                continue
            for side in sides:
                marks.append((k, side))
            if voter is not None:
                if rep:
                    replaces[len(voters)] = " ".join(w.text for w in rep)
                voters.append((k, voter, sides))
            lst.end = ln.end
            k += 1
        _place_marks(lst, voters, marks)
        for i, name in replaces.items():
            p = name_lists.person(name)
            if i < len(lst.ballots) and lst.ballots[i].name == voters[i][1].name:
                lst.ballots[i].replaces = p.name if p and p.name else name
        if lst.ballots or lst.totals:
            out.append(lst)
    return out


# ------------------------------------------------------------------------------ vote words

@functools.cache
def _row_name() -> re.Pattern:
    """A row that ends in its vote word (rules/votes.toml vote.row_vote_word): a name, a
    party, a number and a role perhaps, then the word."""
    return re.compile(
        r"^\s*(?P<name>[A-ZÅÄÖÉ][a-zåäöéü][\w'’-]*(?:\s+(?:[A-ZÅÄÖÉ][a-zåäöéü][\w'’-]*|af|von|van|de)){1,4})"
        r"(?:\s*\((?P<p1>[A-ZÅÄÖa-zåäö]{1,5}|-)\)|\s+(?P<p2>[A-ZÅÄÖ]{1,4}|-))?"
        r"(?:\s+\d{1,3})?(?:\s+[A-ZÅÄÖa-zåäö][\wåäö./ -]{0,30}?)?\s+"
        rf"(?i:{wording().vote.row_vote_word})")
_WORD_SIDE = {"ja": "yes", "nej": "no", "avstår": "abstain", "avstod": "abstain",
              "frånvarande": "absent", "frånv": "absent", "frånv.": "absent"}


def vote_word_lists(text: str, lo: int, hi: int) -> list[BallotList]:
    rows = []
    for start, line in _lines(text, lo, hi):
        m = _row_name().match(line.replace(" | ", "  "))
        if not m:
            continue
        voter = name_lists.person(m.group("name"))
        if voter is None or voter.name is None:
            continue
        party = m.group("p1") or m.group("p2")
        rows.append((start, start + len(line), Ballot(
            name=voter.name, party=None if party in (None, "-") else party,
            vote=_WORD_SIDE[m.group("vote").casefold()])))
    out: list[BallotList] = []
    run: list = []
    for row in rows + [None]:
        if row is not None and run and text.count("\n", run[-1][1], row[0]) <= 3:
            run.append(row)
            continue
        if len(run) >= 3:
            label, ref, hstart = _heading(text, run[0][0])
            out.append(BallotList(start=run[0][0], end=run[-1][1], ballots=[r[2] for r in run],
                                  attachment=label, item_ref=ref, heading_start=hstart))
        run = [row] if row is not None else []
    return out


def read_lists(text: str, lines=None) -> list[BallotList]:
    """Every voting list in the text, in document order. `lines` are the text's lines as laid
    out (`Source.lines`): where they were measured on PDF pages, the columns come from them."""
    lo, hi = 0, len(text)
    measured = [ln for ln in lines or [] if ln.measured]
    columns = measured_lists(text, measured) if measured else layout_lists(text, lo, hi)
    found = pipe_lists(text, lo, hi) + columns
    taken = [(b.start, b.end) for b in found]
    for b in vote_word_lists(text, lo, hi):
        if not any(s <= b.start < e for s, e in taken):
            found.append(b)
    return sorted(found, key=lambda b: b.start)
