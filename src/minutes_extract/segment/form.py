"""The header of minutes read as a form: each label with the value it owns.

Swedish protocols open with a form: "Plats och tid", "Beslutande", "Övriga deltagare",
"Utses att justera", "Underskrifter / Sekreterare / Ordförande / Justerande", "Paragrafer",
the ANSLAG/BEVIS box. The reader goes down the header's lines (`Source.lines`: cells with
their columns, measured on PDF pages, by character column in text) and gives every cell
that is not a label to a label:

- a cell to the right of a label on its line belongs to the nearest label on its left;
- a cell on a later line belongs to the label whose column it stands in: the rightmost open
  label starting at or left of it, whose value column it does not stand left of;
- labels stacked one per line with their values below ("Plats:" / "Tid:" ... "Lomma
  kommun, Sessionssalen" / "2025-11-19, kl 19:00") take those value lines in order;
- a label continued on the next line in its own column ("Ej tjänstgörande" / "ersättare",
  "Plats och tid för" / "sammanträde") is one label;
- a new label in a column, a line of running text in the label column, a wide vertical gap
  or the ANSLAG box ends what a label collects. Page furniture ("Sida 1 av 27") and filler
  (dotted signature lines) belong to no one.

A line flattened from a PDF (a web transcript) keeps no columns: labels are then found inside
the line too, and what follows each, up to the next label, is its value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .. import rules
from ..ingest import Source
from ..layout import Cell, Line, Word

GROUPS = ("present", "other", "absent", "invited")


class TableWords(rules.Rules):
    name: list[str]
    party: list[str]
    presence: list[str]
    replaces: list[str]
    substitute: list[str]
    affiliation: list[str]
    role: list[str]
    present_marks: list[str]
    absent_marks: list[str]


class AttendanceLabels(rules.Rules):
    present: list[str]
    other: list[str]
    absent: list[str]
    invited: list[str]
    fragments: list[str]
    list_headings: list[str]
    group_words: list[tuple[str, str]]
    qualifiers: list[str]
    copulas: list[str]
    table: TableWords
    label_roles: dict[str, str]


class Reading(rules.Rules):
    role_like: list[str]
    breakers: list[str]
    furniture: rules.Pattern
    max_gap_lines: float


@rules.schema("form")
class FormRules(rules.Rules):
    """rules/form.toml"""

    labels: dict[str, list[str]]
    attendance: AttendanceLabels
    reading: Reading


@dataclass
class Piece:
    """A stretch of a value: [start, end) in `Source.text`, its column and line."""

    start: int
    end: int
    x0: float
    line: int  # index into the header's lines


@dataclass
class Field:
    """A label and the value it owns."""

    key: str  # a key of rules/form.toml [labels], or "attendance"
    label: str  # as written, a continuation line included
    start: int  # the label's span in Source.text
    end: int
    x0: float
    line: int
    group: str | None = None  # attendance: present, other, absent or invited
    role: str | None = None  # attendance: the role the label gives ("ersättare")
    parent: Field | None = None  # a label inside another's value: "Beslutande" > "Ledamöter"
    pieces: list[Piece] = field(default_factory=list)
    vx: float | None = None  # where the value column starts
    stacked: bool = False  # stands in a stack of labels that share the values below
    shared: bool = False  # took its part of a flattened stack's value, and is done
    table: bool = False  # an attendance table: its first value line names the columns
    entries: int = 0  # attendance: how many attendees its value gave (the self-checks read it)

    def text(self, source: Source) -> str:
        """The value: its pieces, a line break between lines, a tab between cells."""
        out, last = [], None
        for p in self.pieces:
            if out:
                out.append("\n" if p.line != last else "\t")
            out.append(source.text[p.start:p.end])
            last = p.line
        return "".join(out).strip()

    @property
    def value_start(self) -> int:
        return self.pieces[0].start if self.pieces else self.end


# -------------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class _Label:
    key: str
    group: str | None
    role: str | None
    end: int  # offset in the cell text where the label (and its colon) ends
    colon: bool


@functools.cache
def _rules() -> FormRules:
    return rules.get("form")


def table_words() -> TableWords:
    return _rules().attendance.table


def column_name(text: str) -> str:
    """A table header cell as compared: a name set letter by letter ("N ä r v a r o") reads
    as the word, case and a trailing colon aside."""
    text = re.sub(r"(?<=\b\w) (?=\w\b)", "", text.strip())
    return " ".join(text.casefold().rstrip(":/").split())


def _table_header(texts: list[str]) -> bool:
    """Cells naming the columns of an attendance table: a name column and another about
    the row's person (party, presence, organisation or function). Members beside their
    substitutes alone ("Ledamöter | Tjänstgörande ersättare") are two lists side by side,
    whose entries wrap within their column: the attendance reader takes them as such."""
    words = table_words()
    names = [column_name(t) for t in texts]
    others = (*words.party, *words.presence, *words.affiliation, *words.role)
    return any(n in words.name for n in names) and any(n in others for n in names)


_alt = rules.alternation


@functools.cache
def _patterns():
    cfg = _rules()
    heads: dict[str, tuple[str, str | None]] = {}
    for kind in GROUPS:
        for w in getattr(cfg.attendance, kind):
            heads[w.casefold()] = ("attendance", kind)
    for w in cfg.attendance.fragments:
        heads.setdefault(w.casefold(), ("attendance", "present"))
    for key, words in cfg.labels.items():
        for w in words:
            heads.setdefault(w.casefold(), (key, None))
    quals = _alt(cfg.attendance.qualifiers)
    cops = _alt(cfg.attendance.copulas)
    # A label, attendance qualifiers, a copula or a colon, then the value.
    # Qualifiers and copulas are written in lower case: "Övriga närvarande Ersättare" is
    # two labels, "Beslutande ledamöter" one.
    tail = rf"(?-i:(?P<quals>(?:[ \t]+(?:{quals}))*)(?:[ \t]+(?P<cop>{cops})\b)?)[ \t]*(?P<colon>:)?"
    # An abbreviated label may end in a period: "Ordf.", "Sekr.".
    at_start = re.compile(rf"(?i)(?P<label>{_alt(heads)})(?:(?<=f|r)\.)?(?![\w-]){tail}")
    exact = "|".join(re.escape(w) for w in sorted(
        {w for ws in cfg.labels.values() for w in ws}
        | {w for k in GROUPS for w in getattr(cfg.attendance, k)}, key=len, reverse=True))
    frags = _alt(cfg.attendance.fragments)
    inside = re.compile(
        rf"(?<=\s)(?P<label>{exact}|(?-i:{frags}))(?![\w-]){tail}")
    return heads, at_start, inside


def _group(label: str) -> tuple[str, str | None]:
    """An attendance label's group and the role it gives."""
    cfg = _rules().attendance
    low = " ".join(label.rstrip(": ").split()).casefold()
    heads, _, _ = _patterns()
    kind = next((heads[h][1] for h in sorted(heads, key=len, reverse=True)
                 if low.startswith(h) and heads[h][0] == "attendance"), "present")
    if kind != "invited":
        for word, group in cfg.group_words:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low):
                kind = group
                break
    role = None
    for phrase, value in cfg.label_roles.items():
        if re.search(rf"(?<!\w){re.escape(phrase)}$", low.removesuffix(" var").removesuffix(" är")):
            role = value
    return kind, role


def _label_at(text: str, pos: int = 0, inside: bool = False) -> _Label | None:
    """The label that starts `text` at `pos` (at a cell start, or `inside` a flattened line)."""
    heads, at_start, inside_re = _patterns()
    m = (inside_re if inside else at_start).match(text, pos)
    if not m:
        return None if inside else _list_line(text, pos)
    label = m.group("label")
    key, _ = heads[label.casefold()]
    rest = text[m.end():].lstrip(" \t")
    colon = bool(m.group("colon"))
    if label[0].islower() and not colon and not inside:
        return None  # a lower-case label needs its colon: "ordförande" alone is a role
    if key != "attendance" and (m.group("quals") or m.group("cop")):
        return None
    if rest and not colon and not m.group("cop"):
        first = rest.split(None, 1)[0].casefold()
        lower = not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "(§\"”")
        if key == "attendance" and lower and not inside:
            # "Närvarande medlemmar med rösträtt var: Anna ...": lower-case words up to a colon
            # or a copula belong to the label; "Närvarolista vid sammanträde med ..." is a
            # heading over the list below it.
            m2 = re.match(rf"[^\n:]{{0,80}}?(?::|\s(?:{_alt(_rules().attendance.copulas)})\b)", rest)
            head = text[pos:].split(None, 1)[0].casefold()
            if m2:
                end = m.end() + (len(text) - m.end() - len(rest)) + m2.end()
                group, role = _group(text[pos:end])
                return _Label(key, group, role, end, True)
            if head in _rules().attendance.list_headings:
                group, role = _group(text[pos:])
                return _Label(key, group, role, len(text), False)
            return None
        # "Lokal och mat" is a heading, "Tid för nästa möte ..." a sentence. (Inside a
        # flattened line `_opens_value` has judged what follows.)
        if first in _rules().reading.breakers or lower and not inside:
            return None
    if key == "attendance":
        group, role = _group(m.group(0))
        return _Label(key, group, role, m.end(), colon)
    return _Label(key, None, None, m.end(), colon)


def _list_line(text: str, pos: int) -> _Label | None:
    """A short line that names a group and ends in a colon or a copula, opening the list
    below it ("Därtill vid detta möte adjungerad var", "Styrelsens ledamöter närvarande:")."""
    cfg = _rules().attendance
    line = text[pos:].strip()
    words = line.rstrip(":").split()
    if not 2 <= len(words) <= 8 or re.search(r"\d", line):
        return None
    if not (line.endswith(":") or words[-1] in cfg.copulas):
        return None
    low = line.casefold()
    if not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", low) for w, _ in cfg.group_words):
        return None
    group, role = _group(line)
    return _Label("attendance", group, role, len(text), True)


def _is_furniture(text: str) -> bool:
    return bool(_rules().reading.furniture.match(text.strip()))


# ------------------------------------------------------------------------------- reading


@dataclass
class _Open:
    """A label still collecting."""

    f: Field
    bottom: float  # where its last value line stands
    closed: bool = False


def read_fields(source: Source, start: int, end: int) -> list[Field]:
    """The labelled fields of the text between `start` and `end` (the header), in order."""
    lines = [ln for ln in source.lines if start <= ln.start < end]
    fields: list[Field] = []
    open_: list[_Open] = []
    chain: list[Field] = []  # labels set one after the other with no value yet
    prev: Line | None = None
    for i, line in enumerate(lines):
        cells = [c for c in line.cells if c.start >= 0]
        if _gap(prev, line) > _rules().reading.max_gap_lines:
            for o in open_:
                o.closed = True
        in_list = any(o.f.key == "attendance" and o.f.pieces and not o.closed for o in open_)
        labelled = _label_cells(source, cells, i, in_list)
        if _continues_label(open_, cells, labelled, i, line):
            f = open_[-1].f
            f.label = f"{f.label} {cells[0].text}"
            f.end = cells[0].end
            if f.key == "attendance":
                f.group, f.role = _group(f.label)
            for cell, _found in labelled[1:]:
                _assign_cell(source, open_, [], cell, line, i)
            prev = line
            continue
        tol = _tolerance(line)
        new: list[_Open] = []
        for _cell, found in labelled:
            for lab in found:
                if lab.table:
                    # A table's header row under an attendance label ("Deltagare" / "Namn
                    # Organisation Funktion") is that label's value: the table takes its group.
                    for o in open_:
                        if o.f.key == "attendance" and not o.f.pieces and not o.closed:
                            o.closed = True
                            if _label_at(lab.label) is None:
                                lab.group, lab.role = o.f.group, o.f.role

                lab.parent = _parent([*open_, *new], lab)
                _close_for(open_, lab, i, tol)
                if lab.key in ("notice", "contents"):
                    for o in open_:
                        o.closed = True
                new.append(_Open(lab, line.bottom))
                fields.append(lab)
        for cell, found in labelled:
            if not found:
                _assign_cell(source, open_, new, cell, line, i)
        chain = _flattened_stacks(source, chain, [o.f for o in new])
        for o in [*open_, *new]:
            if o.f.shared and not (o.f.key == "attendance" and o.f.pieces):
                o.closed = True  # a shared value is shared once; a list may go on below
        open_ = [o for o in open_ if not o.closed] + [o for o in new if not o.closed]
        prev = line
    return fields


def _flattened_stacks(source: Source, chain: list[Field], labels: list[Field]) -> list[Field]:
    """Extend the chain of value-less labels with this line's labels; when one of them holds
    a value on its own line after such a chain, the chain's labels share it."""
    for lab in labels:
        if chain and _adjacent(chain[-1], lab):
            if lab.pieces and lab.pieces[0].line == lab.line:
                _share(source, [*chain, lab])
                chain = []
            elif not lab.pieces:
                chain.append(lab)
            else:
                chain = []
        else:
            chain = [] if lab.pieces else [lab]
    if not labels:
        return []
    return chain


def _gap(prev: Line | None, line: Line) -> float:
    """Lines of empty space between two lines (0 for adjacent lines)."""
    if prev is None or prev.page != line.page:
        return 0.0
    height = max(1e-6, prev.bottom - prev.top)
    return max(0.0, (line.top - prev.bottom) / height)


def _label_cells(source: Source, cells: list[Cell], index: int, in_list: bool):
    """Each cell with the labels found in it, as fields with their inline values. The header
    row of an attendance table is one label whose value starts with its column names."""
    texts = [source.text[c.start:c.end] for c in cells]
    if len(cells) >= 2 and _table_header(texts):
        f = Field("attendance", texts[0].strip(), cells[0].start, cells[0].end, cells[0].x0,
                  index, "present", table=True)
        lab = _label_at(texts[0])
        if lab is not None and lab.key == "attendance":
            f.group, f.role = lab.group, lab.role
        for c in cells:
            f.pieces.append(Piece(c.start, c.end, c.x0, index))
        f.vx = cells[0].x0
        return [(cells[0], [f])]
    out: list[tuple[Cell, list[Field]]] = []
    for ci, cell in enumerate(cells):
        text = source.text[cell.start:cell.end]
        found: list[Field] = []
        lab = _label_at(text)
        pos = 0
        if lab is not None and in_list and ci == 0 and _role_in_list(text, lab):
            lab = None
        if lab is not None and not _is_role_after_name(source, cells, ci, lab):
            found.append(_field(lab, text, cell, index, 0))
            pos = lab.end
        # Labels inside a flattened line, each taking what follows it up to the next. Text
        # before the first of them is a heading in capitals, or the labels stand stacked
        # ("Dag Tid Plats ande ..."): else the line is running text that names a label word.
        inside = []
        p = pos
        while (m := _next_inside(text, p)) is not None:
            inside.append(m)
            p = m[1].end
        if inside and not found and not _heading_prefix(text[:inside[0][0]]):
            stacked_at = next((k for k in range(len(inside) - 1)
                               if not text[inside[k][1].end:inside[k + 1][0]].strip()), None)
            inside = inside[stacked_at:] if stacked_at is not None else []
        for at, lab2 in inside:
            if found:
                _add_inline(found[-1], cell, index, text, found[-1].end - cell.start, at)
            found.append(_field(lab2, text, cell, index, at))
            pos = lab2.end
        if found:
            _add_inline(found[-1], cell, index, text, pos, len(text))
        out.append((cell, found))
    return out


def _heading_prefix(text: str) -> bool:
    """Nothing, or a heading before a flattened line's first label: words that all start
    with a capital or are numbers ("PROTOKOLL", "1 34", "Bjurholm Nordmaling Umeå
    Minnesanteckningar Regionrådsmöte")."""
    words = text.split()
    return len(words) <= 12 and all(w[:1].isupper() or w.isdigit() for w in words)


def _field(lab: _Label, text: str, cell: Cell, index: int, at: int) -> Field:
    label = text[at:lab.end].rstrip(" \t:")
    return Field(lab.key, label, cell.start + at, cell.start + at + len(label),
                 _x_at(cell, at), index, lab.group, lab.role)


def _add_inline(f: Field, cell: Cell, index: int, text: str, a: int, b: int) -> None:
    while a < b and text[a] in " \t:":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    if a < b and not _is_furniture(text[a:b]):
        f.pieces.append(Piece(cell.start + a, cell.start + b, _x_at(cell, a), index))
        if f.vx is None:
            f.vx = _x_at(cell, a)


def _next_inside(text: str, pos: int) -> tuple[int, _Label] | None:
    _, _, inside = _patterns()
    for m in inside.finditer(text, pos):
        if not _opens_value(text, m):
            continue
        lab = _label_at(text, m.start(), inside=True)
        if lab is None:
            continue
        before = text[:m.start()].rstrip()
        if m.group("label") in _rules().reading.role_like and before.endswith((")", ",")) \
                and _label_at(text, lab.end, inside=True) is None:
            continue  # "Anna Berg (S), Ordförande": a role after a name, not a stack of labels
        return m.start(), lab
    return None


def _role_in_list(text: str, lab: _Label) -> bool:
    """A role word opening a line of several names inside a list is a role of the row above
    it, not a label ("Ordförande Anders Ågren M 1 Hans Lindberg S 1")."""
    from ..names import find_listed

    word = text[:lab.end].strip()
    return (not lab.colon and word in _rules().reading.role_like
            and len(find_listed(text[lab.end:])) >= 2)


def _opens_value(text: str, m: re.Match) -> bool:
    """What follows a label inside a flattened line: a capital, a digit, a bracket, another
    label, the end; after a date or time label, a date or time written in words first
    ("Dag tisdagen den 12 juni", "Tid kl 09:00", "Tid lunch 12-13")."""
    rest = text[m.end():].lstrip(" \t")
    if not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in "(§":
        return True
    heads, _, _ = _patterns()
    if heads.get(rest.split(None, 1)[0].casefold(), (None,))[0] is not None:
        return True  # "Tid Plats ande ...": labels stacked
    key = heads.get(m.group("label").casefold(), (None,))[0]
    return key in ("date", "time", "place_time") and bool(re.search(r"\d", rest[:25]))


def _is_role_after_name(source: Source, cells: list[Cell], ci: int, lab: _Label) -> bool:
    """A role word in a cell of its own right after a name's cell, with no colon: the name's
    role, not a label ("Linda Andersson   Sekreterare   Tord Linder")."""
    if ci == 0 or lab.colon:
        return False
    text = source.text[cells[ci].start:cells[ci].end]
    word = text[:lab.end].strip()
    if word not in _rules().reading.role_like:
        return False
    left = source.text[cells[ci - 1].start:cells[ci - 1].end]
    return bool(re.search(r"[)\w]\s*,?$", left)) and _label_at(left) is None


def _x_at(cell: Cell, offset: int) -> float:
    """The column of the character `offset` into a cell's text."""
    pos = cell.start + offset
    for w in cell.words:
        if w.start <= pos < w.end or pos < w.start:
            return w.x0 if pos <= w.start else _interpolate(w, pos)
    return cell.x1


def _interpolate(w: Word, pos: int) -> float:
    share = (pos - w.start) / max(1, w.end - w.start)
    return w.x0 + share * (w.x1 - w.x0)


def _tolerance(line: Line) -> float:
    return 0.8 * line.size if line.measured else 1.0


def _close_for(open_: list[_Open], lab: Field, index: int, tol: float) -> None:
    """A new label ends the open labels of its column and of the columns to its right, and a
    label whose value column it stands in. A label with no value right above it in its
    column stays open: the two are a stack sharing the values below. An attendance label
    inside another's value ("Beslutande  Ledamöter") leaves that one open too."""
    for o in open_:
        f = o.f
        if lab.parent is f:
            continue
        if not f.pieces and f.line == index - 1 and abs(f.x0 - lab.x0) <= tol:
            f.stacked = lab.stacked = True
            continue
        if f.x0 >= lab.x0 - tol or (f.vx is not None and f.x0 <= lab.x0 <= f.vx + tol):
            o.closed = True


def _parent(open_: list[_Open], lab: Field) -> Field | None:
    """An attendance label inside an open attendance label's value ("Beslutande  Ledamöter")."""
    if lab.key != "attendance":
        return None
    for o in reversed(open_):
        if o.f.key == "attendance" and not o.closed and o.f.x0 < lab.x0 and o.f.parent is None:
            return o.f
    return None


def _assign_cell(source: Source, open_: list[_Open], new: list[_Open], cell: Cell, line: Line,
                 index: int) -> None:
    if _is_furniture(source.text[cell.start:cell.end]):
        return
    tol = _tolerance(line)
    # On the line of new labels: the nearest label to the left.
    left = [o for o in new if o.f.x0 < cell.x0]
    if left:
        _take(max(left, key=lambda o: o.f.x0), cell, index)
        return
    sub = _sub_column(open_, cell, line, tol)
    if sub is not None:
        _take(sub, cell, index)
        return
    # Below: the rightmost open label starting at or left of the cell.
    cands = [o for o in open_ if not o.closed and o.f.x0 <= cell.x0 + tol]
    if not cands and not line.measured:
        # Plain text loses the value column: a wrapped list line starts the line, and goes
        # on the list written last.
        lists = [o for o in open_ if not o.closed and o.f.key == "attendance" and o.f.pieces]
        if lists:
            last = max(lists, key=lambda o: o.f.pieces[-1].start)
            if _wrapped(source, last.f, cell):
                cands = [last]
    if not cands:
        return
    x = max(o.f.x0 for o in cands)
    column = [o for o in cands if abs(o.f.x0 - x) <= tol]
    # Stacked labels take the value lines below them in order.
    waiting = [o for o in column if not o.f.pieces]
    target = waiting[0] if waiting else column[-1]
    if target.f.vx is not None and cell.x0 < target.f.vx - tol \
            and not (not line.measured and _wrapped(source, target.f, cell)):
        # Left of the value column: running text under the form, which ends the label.
        target.closed = True
        return
    if target.f.key == "attendance" and target.f.pieces and not target.f.table \
            and _ends_list(source, cell):
        target.closed = True
        return
    _take(target, cell, index)


def _sub_column(open_: list[_Open], cell: Cell, line: Line, tol: float) -> _Open | None:
    """Below a heading label with two or more labels of its own beside it ("Övriga
    närvarande  Ersättare  Tjänstepersoner"), the columns of values belong to those labels in
    order. Plain text sets the labels where the writer typed them, not over their columns:
    a row's cells go to the labels by their order in the row, a lone cell to the column it
    stands in, or to the next label without values when it stands apart from every column."""
    children: list[_Open] = []
    for o in open_:
        p = o.f.parent
        if o.closed or p is None or o.f.line != p.line or o.f.key != "attendance":
            continue
        siblings = [c for c in open_ if not c.closed and c.f.parent is p and c.f.line == p.line]
        if len(siblings) >= 2:
            children = sorted(siblings, key=lambda c: c.f.x0)
            break
    if not children or line.measured:
        return None
    if any(o.f.vx is None for o in children) and not any(o.f.pieces for o in children):
        row = sorted(c.x0 for c in line.cells if c.start >= 0)
        k = row.index(cell.x0) if cell.x0 in row else 0
        return children[k] if k < len(children) else None
    placed = [o for o in children if o.f.vx is not None]
    near = min(placed, key=lambda o: abs(o.f.vx - cell.x0))
    if abs(near.f.vx - cell.x0) <= 4 * tol:
        return near
    waiting = [o for o in children if o.f.vx is None and o.f.x0 >= near.f.x0]
    return waiting[0] if waiting else near


def _ends_list(source: Source, cell: Cell) -> bool:
    """A line that ends an attendance list: one without a name that does not wrap the line
    above (a heading such as "Mötets öppnande"), or running text."""
    from ..names import find_listed

    text = source.text[cell.start:cell.end].strip()
    words = text.split()
    prose = len(words) >= 8 and sum(w[:1].islower() for w in words) >= 0.6 * len(words)
    if prose:
        return True
    if find_listed(text) or text[:1].islower() or text[:1] in "(,-–•*" or _is_furniture(text):
        return False
    from ..names import vocabulary

    v = vocabulary()
    if v.is_party(text.strip("()")) or (words and v.is_role(words[0])):
        return False  # a party's or a role's cell of a row in the list ("Per Holm | S")
    return text[:1].isupper() and not re.match(r"(?i)se\b|enligt\b", text)


def _wrapped(source: Source, f: Field, cell: Cell) -> bool:
    """In plain text a value wraps to the line's start: a list goes on while its lines hold
    names, any value while its next line starts in lower case."""
    from ..names import find_listed

    text = source.text[cell.start:cell.end]
    if text[:1].islower() or text[:1] in "(,":
        return True
    return f.key == "attendance" and bool(find_listed(text))


def _take(o: _Open, cell: Cell, index: int) -> None:
    o.f.pieces.append(Piece(cell.start, cell.end, cell.x0, index))
    if o.f.vx is None:
        o.f.vx = cell.x0


def _continues_label(open_: list[_Open], cells: list[Cell], labelled, index: int,
                     line: Line) -> bool:
    """A short lower-case cell right below a label, in its column: the label's second line
    ("Ej tjänstgörande" / "ersättare", "Plats och tid för" / "sammanträde")."""
    if not open_ or not cells or labelled[0][1]:
        return False
    first = cells[0].text
    if not (first[:1].islower() and len(first.split()) <= 3 and not re.search(r"\d", first)):
        return False
    for o in open_:
        f = o.f
        if (f.line == index - 1 and all(p.line == f.line for p in f.pieces)
                and abs(cells[0].x0 - f.x0) <= _tolerance(line)):
            open_.remove(o)
            open_.append(o)  # the label continued is the one the caller extends
            return True
    return False


# ----------------------------------------------------------------- flattened stacks


# What a label of each key takes from the value its stack shares: running text up to the
# next name, the names of an attendance list, or one name.
_TEXT_KEYS = frozenset({"place", "place_time", "time", "date", "adjust_place", "paragraphs",
                        "body", "notice"})
_ONE_NAME_KEYS = frozenset({"secretary", "chair", "adjusters"})


_PARAGRAPHS = re.compile(r"[ \t:]*§*[ \t]*\d+(?:[ \t]*[-–,][ \t]*§*[ \t]*\d+)*")
_TIME_AT = re.compile(r"(?i)[ \t:]*(?:kl\.?|klockan)?[ \t]*\d{1,2}(?:[.:]\d\d)?(?:[ \t]*[-–][ \t]*\d{1,2}(?:[.:]\d\d)?)?")


def _typed_end(key: str, text: str, pos: int, stop: int) -> int | None:
    """Where a date, time or paragraph label's part of a shared value ends: its date, time
    or range when the value goes on with one, else nothing (None for labels of free text)."""
    if key == "date":
        from ..dates import find_dates

        found = find_dates(text[pos:stop])
        if found and not text[pos:pos + found[0].start].strip(" \t:,"):
            return pos + found[0].end
        return pos
    if key == "time":
        m = _TIME_AT.match(text, pos, stop)
        return m.end() if m and re.search(r"\d", m.group()) else pos
    if key == "paragraphs":
        m = _PARAGRAPHS.match(text, pos, stop)
        return m.end() if m else pos
    return None


def _adjacent(a: Field, b: Field) -> bool:
    """The second label stands right after the first: the next line in its column, or next
    in the same flattened line."""
    return (b.line == a.line and b.start > a.end) or (b.line == a.line + 1 and abs(b.x0 - a.x0) <= 4.0)


def _share(source: Source, run: list[Field]) -> None:
    """Give each label of a flattened stack its part of the shared value, by what the label
    holds: text up to the next name (place, time, date), a run of names (attendance; the run
    stays with the last attendance label, which shares it out by party), or one name
    (secretary, chair, justerare) taken from the end of the value, where signatures stand."""
    from ..names import find_listed

    holder = run[-1]
    if len(holder.pieces) != 1 or any(f.key in ("notice", "contents") for f in run[:-1]):
        return
    piece = holder.pieces[0]
    text = source.text[piece.start:piece.end]
    names = find_listed(text)
    if not names:
        return
    tails = [k for k, f in enumerate(run) if f.key in _ONE_NAME_KEYS]
    # Officers after the last attendance label take the last names, one each, in order.
    last_list = max((k for k, f in enumerate(run) if f.key == "attendance"), default=-1)
    officers = [k for k in tails if k > last_list] if last_list >= 0 else []
    if len(names) < len(officers) + (1 if last_list >= 0 else 0):
        officers = []
    reserved = names[len(names) - len(officers):] if officers else []
    free = names[:len(names) - len(reserved)]
    parts: dict[int, list[tuple[int, int]]] = {}
    pos, n = 0, 0
    for k, f in enumerate(run):
        if f.key == "body":
            # A body's name, such as "Regionförbundets Primärkommunala nämnd", and no more.
            from .meeting import body_at_start

            lead = len(text[pos:]) - len(text[pos:].lstrip(" :,"))
            body = body_at_start(text[pos + lead:])
            if body:
                parts.setdefault(k, []).append((pos + lead, pos + lead + len(body)))
                pos += lead + len(body)
            continue
        if f.key in _TEXT_KEYS:
            stop = free[n][0] if n < len(free) else (reserved[0][0] if reserved else len(text))
            typed = _typed_end(f.key, text, pos, stop)
            if typed is not None:
                stop = typed
            if stop > pos:
                parts.setdefault(k, []).append((pos, stop))
            pos = max(pos, stop)
        elif f.key == "attendance":
            later = [j for j in range(k + 1, len(run)) if run[j].key == "attendance"]
            if later and all(run[j].key == "attendance" for j in range(k + 1, later[-1] + 1)):
                continue  # the last of consecutive lists takes the names
            end = free[-1][1] if free else pos
            # The list runs to the last free name's entry, up to a text label's part after it.
            nxt_text = next((j for j in range(k + 1, len(run)) if run[j].key in _TEXT_KEYS), None)
            stop = reserved[0][0] if reserved else len(text)
            if nxt_text is not None:
                stop = end
            if stop > pos:
                parts.setdefault(k, []).append((pos, stop))
            pos = max(pos, stop)
            n = len(free)
        elif k in officers:
            a, b = reserved[officers.index(k)]
            parts.setdefault(k, []).append((a, b))
        elif f.key in _ONE_NAME_KEYS and n < len(free):
            a, b = free[n]
            parts.setdefault(k, []).append((a, b))
            pos, n = b, n + 1
    if not parts:
        return
    for f in run:
        f.stacked = f.shared = True
    holder.pieces = []
    for k, spans in parts.items():
        f = run[k]
        for a, b in spans:
            seg = text[a:b]
            lead = len(seg) - len(seg.lstrip())
            seg = seg.strip()
            if seg:
                f.pieces.append(Piece(piece.start + a + lead, piece.start + a + lead + len(seg),
                                      piece.x0, piece.line))
        f.stacked = True
