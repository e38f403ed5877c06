"""A page of a source PDF as an image, with a passage marked on it.

The database stores each passage as a character span of the document's extracted text and the
pages it falls on, not the positions of its words on the page. So the passage is found on the
page again: PDFium's text page gives every character of the page with its box, the page's
words are aligned with the passage's words (difflib), and the boxes of the words that align
are marked. Page headers and footers, which the extracted text leaves out, and the part of a
passage that runs on to the next page simply do not align.

The file is looked up by its stored path (relative to the folder given to `import`) under a
few folders, and used only when its SHA-256 is the one the database recorded: a file edited
since the import would mark the wrong words.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import re
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

SCALE = 1.5  # 72 dpi PDF points to pixels: an A4 page is 893 px wide
MARK_FILL = (255, 214, 0, 90)
MARK_LINE = (214, 130, 0, 255)
# PDFium writes U+FFFE where it joined a word broken by an end-of-line hyphen.
JOINED_HYPHEN = "\ufffe"
SOFT_HYPHEN = "\u00ad"

# PDFium is not thread-safe; Datasette renders in worker threads.
_PDFIUM = threading.Lock()
_VERIFIED: dict[tuple[str, int, int], str] = {}


def find_source(stored_path: str | None, sha256: str | None, roots) -> Path | None:
    """The file `stored_path` under the first of `roots` that holds it with the given bytes."""
    if not stored_path or not sha256:
        return None
    relative = Path(stored_path)
    if relative.is_absolute():  # databases imported before paths were stored relative
        candidates = [relative] + [Path(r) / Path(*relative.parts[-2:]) for r in roots]
    else:
        candidates = [Path(r) / relative for r in roots]
    for path in candidates:
        try:
            st = path.stat()
        except OSError:
            continue
        # a path from the database is read only if it is a regular PDF file (not a device)
        if not stat.S_ISREG(st.st_mode) or path.suffix.lower() != ".pdf":
            continue
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in _VERIFIED:
            digest = hashlib.sha256()
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            _VERIFIED[key] = digest.hexdigest()
        if _VERIFIED[key] == sha256:
            return path
    return None


@dataclass(frozen=True)
class Word:
    text: str  # case-folded
    chars: tuple[int, ...]  # indexes into the text page's characters


def page_words(textpage) -> list[Word]:
    """The words of a PDFium text page with their character indexes; a word broken by an
    end-of-line hyphen that PDFium joined is one word, as in the extracted text."""
    words: list[Word] = []
    current: list[tuple[str, int]] = []
    joining = False

    def close():
        if current:
            words.append(Word("".join(c for c, _ in current).casefold(),
                              tuple(i for _, i in current)))
            current.clear()

    for i in range(textpage.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        if ch in (JOINED_HYPHEN, SOFT_HYPHEN):
            joining = True
        elif ch.isalnum():
            current.append((ch, i))
            joining = False
        elif not (joining and ch.isspace()):
            close()
            joining = False
    close()
    return words


def aligned(words: list[Word], passage: str) -> list[Word]:
    """The page's words that align with the passage: runs of at least three words in the
    same order (or the whole passage, when it is shorter)."""
    wanted = re.findall(r"\w+", passage.casefold())
    if not wanted:
        return []
    shortest = min(3, len(wanted))
    matcher = difflib.SequenceMatcher(None, [w.text for w in words], wanted, autojunk=False)
    found: list[Word] = []
    for block in matcher.get_matching_blocks():
        if block.size >= shortest:
            found += words[block.a:block.a + block.size]
    return found


def _line_boxes(textpage, words: list[Word]) -> list[tuple[float, float, float, float]]:
    """One box per line of marked characters, in PDF points (left, bottom, right, top)."""
    boxes: list[list[float]] = []
    for word in words:
        for i in word.chars:
            left, bottom, right, top = textpage.get_charbox(i)
            if right <= left or top <= bottom:
                continue
            last = boxes[-1] if boxes else None
            if last and abs(last[1] - bottom) < (top - bottom) / 2 and left >= last[0] - 1:
                last[2] = max(last[2], right)
                last[3] = max(last[3], top)
                last[1] = min(last[1], bottom)
            else:
                boxes.append([left, bottom, right, top])
    return [tuple(b) for b in boxes]


def render(pdf_path: str | os.PathLike, page_number: int, passage: str = "") -> tuple[bytes, int]:
    """PNG of page `page_number` (from 1) with the passage marked; and how many words of the
    passage were found on the page."""
    from PIL import Image, ImageDraw

    with _PDFIUM:
        pdf = pypdfium2.PdfDocument(str(pdf_path))
        try:
            if not 1 <= page_number <= len(pdf):
                raise IndexError(f"no page {page_number}")
            page = pdf[page_number - 1]
            textpage = page.get_textpage()
            marked = aligned(page_words(textpage), passage) if passage else []
            boxes = _line_boxes(textpage, marked)
            height = page.get_height()
            image = page.render(scale=SCALE).to_pil().convert("RGBA")
            textpage.close()
            page.close()
        finally:
            pdf.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    pad = 1.5
    for left, bottom, right, top in boxes:
        draw.rectangle([(left - pad) * SCALE, (height - top - pad) * SCALE,
                        (right + pad) * SCALE, (height - bottom + pad) * SCALE],
                       fill=MARK_FILL, outline=MARK_LINE, width=1)
    out = io.BytesIO()
    Image.alpha_composite(image, overlay).convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue(), len(marked)
