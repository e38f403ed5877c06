"""Decision blocks inside an agenda item.

Three forms, from the most explicit to the least: a heading line ("Beslut",
"Kommunstyrelsens beslut", "Beslut – Förslag till kommunfullmäktige") that opens a block
running to the next block heading (Beslutsunderlag, Yrkanden, Propositionsordning,
Omröstning, Reservation, Protokollsanteckning, Bilaga, "Beslutet skickas till" ...); a label
("Beslut: ...", "Beslut Miljö och klimat: ...") that opens a paragraph; and, in minutes that
use neither, sentences that state a decision ("Mötet beslutade att ...", "Till
mötesordförande valdes ...", a bare "att fastställa dagordningen", "Omval på två år av ...").
A block crossing a page break leaves the page's furniture out and goes on.
"""

from __future__ import annotations

import functools
import re

from .. import rules
from ..ingest import Source
from ..models import DecisionBlock, Span
from .lines import Line

_SUBHEADING = re.compile(r"^(?:[a-zA-Z]|\d{1,2}(?:\.\d{1,2})+)[.)]?\s+[A-ZÅÄÖ\"“”]")
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
_SENTENCE_END = re.compile(r"[.!?]\s*$")


@rules.schema("decisions")
class DecisionRules(rules.Rules):
    """rules/decisions.toml"""

    heading: list[rules.Pattern]
    forwarded: rules.Pattern
    label: list[rules.Pattern]
    caps_prefix: rules.Pattern
    stop: list[rules.Pattern]
    furniture: list[rules.Pattern]
    sentence: list[rules.Pattern]
    marked_sentence: rules.Pattern
    lead_in: rules.Pattern
    wrapped_line_chars: int
    bullet: rules.Pattern


@functools.cache
def _patterns() -> DecisionRules:
    return rules.get("decisions")


def _unbullet(text: str) -> str:
    return _patterns().bullet.sub("", text).strip()


def _is_bullet(text: str) -> bool:
    return bool(_patterns().bullet.match(text))


def _heading_text(text: str) -> str:
    """A line as a heading would read, without a page header merged in front of it."""
    return _patterns().caps_prefix.sub("", text)


def _is_heading(text: str) -> bool:
    return any(p.match(_heading_text(text)) for p in _patterns().heading)


def _forwards(text: str, meeting_body: str | None) -> bool:
    """Whether `text` heads the meeting body's own proposal to another body."""
    m = _patterns().forwarded.match(_heading_text(text))
    if not (m and meeting_body):
        return False
    body = meeting_body.casefold().strip()
    return m["sender"].casefold() == body and m["receiver"].casefold() != body


def _opens_block(raw: str, meeting_body: str | None) -> bool:
    if _is_bullet(raw):
        return False  # "• DO beslut": an entry of a list, not a heading
    text = _unbullet(raw)
    return _forwards(text, meeting_body) or (_is_heading(text) and not _is_stop(text))


def _label(text: str):
    for p in _patterns().label:
        m = p.match(text)
        if m:
            return m
    # A heading in a margin column with its text in the column beside it ("Beslut <tab>
    # Kommunstyrelsen antar budgeten").
    m = _MARGIN.match(text)
    if m and _is_heading(m.group("cell")) and not _is_stop(m.group("cell")):
        return m
    return None


# A line of two or more cells: the first, and the text of the rest.
_MARGIN = re.compile(r"^(?P<cell>[^\t]{2,60}?)[ ]*\t[ \t]*(?P<text>\S.*)$")


def _is_stop(text: str) -> bool:
    if any(p.match(_heading_text(text)) for p in _patterns().stop):
        return True
    m = _MARGIN.match(text)  # a stop heading in the margin column ("Reservation <tab> ...")
    return bool(m) and any(p.match(_heading_text(m.group("cell"))) for p in _patterns().stop)


def _is_furniture(text: str) -> bool:
    return any(p.match(text.strip()) for p in _patterns().furniture)


def _decision_sentence(text: str) -> int | None:
    """Offset in `text` where a sentence stating a decision starts, else None."""
    sentence = _patterns().sentence
    starts = [0] + [m.end() for m in _SENTENCE_START.finditer(text)]
    for s in starts:
        piece = text[s:]
        first = _SENTENCE_START.split(piece, maxsplit=1)[0]
        if any(p.search(first) if p.pattern.startswith("\\b") else p.match(first)
               for p in sentence):
            return s
    return None


def _block(lines: list[Line], source: Source, first_offset: int, label: str | None):
    """A DecisionBlock from `lines` (furniture left out), the first read from `first_offset`."""
    parts = []
    for k, line in enumerate(lines):
        if k and _is_furniture(line.text):
            continue
        raw = source.text[first_offset:line.end] if k == 0 else line.text
        t = _unbullet(raw)
        if t:
            parts.append(t)
    text = " ".join(" ".join(parts).split())
    if not text:
        return None
    start, end = first_offset, lines[-1].end
    return DecisionBlock(text=text, label=label, span=Span(
        start=start, end=end, page_start=source.page_at(start),
        page_end=source.page_at(max(start, end - 1))))


def heads_a_decision(raw: str) -> bool:
    """Whether a line is a decision heading or label ("Beslut", "Beslut: ...")."""
    text = _unbullet(raw)
    return bool(text) and not _is_bullet(raw) and (
        (_is_heading(text) and not _is_stop(text)) or _label(text) is not None)


_PAGE_HEAD = re.compile(r"^[\sA-ZÅÄÖ0-9/().,:–-]*$|^.*\b(?:SAMMANTRÄDESPROTOKOLL|PROTOKOLL)\b.*$")


def _page_break(body: list[Line], j: int, taken: list[Line]) -> int | None:
    """At page furniture inside a block: the index of the line the block goes on with when
    its last sentence is still open (a decision cut by the page), else None (it ends)."""
    last = next((ln.stripped for ln in reversed(taken) if ln.stripped), "")
    if not last or _SENTENCE_END.search(last):
        return None
    k = j
    while k < len(body) and (not body[k].stripped or _is_furniture(body[k].text)
                             or _PAGE_HEAD.match(body[k].stripped)):
        k += 1
    return k if k < len(body) else None


def ends_a_block(raw: str) -> bool:
    """A heading that ends a decision block ("Beslutsunderlag", "Yrkanden", "Bilaga 2")."""
    return _is_stop(_heading_text(raw.strip()))


def _ends_block(raw: str) -> bool:
    text = _unbullet(raw)
    return _is_stop(text) or (_is_heading(text) and not _is_bullet(raw)) or _label(text) is not None


def explicit_blocks(body: list[Line], source: Source,
                    meeting_body: str | None = None) -> list[DecisionBlock]:
    """Blocks opened by a decision heading or label. `meeting_body` ("Kommunstyrelsen")
    tells its own proposals to other bodies from proposals it received."""
    blocks: list[DecisionBlock] = []
    i = 0
    while i < len(body):
        raw = body[i].text
        text = _unbullet(raw)
        if text and _opens_block(raw, meeting_body):
            j, taken = i + 1, []
            while j < len(body):
                if body[j].stripped and _is_furniture(body[j].text):
                    resume = _page_break(body, j, taken)
                    if resume is None:
                        break
                    j = resume
                    continue
                if body[j].stripped and _ends_block(body[j].text):
                    break
                taken.append(body[j])
                j += 1
            taken = _trim(taken)
            if taken:
                b = _block(taken, source, taken[0].content_start,
                           _heading_text(text).rstrip(": "))
                if b:
                    blocks.append(b)
            i = j
            continue
        m = _label(text) if text else None
        if m:
            label = text[: m.start("text")].rstrip(": ").strip()
            first = body[i].start + body[i].text.find(m.group("text")) if m.group("text") else None
            j, taken = i + 1, [body[i]] if m.group("text") else []
            while j < len(body):
                t = body[j].stripped
                if t and _is_furniture(t):
                    resume = _page_break(body, j, taken)
                    if resume is None:
                        break
                    j = resume
                    continue
                if not t:
                    nxt = next((b for b in body[j + 1:] if b.stripped), None)
                    if taken and (nxt is None or not _is_bullet(nxt.text)):
                        break
                    j += 1
                    continue
                if _ends_block(body[j].text) or _SUBHEADING.match(t):
                    break
                taken.append(body[j])
                j += 1
            if taken:
                off = first if first is not None and taken[0] is body[i] else taken[0].content_start
                b = _block(taken, source, off, label)
                if b:
                    blocks.append(b)
            i = j
            continue
        i += 1
    return blocks


def marked(blocks: list[DecisionBlock]) -> list[DecisionBlock]:
    """The sentence blocks that say they decide ("Beslutades att ...", "Styrelsen beslutade
    att ..."), the only ones read in minutes that mark their decisions with labels."""
    pattern = _patterns().marked_sentence
    return [b for b in blocks if pattern.search(b.text[:200])]


def sentence_blocks(body: list[Line], source: Source) -> list[DecisionBlock]:
    """Blocks stated as decision sentences in running text."""
    blocks: list[DecisionBlock] = []
    wrapped = _patterns().wrapped_line_chars
    i = 0
    while i < len(body):
        line = body[i]
        text = line.text
        stripped = _unbullet(text)
        if not stripped or _SUBHEADING.match(line.stripped) and not _decision_sentence(stripped) == 0:
            i += 1
            continue
        at = _decision_sentence(stripped)
        if at == 0 and _continues_sentence(body, i):
            # The line carries on a sentence begun above; its verb is not a new decision.
            at = None
        if at is None:
            i += 1
            continue
        offset = line.start + text.find(stripped) + at
        taken, j = [line], i + 1
        # "Kommunstyrelsen beslutar" alone on its line leads in to what it decides, as a colon does.
        lead_in = bool(_patterns().lead_in.search(stripped))
        after_colon = stripped.rstrip().endswith(":") or lead_in
        while j < len(body):
            nxt = body[j]
            t = nxt.stripped
            if not t or _SUBHEADING.match(t) or _ends_block(nxt.text):
                break
            is_bullet = _is_bullet(nxt.text)
            prev = _unbullet(body[j - 1].text)
            # After a lead-in ("Styrelsen beslutade" / "att ..." / "att ..."), each att-clause
            # below is one more thing it decided.
            att_clause = lead_in and _unbullet(t).startswith("att ")
            if _decision_sentence(_unbullet(t)) == 0 and not is_bullet \
                    and not (lead_in and j == i + 1) and not att_clause:
                break
            open_sentence = not _SENTENCE_END.search(prev) and (
                _unbullet(t)[:1].islower() or len(prev) >= wrapped)
            if not (is_bullet or after_colon or open_sentence):
                break
            after_colon = after_colon or prev.endswith(":")
            taken.append(nxt)
            j += 1
        b = _block(taken, source, offset, None)
        if b:
            blocks.append(b)
        i = j
    return blocks


def _continues_sentence(body: list[Line], i: int) -> bool:
    """Whether line i goes on with a sentence that started on the line above."""
    if i == 0 or body[i - 1].blank:
        return False
    first = _unbullet(body[i].text)[:1]
    return first.islower() and not _SENTENCE_END.search(body[i - 1].text) \
        and not _unbullet(body[i].text).startswith("att ")


def _trim(lines: list[Line]) -> list[Line]:
    while lines and (lines[0].blank or _is_furniture(lines[0].text)):
        lines = lines[1:]
    while lines and (lines[-1].blank or _is_furniture(lines[-1].text)):
        lines = lines[:-1]
    return lines
