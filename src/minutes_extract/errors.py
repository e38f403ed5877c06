"""Errors a document can end in: each names the file and the reason in one line."""

from __future__ import annotations

from pathlib import Path


class ExtractionError(Exception):
    """A file that gives no record; str() is one line naming the file and the reason."""

    def __init__(self, path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class IngestError(ExtractionError):
    """A file that cannot be read: missing, damaged, of an unsupported type, without text."""


class NotMinutes(ExtractionError):
    """A readable text in which no minutes structure was found (no meeting date, attendee
    list or numbered agenda)."""
