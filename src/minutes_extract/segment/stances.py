"""Reservations, protokollsanteckningar, jäv and not taking part: who, as written.

Each is a sentence naming its people or parties and a verb or heading that says which:
- reservations: "X (S), Y (S) och Z reserverar sig till förmån för eget yrkande", "M och KD
  reserverar sig mot beslutet", "Mot beslutet reserverar sig X (V)", "Reservation från M och
  KD", "X (F) reserverar sig skriftligt. Bilaga C", a "Reservation" heading above names;
- protokollsanteckningar: the sentences under a "Protokollsanteckning" heading, each opening
  with who made it, or "X (SD) lämnar en skriftlig protokollsanteckning";
- jäv: a sentence about jäv naming who stood aside ("Med anledning av jäv har X (M) inte
  deltagit i ärendets handläggning"), perhaps naming the § it concerns;
- not taking part: "X (S) deltar inte i beslutet" (not a reservation and not jäv).
A reservation's or note's own text in a written attachment ("Jag reserverar mig ...", "Vi
reserverar oss ...") names no one new and is not read as another one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..models import Span, Stance
from . import name_lists, sentences
from .wording import any_of, rx, wording

Found = list[tuple[str | None, Stance]]


def _span(a: int, b: int, page_at) -> Span:
    return Span(start=a, end=b, page_start=page_at(a), page_end=page_at(max(a, b - 1)))


def _usable(p: name_lists.Person) -> bool:
    """A person with at least two names or a party, or a party alone."""
    if p.name is None:
        return p.party is not None
    if p.party:
        return True
    return len(p.name.split()) >= 2


def _stance(p: name_lists.Person, **kw) -> Stance:
    return Stance(who=p.who, name=p.name, party=p.party, **kw)


def _attachment(text: str, start: int, end: int) -> str | None:
    """ "Bilaga C" in the sentence text[start:end] or just after it."""
    pattern = rx(wording().vote.attachment, 0)
    after = text[end:end + 40]
    m = pattern.search(text, start, end) or pattern.match(text, end + len(after) - len(after.lstrip()))
    if not m:
        return None
    return f"Bilaga {m.group('label')}" if m.group("label") else "Bilaga"


def _heading_lines(text: str, pattern: re.Pattern):
    """Lines matching `pattern` in full: (line start, line end, text after a colon)."""
    for m in re.finditer(r"(?m)^[ \t]*(\S[^\n]*?)[ \t]*$", text):
        h = pattern.match(m.group(1))
        if h:
            yield m.start(), m.end(), (h.groupdict().get("rest") or "").strip()


def _names_below(text: str, end: int, hi: int) -> list[tuple[int, int, list[name_lists.Person]]]:
    """Sentences after a heading that are nothing but names ("Anna Ek (S)\\nBo Berg (V)")."""
    out = []
    for a, b in sentences.split(text, end, min(hi, end + 600)):
        chunk = name_lists.fold(text[a:b])
        chunk = re.sub(r"\s*[,(]?\s*bilaga\s*\w{0,2}\)?\s*\.?$", "", chunk, flags=re.I).rstrip(".")
        people = name_lists.name_list(chunk) if chunk else None
        if not people or not all(_usable(p) for p in people):
            break
        out.append((a, b, people))
    return out


def reservations(text: str, item_at, page_at) -> Found:
    st = wording().stances
    out: Found = []
    verb = rx(any_of(st.reservation))
    for m in verb.finditer(text):
        s_start, s_end = sentences.sentence_at(text, m.start())
        sentence = name_lists.fold(text[s_start:s_end])
        if rx(st.elsewhere).search(sentence) and (
                rx(st.past).search(m.group(0)) or re.match(r"(?i)reservation", m.group(0))):
            continue  # told about another meeting, or a document of the case
        before = name_lists.fold(text[s_start:m.start()])
        after = name_lists.fold(text[m.end():s_end])
        lead = before.strip(" .,:").casefold()
        if not lead or rx(st.inverted_lead).match(lead) or re.search(
                r"\b(?:av|från)$", m.group(0), re.I):
            people, _ = name_lists.leading_names(after)
        else:
            last_word = before.split()[-1] if before.split() else ""
            if rx(st.pronoun_subject).match(last_word.strip(" ,.")):
                continue
            people = name_lists.trailing_names(before)
        people = [p for p in people if _usable(p)]
        if not people:
            continue
        written = None
        tail = text[s_end:s_end + 40]
        if rx(st.oral).search(sentence):
            written = False
        elif rx(st.written).search(sentence) or re.match(r"\s*\(?[Bb]ilaga\b", tail):
            written = True
        favour = rx(st.in_favour_of).search(sentence)
        attachment = _attachment(text, m.end(), s_end)
        for p in people:
            out.append((item_at(m.start()), _stance(
                p, text=sentence, written=written, attachment=attachment,
                in_favour_of=favour.group("what") if favour else None,
                span=_span(s_start, s_end, page_at))))
    heading = rx(st.reservation_heading)
    for a, b, rest in _heading_lines(text, heading):
        rows = [(a, b, name_lists.name_list(rest.rstrip(".")))] if rest else _names_below(
            text, b + 1, len(text))
        for x, y, people in rows:
            for p in people or []:
                if _usable(p):
                    out.append((item_at(a), _stance(
                        p, text=name_lists.fold(text[x:y]), written=None,
                        span=_span(x, y, page_at))))
    return _dedupe(out)


def _subject_notes(text: str, a: int, b: int, page_at) -> list[Stance]:
    """A note sentence's authors: the names it opens with, or "Vi kristdemokrater och ..."."""
    sentence = name_lists.fold(text[a:b])
    people, end = name_lists.leading_names(sentence)
    rest = sentence[end:].lstrip()
    # The names open the sentence and a verb ("stödjer", "anser") or a colon follows.
    if people and all(_usable(p) for p in people) and re.match(r"[a-zåäö]|[:–-]\s*\S", rest):
        return [_stance(p, text=sentence, span=_span(a, b, page_at)) for p in people]
    m = re.match(r"(?i)vi\s+((?:[a-zåäö]+(?:\s*,\s*|\s+och\s+|\s+samt\s+)?)+)", sentence)
    if m:
        parties = []
        for w in re.split(r"\s*,\s*|\s+och\s+|\s+samt\s+|\s+", m.group(1)):
            party = name_lists.party_of(w)
            if not party:
                break
            parties.append(name_lists.Person(who=w, name=None, party=party))
        return [_stance(p, text=sentence, span=_span(a, b, page_at)) for p in parties]
    return []


def protocol_notes(text: str, item_at, page_at, region_end: Callable[[int], int]) -> Found:
    st = wording().stances
    out: Found = []
    heading = rx(st.note_heading)
    for a, b, _ in _heading_lines(text, heading):
        hi = region_end(a)
        last: Stance | None = None
        for x, y in sentences.split(text, b + 1, min(hi, b + 4000)):
            line = text[x:y].strip()
            if sentences._is_heading(line.split("\n")[0]) and not name_lists.name_list(line):
                break
            found = _subject_notes(text, x, y, page_at)
            if found:
                for s in found:
                    out.append((item_at(a), s))
                last = found[-1]
            elif last is not None and line:
                last.text = f"{last.text} {name_lists.fold(line)}"
            else:
                break
    verb = rx(any_of(st.note))
    for m in verb.finditer(text):
        s_start, s_end = sentences.sentence_at(text, m.start())
        sentence = name_lists.fold(text[s_start:s_end])
        before = name_lists.fold(text[s_start:m.start()])
        if re.search(r"\b(?:av|från)$", m.group(0), re.I) or not before.strip(" .,:"):
            people, _ = name_lists.leading_names(name_lists.fold(text[m.end():s_end]))
        else:
            people = name_lists.trailing_names(before)
        written = True if rx(st.written).search(sentence) else None
        for p in people:
            if _usable(p):
                out.append((item_at(m.start()), _stance(
                    p, text=sentence, written=written,
                    attachment=_attachment(text, m.end(), s_end),
                    span=_span(s_start, s_end, page_at))))
    return _dedupe(out)


def _named_item(sentence: str, known: set[str]) -> str | None:
    refs = [m.group(1) for m in re.finditer(r"§\s*(\d+[a-z]?)", sentence)]
    refs = [r for r in refs if r in known]
    return refs[0] if len(set(refs)) == 1 else None


def _standing_aside(sentence: str, anchor: re.Pattern) -> list[name_lists.Person]:
    """The people a jäv or non-participation sentence names, without their substitutes."""
    people = name_lists.names_in(sentence)
    if not people:
        subject = sentence[:anchor.search(sentence).start()] if anchor.search(sentence) else ""
        people = [p for p in name_lists.trailing_names(subject) if _usable(p)]
        if not people:
            m = re.search(r"\b(?:har|hade)\s+((?:[A-ZÅÄÖ][\wåäö-]+\s+){1,3}[A-ZÅÄÖ][\wåäö-]+)", sentence)
            p = name_lists.person(m.group(1)) if m else None
            people = [p] if p and _usable(p) else []
    sub = rx(wording().stances.substitute).search(sentence)
    key = anchor.search(sentence)
    if sub and key:
        def near_key(p):
            at = sentence.find(p.who)
            return abs(at - key.start()) <= abs(at - sub.start())
        people = [p for p in people if near_key(p)]
    return [p for p in people if _usable(p)]


def recusals(text: str, item_at, page_at, known: set[str]) -> Found:
    st = wording().stances
    return _standing_out(text, item_at, page_at, known, rx(st.recusal), rx(st.no_recusal),
                         rx(st.recusal_heading), reason="jäv")


def not_participating(text: str, item_at, page_at, known: set[str]) -> Found:
    st = wording().stances
    # A sentence naming jäv is a recusal, read by `recusals`.
    return _standing_out(text, item_at, page_at, known, rx(st.not_participating),
                         rx(st.recusal), rx(st.not_participating_heading), reason=None)


def _standing_out(text: str, item_at, page_at, known: set[str], word: re.Pattern,
                  skip: re.Pattern, heading_rx: re.Pattern, reason: str | None) -> Found:
    """Members who took no part in an item's decision, each sentence once: the names a
    heading lists (on its line or the lines below it), else those the sentence names."""
    out: Found = []
    seen: set[int] = set()
    extra = {"reason": reason} if reason else {}
    for m in word.finditer(text):
        s_start, s_end = sentences.sentence_at(text, m.start())
        if s_start in seen:
            continue
        seen.add(s_start)
        sentence = name_lists.fold(text[s_start:s_end])
        if skip.search(sentence):
            continue
        item = _named_item(sentence, known) or item_at(m.start())
        heading = heading_rx.match(sentence.strip())
        if heading:
            rest = (heading.group("rest") or "").rstrip(".")
            rows = [(s_start, s_end, name_lists.name_list(rest) or [])] if rest else \
                _names_below(text, s_end, len(text))
            for x, y, people in rows:
                for p in people:
                    out.append((item, _stance(p, text=name_lists.fold(text[x:y]),
                                              span=_span(x, y, page_at), **extra)))
            continue
        for p in _standing_aside(sentence, word):
            out.append((item, _stance(p, text=sentence, span=_span(s_start, s_end, page_at),
                                      **extra)))
    return _dedupe(out)


def _key(s: Stance) -> str:
    return " ".join((s.name or s.who).casefold().split())


def _dedupe(found: Found) -> Found:
    """One entry per item and person; a party named beside its own members adds no one."""
    out: Found = []
    seen: set[tuple] = set()
    for item, s in found:
        k = (item, _key(s))
        if k in seen:
            for item2, s2 in out:
                if (item2, _key(s2)) == k:
                    s2.written = s2.written if s2.written is not None else s.written
                    s2.attachment = s2.attachment or s.attachment
                    s2.in_favour_of = s2.in_favour_of or s.in_favour_of
            continue
        seen.add(k)
        out.append((item, s))
    parties_with_members = {(item, s.party) for item, s in out if s.name and s.party}
    return [(item, s) for item, s in out
            if s.name is not None or (item, s.party) not in parties_with_members]
