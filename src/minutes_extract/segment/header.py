"""Meeting fields: body, organisation, date, times, place, chair, secretary, next meeting.

Labelled values in the header come first ("Mötesdatum 2019-01-29", "Vid protokollet X",
"Ordförande: X"), including labels stacked above their values and signing pages
("Sekreterare ........ / Anders Svensson"). Association minutes carry the rest in their
items or un-numbered headings ("Val av mötesordförande", "förklarade mötet öppnat klockan
19:38"), and the attendee list fills in chair and secretary by role. Document metadata
(front matter, a page title) is the last resort.
"""

from __future__ import annotations

import functools
import re

from .. import rules
from ..dates import find_dates, find_time_range
from ..gazetteer import lookup_municipality
from ..ingest import Source
from ..models import Attendee, Item, Meeting
from .attendees import _cfg as _attendee_rules
from .attendees import _names, parse_attendees
from .lines import split_lines

# Bullets, Markdown marks and numbering before a heading's words ("## 2.", "§ 2.1.", "a.").
_HEADING_MARK = re.compile(r"^[\s>#*•-]*(?:§\s*)?(?:\d+(?:\.\d+)*[.)]?|[a-z][.)])?\s+|^[\s>#*•-]+")
# How far into the text a sentence still introduces the minutes.
_INTRO = 600
_TIME = r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b"


@functools.cache
def _cfg() -> dict:
    return rules.load("header")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _header_labels() -> re.Pattern:
    """Any label of a meeting field, as a whole cell."""
    cfg = _cfg()
    words = [w for k in ("date_labels", "place_labels", "time_labels", "chair_labels",
                         "secretary_labels", "adjuster_labels") for w in cfg[k]]
    return re.compile(rf"(?i)(?:{_alt(words)})\b")


def _strip_labels(value: str) -> str:
    """A value with the labels stacked before it cut away ("Övriga deltagare Ånge kommunkontor")."""
    _, _, at_start, _ = _attendee_rules()
    fragments = _attendee_rules()[0]["labels"]["present_fragments"]
    frag = re.compile(rf"(?:{_alt(fragments)})\b")
    while True:
        m = at_start.match(value) or _header_labels().match(value) or frag.match(value)
        if not m or not m.group(0):
            return value
        value = value[m.end():].lstrip(" :|*\t")


def _label_only(cell: str) -> bool:
    cell = cell.strip(" :|*\t")
    return bool(cell) and not _strip_labels(cell)


def _label_values(text: str, labels: list[str], lower: bool = True) -> list[tuple[int, str]]:
    """(offset, value) for each label at a line or cell start, in order of appearance.

    A label alone on its line takes the next line that is not a label itself: labels set in a
    column above their values ("Plats och tid / Beslutande / Övriga deltagare ...") give their
    value to the first of them.
    """
    breakers = _alt(_cfg()["label_breakers"])
    pat = re.compile(
        rf"(?im)(?:^|\t|\|| {{3}}|\*\*)[ \t]*(?:{_alt(labels)})\b[ \t]*(:?)\**(:?)[ \t|]*([^\n]*)"
    )
    out = []
    for m in pat.finditer(text):
        value, pos = m.group(3).strip(" |*"), m.start(3)
        if value and not (m.group(1) or m.group(2)) and (
            re.match(rf"(?:{breakers})\b", value) or not (lower or value[0].isupper() or value[0].isdigit())
        ):
            continue  # a heading such as "Lokal och mat", a sentence such as "Lokal bokad."
        if not value:
            if _stacked_below(text, m.start()):
                continue  # a later label of a stack: which value below is its own is unclear
            value, pos = _value_below(text, m.end())
        elif _label_only(value):
            continue
        if value:
            out.append((pos, value))
    return out


def _stacked_below(text: str, pos: int) -> bool:
    """Whether the label at `pos` stands below another label with no value of its own."""
    above = text[:text.rfind("\n", 0, pos) + 1].rstrip("\n").split("\n")[-1]
    cell = above.strip(" :|*\t")
    return _label_only(cell) and not re.fullmatch(_cfg()["section_headings"], cell)


def _value_below(text: str, pos: int) -> tuple[str, int]:
    """The first cell below the line ending at `pos` that is not a label alone, labels cut away."""
    offset = pos
    for line in text[pos:pos + 600].split("\n")[:12]:
        cell = line.strip(" |*\t")
        if cell and not _label_only(cell):
            value = _strip_labels(cell)
            return value, offset + line.find(value)
        offset += len(line) + 1
    return "", pos


def _first_name(value: str) -> str | None:
    spans = _names(value)
    if spans:
        a, b = spans[0]
        # "Henrik Brändén och Anton Nordenfur": a pair holding the post together.
        if len(spans) > 1 and re.fullmatch(r"\s+och\s+", value[b:spans[1][0]]):
            return value[a:spans[1][1]]
        return value[a:b]
    word = re.match(r"\s*([^\W\d_][\w.-]+)\s*[,.]?\s*$", value) or re.match(
        r"\s*([A-ZÅÄÖ][\wåäö-]+)\b", value
    )
    return word.group(1).rstrip(".") if word else None


def _header_end(source: Source, items: list[Item]) -> int:
    return next((i.span.start for i in items if i.span), min(len(source.text), 4000))


def _item_text(source: Source, item: Item) -> str:
    return source.text[item.span.start:item.span.end] if item.span else ""


@functools.cache
def _patterns(key: str) -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in _cfg()["items"][key]]


def _items_matching(items: list[Item], key: str) -> list[Item]:
    pats = _patterns(key)
    return [i for i in items if any(p.search(i.title.strip()) for p in pats)]


def _heading_words(line: str) -> str:
    return _HEADING_MARK.sub("", line.strip(), count=1).strip(" *#:.")


def _headings(text: str, key: str, max_words: int = 6) -> list[tuple[str, list[str]]]:
    """Short lines matching the item patterns for `key`, each with the two non-blank lines
    after it that are no heading of a meeting function themselves."""
    pats = _patterns(key)
    others = [p for k in ("chair", "secretary", "adjusters") for p in _patterns(k)]
    lines = [ln.text for ln in split_lines(text)]
    people = _cfg()["people"]
    verb = re.compile(rf"(?i)\b(?:{_alt(people['choose_verbs'] + people['passive_verbs'])})\b")
    out = []
    for i, line in enumerate(lines):
        words = _heading_words(line)
        if not words or len(re.sub(_TIME, "", words).split()) > max_words:
            continue
        if not any(p.search(words) for p in pats):
            continue
        body = []
        for nxt in lines[i + 1:]:
            if not nxt.strip():
                continue
            head = _heading_words(nxt)
            if len(head.split()) <= max_words and any(p.search(head) for p in others) and not verb.search(head):
                break
            body.append(nxt.strip())
            if len(body) == 2:
                break
        out.append((words, body))
    return out


def _chosen(body: str) -> str | None:
    """The person a sentence chooses: "Mötet väljer X till ...", "Till ... valdes X", "X väljs"."""
    people = _cfg()["people"]
    verbs = _alt(people["choose_verbs"])
    enders = _alt(people["name_enders"])
    body = re.sub(r"^\s*(?:Att|Beslut)\s*:\s*", "", body)
    m = re.search(rf"(?i)\b(?:{verbs})\s+(?:till\s+\S+\s+)?(?!(?:{enders})\b)([^\n]+)", body)
    if m:
        value = re.split(rf"\s+(?:{enders})\s", m.group(1))[0]
        return _first_name(value.rstrip(". "))
    # "Elis väljs som ...", "Sittande sekreterare kaj föreslogs och valdes": the name before the verb.
    passive = _alt(people["passive_verbs"])
    m = re.match(rf"\s*([^\n]+?)\s+(?:(?:föreslogs|föreslås|nominerades)\s+och\s+)?(?i:{passive})\b", body)
    if m:
        return _last_name(m.group(1))
    # A name alone on the line below the heading; a lone word ending a sentence is no name.
    first = body.strip().split("\n")[0] if body.strip() else ""
    if len(first.split()) > 4 or (len(first.split()) == 1 and first.endswith(".")):
        return None
    return _first_name(first)


def _last_name(text: str) -> str | None:
    """The name that ends `text`: a full name, a pair joined by "och", or a lone word."""
    spans = _names(text)
    end = len(text.rstrip())
    if spans and spans[-1][1] == end:
        a = spans[-1][0]
        if len(spans) > 1 and re.fullmatch(r"\s+och\s+", text[spans[-2][1]:a]):
            a = spans[-2][0]
        return text[a:end]
    last = text.split()[-1] if text.split() else ""
    return last if re.fullmatch(r"[^\W\d_][\w.-]*", last) else None


def _date(source: Source, head: str) -> str | None:
    cfg = _cfg()
    for _, value in _label_values(head, cfg["date_labels"]):
        found = find_dates(value)
        if found:
            return found[0].values[0]
    bad = re.compile(rf"(?i)(?:{_alt(cfg['not_meeting_date'])})")
    for d in find_dates(head):
        line = head[head.rfind("\n", 0, d.start) + 1:d.start]
        if not bad.search(line[-90:]):
            return d.values[0]
    meta = source.metadata or {}
    for key in ("datum", "date"):
        if meta.get(key):
            found = find_dates(str(meta[key]))
            if found:
                return found[0].values[0]
    # A page title kept from the source ("Sammanträdesprotokoll 2005-13 Sammanträdesdatum 2005-09-07").
    title = str(meta.get("title") or "")
    m = re.search(rf"(?i)(?:{_alt(cfg['date_labels'])})\s*:?\s*(.+)", title)
    for text in ((m.group(1),) if m else ()) + (title,):
        found = find_dates(text)
        if found:
            return found[0].values[0]
    return None


def _section_time(source: Source, key: str) -> str | None:
    """A time in an opening or closing heading or on the line after it ("## Mötets öppnande / 12:03")."""
    for words, body in _headings(source.text, key, max_words=4):
        for n, text in enumerate([words] + body[:1]):
            phrase = _time_phrase(text)
            # Below the heading only a bare time or a sentence about opening or closing counts.
            if phrase and (n == 0 or len(text.split()) <= 3 or re.search(r"(?i)öppn|avslut|\bkl", text)):
                return find_time_range(phrase)[0]
    return None


def _sentence_time(source: Source, key: str) -> str | None:
    found = [m for p in _cfg()["times"][key] for m in re.finditer(p, source.text)]
    if not found:
        return None
    m = min(found, key=lambda m: m.start()) if key == "opening" else max(found, key=lambda m: m.start())
    return find_time_range(_time_phrase(m.group(1)))[0]


def _times(source: Source, head: str, items: list[Item]) -> tuple[str | None, str | None]:
    start = end = None
    for _, value in _label_values(head, _cfg()["time_labels"]):
        start, end = find_time_range(value)
        if start:
            break
    if not start:
        # The sentence heading the minutes: "... den 22 februari 2018 klockan 19:30 på KTH".
        m = re.search(r"(?i)\b(?:kl\.?|klockan)\s*\d{1,2}[.:]\d\d[^\n]*", head[:_INTRO])
        if m:
            start, end = find_time_range(m.group(0))
    for item in _items_matching(items, "opening")[:1]:
        if not start:
            start = find_time_range(_time_phrase(_item_text(source, item)))[0]
    for item in _items_matching(items, "closing")[-1:]:
        if not end:
            end = find_time_range(_time_phrase(_item_text(source, item)))[0]
    start = start or _section_time(source, "opening") or _sentence_time(source, "opening")
    end = end or _section_time(source, "closing") or _sentence_time(source, "closing")
    return start, end


def _time_phrase(text: str) -> str:
    m = re.search(r"(?i)(?:kl\.?|klockan)?\s*\b([01]?\d|2[0-3])[:.]([0-5]\d)\b", text)
    return f"kl {m.group(1)}:{m.group(2)}" if m else ""


def _clean_place(value: str, pos: int, people: list[Attendee]) -> str | None:
    # In a flattened page the attendee list runs on after the place.
    cut = [p.span.start - pos for p in people if p.span and pos < p.span.start < pos + len(value)]
    if cut:
        value = value[:min(cut)]
    place = _strip_when(_strip_labels(value))
    if not place or re.match(_cfg()["not_values"], place) or _label_only(place) or find_dates(place):
        return None
    return place


def _place(source: Source, head: str, people: list[Attendee]) -> str | None:
    cfg = _cfg()
    for pos, value in _label_values(head, cfg["place_labels"], lower=False):
        place = _clean_place(value, pos, people)
        if place:
            return place
        if not _strip_when(value) and find_time_range(value)[0]:
            # A label set beside the second of two value lines: the place stands above it.
            above = _line_above(head, pos)
            if above and find_dates(above[1]):
                place = _clean_place(above[1], above[0], people)
                if place:
                    return place
    if (source.metadata or {}).get("layout") == "transcript":
        # A flattened page: the label stands inside the line, capitalised.
        for m in re.finditer(rf"(?<!\w)(?:{_alt(cfg['place_labels'])})\b[ :]*([^\n]+)", head):
            place = _clean_place(m.group(1), m.start(1), people)
            if place:
                return place
    # Plats/Tid labels set apart from their values: the first cell below them that is no
    # label, date, time or page number.
    m = re.search(r"(?m)^[ \t]*Plats:?(?:[ \t]{3,}.*)?$", head)
    if m:
        for line in head[m.end():].split("\n")[1:9]:
            cell = line.strip()
            if not cell or re.match(cfg["not_values"], cell):
                continue
            if _strip_labels(cell) != cell:
                if _label_only(cell):
                    continue
                break
            if find_dates(cell) or find_time_range(cell)[0]:
                continue
            return cell
    preps = _alt(cfg["place_prepositions"])
    # A heading sentence: "... klockan 19:30 på Kungliga Tekniska högskolan i en sal nära ...".
    intro = head[:_INTRO]
    m = re.search(rf"(?:kl\.?|klockan)\s*\d{{1,2}}[:.]\d\d\s+(?:{preps})\s+([^\n]+?(?:\n[^\n]+?)*?)\.(?:\s|$)", intro)
    if m and _strip_when(m.group(1)):
        return " ".join(_strip_when(m.group(1)).split())
    m = re.search(rf"\b\d{{4}}\s+(?:{preps})\s+([A-ZÅÄÖ][\wåäö]+)\.", intro)
    return m.group(1) if m else None


def _line_above(text: str, pos: int) -> tuple[int, str] | None:
    """(offset, text) of the nearest line above `pos` that is not a label alone."""
    end = text.rfind("\n", 0, pos)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        if line.strip() and not _label_only(line):
            return start, line
        end = start - 1
    return None


def _strip_when(value: str) -> str:
    """A place with the date and time cut away ("Rumlaborg kl. 08:30-12:10" -> "Rumlaborg")."""
    value = re.split(r"(?i),?\s*\b(?:kl|klockan)\b", value)[0]
    value = re.split(r"(?i),?\s*\b(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?\b", value)[0]
    value = re.sub(r",?\s*\d{4}-\d\d-\d\d.*$", "", value)
    value = re.sub(r"\s+\d{1,2}[.:]\d\d\s*[-–]\s*\d{1,2}[.:]\d\d.*$", "", value)
    value = re.sub(r",\s*\d{1,2}[.:]\d\d.*$", "", value)
    return value.strip(" ,|")


def _signed(head: str, labels: list[str]) -> str | None:
    """The name under a signature label on a signing page."""
    pat = re.compile(rf"(?<!\w)(?:{_alt(labels)})(?:{_cfg()['signature_filler']})")
    for m in pat.finditer(head):
        value = head[m.end():m.end() + 80]
        spans = _names(value)
        if spans and spans[0][0] == 0:
            return value[:spans[0][1]]
    return None


def _person(source: Source, head: str, items: list[Item], people: list[Attendee], key: str) -> str | None:
    cfg = _cfg()
    labels = cfg["chair_labels"] if key == "chair" else cfg["secretary_labels"]
    name = _signed(head, labels)
    if name:
        return name
    for _, value in _label_values(head, labels):
        name = _first_name(re.sub(r"^[.…_\s]+", "", value))
        if name and not re.match(r"(?i)se\b", name):
            return name
    # "Val av mötesordförande" before "Val av ordförande", which may elect the association's.
    for _, body in sorted(_headings(source.text, key), key=lambda h: "möte" not in h[0].casefold()):
        name = _chosen("\n".join(body))
        if name:
            return _nickname_signed(source, name, key)
    for m in re.finditer(r"(?m)^.*$", source.text):
        if len(_heading_words(m.group(0)).split()) <= 6 and any(p.search(m.group(0)) for p in _patterns("functionaries")):
            # The officers listed under a heading: "Val av mötesfunktionärer / sekreterare: X".
            block = "\n".join(source.text[m.end():m.end() + 600].split("\n")[1:9])
            for _, value in _label_values(block, labels):
                name = _first_name(value)
                if name:
                    return name
    post = cfg["people"][f"{key}_post"]
    for pat in (
        rf"(?i:\bmötes{post})\s*:\s*([^\n]+)",
        rf"(?i:\btill\s+mötes{post}\s+(?:valdes|utsågs|utses))\s+([^\n]+)",
        rf"([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)*)\s+(?i:väljs\s+(?:som|till)\s+(?:mötes\w+\s+(?:samt|och)\s+)?mötes{post})",
        rf"([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)*)\s+(?i:väljs\s+(?:som|till)\s+mötes\w+\s+(?:samt|och)\s+{post})",
        rf"(?i:\b(?:väljer|valde)\s+)([^\n]+?)(?i:\s+till\s+mötes{post})",
    ):
        m = re.search(pat, source.text)
        if m:
            name = _first_name(m.group(1).split(".")[0])
            if name:
                return name
    for item in _items_matching(items, key)[:1]:
        body = _item_text(source, item)
        name = _chosen(body[body.find("\n") + 1:] if "\n" in body else "")
        if name:
            return _nickname_signed(source, name, key)
    wanted = ("ordförande",) if key == "chair" else ("sekreterare",)
    for p in people:
        role = (p.role or "").casefold()
        if (key == "chair" and role == "ordförande") or (key == "secretary" and role.endswith(wanted)):
            return p.name
    tail = source.text[-1500:]
    role = cfg["people"][f"{key}_signature"]
    sig = re.search(rf"(?im)^\s*([^\n,(]+?)\s*(?:\([^)]*\))?,\s*(?:{role})\s*$", tail)
    return sig.group(1).strip() if sig else None


def _nickname_signed(source: Source, name: str, key: str) -> str:
    """A nickname chosen in an item, signed with a full name at the end ("Rasmus Kaj (kaj)")."""
    sig = re.search(rf"([^\n(]+)\(\s*{re.escape(name)}\s*\)", source.text)
    return sig.group(1).strip(" ,") if sig and key == "secretary" else name


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
    cfg = _cfg()["next_meeting"]
    for m in re.finditer(cfg["cue"], source.text):
        prev = source.text[source.text.rfind("\n", 0, m.start()) + 1:m.start()]
        # "inför KoSS nästa möte": a name inside the sentence owns that next meeting.
        if re.search(r"[^\s.!?:]\s+[A-ZÅÄÖ][\wåäöÅÄÖ]*\s+$", prev):
            continue
        window = source.text[m.start():m.start() + 200]
        # A heading's date stands in the paragraph below it; a sentence's within itself.
        heading = re.fullmatch(r"[\s#*\d.§]*", prev) and re.match(r"[ \t:*#]*\n", source.text[m.end():])
        if not heading:
            window = re.split(r"\n\s*\n|\.\s+(?=[A-ZÅÄÖ])", window)[0]
        found = find_dates(window, meeting_date=date)
        if found and (date is None or found[0].values[0] > date):
            return found[0].values[0]
    return None


def _title(source: Source, head: str) -> str | None:
    cfg = _cfg()["title"]
    ends = _alt(cfg["endings"])
    cut = _alt(cfg["document_suffixes"])
    word_pat = (
        rf"((?:[\wåäö]+-\s+och\s+)?[\wåäö]*(?:{ends})(?:s\s+arbetsutskott|s\s+[\wåäö]*utskott)?)"
        rf"(?:{cut})?(?![\wåäö])"
    )
    pat = re.compile(rf"(?i)\b{word_pat}")
    first = next((ln for ln in head.split("\n") if ln.strip()), "")
    # "Möte 2023-03-24": a first line holding nothing but the title and the date names the meeting.
    own = re.fullmatch(rf"(?i)[\s#*]*{word_pat}[\s,]*(?:\d{{4}}-\d\d-\d\d)?[\s*]*", first)
    labelled = re.findall(rf"(?<!\w)(?:{_alt(cfg['labels'])})\s*:?\s+([A-ZÅÄÖ][^\n]{{0,80}})", head)
    found = [m.group(1) for text in [first, head[:400], *labelled] for m in pat.finditer(text)]
    specific = [w for w in found if w.casefold() not in cfg["generic"]]
    if not found:
        return None
    word = own.group(1) if own else (specific or found)[0]
    word = word[0].upper() + word[1:]
    if word.isupper():
        word = word.capitalize()
    definite = word + "en"
    if not word.endswith(("en", "et")) and re.search(rf"\b{re.escape(definite)}\b", source.text):
        word = definite
    return word


def _proper(phrase: str, strict: bool = True) -> str | None:
    """A name-like phrase: up to four words, the first capitalised, and with `strict` every
    word capitalised or a number; no label and no date."""
    phrase = phrase.strip(" -–:,.\"”“'")
    words = phrase.split()
    if not words or not re.match(r"[A-ZÅÄÖ0-9]", phrase) or len(words) > 4:
        return None
    if strict and not all(re.match(r"[A-ZÅÄÖ0-9]", w) for w in words):
        return None
    if _label_only(phrase) or find_dates(phrase):
        return None
    return phrase.capitalize() if phrase.isupper() and len(phrase) > 3 else phrase


def _organization(source: Source, head: str, title: str | None) -> str | None:
    cfg = _cfg()["organization"]
    m = re.search(cfg["letterhead"], head)
    if m:
        return f"{m.group(1).capitalize()} {m.group(2).lower()}"
    ends = _alt(_cfg()["title"]["endings"])
    docs = _alt(cfg["document_words"])
    body = re.compile(rf"(?i)(?:{ends})")
    generic = {w.casefold() for w in cfg["generic_owners"]}

    def owner(phrase: str | None, strict: bool = True) -> str | None:
        name = _proper(phrase or "", strict)
        if name and not body.search(name) and name.casefold() not in generic:
            return name
        return None

    # "UMEÅREGIONEN MINNESANTECKNINGAR", "IX Årsmötesprotokoll 2019": a name before the
    # document word of a heading.
    for m in re.finditer(
        rf"(?m)^[ \t#*]*([A-ZÅÄÖ0-9][\w&. -]{{0,40}}?)[ \t]+([\wåäö]*(?i:{docs}))(?=[ \t]*(?:\d{{4}}\b|[-–(]|$))",
        head[:1500],
    ):
        if (m.group(2)[0].isupper() or m.group(1).isupper()) and owner(m.group(1).strip()):
            return owner(m.group(1).strip())
    # "Protokoll fört vid Datorföreningen Stackens vårmöte", "fört med för. ”Vår Bygd 1891”".
    m = re.search(
        rf"{cfg['kept_by']}(?:[\"”“]([^\"”“\n]+)[\"”“]|([^\n,]+?)s\s+(?:\w+\s+)?[\wåäö]*(?i:{ends})\b)", head[:800]
    )
    if m and owner(m.group(1) or m.group(2)):
        return owner(m.group(1) or m.group(2))
    lines = [ln.strip(" #*") for ln in head[:600].split("\n") if ln.strip(" #*")][:3]
    first = lines[0] if lines else ""
    # "LiTHe kods vårmöte 2019": a genitive opening the first line; "Protokoll från
    # Piratpartiets styrelsemöte": a capitalised genitive before the meeting word.
    g = re.match(rf"((?:[A-ZÅÄÖ][\wåäöÅÄÖ]*\s+){{0,2}}[\wåäöÅÄÖ]+?)s\s+[\wåäö]*(?i:{ends})\b", first)
    if g and owner(g.group(1), strict=False):
        return owner(g.group(1), strict=False)
    g = re.search(
        rf"(?<![\wåäö])((?:[A-ZÅÄÖ][\wåäöÅÄÖ]*[ \t]+)?[A-ZÅÄÖ][\wåäöÅÄÖ]*?)s[ \t]+(?:\w+[ \t]+)?[\wåäö]*(?i:{ends})\b",
        head[:400],
    )
    if g and owner(g.group(1)):
        return owner(g.group(1))
    if title:
        # "Styrelsemöte - Python Sverige", "Kommundirektörsmöte MalmöLundregionen".
        d = re.search(rf"(?i){re.escape(title[:5])}\w*(?:\s+[-–])?[ \t]+([A-ZÅÄÖ][^\n]+)", first)
        name = owner(re.sub(rf"(?i)\s*\b(?:{docs})\b.*", "", d.group(1)), strict=False) if d else None
        if name:
            return name
    if len(lines) > 1 and re.fullmatch(rf"(?i)[\wåäö ]*(?:{ends}|{docs})[\wåäö]*(?:\s+(?:{docs}))?", first):
        # A title line, then the name on a line of its own ("Mötesprotokoll / LiTHe kod").
        if owner(lines[1], strict=False):
            return owner(lines[1], strict=False)
    # "LiTHe Kod 2013-10-09": a name beside the date on the first line.
    d = re.fullmatch(r"([A-ZÅÄÖ][^\n\d]{1,40}?)\s+\d{4}-\d\d-\d\d", first)
    if d and not re.search(rf"(?i){docs}", d.group(1)) and owner(d.group(1)):
        return owner(d.group(1))
    m = re.search(cfg["institution"], head[:600])
    if m:
        place = m.group(1)
        place = place.capitalize() if place.isupper() else place
        return f"{place} {m.group(2).lower()}"
    if title and any(w in title.casefold() for w in cfg["municipal_bodies"]):
        # A municipality's own body: the municipality the minutes name most, as an institution
        # ("Kramfors kommun") or else by name ("Nämndhuset Kungälv").
        for pat in (cfg["institution"], r"\b[A-ZÅÄÖ][\wåäö-]+\b"):
            found = [lookup_municipality(m.group(0)) for m in re.finditer(pat, source.text)]
            found = [f for f in found if f]
            if found:
                return max(found, key=found.count).long_name
    meta = source.metadata or {}
    if meta.get("kommun"):
        return f"{str(meta['kommun']).capitalize()} kommun"
    return None


def _full(name: str | None, people: list[Attendee]) -> str | None:
    """A first name alone ("Markus") as the one attendee who bears it; otherwise as written."""
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
        place=_place(source, head, people),
        chair=_full(_person(source, head, items, people, "chair"), people),
        secretary=_full(_person(source, head, items, people, "secretary"), people),
        next_meeting=_next_meeting(source, date),
        adjusters=_adjusters(source, head, items),
    )
