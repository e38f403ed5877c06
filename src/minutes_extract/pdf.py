"""Words of a PDF with their boxes, font size and weight, page by page.

Two engines read the text layer. PDFium (pypdfium2) is the default: it reads text and character boxes
about ten times faster than pdfplumber, which spends most of a PDF import parsing content
streams in Python. pdfplumber (pdfminer) stays as the fallback for files PDFium reads badly
(text without a Unicode map) and on request (`engine="pdfplumber"`); both give the same
`layout.Word`s, so everything after this module reads either alike.

A page whose text layer is missing or holds only a few characters (a scan, a picture cover
page with a printed header) and that a picture covers is rendered and read by OCR
(`ocr.py`); its words get boxes in points like any other, so a scanned page is laid out,
cleaned and placed as a born-digital one is. Words the text layer already has are kept and
the OCR's words where they stand are dropped.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import time

import pypdfium2
import pypdfium2.raw as pdfium_c

from . import ocr, rules
from .layout import Word
from .text import Unreadable

ENGINES = ("pdfium", "pdfplumber")
_TAIL = 4096
# PDFium marks a hyphen it joined at a line end with U+FFFE (and \x02 as a code point).
_HYPHEN_MARKS = "\ufffe\x02"
# A word set in a font this heavy or heavier reads as bold.
_BOLD_WEIGHT = 600
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag


def check_header(data: bytes) -> None:
    """Refuse bytes that are not a PDF at all, or a PDF cut short."""
    if b"%PDF-" not in data[:1024]:
        raise Unreadable("not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-_TAIL:]:
        raise Unreadable("truncated PDF (no end-of-file marker)")


def extract(data: bytes, *, max_pages: int, deadline: float, engine: str = "pdfium",
            ocr_engine: str = "rapidocr") -> tuple[list[list[Word]], dict]:
    """The words of each page and the document info; pages without a usable text layer are
    read by `ocr_engine`, and the info's "ocr" tells which ones, with their confidence.
    Raises `Unreadable` with a short reason."""
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {ENGINES}")
    if engine == "pdfplumber":
        pages, metadata = _plumber_pages(data, max_pages=max_pages, deadline=deadline)
    else:
        pages, metadata = _pdfium_pages(data, max_pages=max_pages, deadline=deadline)
        if _unmapped_share(pages) > rules.load("ingest")["pdf"]["max_unmapped_share"]:
            # Glyphs without a Unicode map: pdfminer sometimes recovers them from the font.
            try:
                pages, metadata = _plumber_pages(data, max_pages=max_pages, deadline=deadline)
            except Unreadable:
                pass
    scanned = _without_text(pages)
    read = _read_scanned(data, pages, scanned, deadline=deadline,
                         engine=ocr_engine) if scanned else {}
    if read:
        metadata["ocr"] = read
    if not any(pages):
        if metadata.get("ocr"):
            raise Unreadable("no text (no text layer, and OCR found none on its pictures)")
        raise Unreadable("no text (no text layer and no picture to read)")
    return pages, metadata


def scanned_pages(data: bytes) -> list[int]:
    """The pages (numbered from 1) that `extract` reads by OCR, found without reading them."""
    pages, _ = _pdfium_pages(data, max_pages=1_000_000, deadline=float("inf"))
    settings = rules.load("ingest")["ocr"]
    doc = pypdfium2.PdfDocument(data)
    found = []
    try:
        for n in _without_text(pages):
            page = doc[n]
            if _picture_share(page) >= settings["min_picture_share"]:
                found.append(n + 1)
            page.close()
    finally:
        doc.close()
    return found


def _without_text(pages: list[list[Word]]) -> list[int]:
    below = rules.load("ingest")["ocr"]["below_chars"]
    return [n for n, words in enumerate(pages) if _usable_chars(words) < below]


def _usable_chars(words: list[Word]) -> int:
    """Letters and digits: no punctuation, no glyph without a Unicode value."""
    return sum(1 for w in words for ch in w.text if ch.isalnum())


def _unmapped_share(pages: list[list[Word]]) -> float:
    chars = "".join(w.text for page in pages for w in page)
    if not chars:
        return 0.0
    bad = sum(1 for ch in chars if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    return bad / len(chars)


# ------------------------------------------------------------------------------- PDFium


def _pdfium_pages(data: bytes, *, max_pages: int, deadline: float) -> tuple[list[list[Word]], dict]:
    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise _pdfium_reason(exc) from None
    try:
        count = len(doc)
        if count > max_pages:
            raise Unreadable(f"too many pages ({count} > {max_pages})")
        if count == 0:
            raise Unreadable("damaged PDF (no pages found)")
        metadata = _info(doc.get_metadata_dict(skip_empty=True))
        pages = []
        for n in range(count):
            if time.monotonic() > deadline:
                raise Unreadable(f"time limit exceeded after {n} of {count} pages")
            page = doc[n]
            try:
                pages.append(_pdfium_words(page))
            finally:
                page.close()
    except pypdfium2.PdfiumError as exc:
        raise _pdfium_reason(exc) from None
    finally:
        doc.close()
    return pages, metadata


def _pdfium_reason(exc: Exception) -> Unreadable:
    text = str(exc)
    if "password" in text.lower():
        return Unreadable("encrypted PDF (password required)")
    return Unreadable(f"damaged PDF ({_short(text)})")


def _pdfium_words(page) -> list[Word]:
    width, height = page.get_size()
    rotation = page.get_rotation() % 360
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n <= 0:
            return []
        text = textpage.get_text_range(0, n)
        if len(text) != n:  # one code unit per character is what the loop below relies on
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 0xFFFD)
                           for i in range(n))
        return _pdfium_collect(textpage, text, width, height, rotation)
    finally:
        textpage.close()


def _pdfium_collect(textpage, text: str, width: float, height: float, rotation: int) -> list[Word]:
    box = pdfium_c.FS_RECTF()
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    words: list[Word] = []
    chars: list[str] = []
    first = -1
    x0 = x1 = top = bottom = 0.0

    def flush():
        if chars:
            words.append(_pdfium_word(textpage, "".join(chars), first, x0, x1, top, bottom))
            chars.clear()

    for i, ch in enumerate(text):
        if ch in _HYPHEN_MARKS:
            ch = "-"
        if ch.isspace() or ch == "\x00":
            flush()
            continue
        get_box(textpage, i, ctypes.byref(box))
        left, right, up, down = _oriented(box.left, box.right, box.top, box.bottom,
                                          width, height, rotation)
        if chars and (left - x1 > 0.6 * max(1.0, bottom - top) or right < x0 - 1
                      or up > bottom or down < top):
            flush()  # a jump with no space between: a new word
        if not chars:
            first, x0, x1, top, bottom = i, left, right, up, down
        else:
            x0, x1, top, bottom = min(x0, left), max(x1, right), min(top, up), max(bottom, down)
        chars.append(ch)
    flush()
    return words


def _oriented(left, right, top, bottom, width, height, rotation):
    """A PDFium box (origin bottom left) as (x0, x1, top, bottom) from the top left of the
    page as displayed, turned by the page's /Rotate."""
    if rotation == 90:
        return bottom, top, left, right
    if rotation == 180:
        return width - right, width - left, bottom, top
    if rotation == 270:
        return height - top, height - bottom, width - right, width - left
    return left, right, height - top, height - bottom


def _pdfium_word(textpage, text: str, index: int, x0, x1, top, bottom) -> Word:
    size = pdfium_c.FPDFText_GetFontSize(textpage, index)
    weight = pdfium_c.FPDFText_GetFontWeight(textpage, index)
    bold = weight >= _BOLD_WEIGHT
    if not bold:
        flags = ctypes.c_int(0)
        name = ctypes.create_string_buffer(128)
        pdfium_c.FPDFText_GetFontInfo(textpage, index, name, 128, ctypes.byref(flags))
        bold = bool(flags.value & _FORCE_BOLD) or _bold_name(name.value)
    return Word(text, x0, x1, top, bottom, size=_em(size, bottom - top), bold=bold)


def _em(size: float, height: float) -> float:
    """The font size in points; where the PDF scales text by its matrix rather than its font
    size (a size of 1 printed at 10 pt), the box height tells it instead."""
    if height > 0 and not 0.5 * height <= size <= 2 * height:
        return height / 1.15
    return float(size) or height


def _bold_name(name: bytes) -> bool:
    return bool(re.search(rb"(?i)bold|black|heavy|semibold|demi", name or b""))


# ------------------------------------------------------------------------------------ OCR


def _read_scanned(data: bytes, pages: list[list[Word]], scanned: list[int], *,
                  deadline: float, engine: str) -> dict:
    """OCR the pages numbered (from 0) in `scanned` that a picture covers; their words join
    the page's. Returns what the document records: the engine, and for each OCR'd page its
    number (from 1), the characters read and their mean confidence (None where none were)."""
    settings = rules.load("ingest")["ocr"]
    done: list[int] = []
    confidence: list[float | None] = []
    characters: list[int] = []
    doc = pypdfium2.PdfDocument(data)
    try:
        for k, n in enumerate(scanned):
            # OCR takes seconds a page, text a few milliseconds: each page has its own time.
            deadline += settings["page_seconds"]
            if time.monotonic() > deadline:
                raise Unreadable(f"time limit exceeded after OCR of {k} of {len(scanned)} "
                                 "pages without text")
            page = doc[n]
            try:
                if _picture_share(page) < settings["min_picture_share"]:
                    continue
                try:
                    ocr.check(engine)
                except ocr.OcrUnavailable as exc:
                    raise Unreadable(f"page {n + 1} has no text layer and needs OCR: {exc}") from None
                image = _page_image(page, settings["dpi"])
                scale = settings["dpi"] / 72
            finally:
                page.close()
            found = ocr.read(image, engine)
            pages[n] = pages[n] + [_ocr_word(w, scale) for w in found
                                   if not _covered(w, pages[n], scale)]
            chars = sum(len(w.text) for w in found)
            done.append(n + 1)
            characters.append(chars)
            confidence.append(round(sum(w.confidence * len(w.text) for w in found) / chars, 3)
                              if chars else None)
    finally:
        doc.close()
    if not done:
        return {}
    return {"engine": engine, "pages": done, "confidence": confidence, "characters": characters}


def _picture_share(page) -> float:
    """How much of the page its pictures cover (0-1; overlapping pictures count once each)."""
    width, height = page.get_size()
    area = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = obj.get_bounds()
        w = max(0.0, min(right, width) - max(left, 0.0))
        h = max(0.0, min(top, height) - max(bottom, 0.0))
        area += w * h
    return min(1.0, area / (width * height)) if width and height else 0.0


def _page_image(page, dpi: int):
    """The page as an image at `dpi`, specks cleared. A specked scan is cleared at its own
    resolution, where a speck of dust is a pixel the median filter removes, and enlarged
    after; rendered larger first, a speck is a blob the filter keeps."""
    own = min(dpi, _picture_dpi(page) or dpi)
    if own < dpi:
        bitmap = page.render(scale=own / 72)
        small = bitmap.to_numpy()
        if ocr.specked(small):
            image = ocr.enlarge(ocr.despeckle(small), dpi / own)
            bitmap.close()
            return image
        bitmap.close()
    bitmap = page.render(scale=dpi / 72)
    image = ocr.despeckle(bitmap.to_numpy().copy())
    bitmap.close()
    return image


def _picture_dpi(page) -> float | None:
    """The resolution of the page's largest picture, in pixels per inch as placed."""
    best, dpi = 0.0, None
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        left, bottom, right, top = obj.get_bounds()
        area = (right - left) * (top - bottom)
        if area > best and right > left:
            width, _ = obj.get_px_size()
            best, dpi = area, width / ((right - left) / 72)
    return dpi if dpi and dpi >= 72 else None


def _covered(w: ocr.OcrWord, words: list[Word], scale: float) -> bool:
    """Whether the OCR word stands where the text layer has a word already."""
    x, y = (w.x0 + w.x1) / 2 / scale, (w.top + w.bottom) / 2 / scale
    return any(t.x0 - 1 <= x <= t.x1 + 1 and t.top - 1 <= y <= t.bottom + 1 for t in words)


def _ocr_word(w: ocr.OcrWord, scale: float) -> Word:
    top, bottom = w.top / scale, w.bottom / scale
    # The box of an OCR'd word spans the line's height, about 1.2 em.
    return Word(w.text, w.x0 / scale, w.x1 / scale, top, bottom, size=(bottom - top) / 1.2)


# ---------------------------------------------------------------------------- pdfplumber


def _plumber_pages(data: bytes, *, max_pages: int, deadline: float) -> tuple[list[list[Word]], dict]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    # pdfminer logs every recovered syntax slip; a broken file is reported once, by us.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    settings = rules.load("ingest")["pdf"]
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of errors on damaged files
        exc = _cause(exc)
        if isinstance(exc, PDFPasswordIncorrect):
            raise Unreadable("encrypted PDF (password required)") from None
        if isinstance(exc, PDFEncryptionError):
            raise Unreadable(f"encrypted PDF ({_short(str(exc))})") from None
        raise Unreadable(f"damaged PDF ({type(exc).__name__}: {_short(str(exc))})") from None
    pages: list[list[Word]] = []
    try:
        metadata = _info(pdf.metadata)
        if len(pdf.pages) > max_pages:
            raise Unreadable(f"too many pages ({len(pdf.pages)} > {max_pages})")
        for page in pdf.pages:
            if time.monotonic() > deadline:
                raise Unreadable(
                    f"time limit exceeded after {len(pages)} of {len(pdf.pages)} pages")
            found = page.extract_words(x_tolerance_ratio=settings["x_tolerance_ratio"],
                                       extra_attrs=["size", "fontname"])
            pages.append([
                Word(w["text"].replace("\u00ad", "-"), w["x0"], w["x1"], w["top"], w["bottom"],
                     size=_em(float(w["size"]), w["bottom"] - w["top"]),
                     bold=_bold_name(str(w["fontname"]).encode()))
                for w in found])
            page.close()  # frees the page's parsed objects; long documents stay small
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged files raise anything
        exc = _cause(exc)
        raise Unreadable(f"damaged PDF ({type(exc).__name__}: {_short(str(exc))})") from None
    finally:
        pdf.close()
    if not pages:
        raise Unreadable("damaged PDF (no pages found)")
    return pages, metadata


def _cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions; find the original."""
    from pdfplumber.utils.exceptions import PdfminerException

    while isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def _short(text: str) -> str:
    return " ".join(text.split())[:120] or "unknown error"


_INFO_KEYS = {"Title": "title", "Author": "author", "Subject": "subject",
              "Creator": "creator", "Producer": "producer", "CreationDate": "created"}


def _info(info: dict) -> dict:
    out = {}
    for key, name in _INFO_KEYS.items():
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", errors="replace")
        if isinstance(value, str) and value.strip():
            out[name] = value.strip()
    return out
