"""Datasette metadata, canned queries, the source-link plugin and `minutes-extract serve`."""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from minutes_extract import ingest, serve, store, views
from minutes_extract.cli import cli
from minutes_extract.pipeline import build_record

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MLR = ("mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md")
KUNGSBACKA = "kungsbacka-ksau-2025-01-14.md"


def _plugin():
    path = serve.PLUGINS_DIR / "minutes_links.py"
    spec = importlib.util.spec_from_file_location("minutes_links", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "minutes.db"
    db = store.open_db(path)
    for name in (*MLR, KUNGSBACKA):
        src = ingest.load(CORPUS / name)
        store.save(db, build_record(src), path=str(CORPUS / name), text=src.text,
                   metadata=src.metadata)
    db.close()
    return path


@pytest.fixture(scope="module")
def meta() -> dict:
    return serve.metadata("minutes")


def test_metadata_is_json_with_title_licence_and_sources(meta):
    assert json.loads(json.dumps(meta)) == meta
    for key in ("title", "description", "license", "license_url", "source", "source_url"):
        assert meta[key].strip(), key
    assert "CC0" in meta["license"] and "SCB" in meta["source"]
    assert "Svensk text" in meta["source"]
    assert list(meta["databases"]) == ["minutes"]


def test_every_table_view_and_column_is_described(meta):
    tables = meta["databases"]["minutes"]["tables"]
    expected = {name: list(spec["columns"]) for name, spec in store.SCHEMA.items()}
    expected.update(serve.schema_columns())
    assert set(views.definitions()) <= set(expected)
    for table, columns in expected.items():
        assert tables[table]["description"].strip(), table
        described = tables[table]["columns"]
        missing = [c for c in columns if not (described.get(c) or "").strip()]
        assert not missing, f"{table}: describe {missing} in datasette/metadata.toml"


def test_labels_sorts_and_facets_name_real_columns(meta):
    columns = serve.schema_columns()
    tables = meta["databases"]["minutes"]["tables"]
    assert set(tables) == set(columns), "metadata.toml describes a table that does not exist"
    for table, spec in tables.items():
        named = [spec.get("label_column"), spec.get("sort"), spec.get("sort_desc")]
        named += [f if isinstance(f, str) else next(iter(f.values()))
                  for f in spec.get("facets", [])]
        for column in filter(None, named):
            assert column in columns[table], (table, column)
    assert tables["meetings"]["sort_desc"] == "date"
    labels = {t: tables[t].get("label_column") for t in
              ("persons", "municipalities", "items", "documents")}
    assert labels == {"persons": "name", "municipalities": "name", "items": "title",
                      "documents": "file_name"}


def _run(db, sql: str, params: dict) -> list[dict]:
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _params(sql: str, given: dict) -> dict:
    """Like Datasette: every named parameter, empty unless given."""
    return {name: given.get(name, "") for name in re.findall(r":(\w+)", sql)}


@pytest.fixture(scope="module")
def db(db_path):
    db = store.open_db(db_path)
    plugin = _plugin()
    db.conn.create_function("casefold", 1, plugin.casefold)
    db.conn.create_function("fts_query", 1, plugin.fts_query)
    return db


def _query(meta, db, query: str, **given) -> list[dict]:
    sql = meta["databases"]["minutes"]["queries"][query]["sql"]
    return _run(db, sql, _params(sql, given))


def _files(rows) -> set[str]:
    return {json.loads(r["source"])["file_name"] for r in rows}


def test_decisions_by_municipality(meta, db):
    lund = _query(meta, db, "decisions_by_municipality", municipality="Lund")
    assert _files(lund) == set(MLR)
    assert len(lund) == db.execute("select count(*) from decisions d join documents doc on "
                                   "doc.id = d.document_id where doc.file_name like 'mlr-%'"
                                   ).fetchone()[0]
    assert _query(meta, db, "decisions_by_municipality", municipality=" lund ") == lund
    assert _query(meta, db, "decisions_by_municipality", municipality="1281") == lund
    assert _files(_query(meta, db, "decisions_by_municipality",
                         municipality="KUNGSBACKA")) == {KUNGSBACKA}
    year = int(lund[0]["date"][:4])
    assert _query(meta, db, "decisions_by_municipality", municipality="Lund",
                  from_year=str(year + 1)) == []
    assert _query(meta, db, "decisions_by_municipality", municipality="Lund",
                  from_year=str(year), to_year=str(year)) == lund


def test_person_lists_meetings_attended_and_mentions(meta, db):
    name = db.execute("select a.name from attendees a join documents d on d.id = a.document_id "
                      "where d.file_name = ? and a.municipality = 'Lund' order by a.ordinal",
                      [MLR[0]]).fetchone()[0]
    rows = _query(meta, db, "person", name=name.upper())
    assert {"attended"} <= {r["how"] for r in rows}
    assert all(name.casefold() in r["name"].casefold() for r in rows)
    assert _query(meta, db, "person", name="") == []


def test_meetings_of_an_organisation(meta, db):
    # MalmöLundregionen's meetings are named in their organisation or title
    name, = db.execute("select coalesce(m.organization, m.title) from meetings m "
                       "join documents d on d.id = m.document_id where d.file_name = ?",
                       [MLR[0]]).fetchone()
    rows = _query(meta, db, "meetings_of_organisation", organisation=name.upper())
    assert MLR[0] in _files(rows)
    assert all(name.casefold() in f"{r['organization']} {r['title']}".casefold() for r in rows)
    dates = [r["date"] or "" for r in rows]
    assert dates == sorted(dates, reverse=True)


def test_search_decisions_finds_words_and_prefixes(meta, db):
    text = db.execute("select text from decisions order by length(text) desc").fetchone()[0]
    word = max(text.split(), key=len).strip(".,:;()\"'")
    hits = _query(meta, db, "search_decisions", q=word)
    assert any(r["decision"] == text for r in hits)
    assert len(_query(meta, db, "search_decisions", q=word[:5] + "*")) >= len(hits)
    assert _query(meta, db, "search_decisions", q="") == []


def test_passage_shows_the_span(meta, db):
    d = db.execute("select document_id, char_start, char_end, text from decisions "
                   "where char_start is not null limit 1").fetchone()
    rows = _query(meta, db, "passage", document_id=d[0], start=str(d[1]), end=str(d[2]),
                  page="1")
    assert " ".join(d[3].split())[:40] in " ".join(rows[0]["passage"].split())


def test_source_cells_link_to_document_and_passage(db_path):
    from datasette.app import Datasette

    plugin = _plugin()
    value = json.dumps({"document_id": "abc123", "file_name": "protokoll.pdf", "page": 3,
                        "start": 10, "end": 20})
    html = str(plugin.render_cell(value=value, column="source", database="minutes",
                                  datasette=Datasette([str(db_path)])))
    assert '<a href="/minutes/documents/abc123">protokoll.pdf</a>, page 3' in html
    link = html.split('href="')[2].split('"')[0].replace("&amp;", "&")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query) == {
        "document_id": ["abc123"], "start": ["10"], "end": ["20"], "page": ["3"]}
    assert plugin.render_cell(value=value, column="text", database="minutes",
                              datasette=Datasette([str(db_path)])) is None
    assert plugin.render_cell(value="plain", column="source", database="minutes",
                              datasette=Datasette([str(db_path)])) is None


def test_command_line_is_immutable_with_metadata_and_plugins(tmp_path):
    cmd = serve.command(tmp_path / "m.db", tmp_path / "meta.json", host="0.0.0.0", port=9000,
                        extra=["--setting", "default_page_size", "50"])
    assert cmd[:4] == [sys.executable, "-m", "datasette", "serve"]
    assert cmd[cmd.index("--immutable") + 1] == str(tmp_path / "m.db")
    assert cmd[cmd.index("--metadata") + 1] == str(tmp_path / "meta.json")
    plugins = Path(cmd[cmd.index("--plugins-dir") + 1])
    assert (plugins / "minutes_links.py").is_file()
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0" and cmd[cmd.index("--port") + 1] == "9000"
    assert cmd[-3:] == ["--setting", "default_page_size", "50"]
    assert serve.database_name("/data/minutes.db") == "minutes"


def test_cli_passes_host_port_and_datasette_options(db_path, monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "serve", lambda path, **kw: calls.append((path, kw)) or 0)
    result = CliRunner().invoke(cli, ["serve", str(db_path), "--port", "9001",
                                      "--setting", "default_page_size", "50"])
    assert result.exit_code == 0, result.output
    assert calls == [(str(db_path), {"host": "127.0.0.1", "port": 9001,
                                     "extra": ("--setting", "default_page_size", "50")})]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str, proc, log: Path):
    """Fetch once the server has started (or fail with its log)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)


def test_serve_answers_a_canned_query_over_http(db_path, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}/minutes"
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen([str(Path(sys.executable).with_name("minutes-extract")),
                                 "serve", str(db_path), "--port", str(port)], stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            rows = _get_json(f"{base}/decisions_by_municipality.json?municipality=Lund"
                             "&_shape=array", proc, tmp_path / "serve.log")
            assert rows and _files(rows) == set(MLR)
            with urllib.request.urlopen(f"{base}/decisions_view", timeout=5) as response:
                page = response.read().decode()
            assert 'href="/minutes/documents/' in page and ">passage</a>" in page
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    # stopping `serve` stopped Datasette too: nothing listens any more
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}.json", timeout=2)
