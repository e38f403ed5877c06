"""What decides the records an extraction produces, kept free of heavy imports.

The entity mode and the pipeline version are read on every import run, also by a run that
finds nothing changed; loading spaCy or pdfplumber for that would cost most of its time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from pathlib import Path

from . import __version__, rules

MODES = ("rules", "model", "both")
PDF_ENGINES = ("pdfium", "pdfplumber")
OCR_ENGINES = ("rapidocr", "tesseract")
MODEL_DIR = Path(__file__).resolve().parent / "model" / "ner"


def model_available() -> bool:
    return MODEL_DIR.is_dir() and importlib.util.find_spec("minutes_extract.ner") is not None


def default_mode() -> str:
    """$MINUTES_EXTRACT_ENTITIES, else "rules".

    The shipped model is not run by default: on the answer keys the rules alone score the
    same as rules and model together (persons, municipalities, dates, attendees), while the
    model costs about six times the CPU of the entity step; on the corpus it added 4
    organisations to 614 (figures in the README). "both" turns it on."""
    mode = os.environ.get("MINUTES_EXTRACT_ENTITIES")
    if mode:
        if mode not in MODES:
            raise ValueError(f"MINUTES_EXTRACT_ENTITIES must be one of {MODES}, not {mode!r}")
        return mode
    return "rules"


def pdf_engine() -> str:
    """$MINUTES_EXTRACT_PDF_ENGINE, else "pdfium"."""
    engine = os.environ.get("MINUTES_EXTRACT_PDF_ENGINE") or "pdfium"
    if engine not in PDF_ENGINES:
        raise ValueError(f"MINUTES_EXTRACT_PDF_ENGINE must be one of {PDF_ENGINES}, not {engine!r}")
    return engine


def ocr_engine() -> str:
    """$MINUTES_EXTRACT_OCR, else "rapidocr"."""
    engine = os.environ.get("MINUTES_EXTRACT_OCR") or "rapidocr"
    if engine not in OCR_ENGINES:
        raise ValueError(f"MINUTES_EXTRACT_OCR must be one of {OCR_ENGINES}, not {engine!r}")
    return engine


@functools.cache
def pipeline_version() -> str:
    """Package version plus a digest of the rules, the model (when the entity mode uses it),
    the entity mode and the PDF and OCR engines: when any changes, documents imported with
    the old ones are extracted again."""
    mode = default_mode()
    digest = hashlib.sha256(f"{mode} {pdf_engine()} {ocr_engine()}".encode())
    roots = [rules.rules_dir()]
    if mode != "rules" and MODEL_DIR.parent.is_dir():
        roots.append(MODEL_DIR.parent)
    for root in roots:
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f.relative_to(root).as_posix().encode())
            digest.update(f.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
