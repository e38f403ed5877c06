"""Sentences and headings in minutes text whose lines are wrapped at any word.

A sentence ends at . ! ? before a capital, at a blank line (unless the line before ends in a
comma, "och" or "samt": a page break inside a list of names), and after a heading: a short
line without punctuation followed by a line starting with a capital ("Reservation" above
"Anna Ek (S) reserverar sig").
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?](?=[”\"')\]]?(?:\s+[A-ZÅÄÖÉ§\"”(–_-]|\s*$))|\n[ \t]*\n|:[ \t]*\n")
_OPEN_LINE = re.compile(r"(?:,|\boch|\bsamt|-|\(|\b[A-ZÅÄÖ][a-zåäö]+)\s*$")


def _is_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s.split()) > 5 or s[-1] in ",.;" or "," in s:
        return False
    return (s[0].isupper() or s[0] == "§") and not re.search(r"\b(?:och|samt)$", s)


def boundaries(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """Offsets in text[lo:hi] where a sentence starts (lo first)."""
    hi = len(text) if hi is None else hi
    starts = [lo]
    for m in _END.finditer(text, lo, hi):
        cut = m.end()
        if m.group(0).startswith("\n"):
            before = text[text.rfind("\n", lo, m.start()) + 1:m.start()]
            if _OPEN_LINE.search(before) and not _is_heading(before):
                continue
        starts.append(cut)
    # A line of figures ("Ja: 15, Nej: 24") ends before a line opening with a capital.
    for m in re.finditer(r"\d[ \t]*\n(?=[ \t]*[A-ZÅÄÖ])", text[lo:hi]):
        starts.append(lo + m.end())
    # Headings on their own line.
    for m in re.finditer(r"\n", text[lo:hi]):
        pos = lo + m.start()
        line_start = text.rfind("\n", lo, pos) + 1
        line = text[line_start:pos]
        if _is_heading(line) and pos + 1 < hi and re.match(r"[ \t]*[A-ZÅÄÖ§]", text[pos + 1:pos + 3]):
            starts.append(pos + 1)
            # The heading starts a sentence of its own, unless the line above runs on.
            above = text[text.rfind("\n", lo, max(lo, line_start - 1)) + 1:max(lo, line_start - 1)]
            if line_start > lo and not re.search(r"(?:,|\boch|\bsamt|-)\s*$", above):
                starts.append(line_start)
    out = sorted({s for s in starts if s < hi})
    return out


def sentence_at(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence holding `pos`: (start, end) within [lo, hi)."""
    hi = len(text) if hi is None else hi
    wlo, whi = max(lo, pos - 1500), min(hi, pos + 1500)
    starts = boundaries(text, wlo, whi)
    start = max((s for s in starts if s <= pos), default=wlo)
    end = min((s for s in starts if s > pos), default=whi)
    return start, end


def split(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """The sentences of text[lo:hi] as (start, end) pairs, blank ones left out."""
    hi = len(text) if hi is None else hi
    starts = boundaries(text, lo, hi) + [hi]
    out = []
    for a, b in zip(starts, starts[1:]):
        if text[a:b].strip():
            out.append((a, b))
    return out
