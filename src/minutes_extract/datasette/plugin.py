"""The Datasette plugin of minutes-extract, registered as a `datasette` entry point.

For every database that holds minutes (one with the project's tables), it supplies:
- the metadata of datasette/metadata.toml: descriptions, facets, label columns, search
  settings and canned queries, so that plain `datasette minutes.db` has them;
- SQL functions: `casefold(text)`, which, unlike SQLite's lower() and NOCASE, folds Å, Ä
  and Ö too, and `fts_query(text)` (see search.py), which Datasette's search box uses as
  well: it stands in for Datasette's `escape_fts` on these databases, so `beslut*` and
  short words work in every search box;
- cells: `source` (JSON written by the views) becomes links to the document and the
  passage; page columns of decisions, items, attendees and mentions link to the passage;
  the passage query shows the passage in its context and on the page image; a document's
  full text folds away under its first lines;
- a route that renders a page of the source PDF with the passage marked (page_image.py);
- a stylesheet that puts the text first and wraps it, and lays a row page out as a list;
- CSV export without spreadsheet formulas (csv_cells.py).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from minutes_extract.datasette import csv_cells, page_image
from minutes_extract.search import fts_query

PLUGIN = "minutes-extract"
STYLE = Path(__file__).with_name("style.css")
STYLE_URL = "/-/minutes-extract/style.css"
PAGE_URL = "/-/minutes-extract/page.png"
SOURCE_COLUMN = "source"
# The tables whose rows stand at a place in a document: table -> its page column.
PASSAGE_TABLES = {"decisions": "page_start", "items": "page_start", "attendees": "page",
                  "mentions": "page"}
# Foreign keys of the project's tables: column -> (table, its primary key). Datasette labels
# them on table pages but shows bare ids on row pages; there the plugin labels them.
FOREIGN_KEYS = {"item_id": ("items", "id"), "meeting_id": ("meetings", "id"),
                "document_id": ("documents", "id"), "person_id": ("persons", "id"),
                "municipality_code": ("municipalities", "code"),
                "organisation_id": ("organisations", "id")}
# A database holds minutes when it has these tables.
MINUTES_TABLES = ("documents", "meetings", "decisions")
BASE_TABLES = frozenset({"documents", "meetings", "attendees", "items", "decisions", "mentions",
                         "persons", "organisations", "municipalities"})
RECHECK_SECONDS = 5.0
TEXT_PREVIEW = 600

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
document.querySelectorAll(".facet-results").forEach((facets) => {
  const names = [...facets.querySelectorAll(".facet-info")].map((f) => f.dataset.column);
  if (!names.length) return;
  const details = document.createElement("details");
  details.className = "facets";
  // open where a value is chosen, so the choice shows
  details.open = !!facets.querySelector("li a.cross");
  const summary = document.createElement("summary");
  summary.textContent = "Counts by " + names.join(", ");
  facets.replaceWith(details);
  details.append(summary, facets);
});
"""

# A row page lists its fields one under the other: each cell learns its column's name.
LABEL_ROW_CELLS = """
document.querySelectorAll("table.rows-and-columns").forEach((table) => {
  const names = [...table.querySelectorAll("thead th")].map(
    (th) => th.dataset.column || th.textContent.trim());
  table.querySelectorAll("tbody tr").forEach((tr) => {
    [...tr.children].forEach((td, i) => { td.dataset.column = names[i] || ""; });
  });
});
"""


# ---- which databases hold minutes ---------------------------------------------------------

_checked: dict[str, tuple[bool, float]] = {}


def _has_minutes_tables(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute(
        "select name from sqlite_master where type = 'table' and name in (?, ?, ?)",
        MINUTES_TABLES)}
    return names == set(MINUTES_TABLES)


def holds_minutes(db) -> bool:
    """Whether a Datasette database is a minutes database; a yes is remembered, a no is
    looked at again after a few seconds (an import may be creating it)."""
    path = getattr(db, "path", None)
    if db is None or not path or getattr(db, "is_memory", False):
        return False
    known = _checked.get(path)
    if known and (known[0] or time.monotonic() - known[1] < RECHECK_SECONDS):
        return known[0]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            found = _has_minutes_tables(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        found = False
    _checked[path] = (found, time.monotonic())
    return found


def _minutes_databases(datasette) -> list[str]:
    return [name for name, db in datasette.databases.items() if holds_minutes(db)]


# ---- metadata and SQL functions ------------------------------------------------------------

@hookimpl
def get_metadata(datasette, key, database, table):
    from minutes_extract import serve

    names = _minutes_databases(datasette)
    return serve.metadata(*names) if names else None


def casefold(text: str | None) -> str | None:
    if text is None:
        return None
    return unicodedata.normalize("NFC", str(text)).casefold()


# After Datasette's own functions, so that `escape_fts` is ours on minutes databases.
@hookimpl(trylast=True)
def prepare_connection(conn, database, datasette):
    conn.create_function("casefold", 1, casefold, deterministic=True)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    try:
        minutes = _has_minutes_tables(conn)
    except sqlite3.Error:
        minutes = False
    if minutes:
        conn.create_function("escape_fts", 1, fts_query, deterministic=True)


# ---- pages ---------------------------------------------------------------------------------

@hookimpl
def extra_css_urls(database, datasette):
    if database is None:
        return [STYLE_URL] if _minutes_databases(datasette) else []
    return [STYLE_URL] if holds_minutes(datasette.databases.get(database)) else []


@hookimpl
def extra_body_script(template, database, datasette):
    if database is None or not holds_minutes(datasette.databases.get(database)):
        return None
    if template == "table.html":
        return FOLD_COLUMN_DESCRIPTIONS
    if template in ("row.html", "query.html"):
        return LABEL_ROW_CELLS
    return None


def _get(row, key):
    try:
        return row[key]
    except (IndexError, KeyError, TypeError):
        return None


def _int(value) -> int | None:
    """An integer from a cell, or None: ad-hoc queries can put anything in these columns."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def passage_url(datasette, database: str, document_id, start, end, page=None,
                page_end=None) -> str | None:
    start, end = _int(start), _int(end)
    if not document_id or start is None or end is None:
        return None
    params = {"document_id": document_id, "start": start, "end": end,
              "page": "" if _int(page) is None else _int(page)}
    if _int(page_end) is not None:
        params["page_end"] = _int(page_end)
    return f"{datasette.urls.database(database)}/passage?{urlencode(params)}"


def _source(value) -> dict | None:
    if not isinstance(value, str) or not value.startswith("{"):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("document_id"), str):
        return None
    return data


def _source_cell(value, database, datasette) -> Markup | None:
    src = _source(value)
    if src is None:
        return None
    doc_url = datasette.urls.row(database, "documents", src["document_id"])
    name = src.get("file_name") or src["document_id"]
    html = f'<a href="{escape(doc_url)}">{escape(name)}</a>'
    page = _int(src.get("page"))
    if page is not None:
        html += f", page {page}"
    url = passage_url(datasette, database, src["document_id"], src.get("start"),
                      src.get("end"), page, src.get("page_end"))
    if url:
        html += f' · <a href="{escape(url)}">passage</a>'
    return Markup(html)


def _page_cell(value, row, database, datasette) -> Markup | None:
    """A page number of a decision, item, attendee or mention, with a link to its passage."""
    url = passage_url(datasette, database, _get(row, "document_id"), _get(row, "char_start"),
                      _get(row, "char_end"), value, _get(row, "page_end"))
    if url is None:
        return None
    page = "" if _int(value) is None else f"{_int(value)} · "
    return Markup(f'{page}<a href="{escape(url)}">passage</a>')


def _text_cell(value) -> Markup | None:
    """A document's full text: its first lines, the rest behind a click."""
    if not isinstance(value, str) or len(value) <= TEXT_PREVIEW:
        return None
    cut = value.rfind("\n", 0, TEXT_PREVIEW)
    cut = cut if cut > TEXT_PREVIEW // 2 else TEXT_PREVIEW
    return Markup(f'<div class="document-text">{escape(value[:cut])}<details>'
                  f'<summary>the whole text ({len(value):,} characters)</summary>'
                  f'{escape(value[cut:])}</details></div>')


def _passage_cell(value, row) -> Markup | None:
    """The passage query's text: the passage marked, in its context."""
    if not isinstance(value, str):
        return None
    before, after = _get(row, "before"), _get(row, "after")
    return Markup(f'<div class="passage-text"><span class="context">…{escape(before or "")}'
                  f'</span><mark>{escape(value)}</mark><span class="context">'
                  f'{escape(after or "")}…</span></div>')


def _page_image_cell(value, database, datasette) -> Markup | None:
    """Images of the pages a passage stands on, where the source PDF is at hand."""
    src = _source(value)
    if src is None:
        return None
    if src.get("format") != "pdf":
        return Markup('<p class="no-image">Page images are shown for PDF documents.</p>')
    if page_image.find_source(src.get("path"), src.get("sha256"), source_roots(datasette)) \
            is None:
        return Markup('<p class="no-image">The source PDF is not at hand: it is looked for '
                      f'at {escape(src.get("path") or "?")} under the database\'s folder and '
                      'the folder Datasette was started in.</p>')
    first = _int(src.get("page"))
    if first is None:
        return None
    last = max(first, _int(src.get("page_end")) or first)
    images = []
    for page in range(first, min(last, first + 4) + 1):
        query = urlencode({"database": database, "document_id": src["document_id"],
                           "page": page, "start": _int(src.get("start")) or 0,
                           "end": _int(src.get("end")) or 0})
        url = f"{PAGE_URL}?{query}"
        images.append(f'<figure><a href="{escape(url)}"><img src="{escape(url)}" '
                      f'alt="page {page} with the passage marked" loading="lazy"></a>'
                      f'<figcaption>page {page}</figcaption></figure>')
    return Markup('<div class="page-images">' + "".join(images) + "</div>")


async def _foreign_cell(value, target: str, pk: str, database: str, datasette) -> Markup:
    db = datasette.get_database(database)
    label_column = await db.label_column_for_table(target)
    label = None
    if label_column:
        rows = (await db.execute(f"select [{label_column}] from [{target}] where [{pk}] = ?",
                                 [value])).rows
        label = rows[0][0] if rows else None
    url = datasette.urls.row(database, target, tilde_encode(str(value)))
    text = f"{label} ({value})" if label else str(value)
    return Markup(f'<a href="{escape(url)}">{escape(text)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if not holds_minutes(datasette.databases.get(database)):
        return None
    if column in FOREIGN_KEYS and table in BASE_TABLES and isinstance(value, str | int) \
            and not isinstance(value, bool) and FOREIGN_KEYS[column][0] != table:
        return _foreign_cell(value, *FOREIGN_KEYS[column], database, datasette)
    if column == SOURCE_COLUMN:
        return _source_cell(value, database, datasette)
    if table in PASSAGE_TABLES and column == PASSAGE_TABLES[table]:
        return _page_cell(value, row, database, datasette)
    if table == "documents" and column == "text":
        return _text_cell(value)
    if table is None and column == "passage":
        return _passage_cell(value, row)
    if table is None and column == "page_image":
        return _page_image_cell(value, database, datasette)
    return None


# ---- routes --------------------------------------------------------------------------------

def source_roots(datasette) -> list[Path]:
    """Folders a stored document path is looked up under: those in the plugin's settings
    (`source_dirs`), the folders of the served databases, and the current folder."""
    config = datasette.plugin_config(PLUGIN) or {}
    roots = [Path(p) for p in config.get("source_dirs", [])]
    roots += [Path(db.path).resolve().parent for db in datasette.databases.values()
              if getattr(db, "path", None) and not getattr(db, "is_memory", False)]
    roots.append(Path.cwd())
    return list(dict.fromkeys(roots))


async def _style(request):
    return Response(STYLE.read_text(encoding="utf-8"), content_type="text/css; charset=utf-8",
                    headers={"cache-control": "max-age=300"})


def _page_route(datasette):
    async def page(request):
        args = request.args
        name = args.get("database", "")
        db = datasette.databases.get(name)
        page_number = _int(args.get("page"))
        start, end = _int(args.get("start")) or 0, _int(args.get("end")) or 0
        if not holds_minutes(db) or page_number is None or end < start:
            return Response.text("not found", status=404)
        visible = await datasette.permission_allowed(
            request.actor, "view-table", resource=(name, "documents"), default=True)
        if not visible:
            return Response.text("forbidden", status=403)
        rows = (await db.execute(
            "select path, sha256, format, substr(text, ? + 1, ? - ?) as passage "
            "from documents where id = ?",
            [start, end, start, args.get("document_id", "")])).rows
        if not rows or rows[0]["format"] != "pdf":
            return Response.text("not found", status=404)
        path = page_image.find_source(rows[0]["path"], rows[0]["sha256"],
                                      source_roots(datasette))
        if path is None:
            return Response.text("source file not at hand", status=404)
        try:
            png, _ = await asyncio.to_thread(page_image.render, path, page_number,
                                             rows[0]["passage"] or "")
        except (IndexError, OSError, pypdfium_error()) as exc:
            return Response.text(f"cannot render the page: {exc}", status=404)
        return Response(png, content_type="image/png",
                        headers={"cache-control": "max-age=3600"})

    return page


def pypdfium_error():
    import pypdfium2

    return pypdfium2.PdfiumError


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/minutes-extract/style\.css$", _style),
        (r"^/-/minutes-extract/page\.png$", _page_route(datasette)),
    ]


@hookimpl
def asgi_wrapper(datasette):
    return csv_cells.wrap
