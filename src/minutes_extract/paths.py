"""File names as they may be shown and stored.

A file name on Linux is bytes: it need not be UTF-8 (Python then carries the odd bytes as
lone surrogates, which neither a terminal nor SQLite accepts), and it may hold a newline or
an escape sequence that would forge a line of output or recolour the terminal. `shown`
turns any path into one printable line: undecodable bytes as `\\xNN`, control characters
as `\\n`, `\\x1b` and the like. The same text is what the database stores, so the form is
stable from run to run.
"""

from __future__ import annotations

import os
import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(path) -> str:
    """`path` as one printable line (see the module doc)."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    # Cc: C0/C1 controls and DEL; Zl/Zp: the Unicode line and paragraph separators.
    if all(ch.isprintable() for ch in text):
        return text
    return "".join(ch if ch == " " or unicodedata.category(ch) not in ("Cc", "Zl", "Zp", "Cf")
                   else _escape(ch) for ch in text)
