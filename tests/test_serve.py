"""Datasette metadata, canned queries, the plugin and `minutes-extract serve`."""

from __future__ import annotations

import asyncio
import csv
import importlib.metadata
import io
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
from minutes_extract.datasette import plugin
from minutes_extract.pipeline import build_record

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MLR = ("mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md")
KUNGSBACKA = "kungsbacka-ksau-2025-01-14.md"


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

    value = json.dumps({"document_id": "abc123", "file_name": "protokoll.pdf", "page": 3,
                        "start": 10, "end": 20})
    html = str(plugin.render_cell(row=None, table=None, value=value, column="source", database="minutes",
                                  datasette=Datasette([str(db_path)])))
    assert '<a href="/minutes/documents/abc123">protokoll.pdf</a>, page 3' in html
    link = html.split('href="')[2].split('"')[0].replace("&amp;", "&")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query) == {
        "document_id": ["abc123"], "start": ["10"], "end": ["20"], "page": ["3"]}
    assert plugin.render_cell(row=None, table=None, value=value, column="text", database="minutes",
                              datasette=Datasette([str(db_path)])) is None
    assert plugin.render_cell(row=None, table=None, value="plain", column="source",
                              database="minutes",
                              datasette=Datasette([str(db_path)])) is None


def test_command_line_is_read_only_but_not_immutable_unless_asked(tmp_path):
    cmd = serve.command(tmp_path / "m.db", host="0.0.0.0", port=9000,
                        extra=["--setting", "default_page_size", "50"])
    assert cmd[:5] == [sys.executable, "-m", "datasette", "serve", str(tmp_path / "m.db")]
    assert "--immutable" not in cmd and "--plugins-dir" not in cmd and "--metadata" not in cmd
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0" and cmd[cmd.index("--port") + 1] == "9000"
    assert cmd[-3:] == ["--setting", "default_page_size", "50"]
    published = serve.command(tmp_path / "m.db", immutable=True)
    assert published[published.index("--immutable") + 1] == str(tmp_path / "m.db")
    assert serve.database_name("/data/minutes.db") == "minutes"


def test_cli_passes_host_port_immutable_and_datasette_options(db_path, monkeypatch):
    calls = []
    monkeypatch.setattr(serve, "serve", lambda path, **kw: calls.append((path, kw)) or 0)
    result = CliRunner().invoke(cli, ["serve", str(db_path), "--port", "9001",
                                      "--setting", "default_page_size", "50"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["serve", str(db_path), "--immutable"])
    assert result.exit_code == 0, result.output
    assert calls == [
        (str(db_path), {"host": "127.0.0.1", "port": 9001, "immutable": False,
                        "extra": ("--setting", "default_page_size", "50")}),
        (str(db_path), {"host": "127.0.0.1", "port": 8001, "immutable": True, "extra": ()}),
    ]


def test_the_plugin_is_an_entry_point_of_the_package():
    points = importlib.metadata.entry_points(group="datasette")
    assert "minutes_extract.datasette.plugin" in {p.value for p in points}


def test_metadata_command_writes_the_json_for_datasette_publish(db_path, tmp_path):
    out = tmp_path / "metadata.json"
    result = CliRunner().invoke(cli, ["metadata", str(db_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == serve.metadata(db_path.stem)
    assert set(written["databases"]["minutes"]["queries"]) >= {
        "decisions_by_municipality", "person", "search_decisions", "passage"}


def _get(db_path: Path, path: str):
    """A request to Datasette in this process, with the installed plugins."""
    from datasette.app import Datasette

    async def run():
        ds = Datasette([str(db_path)])
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(run())


def test_csv_export_neutralises_spreadsheet_formulas(db_path):
    sql = ("select '=HYPERLINK(\"http://example.com\",\"x\")' as a, '+1+cmd' as b, "
           "'@SUM(A1)' as c, '-2' as d, 'Beslut: -' as e, '-x' as \"=f\"")
    response = _get(db_path, "/minutes.csv?" + urllib.parse.urlencode({"sql": sql}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows == [["a", "b", "c", "d", "e", "'=f"],
                    ["'=HYPERLINK(\"http://example.com\",\"x\")", "'+1+cmd", "'@SUM(A1)", "-2",
                     "Beslut: -", "'-x"]]


def test_csv_neutraliser_handles_records_split_across_chunks():
    from minutes_extract.datasette.csv_cells import CsvNeutraliser

    text = 'a,b\r\n"=1\r\nrad två","x, ""=y"""\r\n=2,@3\r\n'
    for size in (1, 2, 3, 7, len(text)):
        cells = CsvNeutraliser()
        out = "".join(cells.feed(text[k:k + size]) for k in range(0, len(text), size))
        out += cells.close()
        assert list(csv.reader(io.StringIO(out))) == [
            ["a", "b"], ["'=1\r\nrad två", 'x, "=y"'], ["'=2", "'@3"]], size


def test_a_source_cell_with_a_page_that_is_no_number_does_not_fail(db_path):
    sql = ("select json_object('document_id', 'abc123', 'file_name', 'x.pdf', 'page', 'two', "
           "'start', 'a', 'end', 5) as source")
    response = _get(db_path, "/minutes?" + urllib.parse.urlencode({"sql": sql}))
    assert response.status_code == 200
    assert '<a href="/minutes/documents/abc123">x.pdf</a>' in response.text
    assert ", page" not in response.text and "passage?" not in response.text


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


class Server:
    """A server process on a free loopback port, stopped when the block ends."""

    def __init__(self, argv: list[str], log: Path):
        self.port = _free_port()
        self.argv = [*argv, "--port", str(self.port)]
        self.log_path = log
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT)
        _get_json(f"{self.base}/-/versions.json", self.proc, self.log_path)
        return self

    def get(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.status, response.read().decode()

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _canned_params(db) -> dict[str, str]:
    """A value for every parameter the canned queries use, taken from the database."""
    person = db.execute("select name from attendees order by ordinal limit 1").fetchone()[0]
    doc, start, end, page, page_end = db.execute(
        "select document_id, char_start, char_end, page_start, page_end from decisions "
        "where char_start is not null limit 1").fetchone()
    return {"municipality": "Lund", "from_year": "", "to_year": "", "name": person,
            "organisation": "MalmöLundregionen", "q": "kommun", "document_id": doc,
            "start": str(start), "end": str(end), "page": str(page), "page_end": str(page_end)}


def test_plain_datasette_runs_every_canned_query(db_path, db, tmp_path):
    """`datasette minutes.db`, no options: the plugin brings functions and queries along."""
    queries = serve.metadata("minutes")["databases"]["minutes"]["queries"]
    given = _canned_params(db)
    datasette = str(Path(sys.executable).with_name("datasette"))
    with Server([datasette, "serve", str(db_path)], tmp_path / "datasette.log") as server:
        for name, spec in queries.items():
            params = {p: given.get(p, "") for p in re.findall(r":(\w+)", spec["sql"])}
            status, body = server.get(f"/minutes/{name}.json?"
                                      + urllib.parse.urlencode({**params, "_shape": "objects"}))
            data = json.loads(body)
            assert status == 200 and data["ok"], (name, data.get("error"))
            if name in ("decisions_by_municipality", "person", "meetings_of_organisation",
                        "search_decisions", "passage"):
                assert data["rows"], name
        status, page = server.get("/minutes/decisions_view?_search=kommun*")
        assert status == 200 and "search matches" in page and 'class="col-decision' in page


def test_import_while_served_reads_pages_during_and_after(tmp_path):
    served = tmp_path / "minutes.db"
    db = store.open_db(served)
    src = ingest.load(CORPUS / MLR[0])
    store.save(db, build_record(src), path=MLR[0], text=src.text, metadata=src.metadata)
    db.close()
    folder = tmp_path / "more"
    folder.mkdir()
    names = ("ange-ks-2006-05-23.txt", "kungsbacka-ksau-2025-01-14.md", "hogsby-ks-2007-01-08.pdf")
    for name in names:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    cli_path = str(Path(sys.executable).with_name("minutes-extract"))
    pages = ("/minutes/decisions_view", "/minutes/documents.json?_shape=array",
             "/minutes/search_decisions.json?q=kommun", "/minutes/meetings")
    with Server([cli_path, "serve", str(served)], tmp_path / "serve.log") as server:
        importing = subprocess.Popen([cli_path, "import", str(served), str(folder),
                                      "--workers", "1"], stderr=subprocess.PIPE, text=True)
        during = 0
        while importing.poll() is None:
            for path in pages:
                status, _ = server.get(path)
                assert status == 200, path
                during += 1
        assert importing.returncode == 0, importing.stderr.read()
        assert during >= len(pages)
        _, body = server.get("/minutes/documents.json?_shape=array&_col=file_name")
        assert {r["file_name"] for r in json.loads(body)} == {MLR[0], *names}
        status, page = server.get("/minutes/decisions_view?_search=kommunstyrelsen")
        assert status == 200 and "hogsby" in page.casefold()
