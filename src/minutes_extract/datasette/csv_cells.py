"""CSV export that a spreadsheet cannot run: formula cells are neutralised.

A cell that starts with =, +, -, @, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets; minutes are text written by others, and an ad-hoc query
can return any text (`select '=HYPERLINK("http://…")'`). Such a cell gets a leading
apostrophe, which spreadsheets show as text, as OWASP advises. Plain numbers ("-12", "+3.5")
stay as they are.

Datasette writes CSV itself, so this is an ASGI wrapper over its responses: the CSV is
re-parsed record by record as it streams, so a large export is never held in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from urllib.parse import parse_qs

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_QUOTE_OR_NEWLINE = re.compile(r'["\n]')


def neutralise(cell: str) -> str:
    if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _record(text: str) -> str:
    """One CSV record (with its line end) with every formula cell neutralised."""
    row = next(csv.reader([text.rstrip("\r\n")]), [])
    safe = [neutralise(c) for c in row]
    if safe == row:
        return text
    out = io.StringIO()
    csv.writer(out).writerow(safe)
    return out.getvalue()


class CsvNeutraliser:
    """Feed CSV text in chunks; get back whole records, neutralised, as they complete."""

    def __init__(self) -> None:
        self.pending = ""
        self.scanned = 0  # how far `pending` has been scanned
        self.quoted = False

    def feed(self, text: str) -> str:
        self.pending += text
        out = []
        start = 0
        for m in _QUOTE_OR_NEWLINE.finditer(self.pending, self.scanned):
            if m.group() == '"':
                self.quoted = not self.quoted
            elif not self.quoted:
                out.append(_record(self.pending[start:m.end()]))
                start = m.end()
        self.pending = self.pending[start:]
        self.scanned = len(self.pending)
        return "".join(out)

    def close(self) -> str:
        rest, self.pending = self.pending, ""
        return _record(rest) if rest else ""


def is_csv_request(scope) -> bool:
    if scope.get("type") != "http":
        return False
    path = scope.get("path", "")
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return path.endswith(".csv") or query.get("_format") == ["csv"]


def wrap(app):
    """ASGI middleware: CSV responses pass through a CsvNeutraliser."""

    async def wrapped(scope, receive, send):
        if not is_csv_request(scope):
            await app(scope, receive, send)
            return
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        cells = CsvNeutraliser()
        active = False

        async def guarded_send(message):
            nonlocal active
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers") or []).get(b"content-type", b"")
                active = content_type.startswith((b"text/csv", b"text/plain"))
                if active:
                    # the body changes length
                    message = {**message, "headers": [
                        (k, v) for k, v in message.get("headers") or []
                        if k.lower() != b"content-length"]}
            elif message["type"] == "http.response.body" and active:
                more = message.get("more_body", False)
                text = cells.feed(decoder.decode(message.get("body", b""), final=not more))
                if not more:
                    text += cells.close()
                message = {**message, "body": text.encode("utf-8")}
            await send(message)

        await app(scope, receive, guarded_send)

    return wrapped
