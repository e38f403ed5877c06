"""The page as laid out: lines of cells of words, each with its position and its offsets in
`Source.text`.

A PDF gives every word its box, font size and weight; a line is the words that share a
baseline band, left to right, and a cell is a run of words without a wide gap (a column of a
cover page, a table cell). Plain text has no boxes, so its words are placed by character
column: a tab, a table bar or a run of spaces is the gap between cells, and one em counts as
`TEXT_EM` columns. Readers of the header look at cells and their columns either way.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

# Characters of a plain-text line per em: monospaced text is about half an em wide a character.
TEXT_EM = 2.0
# A gap wider than this many ems between two words of a line separates two cells.
CELL_GAP_EM = 1.5
# In plain text, cells are separated by a tab, a table bar or three spaces or more.
_TEXT_CELL_GAP = re.compile(r"\t+|[ \t]*\|[ \t]*|[ ]{3,}")


@dataclass(slots=True)
class Word:
    """A word as printed: its text, its box in points from the page's top left corner (or, in
    plain text, character columns and line numbers), font size and weight, and once placed
    its offsets [start, end) in `Source.text`."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = TEXT_EM
    bold: bool = False
    start: int = -1
    end: int = -1

    @property
    def placed(self) -> bool:
        return self.start >= 0


@dataclass(slots=True)
class Cell:
    """Words of one line with no wide gap between them."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


@dataclass(slots=True)
class Line:
    """One line of a page: its cells left to right, where it stands and what it spans in
    `Source.text`. `measured` tells positions read off a PDF page from character columns."""

    page: int
    cells: list[Cell]
    top: float
    bottom: float
    measured: bool
    start: int = -1
    end: int = -1
    size: float = field(default=TEXT_EM)

    @property
    def words(self) -> list[Word]:
        return [w for c in self.cells for w in c.words]

    @property
    def x0(self) -> float:
        return self.cells[0].x0 if self.cells else 0.0

    @property
    def text(self) -> str:
        return "\t".join(c.text for c in self.cells)

    @property
    def bold(self) -> bool:
        return bool(self.cells) and all(c.bold for c in self.cells)


# ------------------------------------------------------------------------ from PDF words


def lines_from_words(words: Iterable[Word], page: int, cell_gap: float = CELL_GAP_EM) -> list[Line]:
    """Words of a page as lines, top to bottom, each left to right and cut into cells.

    Words belong to one line when their boxes overlap vertically by at least half the
    height of the smaller one, so a label and its value set in another font still share
    their line, while the lines of a paragraph stay apart.
    """
    rows: list[list[Word]] = []
    band: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        if rows:
            top, bottom = band[-1]
            overlap = min(bottom, w.bottom) - max(top, w.top)
            if overlap >= 0.5 * min(bottom - top, w.bottom - w.top):
                rows[-1].append(w)
                band[-1] = (min(top, w.top), max(bottom, w.bottom))
                continue
        rows.append([w])
        band.append((w.top, w.bottom))
    lines = []
    for row, (top, bottom) in zip(rows, band):
        row.sort(key=lambda w: w.x0)
        sizes = [w.size for w in row if w.size > 0]
        size = statistics.median(sizes) if sizes else TEXT_EM
        lines.append(Line(page, _cells(row, cell_gap), top, bottom, True, size=size))
    return lines


def _cells(row: list[Word], cell_gap: float) -> list[Cell]:
    cells = [[row[0]]]
    for a, b in zip(row, row[1:]):
        size = max(a.size, b.size) or TEXT_EM
        if b.x0 - a.x1 > cell_gap * size:
            cells.append([b])
        else:
            cells[-1].append(b)
    return [Cell(c) for c in cells]


def render(lines: list[Line]) -> str:
    """The text of lines as `Source.text` holds it: words joined by a space, cells by a tab."""
    return "\n".join(line.text for line in lines)


def place(lines: list[Line], text: str, start: int = 0, end: int | None = None) -> None:
    """Give each word its offsets in `text` (from `start` on), which was rendered from these
    lines and then cleaned: running heads and page numbers dropped (whole lines), words
    split by a hyphen at a line end joined, characters normalised. Words of dropped lines
    stay unplaced; a line takes the span of its placed words.
    """
    pos = start
    n = len(text) if end is None else min(end, len(text))
    for line in lines:
        first = True
        for w in line.words:
            at = _skip_space(text, pos, n)
            found = _match(text, at, w.text, n)
            if found is None and first:
                break  # the line was dropped as page furniture
            if found is None:
                # A word the clean-up changed beyond recognition: find it a little further on.
                k = text.find(w.text, at, min(n, at + 4 * len(w.text) + 8))
                if k < 0:
                    continue
                at, found = k, k + len(w.text)
            w.start, w.end = at, found
            pos = found
            first = False
        placed = [w for w in line.words if w.placed]
        if placed:
            line.start, line.end = placed[0].start, placed[-1].end


def _skip_space(text: str, pos: int, n: int) -> int:
    while pos < n and text[pos] in " \t\n":
        pos += 1
    return pos


def _match(text: str, at: int, word: str, n: int) -> int | None:
    """End of `word` written at `at` (before `n`); a word whose end-of-line hyphen was
    joined away matches without it."""
    if text.startswith(word, at, n):
        return at + len(word)
    if word.endswith("-") and len(word) > 1 and text.startswith(word[:-1], at, n):
        return at + len(word) - 1
    return None


# ---------------------------------------------------------------------- from plain text


def lines_from_text(text: str, pages: Iterable[tuple[int, int, int]]) -> list[Line]:
    """Lines of plain text placed by character column. `pages` gives (number, start, end)
    of each page in `text`."""
    out: list[Line] = []
    for number, p_start, p_end in pages:
        pos = p_start
        row = 0
        for raw in text[p_start:p_end].split("\n"):
            line_start = pos
            pos += len(raw) + 1
            row += 1
            if not raw.strip():
                continue
            cells = []
            for a, b in _text_cells(raw):
                words = [Word(m.group(), a + m.start(), a + m.end(), row, row + 1,
                              start=line_start + a + m.start(), end=line_start + a + m.end())
                         for m in re.finditer(r"\S+", raw[a:b])]
                if words:
                    cells.append(Cell(words))
            if cells:
                out.append(Line(number, cells, row, row + 1, False,
                                cells[0].start, cells[-1].end))
    return out


# Blanks between the columns of a table written out as text: more than a cell gap.
TABLE_GAP = 3


def table_text(rows: list[list[str]]) -> list[str]:
    """The rows of a table (a Word or web table) as lines of text whose columns line up:
    every cell padded to its column's width, empty cells kept as blanks, so that a cell
    stands at its column's character column in every row, as it does on a printed page
    ("Frida Fors  V  [empty]  Gustav Gran (V)" keeps the substitute in its column)."""
    rows = [[" ".join(c.split()) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    widths = [0] * max(len(r) for r in rows)
    for row in rows:
        for k, cell in enumerate(row):
            widths[k] = max(widths[k], len(cell))
    out = []
    for row in rows:
        line = "".join(cell.ljust(widths[k] + TABLE_GAP) for k, cell in enumerate(row))
        out.append(line.rstrip())
    return out


def _text_cells(raw: str) -> list[tuple[int, int]]:
    cells, pos = [], 0
    for m in _TEXT_CELL_GAP.finditer(raw):
        if m.start() > pos:
            cells.append((pos, m.start()))
        pos = m.end()
    if pos < len(raw):
        cells.append((pos, len(raw)))
    return cells
