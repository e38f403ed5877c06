"""A one-line progress display for long imports, drawn on standard error.

Drawn only on a terminal: in a pipe or a log file a redrawn line is noise, so there the
display keeps to the lines that matter (errors) and leaves the rest to the summary.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

REDRAW_SECONDS = 0.1


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """Files done of total, pages, errors, pages per second and time left."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.total = 0
        self.total_bytes = 0
        self.done = 0
        self.done_bytes = 0
        self.pages = 0
        self.errors = 0
        self.started = time.perf_counter()
        self._drawn_at = 0.0
        self._width = 0

    def start(self, total: int, total_bytes: int) -> None:
        self.total, self.total_bytes = total, total_bytes
        self.started = time.perf_counter()
        self.draw(force=True)

    def advance(self, *, size: int, pages: int = 0) -> None:
        self.done += 1
        self.done_bytes += size
        self.pages += pages
        # The last step is always drawn, however soon after the one before.
        self.draw(force=self.done >= self.total)

    def error(self, line: str) -> None:
        """Print one line above the bar; errors are shown whether or not the bar is."""
        self.errors += 1
        self._clear()
        print(line, file=self.stream, flush=True)
        self.draw(force=True)

    def close(self) -> None:
        self._clear()

    def line(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = self.pages / elapsed
        parts = [f"{self.done}/{self.total} files", f"{self.pages} pages",
                 f"{self.errors} errors", f"{rate:.1f} pages/s"]
        # Time left follows bytes, not files: a 300-page PDF is not one small text file.
        if 0 < self.done_bytes < self.total_bytes:
            left = elapsed * (self.total_bytes - self.done_bytes) / self.done_bytes
            parts.append(f"ETA {duration(left)}")
        text = "  ".join(parts)
        room = shutil.get_terminal_size((80, 20)).columns - len(text) - 4
        if room >= 10 and self.total:
            filled = room * self.done // self.total
            text = f"[{'#' * filled}{'.' * (room - filled)}] {text}"
        return text

    def draw(self, *, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if not force and now - self._drawn_at < REDRAW_SECONDS:
            return
        self._drawn_at = now
        text = self.line()
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def _clear(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
