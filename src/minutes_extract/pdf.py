"""Text of a born-digital PDF, page by page, through pdfplumber."""

from __future__ import annotations

import io
import logging
import re
import time

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from . import rules
from .text import Unreadable

# pdfminer logs every recovered syntax slip; a broken file is reported once, by us.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_TAIL = 4096


def check_header(data: bytes) -> None:
    """Refuse bytes that are not a PDF at all, or a PDF cut short."""
    if b"%PDF-" not in data[:1024]:
        raise Unreadable("not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-_TAIL:]:
        raise Unreadable("truncated PDF (no end-of-file marker)")


def _cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions; find the original."""
    while isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


def extract(data: bytes, *, max_pages: int, deadline: float) -> tuple[list[str], dict]:
    """Return the text of each page (pdfplumber's own line order) and the document info.

    A file whose cross-reference table pdfminer cannot follow is rebuilt once by PDFium
    (which pdfplumber ships with) and read again.
    """
    try:
        return _extract(data, max_pages=max_pages, deadline=deadline)
    except _Damaged as first:
        rebuilt = _rebuilt(data)
        if rebuilt is None:
            raise Unreadable(str(first)) from None
        try:
            return _extract(rebuilt, max_pages=max_pages, deadline=deadline)
        except _Damaged:
            raise Unreadable(str(first)) from None


class _Damaged(Unreadable):
    """Structure pdfminer could not read; a rebuilt copy may still be readable."""


def _rebuilt(data: bytes) -> bytes | None:
    try:
        doc = pypdfium2.PdfDocument(data)
        try:
            out = io.BytesIO()
            doc.save(out)
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - PDFium refuses what it cannot repair either
        return None
    return out.getvalue()


def _extract(data: bytes, *, max_pages: int, deadline: float) -> tuple[list[str], dict]:
    settings = rules.load("ingest")["pdf"]
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds of errors on damaged files
        raise _reason(exc) from None
    with pdf:
        try:
            declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
        except Exception:  # noqa: BLE001 - damaged files raise anything
            declared = None
        if isinstance(declared, int) and declared > max_pages:
            raise Unreadable(f"too many pages ({declared} > {max_pages})")
        metadata = _info(pdf.metadata)
        texts: list[str] = []
        try:
            pages = pdf.pages
            if len(pages) > max_pages:
                raise Unreadable(f"too many pages ({len(pages)} > {max_pages})")
            for page in pages:
                if time.monotonic() > deadline:
                    raise Unreadable(f"time limit exceeded after {len(texts)} of {len(pages)} pages")
                texts.append(
                    page.extract_text(x_tolerance_ratio=settings["x_tolerance_ratio"]) or ""
                )
                page.close()  # frees the page's parsed objects; long documents stay small
        except Unreadable:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged files raise anything
            raise _reason(exc) from None
    if not texts:
        raise _Damaged("damaged PDF (no pages found; broken cross-reference table?)")
    visible = sum(len(re.sub(r"\s+", "", t)) for t in texts)
    if visible < settings["min_chars_per_page"] * len(texts):
        raise Unreadable("no text layer (scanned PDF?)")
    return [visible_hyphens(t) for t in texts], metadata


def _reason(exc: BaseException) -> Unreadable:
    """The short reason for a pdfminer failure."""
    exc = _cause(exc)
    if isinstance(exc, PDFPasswordIncorrect):
        return Unreadable("encrypted PDF (password required)")
    if isinstance(exc, PDFEncryptionError):
        return Unreadable(f"encrypted PDF ({_short(exc)})")
    if isinstance(exc, PSException):
        return _Damaged(f"damaged PDF ({_short(exc)})")
    return _Damaged(f"unreadable PDF ({type(exc).__name__}: {_short(exc)})")


def visible_hyphens(text: str) -> str:
    """A soft hyphen extracted from a PDF was printed, so it is a hyphen: word processors
    print dashes with it, and at a line end it marks a split word like any other hyphen."""
    return text.replace("\u00ad", "-")


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
