"""Words of a page picture, read offline by OCR.

Two engines, both without any download at run time:
- RapidOCR (PyPI `rapidocr`, run with onnxruntime) with the PP-OCR detection and recognition
  models its wheel ships; they read Latin script with å, ä and ö. Its orientation classifier
  is off: pages come upright from the PDF renderer, so it would only cost time.
- Tesseract (Debian `tesseract-ocr` with `tesseract-ocr-swe`), called as a program.

Each runs on one thread: on a machine whose cores already run one import worker each, an
engine's own threads made it several times slower.

`read` gives the words of an image with their boxes in the image's pixels, straightened
when the scan is slightly skewed, and their confidence (0-1).
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import rules
from .text import Unreadable

ENGINES = ("rapidocr", "tesseract")
# Set before onnxruntime, OpenMP or Tesseract start their thread pools.
_ONE_THREAD = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"}


class OcrUnavailable(Unreadable):
    """The engine asked for is not installed; str() says what to install."""


@dataclass(slots=True)
class OcrWord:
    """A word read off an image: its text, box in pixels, confidence 0-1, and the line the
    engine put it on (words of one line share `line`)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float
    line: int


@functools.cache
def _settings() -> dict:
    return rules.load("ingest")["ocr"]


def read(image, engine: str) -> list[OcrWord]:
    """The words in `image` (a numpy array, height x width x 3, as the PDF renderer gives
    it, cleared by `despeckle`), top to bottom, each line left to right, in an upright
    frame."""
    if engine not in ENGINES:
        raise ValueError(f"unknown OCR engine {engine!r}; choose one of {ENGINES}")
    words = _rapidocr(image) if engine == "rapidocr" else _tesseract(image)
    floor = _settings()["min_word_confidence"]
    words = [w for w in words if w.confidence >= floor and w.text.strip()]
    words = [part for w in words for part in separate(w, _settings()["stand_alone"])]
    return straighten(words, image.shape[1] / 2, image.shape[0] / 2)


def despeckle(image):
    """The image with specks of dust and grain removed by a median filter, if it has them:
    OCR reads specks as dots and bullets ("KF § ·41") or, in Tesseract's case, loses whole
    lines to them. A clean scan is left as it is, since the filter also wears down the
    small rings and dots of å, ä and ö. A scan is specked when enough of its dark pixels
    stand alone (at most one dark neighbour): on the corpus scans and clean renders under
    1 %, on noisy ones 4 % and more."""
    if not specked(image):
        return image
    import cv2

    return cv2.medianBlur(image, _settings()["despeckle"])


def specked(image) -> bool:
    """Whether enough of the image's dark pixels stand alone to call it specked."""
    settings = _settings()
    if not settings["despeckle"]:
        return False
    import cv2
    import numpy as np

    gray = image.mean(axis=2) if image.ndim == 3 else image
    dark = (gray < 128).astype(np.float32)
    neighbours = cv2.boxFilter(dark, -1, (3, 3), normalize=False) - dark
    alone = float(((dark > 0) & (neighbours <= 1)).sum())
    return alone >= settings["despeckle_above"] * max(1.0, float(dark.sum()))


def enlarge(image, factor: float):
    """The image scaled up by `factor` (bicubic): a low-resolution scan read at the
    resolution OCR expects."""
    import cv2

    height, width = image.shape[:2]
    return cv2.resize(image, (round(width * factor), round(height * factor)),
                      interpolation=cv2.INTER_CUBIC)


def check(engine: str) -> None:
    """Raise OcrUnavailable, naming what is missing, unless `engine` can run here."""
    if engine == "rapidocr":
        _rapid_engine()
    else:
        _tesseract_program()


# ------------------------------------------------------------------------------- RapidOCR


@functools.cache
def _rapid_engine():
    for name, value in _ONE_THREAD.items():
        os.environ.setdefault(name, value)
    try:
        import cv2
        import onnxruntime  # noqa: F401 - RapidOCR imports it lazily; fail here, clearly
        import rapidocr
    except ImportError as exc:
        raise OcrUnavailable(
            f"OCR engine rapidocr is not installed ({exc.name} missing: "
            "pip install rapidocr onnxruntime)") from None
    cv2.setNumThreads(1)
    models = Path(rapidocr.__file__).resolve().parent / "models"
    paths = {}
    for task in ("det", "rec"):
        found = sorted(models.glob(f"*_{task}_*.onnx"))
        if not found:
            raise OcrUnavailable(f"OCR engine rapidocr has no {task} model in {models} "
                                 "(reinstall: pip install --force-reinstall rapidocr)")
        paths[task] = str(found[-1])
    # Model paths given outright: RapidOCR would otherwise look its defaults up in a table
    # and fetch any it does not find.
    return rapidocr.RapidOCR(params={
        "Global.use_cls": False,
        "Global.return_word_box": True,
        "Global.log_level": "error",
        "Det.model_path": paths["det"],
        "Rec.model_path": paths["rec"],
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def _rapidocr(image) -> list[OcrWord]:
    result = _rapid_engine()(image)
    if not result.txts:
        return []  # its word results are then one empty placeholder, not lines
    words = []
    for line, found in enumerate(result.word_results):
        for text, score, box in found:
            xs = [p[0] for p in box]
            ys = [p[1] for p in box]
            words.append(OcrWord(text, min(xs), max(xs), min(ys), max(ys), float(score), line))
    return words


# ------------------------------------------------------------------------------ Tesseract


@functools.cache
def _tesseract_program() -> str:
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable("OCR engine tesseract is not installed "
                             "(apt-get install tesseract-ocr tesseract-ocr-swe)")
    found = subprocess.run([program, "--list-langs"], capture_output=True, text=True,
                           check=False)
    if "swe" not in found.stdout.split():
        raise OcrUnavailable("OCR engine tesseract has no Swedish data "
                             "(apt-get install tesseract-ocr-swe)")
    return program


def _tesseract(image) -> list[OcrWord]:
    gray = image.mean(axis=2).astype("uint8") if image.ndim == 3 else image
    height, width = gray.shape
    # A PGM needs no image library, and Tesseract reads it from standard input.
    pgm = f"P5 {width} {height} 255\n".encode() + gray.tobytes()
    done = subprocess.run(
        [_tesseract_program(), "stdin", "stdout", "-l", "swe", "--psm", "3", "tsv"],
        input=pgm, capture_output=True, check=False, env={**os.environ, **_ONE_THREAD})
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise Unreadable(f"OCR failed (tesseract: {message[-1] if message else done.returncode})")
    words, lines = [], {}
    for row in done.stdout.decode("utf-8", errors="replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        left, top, w, h = (int(c) for c in cols[6:10])
        key = lines.setdefault((cols[1], cols[2], cols[3], cols[4]), len(lines))
        words.append(OcrWord(cols[11], left, left + w, top, top + h,
                             max(0.0, float(cols[10])) / 100, key))
    return words


# --------------------------------------------------------------------------------- shared


def separate(word: OcrWord, marks: list[str]) -> list[OcrWord]:
    """The word cut before and after each of `marks`: OCR misses the narrow spaces around a
    paragraph sign ("KS§2" for "KS § 2"); each part gets its share of the box by length."""
    parts = [word.text]
    for mark in marks:
        parts = [piece for part in parts for piece in _split_keep(part, mark)]
    if len(parts) == 1:
        return [word]
    width = (word.x1 - word.x0) / len(word.text)
    out, x = [], word.x0
    for part in parts:
        out.append(OcrWord(part, x, x + width * len(part), word.top, word.bottom,
                           word.confidence, word.line))
        x += width * len(part)
    return out


def _split_keep(text: str, mark: str) -> list[str]:
    pieces = text.split(mark)
    out = []
    for k, piece in enumerate(pieces):
        if k:
            out.append(mark)
        if piece:
            out.append(piece)
    return out



def straighten(words: list[OcrWord], cx: float, cy: float) -> list[OcrWord]:
    """Words of a slightly skewed scan turned about (cx, cy) so that each line is level.

    The skew is the median slope of the engine's lines of several words; a skew left in
    place would let the end of one line reach down into the next when lines are formed by
    height, as they are for every page."""
    by_line: dict[int, list[OcrWord]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    slopes = []
    for line in by_line.values():
        if len(line) < 3:
            continue
        xs = [(w.x0 + w.x1) / 2 for w in line]
        ys = [(w.top + w.bottom) / 2 for w in line]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx > 0:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx)
    if not slopes:
        return words
    angle = math.atan(statistics.median(slopes))
    if abs(angle) < math.radians(0.1):
        return words
    cos, sin = math.cos(-angle), math.sin(-angle)
    out = []
    for w in words:
        x, y = (w.x0 + w.x1) / 2 - cx, (w.top + w.bottom) / 2 - cy
        nx, ny = cx + x * cos - y * sin, cy + x * sin + y * cos
        half_w, half_h = (w.x1 - w.x0) / 2, (w.bottom - w.top) / 2
        out.append(OcrWord(w.text, nx - half_w, nx + half_w, ny - half_h, ny + half_h,
                           w.confidence, w.line))
    return out
