"""OCR output against a person's transcript of the page: character error rate.

White space counts as one space wherever it stands, and text is compared in Unicode NFC.
The printed error rate leaves handwriting out: an answer key's `transcript` holds every line a
person reads, its `transcript_printed` only the printed ones, so a line missing there is
handwriting. Errors on handwritten lines, and characters the OCR adds beside them (what it
makes of a signature), are not counted; the rate is over the printed characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class CharacterErrors:
    printed_errors: int = 0
    printed_chars: int = 0
    errors: int = 0
    chars: int = 0

    def __add__(self, other: CharacterErrors) -> CharacterErrors:
        return CharacterErrors(self.printed_errors + other.printed_errors,
                               self.printed_chars + other.printed_chars,
                               self.errors + other.errors, self.chars + other.chars)

    @property
    def printed_rate(self) -> float:
        return self.printed_errors / self.printed_chars if self.printed_chars else 0.0

    @property
    def rate(self) -> float:
        return self.errors / self.chars if self.chars else 0.0


def alignment(ref: str, hyp: str) -> list[tuple[str, int]]:
    """Edit operations turning `ref` into `hyp` at the least cost (Levenshtein): ("=", i),
    ("s", i), ("d", i) on reference character i; ("i", i) inserts before it."""
    n, m = len(ref), len(hyp)
    prev = list(range(m + 1))
    rows = [prev]
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        r = ref[i - 1]
        for j in range(1, m + 1):
            cur[j] = min(prev[j - 1] + (r != hyp[j - 1]), prev[j] + 1, cur[j - 1] + 1)
        rows.append(cur)
        prev = cur
    ops = []
    i, j = n, m
    while i or j:
        if i and j and rows[i][j] == rows[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            ops.append(("=" if ref[i - 1] == hyp[j - 1] else "s", i - 1))
            i, j = i - 1, j - 1
        elif i and rows[i][j] == rows[i - 1][j] + 1:
            ops.append(("d", i - 1))
            i -= 1
        else:
            ops.append(("i", i))
            j -= 1
    return ops[::-1]


def printed_mask(full: str, printed: str) -> list[bool]:
    """For each character of squeeze(full): whether it stands on a line that the printed
    transcript has too."""
    kept = [squeeze(line) for line in printed.splitlines() if squeeze(line)]
    mask: list[bool] = []
    for line in (squeeze(x) for x in full.splitlines()):
        if not line:
            continue
        is_printed = line in kept
        if is_printed:
            kept.remove(line)
        if mask:
            mask.append(is_printed and mask[-1])  # the space between two lines
        mask += [is_printed] * len(line)
    return mask


def page_errors(ocr_text: str, transcript: str, printed: str | None = None) -> CharacterErrors:
    """Character errors of one page's OCR text against its transcript (and, for the printed
    rate, its printed transcript; without one, every line counts as printed)."""
    ref, hyp = squeeze(transcript), squeeze(ocr_text)
    mask = printed_mask(transcript, transcript if printed is None else printed)
    ops = alignment(ref, hyp)
    out = CharacterErrors(errors=sum(1 for op, _ in ops if op != "="), chars=len(ref),
                          printed_chars=sum(mask))
    for op, i in ops:
        if op in "sd" and mask[i]:
            out.printed_errors += 1
        elif op == "i" and (i == 0 or mask[i - 1]) and (i == len(ref) or mask[i]):
            out.printed_errors += 1
    return out
