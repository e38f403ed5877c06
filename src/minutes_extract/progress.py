"""The import's progress bar (tqdm), drawn on standard error.

The bar counts pages, not files or bytes: the work of a document follows its pages. Pages
are estimated from the bytes before extraction (see `batch.hash_and_pages`; a page of text
is about 3,000 characters), and a file moves the bar by its estimate when it is done,
whether it imported or failed, so a large scanned file that fails at once is not taken for
a third of the work. Drawn only when asked (by default on a terminal): in a pipe or a log
file a redrawn line is noise, so there only the lines that matter (errors) are written.
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm


class Progress:
    def __init__(self, *, enabled: bool, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.bar: tqdm | None = None
        self.files = 0
        self.done = 0
        self.errors = 0
        self.pages = 0

    def _new(self, **kwargs) -> tqdm | None:
        if self.bar is not None:
            self.bar.close()
        if not self.enabled:
            return None
        return tqdm(file=self.stream, dynamic_ncols=True, mininterval=0.2, **kwargs)

    def start_hashing(self, files: int) -> None:
        """Reading every file once to learn its sha256 and size in pages."""
        self.bar = self._new(total=files, unit="file", desc="checking", leave=False)

    def hashed(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def start(self, files: int, pages: int) -> None:
        """Extraction of `files` files of about `pages` pages in all."""
        self.files = files
        self.bar = self._new(total=pages, unit="page", desc="importing",
                             # tqdm puts ", " before the postfix: it goes last.
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| "
                                        "[{elapsed}<{remaining}]{postfix}")
        self._postfix()

    def advance(self, estimate: int, pages: int = 0, *, failed: bool = False) -> None:
        """One file done: the bar moves by its estimated pages; `pages` were imported."""
        self.done += 1
        self.pages += pages
        self.errors += failed
        if self.bar is not None:
            self.bar.update(estimate)
            self._postfix()

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(self.line(), refresh=False)

    def line(self) -> str:
        return f"{self.done}/{self.files} files, {self.pages} pages, {self.errors} errors"

    def write(self, line: str) -> None:
        """One line above the bar; shown whether or not the bar is."""
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def draw(self) -> None:
        if self.bar is not None:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
