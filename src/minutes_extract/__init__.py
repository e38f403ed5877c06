"""minutes-extract: Swedish meeting minutes to structured, traceable records in SQLite."""

__version__ = "0.1.0"

# The public names load their modules on first use, so that a command which needs neither
# pdfplumber nor spaCy (an unchanged re-import, --help) does not pay for them.
_LAZY = {"IngestError": "errors", "NotMinutes": "errors", "ExtractionError": "errors",
         "Source": "ingest", "load": "ingest", "MinutesRecord": "models"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract(path):
    """The record of one minutes file (PDF, text or Markdown)."""
    from .pipeline import extract as _extract

    return _extract(path)


__all__ = ["ExtractionError", "IngestError", "MinutesRecord", "NotMinutes", "Source",
           "__version__", "extract", "load"]
