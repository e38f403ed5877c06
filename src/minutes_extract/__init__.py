"""minutes-extract: Swedish meeting minutes to structured, traceable records in SQLite."""

__version__ = "0.1.0"

from .ingest import IngestError, Source, load  # noqa: E402
from .models import MinutesRecord  # noqa: E402


def extract(path) -> MinutesRecord:
    """The record of one minutes file (PDF, text or Markdown)."""
    from .pipeline import extract as _extract

    return _extract(path)


__all__ = ["IngestError", "MinutesRecord", "Source", "extract", "load", "__version__"]
