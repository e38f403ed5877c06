"""Attendee lists: who the minutes say took part, was there besides, or was absent.

The header is read as lines of cells (table cells, tab- or wide-gap-separated columns) so
that two-column layouts keep their columns apart. A group label ("Beslutande", "Övriga
deltagare:") opens a list; each later cell goes to the label of the last label row nearest
to it in column. In a flattened line labels are found inside the line as well, and labels
stacked without values between them ("Beslutande Ej beslutande Övriga deltagare ...")
share the names that follow. A list's text is cut into entries at name-shaped phrases;
what stands between two names is the first one's affiliation, role and attendance note.
Items titled for attendance ("Tillkännagivande av röstlängd") are read as present lists.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from .. import rules
from ..gazetteer import lookup_municipality
from ..ingest import Source
from ..models import Attendee, Item, Span
from .lines import split_lines

_LOWER = "a-zåäöéèüßøæáíóúñçë'’"
_UPPER = "A-ZÅÄÖÉÜØÆ"
_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)*"
_INITIAL = rf"[{_UPPER}]{{1,2}}\.?(?![{_LOWER}])"
_CELL_SPLIT = re.compile(r"\t+|\||\s{3,}")


@dataclass
class _Label:
    text: str
    kind: str  # present | other | absent | invited | stop
    role: str | None
    col: int
    start: int
    end: int


@dataclass
class _List:
    """The text a label collects: pieces of the source, in reading order."""

    labels: list[_Label]
    pieces: list[tuple[int, int]] = field(default_factory=list)


@functools.cache
def _cfg():
    cfg = rules.load("attendees")
    heads = {}
    for kind in ("present", "other", "absent", "invited"):
        for w in cfg["labels"][kind]:
            heads[w] = kind
    for w in cfg["stop"]["labels"]:
        heads.setdefault(w, "stop")
    alt = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
    qualifiers = "|".join(
        re.escape(w) for w in sorted(
            {w for w, _ in cfg["group_words"]}
            | {"ledamöter", "styrelseledamöter", "ständigt", "ersättare", "tjänstgörande"},
            key=len, reverse=True,
        )
    )
    tail = rf"(?:\s+(?:{qualifiers}))*(?:\s+[{_LOWER}]+){{0,3}}?\s*:|(?:\s+(?:{qualifiers}))*"
    # At a line or cell start any case will do; inside a flattened line the label must be
    # written with a capital and be followed by a capital, a bracket, a colon or the end.
    at_start = re.compile(rf"(?i:{alt})(?:{tail})(?!\s+för\b)(?![\w-])")
    frags = "|".join(re.escape(f) for f in cfg["labels"]["present_fragments"])
    inside = re.compile(
        rf"(?<![\w-])(?:{alt}|(?<=\s)(?:{frags}))(?:{tail})(?!\s+för\b)(?=\s+[{_UPPER}(]|\s*$|\s*:)"
    )
    return cfg, heads, at_start, inside


def _label_kind(text: str) -> tuple[str, str | None]:
    cfg, heads, *_ = _cfg()
    low = " ".join(text.rstrip(":").split()).casefold()
    if low in cfg["labels"]["present_fragments"]:
        return "present", None
    head = next((h for h in sorted(heads, key=len, reverse=True) if low.startswith(h.casefold())), "")
    kind = heads.get(head, "stop")
    if kind in ("present", "other", "absent"):
        for word, group in cfg["group_words"]:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low):
                kind = group
                break
    role = None
    for phrase, value in cfg["label_roles"].items():
        if re.search(rf"(?<!\w){re.escape(phrase)}$", low):
            role = value
    return kind, role


def _find_labels(text: str, start: int, end: int, cell_start: bool) -> list[_Label]:
    """Labels inside text[start:end]; the first may sit at the cell start."""
    _, _, at_start, inside = _cfg()
    found = []
    pos = start
    if cell_start:
        m = at_start.match(text, start, end)
        if m:
            found.append(m)
            pos = m.end()
    while True:
        m = inside.search(text, pos, end)
        if not m:
            break
        if m.group(0).rstrip(":").strip() in _cfg()[0]["stop"]["role_like"]:
            pos = m.end()
            continue
        found.append(m)
        pos = m.end()
    labels = []
    for m in found:
        kind, role = _label_kind(m.group(0))
        labels.append(_Label(m.group(0), kind, role, 0, m.start(), m.end()))
    return labels


def _cells(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    cells, pos = [], line_start
    for m in _CELL_SPLIT.finditer(text, line_start, line_end):
        cells.append((pos, m.start()))
        pos = m.end()
    cells.append((pos, line_end))
    out = []
    for a, b in cells:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _collect(source: Source, start: int, end: int) -> list[_List]:
    """Group-label lists in text[start:end], each with the pieces of text it owns."""
    text = source.text
    lists: list[_List] = []
    active: list[tuple[int, _List]] = []  # (column, list) of the last label row
    received: set[int] = set()
    pending: list[_List] = []  # empty one-label rows on the lines just above
    for line in split_lines(text[start:end]):
        ls, le = start + line.start, start + line.end
        cells = _cells(text, ls, le)
        if not cells:
            pending = []
            continue
        row: list[tuple[int, _List]] = []
        leftovers: list[tuple[int, int, int]] = []  # content cells (col, a, b)
        for ci, (a, b) in enumerate(cells):
            col = a - ls
            # A label opens a row only from the first cell; beside a value it is page furniture.
            labels = _find_labels(text, a, b, cell_start=True) if ci == 0 or row else []
            if labels and ci == 0 and _continues(text, labels[0], b, active, received):
                labels = labels[1:]
            if not labels:
                leftovers.append((col, a, b))
                continue
            if labels[0].start > a:
                leftovers.append((col, a, labels[0].start))
            # Labels with only blanks between them form a stack sharing what follows.
            k = 0
            while k < len(labels):
                stack = [labels[k]]
                while k + 1 < len(labels) and not text[labels[k].end:labels[k + 1].start].strip():
                    k += 1
                    stack.append(labels[k])
                seg_end = labels[k + 1].start if k + 1 < len(labels) else b
                for lab in stack:
                    lab.col = col
                lst = _List(stack)
                lists.append(lst)
                if stack[-1].end < seg_end:
                    lst.pieces.append((stack[-1].end, seg_end))
                row.append((col, lst))
                k += 1
        if row:
            # Labels stacked one per line with their values after the last of them (a
            # flattened label column) share those values.
            first = row[0][1]
            if pending and first.pieces:
                first.labels[:0] = [lab for p in pending for lab in p.labels]
                for p in pending:
                    lists.remove(p)
                pending = []
            if len(row) == 1 and not first.pieces:
                pending.append(first)
            else:
                pending = []
            active = row
        else:
            pending = []
        if not active:
            continue
        line_names = False
        for col, a, b in leftovers:
            if row and col > row[0][0]:
                # A value beside its label on the same line: the label to its left.
                lst = max((r for r in row if r[0] <= col), key=lambda r: r[0], default=row[0])[1]
            else:
                lst = min(active, key=lambda r: abs(r[0] - col))[1]
            named = bool(_NAME.search(_mask(text[a:b])) or _nicknames(text[a:b]))
            if not named and lst.pieces and lst.pieces[-1][0] >= ls and (col, a, b) != leftovers[0]:
                # Page furniture beside a list on the same line ("Sammanträdesdatum").
                continue
            lst.pieces.append((a, b))
            if named:
                line_names = True
                received.add(id(lst))
        for _, lst in row:
            if any(_NAME.search(_mask(text[a:b])) for a, b in lst.pieces):
                received.add(id(lst))
        if leftovers and not row and not line_names and _ends_list(text[leftovers[0][1]:leftovers[0][2]]):
            # A line without a name that is no wrapped continuation ends a received list.
            for _, lst in active:
                if id(lst) in received and lst.pieces and lst.pieces[-1][0] == leftovers[0][1]:
                    lst.pieces.pop()
            active = [r for r in active if id(r[1]) not in received]
    return lists


def _continues(text: str, label: _Label, end: int, active, received: set[int]) -> bool:
    """A role word opening a line of several names inside a list is a role, not a label
    ("Sekreterare Tord Linder Kommunchef Noel Cornér Informationschef")."""
    word = label.text.rstrip(": ").strip()
    return (
        word in _cfg()[0]["stop"]["role_like"]
        and any(id(lst) in received and lst.labels[0].kind != "stop" for _, lst in active)
        and len(_names(text[label.end:end])) >= 2
    )


def _ends_list(cell: str) -> bool:
    """A line without a name that is no wrapped continuation ends a line-by-line list."""
    s = cell.strip()
    return bool(s) and s[0].isupper() and not _is_role(s.split()[0])


@functools.cache
def _role_words() -> tuple[frozenset, tuple]:
    cfg = _cfg()[0]
    return frozenset(w.casefold() for w in cfg["roles"]["words"]), tuple(cfg["roles"]["suffixes"])


def _is_role(word: str) -> bool:
    words, suffixes = _role_words()
    w = word.casefold().strip(",.:;()")
    if w in words:
        return True
    w = w.split("-")[-1] if "-" in w else w
    return any(w.endswith(s) for s in suffixes)


def _party(part: str) -> str | None:
    codes = {c.casefold(): c for c in _cfg()[0]["parties"]["codes"]}
    return part if part.casefold() in codes else None


def _mask(text: str) -> str:
    """Blank out bracketed text (affiliations, notes) so no name is read inside it."""
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        out.append("\x01" if depth else ch)
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


_RUN = re.compile(
    rf"(?<![\w(-])(?:{_WORD}|{_INITIAL})(?:[ \t]+(?:(?:af|av|von|van|der|den|de|da|di|la|le|du|zu)[ \t]+)?(?:{_WORD}|{_INITIAL}))*"
)
_NAME = re.compile(rf"{_WORD}[ \t]+{_WORD}")


def _names(text: str) -> list[tuple[int, int]]:
    """Spans of name-shaped phrases in text (brackets masked)."""
    cfg = _cfg()[0]
    stop = set(cfg["names"]["not_name_words"])
    org = set(cfg["names"]["org_suffixes"])
    masked = _mask(text)
    out = []
    for m in _RUN.finditer(masked):
        toks = [(t.start() + m.start(), t.end() + m.start(), t.group()) for t in re.finditer(r"\S+", m.group())]
        runs, cur = [], []
        for t in toks:
            if t[2] in stop or _is_role(t[2]) or (t[2].isupper() and len(t[2]) > 2):
                runs.append(cur)
                cur = []
            else:
                cur.append(t)
        runs.append(cur)
        for run in runs:
            # "Region Skåne Anna Normann": a place name leading a longer run is where the
            # person comes from, not part of the name ("Anna Lund" keeps its "Lund").
            while len(run) > 2 and _is_place(run[0][2]):
                run.pop(0)
            # Initials only lead a name ("C Magnus Berglund", "JP Anderson").
            while run and re.fullmatch(_INITIAL, run[-1][2]):
                run.pop()
            # "Konferens & Logi": the word after an ampersand ends an organisation name.
            if run and masked[:run[0][0]].rstrip().endswith("&"):
                run.pop(0)
            full = [t for t in run if re.fullmatch(_WORD, t[2])]
            if len(run) < 2 or not full or len(run) > 4:
                continue
            if any(re.fullmatch(_INITIAL, t[2]) for t in run[1:]):
                continue
            if len(full) < 2 and not (len(run) == 2 and len(run[0][2].rstrip(".")) == 2):
                continue
            after = masked[run[-1][1]:].split(None, 1)
            if after and (after[0].strip(",.;:") in org or after[0] == "&"):
                continue
            if len(run) == 4 and _two_people([t[2] for t in run]):
                # A list that lost a comma: "Dennis Lundberg Amanda Brodell".
                out += [(run[0][0], run[1][1]), (run[2][0], run[3][1])]
                continue
            out.append((run[0][0], run[-1][1]))
    return out


def names_in(text: str) -> list[str]:
    """The full names in a label value ("Föredragande: Anna Normann, utvecklingsstrateg"),
    in order, once each."""
    found: list[str] = []
    for a, b in _names(text):
        name = " ".join(text[a:b].split())
        if name not in found:
            found.append(name)
    return found


@functools.cache
def _places() -> frozenset[str]:
    """Municipality and county short names ("Lund", "Skåne")."""
    from ..gazetteer import municipalities

    return frozenset({m.name for m in municipalities()}
                     | {m.county.removesuffix(" län").removesuffix("s") for m in municipalities()})


def _is_place(word: str) -> bool:
    return word in _places()


def _two_people(words: list[str]) -> bool:
    """Four name words that read as first name, surname, first name, surname."""
    from ..nlp import first_names

    common = _cfg()[0]["names"]["common_first_name_bearers"]
    names = first_names()
    return (names.get(words[0], 0) >= common and names.get(words[2], 0) >= common
            and names.get(words[1], 0) < common and names.get(words[3], 0) < common)


def _nicknames(text: str) -> list[tuple[int, int]]:
    """A colon-introduced list of bare nicknames ("närvarande: nsg, stellanl, kaj, ...")."""
    cfg = _cfg()[0]["nicknames"]
    m = re.search(r":\s*((?:[\w.-]+\s*,\s*)+[\w.-]+)\s*(?:\n\s*\n|$|\.)", text)
    if not m:
        return []
    words = [(w.start(), w.end()) for w in re.finditer(r"[\w.-]+", m.group(1))]
    if len(words) < cfg["min_count"] or any(
        b - a > cfg["max_length"] or not text[m.start(1) + a].islower() for a, b in words
    ):
        return []
    spans = [(m.start(1) + a, m.start(1) + b) for a, b in words]
    adds = "|".join(re.escape(w) for w in cfg["addition_words"])
    extra = re.match(rf"\s*\n?\s*(?:{adds})\s+([a-zåäö][\w.-]*)\b", text[m.end(1):].lstrip(". \n"))
    if extra:
        off = m.end(1) + (len(text[m.end(1):]) - len(text[m.end(1):].lstrip(". \n")))
        spans.append((off + extra.start(1), off + extra.end(1)))
    return spans


_REPLACES = re.compile(r"(?i)(?:,\s*)?\b(?:ersätter|ersättare\s+för|i\s*stället\s+för|ers\.?\s+för)\s*$")


@functools.cache
def _note_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _cfg()[0]["notes"]["patterns"])


def _parse_tail(tail: str) -> tuple[str | None, str | None, str | None, list[str]]:
    """Affiliation, party, role and notes from what follows a name."""
    notes = []
    for pat in _note_patterns():
        def keep(m):
            s = m.group(0).strip(" ,()")
            if s:
                notes.append(s)
            return " , "
        tail = pat.sub(keep, tail)
    junk = set(_cfg()[0]["names"]["not_name_words"])
    affiliation = party = None
    roles = []
    parts = re.split(r"[(),;]|\n", tail.replace("\n", " "))
    for raw in parts:
        part = " ".join(raw.split()).strip(" .:")
        if not part or part in junk or all(w in junk for w in part.split()):
            if raw.strip(" .:") == "-" and affiliation is None:
                affiliation = "-"
            continue
        if part == "-" or _party(part):
            if affiliation is None:
                affiliation = part
                party = _party(part) if part != "-" else None
            continue
        if lookup_municipality(part):
            if affiliation is None or affiliation == party:
                affiliation = part
            continue
        first = part.split()[0]
        if first[0].islower() or any(_is_role(w) for w in part.split()):
            roles.append(part)
        elif affiliation is None or affiliation == party and party is not None:
            if affiliation is None:
                affiliation = part
            else:
                roles.append(part)
        else:
            roles.append(part)
    return affiliation, party, ", ".join(roles) or None, notes


def _entries(source: Source, lst: _List, kind: str, role: str | None) -> list[Attendee]:
    """Attendees in the text a list collected."""
    text = source.text
    # Join the pieces with newlines, remembering where each came from.
    joined, offsets = "", []
    for a, b in lst.pieces:
        if joined:
            joined += "\n"
        offsets.append((len(joined), a))
        joined += text[a:b]

    def src(i: int) -> int:
        base = max((o for o in offsets if o[0] <= i), key=lambda o: o[0], default=(0, 0))
        return base[1] + i - base[0]

    names = _names(joined)
    nick = not names and _nicknames(joined)
    if nick:
        names = nick
    people = []
    skip_next = False
    for i, (a, b) in enumerate(names):
        nxt = names[i + 1][0] if i + 1 < len(names) else len(joined)
        tail = joined[b:nxt]
        prefix_role = None
        if i == 0 or "\n" in joined[names[i - 1][1]:a]:
            line_start = joined.rfind("\n", 0, a) + 1
            lead = joined[max(line_start, names[i - 1][1] if i else 0):a].strip()
            if lead and not lead.startswith(("(", ",")) and all(_is_role(w) for w in lead.split()[:1]):
                prefix_role = lead
        if "\n" in tail and i + 1 < len(names):
            cut = tail.rfind("\n")
            lead = tail[cut:].strip()
            if lead and not lead.startswith(("(", ",")) and _is_role(lead.split()[0]):
                tail = tail[:cut]
        replaced = _REPLACES.search(tail.rstrip(" ,"))
        if skip_next:
            skip_next = False
            if people:
                people[-1].replaces = joined[a:b]
            continue
        if replaced and i + 1 < len(names):
            tail = tail.rstrip(" ,")[: replaced.start()]
            skip_next = True
        affiliation, party, own_role, notes = _parse_tail(tail if not nick else "")
        name = " ".join(joined[a:b].split())
        end = b + len(tail.rstrip())
        people.append(
            Attendee(
                name=name,
                affiliation=affiliation,
                municipality=_municipality(affiliation),
                role=own_role or prefix_role or ("ersättare" if replaced else role),
                group=kind,
                party=party,
                note=", ".join(notes) or None,
                span=_span(source, src(a), src(end)),
            )
        )
    return people


def _municipality(affiliation: str | None) -> str | None:
    if not affiliation or _party(affiliation):
        return None
    m = lookup_municipality(affiliation)
    return m.name if m else None


def _span(source: Source, start: int, end: int) -> Span:
    return Span(start=start, end=end, page_start=source.page_at(start), page_end=source.page_at(max(start, end - 1)))


def _stack_groups(people: list[Attendee], kinds: list[str]) -> None:
    """Share names among stacked labels: a return to a party already listed, or the first
    entry without a party, opens the next label's list."""
    k, seen, last = 0, [], None
    for p in people:
        key = (p.party or "").casefold() or None
        if key is None and last is not None and k < len(kinds) - 1:
            k = len(kinds) - 1
        elif key is not None and key in seen and key != last and k < len(kinds) - 1:
            k += 1
            seen = []
        if key:
            seen.append(key)
        last = key
        p.group = kinds[k]


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _same(a: str, b: str) -> bool:
    x, y = _key(a).split(), _key(b).split()
    return x == y or (len(x) > 1 and len(y) > 1 and x[0] == y[0] and x[-1] == y[-1])


def _header_end(source: Source, items: list[Item]) -> int:
    for item in items:
        if item.span is not None:
            return item.span.start
    return len(source.text)


def parse_attendees(source: Source, items: list[Item]) -> list[Attendee]:
    """Everyone the header lists as present, taking part otherwise, or absent."""
    people: list[Attendee] = []
    invited: list[Attendee] = []
    regions = [(0, _header_end(source, items), None)]
    words = _cfg()[0]["items"]["title_words"]
    for item in items:
        if item.span and any(w in item.title.casefold() for w in words):
            regions.append((item.span.start, item.span.end, item))
    for start, end, item in regions:
        lists = _collect(source, start, end)
        if item is not None and not any(x.labels[0].kind in ("present", "other", "absent") for x in lists):
            lists = [_List([_Label(item.title, "present", None, 0, start, start)], [(start, end)])]
        for lst in lists:
            kinds = [lb.kind for lb in lst.labels if lb.kind in ("present", "other", "absent", "invited")]
            if not kinds:
                continue
            role = next((lb.role for lb in lst.labels if lb.role), None)
            found = _entries(source, lst, "present" if kinds[0] == "invited" else kinds[0], role)
            if len(kinds) > 1:
                _stack_groups(found, kinds)
            target = invited if kinds[0] == "invited" else people
            for p in found:
                if not any(_same(p.name, q.name) for q in target):
                    target.append(p)
    if people:
        for p in invited:
            if not any(_same(p.name, q.name) for q in people):
                p.group = "absent"
                people.append(p)
    return people
