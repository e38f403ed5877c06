"""Meeting fields: body, organisation, date, times, place, chair, secretary, next meeting.

Labelled values in the header come first ("Mötesdatum 2019-01-29", "Vid protokollet X",
"Ordförande: X"); association minutes carry the rest in their items ("Val av
mötesordförande", "förklarade mötet öppnat klockan 19:38"), and the attendee list fills
in chair and secretary by role. Front matter in `source.metadata` is the last resort.
"""

from __future__ import annotations

import functools
import re

from .. import rules
from ..dates import find_dates, find_time_range
from ..ingest import Source
from ..models import Attendee, Item, Meeting
from .attendees import _names, parse_attendees


@functools.cache
def _cfg() -> dict:
    return rules.load("header")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _label_values(text: str, labels: list[str]) -> list[tuple[int, str]]:
    """(offset, value) for each label at a line or cell start, in order of appearance."""
    pat = re.compile(rf"(?im)(?:^|\t|\|| {{3}}|\*\*)\s*(?:{_alt(labels)})\b\s*:?\**:?[ \t|]*([^\n]*)")
    out = []
    for m in pat.finditer(text):
        value, pos = m.group(1).strip(" |*"), m.start(1)
        if not value:
            nxt = re.search(r"\S[^\n]*", text[m.end():])
            if nxt and nxt.start() < 80:
                value, pos = nxt.group(0).strip(" |*"), m.end() + nxt.start()
        # A value that is itself a label belongs to a label column set apart from its values.
        if value and not _is_label(value):
            out.append((pos, value))
    return out


def _is_label(value: str) -> bool:
    from .attendees import _cfg as attendee_rules

    heads = attendee_rules()[1]
    first = re.split(r"[\s:]+", value.strip())[0]
    return any(h.split()[0] == first for h in heads)


def _first_name(value: str) -> str | None:
    spans = _names(value)
    if spans:
        a, b = spans[0]
        # "Henrik Brändén och Anton Nordenfur": a pair holding the post together.
        if len(spans) > 1 and re.fullmatch(r"\s+och\s+", value[b:spans[1][0]]):
            return value[a:spans[1][1]]
        return value[a:b]
    word = re.match(r"\s*([\wåäöÅÄÖ.-]{2,})\s*[,.]?\s*$", value) or re.match(
        r"\s*([A-ZÅÄÖ][\wåäö-]+)\b", value
    )
    return word.group(1) if word else None


def _header_end(source: Source, items: list[Item]) -> int:
    return next((i.span.start for i in items if i.span), min(len(source.text), 4000))


def _item_text(source: Source, item: Item) -> str:
    return source.text[item.span.start:item.span.end] if item.span else ""


def _items_matching(items: list[Item], key: str) -> list[Item]:
    pats = [re.compile(p, re.IGNORECASE) for p in _cfg()["items"][key]]
    return [i for i in items if any(p.search(i.title.strip()) for p in pats)]


def _item_name(source: Source, item: Item) -> str | None:
    body = _item_text(source, item)
    body = body[body.find("\n") + 1:] if "\n" in body else ""
    # "Mötet valde kaj till mötessekreterare": the word after a verb of choosing.
    m = re.search(r"(?i)\b(?:valde|väljer|valdes|väljs|nominerar och väljer)\s+(?:till\s+\w+\s+)?([^\n]+)", body)
    if m and not re.search(r"(?i)valdes$", m.group(0)):
        return _first_name(m.group(1))
    m = re.search(r"(?i)\bvaldes\s+([^\n]+)", body)
    if m:
        return _first_name(m.group(1))
    return _first_name(body.strip().split("\n")[0]) if body.strip() else None


def _date(source: Source, head: str) -> str | None:
    cfg = _cfg()
    for _, value in _label_values(head, cfg["date_labels"]):
        found = find_dates(value)
        if found:
            return found[0].values[0]
    bad = re.compile(rf"(?i)(?:{_alt(cfg['not_meeting_date'])})[^\n]{{0,40}}$")
    for d in find_dates(head):
        if not bad.search(head[max(0, d.start - 60):d.start]):
            return d.values[0]
    meta = source.metadata or {}
    for key in ("datum", "date"):
        if meta.get(key):
            found = find_dates(str(meta[key]))
            if found:
                return found[0].values[0]
    return None


def _times(source: Source, head: str, items: list[Item]) -> tuple[str | None, str | None]:
    start = end = None
    for _, value in _label_values(head, _cfg()["time_labels"]):
        start, end = find_time_range(value)
        if start:
            break
    if not start:
        m = re.search(r"(?i)\b(?:kl\.?|klockan)\s*\d{1,2}[.:]\d\d[^\n]*", head)
        if m:
            start, end = find_time_range(m.group(0))
    for item in _items_matching(items, "opening")[:1]:
        if not start:
            start = find_time_range(_time_phrase(_item_text(source, item)))[0]
    for item in _items_matching(items, "closing")[-1:]:
        if not end:
            end = find_time_range(_time_phrase(_item_text(source, item)))[0]
    if not end:
        # "Nsg förklarar mötet avslutat klockan 20:33" outside any numbered item.
        m = re.search(r"(?i)\b(?:avslutat|avslutade|avslutar|avslutas|avslutades)\b[^\n.]{0,30}?\d{1,2}[:.]\d\d", source.text)
        if m:
            end = find_time_range(_time_phrase(m.group(0)))[0]
    return start, end


def _time_phrase(text: str) -> str:
    m = re.search(r"(?i)(?:kl\.?|klockan)?\s*\b([01]?\d|2[0-3])[:.]([0-5]\d)\b", text)
    return f"kl {m.group(1)}:{m.group(2)}" if m else ""


def _place(head: str) -> str | None:
    cfg = _cfg()
    for _, value in _label_values(head, cfg["place_labels"]):
        place = _strip_when(value)
        if place and not re.fullmatch(r"(?i)(?:se nästa sida|sida.*|och tid.*)", place):
            return place
    # Plats/Tid labels set apart from their values: the first line after them with no date.
    m = re.search(r"(?m)^\s*Plats:?\s*(?:\S.*)?\n(?:.*\n){0,6}?\s{4,}(\S[^\n]*)$", head)
    if m and not find_dates(m.group(1)):
        return m.group(1).strip()
    preps = _alt(cfg["place_prepositions"])
    m = re.search(rf"(?:kl\.?|klockan)\s*\d{{1,2}}[:.]\d\d\s+(?:{preps})\s+([^\n]+(?:\n[^\n]+)*?)\.(?:\s|$)", head)
    if m:
        return " ".join(m.group(1).split())
    m = re.search(rf"\b\d{{4}}\s+(?:{preps})\s+([A-ZÅÄÖ][\wåäö]+)\.", head)
    return m.group(1) if m else None


def _strip_when(value: str) -> str:
    """A place with the date and time cut away ("Rumlaborg kl. 08:30-12:10" -> "Rumlaborg")."""
    value = re.split(r"(?i),?\s*\b(?:kl\.?|klockan)\s*\d", value)[0]
    value = re.split(r"(?i),?\s*\b(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?\b", value)[0]
    value = re.sub(r",?\s*\d{4}-\d\d-\d\d.*$", "", value)
    value = re.sub(r"\s+\d{1,2}[.:]\d\d\s*[-–]\s*\d{1,2}[.:]\d\d.*$", "", value)
    value = re.sub(r",\s*\d{1,2}[.:]\d\d.*$", "", value)
    return value.strip(" ,|")


def _person(source: Source, head: str, items: list[Item], people: list[Attendee], key: str) -> str | None:
    cfg = _cfg()
    labels = cfg["chair_labels"] if key == "chair" else cfg["secretary_labels"]
    for _, value in _label_values(head, labels):
        name = _first_name(re.sub(r"^[.…_\s]+", "", value))
        if name and not re.match(r"(?i)se\b", name):
            return name
    post = "ordförande" if key == "chair" else "sekr?e?e?t[ae]?rare"
    name_pat = r"([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)*)"
    for pat in (
        rf"(?i:\bmötes{post})\s*:\s*{name_pat}",
        rf"(?i:\btill\s+mötes{post}\s+valdes)\s+{name_pat}",
        rf"{name_pat}\s+(?i:väljs\s+(?:som|till)\s+mötes{post})",
    ):
        m = re.search(pat, source.text)
        if m:
            return m.group(1)
    for item in _items_matching(items, key)[:1]:
        name = _item_name(source, item)
        if name:
            # A nickname chosen in an item, signed with a full name at the end.
            sig = re.search(rf"([^\n(]+)\(\s*{re.escape(name)}\s*\)", source.text)
            if sig and key == "secretary":
                return sig.group(1).strip(" ,")
            return name
    wanted = ("ordförande",) if key == "chair" else ("sekreterare",)
    for p in people:
        role = (p.role or "").casefold()
        if (key == "chair" and role == "ordförande") or (key == "secretary" and role.endswith(wanted)):
            return p.name
    tail = source.text[-1500:]
    sig = re.search(rf"(?im)^\s*([^\n,(]+?)\s*(?:\([^)]*\))?,\s*(?:möte|mötes)?{'sekreterare' if key == 'secretary' else 'ordförande'}\s*$", tail)
    return sig.group(1).strip() if sig else None


def _adjusters(source: Source, head: str, items: list[Item]) -> list[str]:
    for _, value in _label_values(head, _cfg()["adjuster_labels"]):
        names = [value[a:b] for a, b in _names(value)]
        if names:
            return names
    for item in _items_matching(items, "adjusters")[:1]:
        body = _item_text(source, item)
        body = body[body.find("\n") + 1:]
        names = [body[a:b] for a, b in _names(body)]
        if names:
            return names
    return []


def _next_meeting(source: Source, date: str | None) -> str | None:
    cue = re.compile(_cfg()["next_meeting"]["cue"])
    for m in cue.finditer(source.text):
        window = source.text[m.start():m.start() + 200]
        found = find_dates(window, meeting_date=date)
        if found and (date is None or found[0].values[0] > date):
            return found[0].values[0]
    return None


def _title(source: Source, head: str) -> str | None:
    cfg = _cfg()["title"]
    ends = _alt(cfg["endings"])
    cut = _alt(cfg["document_suffixes"])
    first = head[:400]
    pat = re.compile(
        rf"(?i)\b((?:[\wåäö]+-\s+och\s+)?[\wåäö]*(?:{ends})(?:s\s+arbetsutskott|s\s+[\wåäö]*utskott)?)(?:{cut})?(?![\wåäö])"
    )
    found = [m.group(1) for m in pat.finditer(first)]
    specific = [w for w in found if w.casefold() not in cfg["generic"]]
    for word in (specific or found)[:1]:
        word = word[0].upper() + word[1:]
        if word.isupper():
            word = word.capitalize()
        definite = word + "en"
        if not word.endswith(("en", "et")) and re.search(rf"\b{re.escape(definite)}\b", source.text):
            word = definite
        return word
    return None


def _organization(source: Source, head: str, title: str | None) -> str | None:
    m = re.search(_cfg()["organization"]["institution"], head[:600])
    if m:
        place = m.group(1)
        place = place.capitalize() if place.isupper() else place
        return f"{place} {m.group(2).lower()}"
    first = head[:400]
    if title:
        # "Piratpartiets styrelsemöte", "Datorföreningen Stackens vårmöte": the genitive before it.
        g = re.search(rf"((?:[A-ZÅÄÖ][\wåäö]*\s+)?[A-ZÅÄÖ][\wåäöÅÄÖ]*?)s\s+(?:\w+\s+)?{re.escape(title.casefold()[:5])}", first, re.IGNORECASE)
        if g and g.group(1)[0].isupper():
            return g.group(1)
        d = re.search(rf"(?i){re.escape(title[:5])}\w*\s+[-–]\s+([A-ZÅÄÖ][^\n]+)", first)
        if d:
            return d.group(1).strip()
    meta = source.metadata or {}
    if meta.get("kommun"):
        return f"{str(meta['kommun']).capitalize()} kommun"
    return None


def _full(name: str | None, people: list[Attendee]) -> str | None:
    """A first name alone ("Markus") as the one attendee who bears it."""
    if not name or " " in name:
        return name
    same = [p.name for p in people if p.name.split()[0] == name and " " in p.name]
    return same[0] if len(same) == 1 else name


def parse_meeting(source: Source, items: list[Item]) -> Meeting:
    """The meeting the minutes record, from their header and opening and closing items."""
    head = source.text[:_header_end(source, items)]
    people = parse_attendees(source, items)
    date = _date(source, head)
    start, end = _times(source, head, items)
    title = _title(source, head)
    return Meeting(
        title=title,
        organization=_organization(source, head, title),
        date=date,
        start_time=start,
        end_time=end,
        place=_place(head),
        chair=_full(_person(source, head, items, people, "chair"), people),
        secretary=_full(_person(source, head, items, people, "secretary"), people),
        next_meeting=_next_meeting(source, date),
        adjusters=_adjusters(source, head, items),
    )
