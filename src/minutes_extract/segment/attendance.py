"""Attendees: who the minutes say took part, was there besides, or was absent.

Three sources, read once per document:

- the header's attendance fields (`form.read_fields`): a group label ("Beslutande",
  "Övriga deltagare:", "Frånvarande") and its value; a label inside another's value
  ("Beslutande  Ledamöter  Tjänstgörande ersättare") is a list of its own;
- attendance tables in such a value: a header row ("Namn  Parti  Närvaro  Ersätter") gives
  each cell below its column, and a presence mark ("1", "x", "-") decides present or absent;
- agenda items titled for attendance ("Tillkännagivande av röstlängd", "Upprop").

A list's text is cut into entries at names (`names.find_listed`); what stands between two
names is the first one's party, affiliation, role and attendance note ("§§ 31-44"). "X (S)
ersätter Y (S)": X attends and replaces Y. Whoever is listed in several groups counts in the
one nearest to taking part (a serving substitute listed again among the substitutes).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .. import rules
from ..gazetteer import lookup_municipality
from ..ingest import Source
from ..models import Attendee, Item, Span
from ..names import find_listed, mask_brackets, vocabulary
from .form import Field, column_name, table_words

_RANK = {"present": 0, "other": 1, "absent": 2}


class Nicknames(rules.Rules):
    min_count: int
    max_length: int
    addition_words: list[str]


class Sections(rules.Rules):
    title_words: list[str]


@rules.schema("attendance")
class AttendanceRules(rules.Rules):
    """rules/attendance.toml"""

    notes: list[rules.Pattern]
    replaces: rules.Pattern
    joiners: list[str]
    nicknames: Nicknames
    sections: Sections


@functools.cache
def _rules() -> AttendanceRules:
    return rules.get("attendance")


@dataclass
class _Text:
    """Pieces of the source joined into one string, with the way back to source offsets."""

    text: str
    offsets: list[tuple[int, int]]  # (offset in text, offset in source) where a piece starts

    def source_at(self, i: int) -> int:
        base = max((o for o in self.offsets if o[0] <= i), key=lambda o: o[0], default=(0, 0))
        return base[1] + i - base[0]


def _joined(source: Source, field: Field) -> _Text:
    text, offsets, last = "", [], None
    for p in field.pieces:
        if text:
            text += "\n" if p.line != last else "\t"
        offsets.append((len(text), p.start))
        text += source.text[p.start:p.end]
        last = p.line
    return _Text(text, offsets)


# ------------------------------------------------------------------------------ reading


def read_attendees(source: Source, fields: list[Field], items: list[Item]) -> list[Attendee]:
    """Everyone the header lists, and the attendance items' lists, once each."""
    people: list[Attendee] = []
    invited: list[Attendee] = []
    lists = [f for f in fields if f.key == "attendance"]
    for run in _stacks(lists):
        if len(run) > 1:
            found = _entries(source, _joined(source, run[-1]), run[-1].group, run[-1].role)
            _stack_groups(found, [f.group for f in run])
        else:
            found = _field_entries(source, run[0])
        run[-1].entries = len(found)
        target = invited if run[0].group == "invited" else people
        _merge(target, found)
    for item in items:
        if _attendance_item(item) and not any(
                item.span and item.span.start <= f.start < item.span.end for f in lists):
            _merge(people, _item_entries(source, item))
    if people:
        for p in invited:
            if not any(_same(p.name, q.name) for q in people):
                p.group = "absent"
                people.append(p)
    return people


def _stacks(lists: list[Field]) -> list[list[Field]]:
    """Labels stacked one above the other with no value of their own before a label that
    holds the values of them all (a flattened header): one run; every other label alone."""
    runs: list[list[Field]] = []
    pending: list[Field] = []
    for f in lists:
        if f.stacked and not f.pieces:
            pending.append(f)
            continue
        if pending and f.stacked and not f.table and f.line in (pending[-1].line, pending[-1].line + 1):
            runs.append([*pending, f])
        else:
            runs += [[p] for p in pending]
            runs.append([f])
        pending = []
    runs += [[p] for p in pending]
    return runs


def _merge(target: list[Attendee], found: list[Attendee]) -> None:
    for p in found:
        same = next((q for q in target if _same(p.name, q.name)), None)
        if same is None:
            target.append(p)
        elif _RANK.get(p.group, 3) < _RANK.get(same.group, 3):
            # Listed as serving somewhere counts over a listing among the substitutes.
            target[target.index(same)] = p


def _attendance_item(item: Item) -> bool:
    return any(w in item.title.casefold() for w in _rules().sections.title_words)


def _item_entries(source: Source, item: Item) -> list[Attendee]:
    start = item.span.start
    # The list stands below the item's title line.
    nl = source.text.find("\n", start, item.span.end)
    start = nl + 1 if nl >= 0 else item.span.end
    text = _Text(source.text[start:item.span.end], [(0, start)])
    return _entries(source, text, "present", None)


def _field_entries(source: Source, field: Field) -> list[Attendee]:
    table = _table_columns(source, field)
    if table is not None:
        return _table_entries(source, field, table)
    return _entries(source, _joined(source, field), field.group or "present", field.role)


# ------------------------------------------------------------------------------- tables


def _table_columns(source: Source, field: Field) -> dict[str, float] | None:
    """The columns of an attendance table (name, party, presence, replaces) by their x, when
    the value opens with a header row naming two of them or more."""
    words = table_words()
    rows: dict[int, list] = {}
    for p in field.pieces:
        rows.setdefault(p.line, []).append(p)
    for line, cells in list(rows.items())[:2]:
        cols: dict[str, float] = {}
        for p in cells:
            head = column_name(source.text[p.start:p.end])
            for kind in ("name", "party", "presence", "replaces", "substitute", "affiliation",
                         "role"):
                if head in getattr(words, kind):
                    cols.setdefault(kind, p.x0)
        if len(cols) >= 2 and "name" in cols:
            cols["_header_line"] = line
            return cols
    return None


def _table_entries(source: Source, field: Field, cols: dict[str, float]) -> list[Attendee]:
    words = table_words()
    header_line = cols.pop("_header_line")
    order = sorted(cols.items(), key=lambda kv: kv[1])
    people: list[Attendee] = []
    rows: dict[int, list] = {}
    for p in field.pieces:
        if p.line > header_line:
            rows.setdefault(p.line, []).append(p)
    table_rows = []
    for cells in rows.values():
        by_col: dict[str, list] = {}
        for p in cells:
            kind = max((k for k, x in order if x <= p.x0 + 2), key=lambda k: cols[k],
                       default=order[0][0])
            by_col.setdefault(kind, []).append(p)
        if by_col.get("name"):
            table_rows.append(by_col)
    # Where most rows mark their member's presence, a member whose cell is blank was away.
    marked = sum(1 for by_col in table_rows if by_col.get("presence"))
    blank_is_absent = "presence" in cols and marked * 2 > len(table_rows)
    for by_col in table_rows:
        name_cells = by_col["name"]
        text = _Text(source.text[name_cells[0].start:name_cells[-1].end], [(0, name_cells[0].start)])
        found = _entries(source, text, field.group or "present", field.role)
        if len(found) != 1:
            people += found
            continue
        person = found[0]
        substitutes = [sub for p in by_col.get("substitute", [])
                       for sub in _substitutes(source, p, person.name)]
        if substitutes or (blank_is_absent and not by_col.get("presence")):
            # The member's seat was taken by a substitute, or the presence cell is blank.
            if not by_col.get("presence") and person.group == "present":
                person.group = "absent"
        for p in by_col.get("party", []):
            code = source.text[p.start:p.end].strip(" ()")
            if vocabulary().is_party(code):
                person.party = person.affiliation = code
        for p in by_col.get("presence", []):
            mark = source.text[p.start:p.end].strip()
            if mark in words.absent_marks:
                person.group = "absent"
            elif mark not in words.present_marks:
                person.note = ", ".join(x for x in (person.note, mark) if x)
        affiliation = " ".join(source.text[p.start:p.end] for p in by_col.get("affiliation", []))
        if affiliation.strip():
            person.affiliation = " ".join(affiliation.split())
            person.municipality = _municipality(person.affiliation) or person.municipality
        role = " ".join(source.text[p.start:p.end] for p in by_col.get("role", []))
        if role.strip():
            person.role = " ".join(role.split())
        for p in by_col.get("replaces", []):
            replaced = find_listed(source.text[p.start:p.end])
            if replaced:
                person.replaces = source.text[p.start + replaced[0][0]:p.start + replaced[0][1]]
        people.append(person)
        people += substitutes
    return people


def _substitutes(source: Source, cell, member: str) -> list[Attendee]:
    """The substitute serving in a member's seat, from the row's substitute column
    ("Carl Claesson (M) § 41"): present, an ersättare, replacing the row's member."""
    text = _Text(source.text[cell.start:cell.end], [(0, cell.start)])
    out = _entries(source, text, "present", "ersättare")
    for sub in out:
        sub.replaces = member
        sub.role = sub.role or "ersättare"
    return out


# ------------------------------------------------------------------------------ entries


def _entries(source: Source, text: _Text, group: str, role: str | None) -> list[Attendee]:
    """Attendees in a list's text, each with what stands between its name and the next."""
    joined = text.text
    names = find_listed(joined)
    nick = _nicknames(joined)
    if nick and len(nick) > len(names):
        names = nick
    else:
        nick = []
    v = vocabulary()
    # Lines that open with a party and a colon ("S: Anna Ahl, Bo Bengtsson"): every name on
    # the line is of that party, and the prefix belongs to no name before it.
    party_lines = [(m.start(), joined.find("\n", m.end()) % (len(joined) + 1), m.group(1))
                   for m in _PARTY_LINE.finditer(joined) if v.is_party(m.group(1))]
    people: list[Attendee] = []
    skip_next = False
    # A list whose first entry has its role before the name ("Ekonomichef Anders Svensson")
    # writes every role so; otherwise a role opening a line ends the entry above it.
    roles_first = bool(names) and _prefix_role(joined, names, 0, v) is not None
    for i, (a, b) in enumerate(names):
        nxt = names[i + 1][0] if i + 1 < len(names) else len(joined)
        nxt = min([nxt] + [a0 for a0, _, _ in party_lines if b <= a0 < nxt])
        tail = joined[b:nxt]
        prefix_role = _prefix_role(joined, names, i, v) if roles_first else None
        if roles_first and "\n" in tail and i + 1 < len(names):
            cut = tail.rfind("\n")
            lead = tail[cut:].strip()
            if lead and not lead.startswith(("(", ",")) and v.is_role(lead.split()[0]):
                tail = tail[:cut]
        if skip_next:
            skip_next = False
            if people:
                people[-1].replaces = " ".join(joined[a:b].split())
            continue
        replaced = _rules().replaces.search(tail.rstrip(" ,\t"))
        if replaced and i + 1 < len(names):
            tail = tail.rstrip(" ,\t")[: replaced.start()]
            skip_next = True
        tail = _without_prose_lines(joined, b, tail)
        if not nick and _is_sentence(tail):
            continue  # "Eva Berg informerar om ...": running text, not a list entry
        affiliation, party, own_role, notes = _parse_tail(tail if not nick else "")
        name = " ".join(joined[a:b].split())
        entry_group = group if group in _RANK else "present"
        mark = _absent_mark(tail)
        if mark:
            entry_group = "absent"  # a table row read flat: "Anna Berg S -"
            party = party or mark
            affiliation = affiliation or mark
        line_party = next((p for a0, e0, p in party_lines if a0 <= a < e0), None)
        if line_party and not party:
            party = line_party
            affiliation = affiliation or line_party
        end = b + len(tail.rstrip())
        start_src, end_src = text.source_at(a), text.source_at(end)
        people.append(Attendee(
            name=name,
            affiliation=affiliation,
            municipality=_municipality(affiliation),
            role=own_role or prefix_role or role or ("ersättare" if replaced else None),
            group=entry_group,
            party=party,
            note=", ".join(notes) or None,
            span=_span(source, start_src, max(start_src, end_src)),
        ))
    return people


# A list line opening with a party code and a colon: "S: Anna Ahl, Bo Bengtsson".
_PARTY_LINE = re.compile(r"(?m)^[ \t]*[-•*]?[ \t]*([A-ZÅÄÖ]{1,4}|[A-ZÅÄÖ][a-zåäö]+)[ \t]*:[ \t]*(?=\S)")


def _without_prose_lines(joined: str, at: int, tail: str) -> str:
    """The tail (from `at` in `joined`) up to a following line of running text: the list is
    over where sentences begin (a flattened page runs on from the last entry into the
    minutes' text)."""
    pos = 0
    while (nl := tail.find("\n", pos)) != -1:
        start = at + nl + 1
        end = joined.find("\n", start)
        line = joined[start:end if end != -1 else len(joined)]
        if _PROSE.search(line) and len(line.split()) >= 6:
            return tail[:nl]
        pos = nl + 1
    return tail


# A finished sentence followed by another: "... Johan Söderling. Två övriga frågor ...".
_PROSE = re.compile(r"[a-zåäö]{2,}[.!?]\s+[A-ZÅÄÖ][a-zåäö]+\s+[a-zåäö]")


def _absent_mark(tail: str) -> str | None:
    """The party of a table row read flat whose presence column holds a dash ("S -")."""
    marks = "|".join(re.escape(m) for m in table_words().absent_marks if not m.isalpha())
    m = re.match(rf"\s*\(?([^\s()]{{1,5}})\)?[ \t]+(?:{marks})(?=\s|$)", tail)
    return m.group(1) if m and vocabulary().is_party(m.group(1)) and m.group(1) != "-" else None


def _prefix_role(joined: str, names: list[tuple[int, int]], i: int, v) -> str | None:
    """A role written before the name at the start of its line ("Räddningschef Hans Bohlin")."""
    a = names[i][0]
    if i and "\n" not in joined[names[i - 1][1]:a]:
        return None
    line_start = joined.rfind("\n", 0, a) + 1
    lead = joined[max(line_start, names[i - 1][1] if i else 0):a].strip()
    if lead and not lead.startswith(("(", ",")) and v.is_role(lead.split()[0]):
        return lead
    return None


def _is_sentence(tail: str) -> bool:
    """A tail that reads as running text: lower-case words that are no role, note or
    qualifier ("lämnar information om läget")."""
    first = mask_brackets(tail).split("\n")[0]
    for pat in _rules().notes:  # notes ("lämnade sammanträdet kl. 15.00") are no sentence
        first = pat.sub(" ", first)
    words = re.findall(r"[^\W\d_]+", first)
    if len(words) < 3 or not words[0].islower():
        return False
    v = vocabulary()
    if v.is_role(words[0]) or words[0] in ("och", "samt", "via", "från", "till", "tjg", "ers",
                                           "ersätter", "kl", "del", "ej", "fr", "t", "tom",
                                           "fom", "vice", "bitr", "tf", "adjungerad"):
        return False
    return not any(v.is_role(w) for w in words[:4])


# One entry of a list of nicknames: a nickname, or a full name among them ("Hans Nordström").
_NICK_ENTRY = r"[\w.-]{1,40}(?:[ \t]+[A-ZÅÄÖ][\w-]{1,30}){0,2}"


def _nicknames(text: str) -> list[tuple[int, int]]:
    """A colon-introduced list of bare nicknames ("närvarande: nsg, stellanl, kaj, ...");
    members who go by their full name may stand among them ("haba, Hans Nordström, jj")."""
    cfg = _rules().nicknames
    listed = rf"((?:{_NICK_ENTRY}\s*,\s*){{1,200}}{_NICK_ENTRY})\s*(?:\n\s*\n|$|\.)"
    m = re.search(rf":\s*{listed}", text)
    if not m:
        # The list after the label's colon, the colon itself cut away with the label.
        m = re.match(rf"\s*{listed}", text)
    if not m:
        return []
    # A nickname ends in a letter or digit: the full stop after the last one ends the sentence.
    entries = [(e.start(), e.end()) for e in re.finditer(
        r"\w(?:[\w.-]*\w)?(?:[ \t]+[A-ZÅÄÖ][\w-]*\w)*", m.group(1))]
    nicks = 0
    for a, b in entries:
        words = m.group(1)[a:b].split()
        if len(words) == 1 and b - a <= cfg.max_length and words[0][0].islower():
            nicks += 1
        elif len(words) == 1 or not all(w[0].isupper() for w in words):
            return []
    if len(entries) < cfg.min_count or not nicks:
        return []
    spans = [(m.start(1) + a, m.start(1) + b) for a, b in entries]
    adds = "|".join(re.escape(w) for w in cfg.addition_words)
    rest = text[m.end(1):]
    stripped = rest.lstrip(". \n")
    extra = re.match(rf"\s*(?:{adds})\s+([a-zåäö](?:[\w.-]*\w)?)\b", stripped)
    if extra:
        off = m.end(1) + len(rest) - len(stripped)
        spans.append((off + extra.start(1), off + extra.end(1)))
    return spans


def _parse_tail(tail: str) -> tuple[str | None, str | None, str | None, list[str]]:
    """Affiliation, party, role and notes from what follows a name."""
    notes: list[str] = []
    for pat in _rules().notes:
        def keep(m):
            s = " ".join(m.group(0).split()).strip(" ,()")
            if s:
                notes.append(s)
            return " , "
        tail = pat.sub(keep, tail)
    v = vocabulary()
    affiliation = party = None
    roles = []
    for raw in re.split(r"[(),;\t]", tail.replace("\n", " ")):
        part = " ".join(raw.split()).strip(" .:")
        # A list mark of the next entry's line ("ordförande\n- Bo Ek") is no part of it.
        part = re.sub(r"(?:^|\s)[-–•*▪]$", "", part).strip() if len(part) > 1 else part
        if part.casefold() in _rules().joiners:
            continue
        if part and v.is_role(part.split()[0]) and not v.is_party(part):
            roles.append(part)
            continue
        if not part or " " not in part and part in v.stop:
            if raw.strip(" .:") == "-" and affiliation is None:
                affiliation = "-"
            continue
        if part == "-" or v.is_party(part):
            if affiliation is None:
                affiliation = part
                party = part if part != "-" else None
            continue
        if lookup_municipality(part):
            if affiliation is None or affiliation == party:
                affiliation = part
            continue
        first = part.split()[0]
        if first[0].islower() or any(v.is_role(w) for w in part.split()):
            roles.append(part)
        elif affiliation is None:
            affiliation = part
        else:
            roles.append(part)
    return affiliation, party, ", ".join(roles) or None, notes


def _municipality(affiliation: str | None) -> str | None:
    if not affiliation or vocabulary().is_party(affiliation):
        return None
    m = lookup_municipality(affiliation)
    return m.name if m else None


def _span(source: Source, start: int, end: int) -> Span:
    return Span(start=start, end=end, page_start=source.page_at(start),
                page_end=source.page_at(max(start, end - 1)))


def _stack_groups(people: list[Attendee], kinds: list[str]) -> None:
    """Share names among stacked labels: a return to a party already listed, or the first
    entry without a party, opens the next label's list."""
    kinds = [k for k in kinds if k in _RANK] or ["present"]
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
        if p.group != "absent":  # a mark of absence in the entry itself stands
            p.group = kinds[k]


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _same(a: str, b: str) -> bool:
    x, y = _key(a).split(), _key(b).split()
    return x == y or (len(x) > 1 and len(y) > 1 and x[0] == y[0] and x[-1] == y[-1])
