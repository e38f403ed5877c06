"""Read a minutes file into a `Source`: text with page boundaries."""

from __future__ import annotations

import bisect
import errno
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import pdf, rules, text
from .text import Unreadable

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}


class IngestError(Exception):
    """A file that cannot be read; str() is one line naming the file and the reason."""

    def __init__(self, path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


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

    def page_at(self, offset: int) -> int | None:
        """The number of the page holding character `offset` (clamped to the first/last page)."""
        if not self.pages:
            return None
        i = bisect.bisect_right([p.start for p in self.pages], offset) - 1
        return self.pages[max(i, 0)].number


def load(path, *, max_pages: int = 2000, timeout: float = 120.0) -> Source:
    """Read a PDF, plain-text or Markdown file. Raises `IngestError` with a one-line reason.

    `max_pages` and `timeout` (seconds, checked between pages) bound the work one PDF may cost.
    """
    path = Path(path)
    deadline = time.monotonic() + timeout
    fmt = _format(path)
    data = _read(path, fmt)
    sha = hashlib.sha256(data).hexdigest()
    try:
        if fmt == "pdf" or (fmt is None and data.lstrip()[:5] == b"%PDF-"):
            fmt = "pdf"
            pages, metadata = _pdf_pages(data, max_pages=max_pages, deadline=deadline)
        else:
            fmt = fmt or "txt"
            pages, metadata = _text_pages(data, markdown=fmt == "md")
    except Unreadable as exc:
        raise IngestError(path, str(exc)) from None
    if not any(p.strip() for p in pages):
        raise IngestError(path, "empty document")
    body, spans = _assemble(pages)
    return Source(path, fmt, body, spans, sha, metadata)


def _format(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
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
        if fmt != "pdf" and size > limit:
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


def _pdf_pages(data: bytes, *, max_pages: int, deadline: float) -> tuple[list[str], dict]:
    pdf.check_header(data)
    raw, metadata = pdf.extract(data, max_pages=max_pages, deadline=deadline)
    pages = text.strip_furniture([text.normalise(p) for p in raw])
    return [text.join_hyphenated(p) for p in pages], metadata


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
    return pages, metadata


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
