"""Datasette plugin loaded by `minutes-extract serve` (--plugins-dir).

- `source` cells (JSON written by the views: document id, file name, page, character span)
  become a link to the document's row and one to the passage itself;
- the list of column descriptions above a table folds away under one line, and each column
  heading shows its description on hover, so the rows are the first thing a reader sees;
- SQL functions the canned queries use: `casefold(text)`, which, unlike SQLite's lower()
  and NOCASE, folds Å, Ä and Ö too, and `fts_query(text)`, which keeps `word*` prefix
  queries that Datasette's own escaping would turn into exact ones.
"""

from __future__ import annotations

import json
import unicodedata
from urllib.parse import urlencode

from datasette import hookimpl
from markupsafe import Markup, escape

from minutes_extract.search import fts_query

SOURCE_COLUMN = "source"

FOLD_COLUMN_DESCRIPTIONS = """
document.querySelectorAll("dl.column-descriptions").forEach((dl) => {
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "What the columns mean";
  dl.replaceWith(details);
  details.append(summary, dl);
});
document.querySelectorAll("th[data-column-description]").forEach((th) => {
  th.title = th.dataset.columnDescription;
});
"""


def casefold(text: str | None) -> str | None:
    if text is None:
        return None
    return unicodedata.normalize("NFC", str(text)).casefold()


@hookimpl
def prepare_connection(conn):
    conn.create_function("casefold", 1, casefold, deterministic=True)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)


@hookimpl
def extra_body_script(template):
    return FOLD_COLUMN_DESCRIPTIONS if template == "table.html" else None


def _source(value) -> dict | None:
    if not isinstance(value, str) or not value.startswith("{"):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("document_id") else None


@hookimpl
def render_cell(value, column, database, datasette):
    if column != SOURCE_COLUMN:
        return None
    src = _source(value)
    if src is None:
        return None
    doc_url = datasette.urls.row(database, "documents", src["document_id"])
    name = src.get("file_name") or src["document_id"]
    html = f'<a href="{escape(doc_url)}">{escape(name)}</a>'
    if src.get("page") is not None:
        html += f", page {int(src['page'])}"
    if src.get("start") is not None and src.get("end") is not None:
        query = urlencode({k: "" if src.get(k) is None else src[k]
                           for k in ("document_id", "start", "end", "page")})
        passage_url = f"{datasette.urls.database(database)}/passage?{query}"
        html += f' · <a href="{escape(passage_url)}">passage</a>'
    return Markup(html)
