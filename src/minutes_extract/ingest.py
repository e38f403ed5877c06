"""Read a minutes file into a `Source`: text with page boundaries.

PDF (scanned pages included), plain text, Markdown, Word (.docx) and saved web pages (.html).
"""

from __future__ import annotations

import bisect
import errno
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import config, layout, pdf, rules, text, webpage, wordfile
from .errors import IngestError
from .layout import Line
from .text import Unreadable

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
OTHER_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Page:
    number: int
    start: int
    end: int


@dataclass
class Source:
    path: Path
    format: str
    text: str
    pages: list[Page]
    sha256: str
    metadata: dict = field(default_factory=dict)
    # The text as laid out: lines of cells of words with positions (measured on PDF pages,
    # by character column in plain text), each word placed in `text`.
    lines: list[Line] = field(default_factory=list)

    def __post_init__(self):
        if not self.lines and self.text:
            self.lines = layout.lines_from_text(
                self.text, [(p.number, p.start, p.end) for p in self.pages]
                or [(1, 0, len(self.text))])

    def page_at(self, offset: int) -> int | None:
        """The number of the page holding character `offset` (clamped to the first/last page)."""
        if not self.pages:
            return None
        # The pages' starts, listed once per list of pages: every span asks twice.
        if getattr(self, "_starts_of", None) is not self.pages:
            self._starts_of, self._starts = self.pages, [p.start for p in self.pages]
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.pages[max(i, 0)].number


def load(path, *, max_pages: int = 2000, timeout: float = 120.0,
         pdf_engine: str | None = None, ocr_engine: str | None = None) -> Source:
    """Read a PDF, plain-text, Markdown, Word or HTML file. Raises `IngestError` with a
    one-line reason.

    `max_pages` and `timeout` (seconds, checked between pages) bound the work one PDF may cost;
    `pdf_engine` is "pdfium" (default, or $MINUTES_EXTRACT_PDF_ENGINE) or "pdfplumber";
    `ocr_engine`, for pages without text, "rapidocr" (default, or $MINUTES_EXTRACT_OCR) or
    "tesseract".
    """
    path = Path(path)
    deadline = time.monotonic() + timeout
    fmt = _format(path)
    data = _read(path, fmt)
    sha = hashlib.sha256(data).hexdigest()
    page_lines: list[list[Line]] | None = None
    try:
        if fmt == "pdf" or (fmt is None and data.lstrip()[:5] == b"%PDF-"):
            fmt = "pdf"
            page_lines, metadata = _pdf_lines(data, max_pages=max_pages, deadline=deadline,
                                              engine=pdf_engine or config.pdf_engine(),
                                              ocr_engine=ocr_engine or config.ocr_engine())
            pages = _pdf_pages(page_lines)
        elif fmt == "docx":
            pages, metadata = wordfile.read(data)
            pages = [text.normalise(p) for p in pages]
        elif fmt == "html":
            body, metadata = webpage.read(data)
            pages = _plain_pages(text.normalise(body), metadata, markdown=False)
        else:
            fmt = fmt or "txt"
            pages, metadata = _text_pages(data, markdown=fmt == "md")
    except Unreadable as exc:
        raise IngestError(path, str(exc)) from None
    if not any(p.strip() for p in pages):
        raise IngestError(path, "empty document")
    body, spans = _assemble(pages)
    lines: list[Line] = []
    if page_lines is not None:
        for span, own in zip(spans, page_lines):
            layout.place(own, body, span.start, span.end)
            lines += [ln for ln in own if ln.start >= 0]
    return Source(path, fmt, body, spans, sha, metadata, lines)


def _format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in OTHER_SUFFIXES:
        return OTHER_SUFFIXES[suffix]
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    if suffix:
        raise IngestError(path, f"unsupported file type ({suffix})")
    return None  # no extension: decided by content


def _read(path: Path, fmt: str | None) -> bytes:
    if path.is_symlink() and not path.exists():
        raise IngestError(path, "broken symbolic link")
    if path.is_dir():
        raise IngestError(path, "is a directory, not a file")
    limit = rules.load("ingest")["limits"]["text_max_megabytes"] * 1024 * 1024
    try:
        size = path.stat().st_size
        # PDF and Word files hold pictures; their own readers bound what they unpack.
        if fmt not in ("pdf", "docx") and size > limit:
            raise IngestError(
                path, f"text file too large ({size / 1048576:.0f} MB, limit {limit // 1048576} MB)"
            )
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise IngestError(path, "file not found") from None
    except PermissionError:
        raise IngestError(path, "permission denied") from None
    except IsADirectoryError:
        raise IngestError(path, "is a directory, not a file") from None
    except OSError as exc:
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "") or type(exc).__name__
        raise IngestError(path, f"cannot read file ({reason.lower()})") from None
    if not data:
        raise IngestError(path, "empty file (0 bytes)")
    return data


def _pdf_lines(data: bytes, *, max_pages: int, deadline: float, engine: str,
               ocr_engine: str) -> tuple[list[list[Line]], dict]:
    """Each page's words as lines of cells, their characters normalised as the text's are."""
    pdf.check_header(data)
    word_pages, metadata = pdf.extract(data, max_pages=max_pages, deadline=deadline,
                                       engine=engine, ocr_engine=ocr_engine)
    page_lines = []
    for number, words in enumerate(word_pages, 1):
        for w in words:
            w.text = text.normalise_chars(w.text).replace("\u00ad", "-")
        page_lines.append(layout.lines_from_words([w for w in words if w.text.strip()], number))
    return page_lines, metadata


def _pdf_pages(page_lines: list[list[Line]]) -> list[str]:
    """The text of each page with running heads, page numbers and line-end hyphens dealt
    with; a soft hyphen printed in a PDF is a hyphen."""
    pages = text.strip_furniture([text.normalise(layout.render(lines)) for lines in page_lines])
    return [text.join_hyphenated(p) for p in pages]


def _text_pages(data: bytes, *, markdown: bool) -> tuple[list[str], dict]:
    decoded, encoding = text.decode(data)
    body = text.normalise(text.drop_soft_hyphens(decoded))
    metadata: dict = {"encoding": encoding}
    if not markdown and text.looks_like_markdown(body):
        markdown = True
        metadata["markup"] = "markdown"
    if markdown:
        body, front = text.front_matter(body)
        metadata.update(front)
    return _plain_pages(body, metadata, markdown=markdown), metadata


def _plain_pages(body: str, metadata: dict, *, markdown: bool) -> list[str]:
    """Pages of text: split at page marks, or unflattened from a web transcript of a PDF;
    running heads, page numbers and line-end hyphens dealt with. Adds what it finds to
    `metadata`."""
    pages = text.split_pages(body)
    flattened = False
    if pages is None:
        found = text.transcript_pages(body)
        if found:
            pages, extra = found
            pages = text.unflatten(pages)
            metadata.update(extra)
            metadata["layout"] = "transcript"
            flattened = True
        else:
            pages = [body]
    if markdown:
        pages = [text.markdown_to_text(text.strip_comments(p, metadata)) for p in pages]
    if len(pages) > 1 and not flattened:
        pages = text.strip_furniture(pages)
    pages = [text.join_hyphenated(text.normalise(p)) for p in pages]
    if markdown:
        pages = [re.sub(r"\n{3,}", "\n\n", p).strip("\n") for p in pages]
    return pages


def _assemble(pages: list[str]) -> tuple[str, list[Page]]:
    """Concatenate pages, each ending in one newline; empty pages take no characters."""
    parts: list[str] = []
    spans: list[Page] = []
    pos = 0
    for number, page in enumerate(pages, 1):
        page = page.rstrip("\n")
        chunk = page + "\n" if page else ""
        spans.append(Page(number, pos, pos + len(chunk)))
        parts.append(chunk)
        pos += len(chunk)
    return "".join(parts), spans
