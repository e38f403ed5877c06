"""Lines of a text with their character offsets: the unit the segmenter works on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    index: int
    start: int  # offset of the first character in the source text
    end: int  # offset just past the last character (before the newline)
    text: str  # the raw line

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def content_start(self) -> int:
        """Offset of the first non-blank character."""
        return self.start + (len(self.text) - len(self.text.lstrip()))


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def line_index_at(lines: list[Line], offset: int) -> int:
    """Index of the line holding `offset` (binary search over line starts)."""
    lo, hi = 0, len(lines) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
