"""The database in a real browser: headless Chromium (Debian's package) driven by Playwright.

Imports the bundled corpus, starts `minutes-extract serve` on a free loopback port and reads
the main pages the way a reader on a 1366-pixel laptop screen would: the home page, the
decisions table, a decision's row, every canned query, a search and a passage, each checked
for decision text that can be read without scrolling sideways. Screenshots go to
build/browser/. Run with `make test-browser` (or `pytest -m browser tests/browser`).
"""

from __future__ import annotations

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

from minutes_extract import serve, store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SHOTS = ROOT / "build" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CLI = Path(sys.executable).with_name("minutes-extract")
WIDTH, HEIGHT = 1366, 768
# A row page is a list of fields: it fits a few screens, however long the text.
ROW_PAGE_MAX = 4000
# The MalmöLundregionen minutes: Lund takes part in them; other minutes concern Lund only
# where an agenda item names it.
LUND_DOCS = {"mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md"}
# Cells that hold a decision's text, by page.
TEXT_CELLS = "td.col-decision, td.col-text, td.col-passage"


def _import_corpus(db_path: Path) -> None:
    # exit status 1 only reports the scanned PDFs without a text layer
    status = subprocess.run([str(CLI), "import", str(db_path), str(CORPUS)],
                            check=False, cwd=ROOT).returncode
    assert status in (0, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "minutes.db"
    _import_corpus(db_path)
    port = _free_port()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open(SHOTS / "server.log", "w") as log:
        # started in the project folder, where the stored paths (corpus/...) lead to the PDFs
        proc = subprocess.Popen([str(CLI), "serve", str(db_path), "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                                cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"datasette did not start, see {log.name}")
                time.sleep(0.3)
        yield base, db_path
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def db(server):
    return store.open_db(server[1])


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        yield page
        browser.close()


def _shot(page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert not page.locator(".message-error").count(), page.locator(".message-error").first \
        .inner_text()


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def _assert_text_readable(page, what: str, min_cells: int = 1) -> None:
    """The page does not scroll sideways, and the first cells of decision text lie within
    the window's width, wide enough to read."""
    assert _width(page) <= WIDTH, f"{what}: the page scrolls sideways"
    cells = page.locator(TEXT_CELLS)
    assert cells.count() >= min_cells, f"{what}: no decision text"
    for k in range(min(cells.count(), 3)):
        box = cells.nth(k).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, (
            f"{what}: decision text off the edge at x={box and box['x']}")
        assert box["width"] >= 300, f"{what}: decision text squeezed to {box['width']} px"


def _words(text: str, n: int | None = None) -> str:
    """The words of a text, for comparing decision text (bullets dropped) with its passage."""
    return " ".join(re.findall(r"\w+", text)[:n])


def _column(page, name: str) -> list[str]:
    cells = page.locator(f"table.rows-and-columns tbody td.col-{name}")
    return [cells.nth(k).inner_text().strip() for k in range(cells.count())]


def _run_canned(page, base: str, title: str, params: dict[str, str]) -> None:
    """Open the database page, pick the canned query by its title, fill in and run the form."""
    _open(page, f"{base}/minutes")
    page.get_by_role("link", name=title).click()
    for name, value in params.items():
        page.fill(f"input[name={name}]", value)
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_load_state("load")


def test_home_page(server, page):
    base, _ = server
    _open(page, f"{base}/minutes")
    assert _width(page) <= WIDTH
    queries = serve.metadata("minutes")["databases"]["minutes"]["queries"]
    for spec in queries.values():
        assert page.get_by_role("link", name=spec["title"]).count() == 1
    _shot(page, "home")


def test_decisions_table_and_view_show_the_text_first(server, page):
    base, _ = server
    _open(page, f"{base}/minutes/decisions")
    _assert_text_readable(page, "decisions table", min_cells=10)
    # the first decision starts on the first screen: facets fold away under one line
    assert page.locator("td.col-text").first.bounding_box()["y"] < HEIGHT
    # meetings are told apart by date and organisation, not only "Årsmöte"
    meetings = _column(page, "meeting_id")
    assert meetings and all(re.search(r"\d{4}-\d\d-\d\d|\.(pdf|txt|md)", m) for m in meetings)
    assert all(re.search(r"\d+ · passage$", p) for p in _column(page, "page_start") if p)
    _shot(page, "decisions-table", full_page=False)
    _open(page, f"{base}/minutes/decisions_view")
    _assert_text_readable(page, "decisions_view", min_cells=10)
    _shot(page, "decisions-view", full_page=False)


def test_a_decision_row_reads_as_a_list_and_links_to_its_passage(server, page, db):
    base, _ = server
    decision_id, text = db.execute(
        "select id, text from decisions where item_id is not null "
        "order by length(text) desc limit 1").fetchone()
    _open(page, f"{base}/minutes/decisions/{decision_id}")
    _assert_text_readable(page, "decision row")
    assert _height(page) <= ROW_PAGE_MAX
    assert " ".join(text.split())[:60] in " ".join(page.locator("td.col-text").inner_text().split())
    # the foreign keys read as names, not ids
    assert re.search(r"\d{4}-\d\d-\d\d", page.locator("td.col-meeting_id").inner_text())
    _shot(page, "decision-row")
    page.locator("td.col-page_start a", has_text="passage").click()
    page.wait_for_load_state("load")
    passage = _words(page.locator("td.col-passage mark").inner_text())
    assert _words(text, 12) in passage
    _assert_text_readable(page, "passage")


def test_a_document_row_is_not_a_wall_of_text(server, page, db):
    base, _ = server
    doc_id = db.execute("select id from documents order by length(text) desc limit 1"
                        ).fetchone()[0]
    _open(page, f"{base}/minutes/documents/{doc_id}")
    assert _width(page) <= WIDTH and _height(page) <= ROW_PAGE_MAX
    assert page.locator("td.col-text details summary").count() == 1
    _shot(page, "document-row")


def _canned_params(db) -> dict[str, str]:
    person = db.execute("select p.name from persons p join attendees a on a.person_id = p.id "
                        "group by p.id order by count(*) desc limit 1").fetchone()[0]
    doc, start, end, page, page_end = db.execute(
        "select d.document_id, d.char_start, d.char_end, d.page_start, d.page_end "
        "from decisions d join documents doc on doc.id = d.document_id "
        "where doc.format = 'pdf' and d.char_start is not null limit 1").fetchone()
    return {"municipality": "Lund", "name": person, "organisation": "Kommunstyrelsen",
            "q": "budget", "document_id": doc, "start": str(start), "end": str(end),
            "page": str(page), "page_end": str(page_end)}


def test_every_canned_query(server, page, db):
    base, _ = server
    queries = serve.metadata("minutes")["databases"]["minutes"]["queries"]
    given = _canned_params(db)
    for name, spec in queries.items():
        params = {p: given.get(p, "") for p in re.findall(r":(\w+)", spec["sql"])}
        _open(page, f"{base}/minutes/{name}?" + urllib.parse.urlencode(params))
        assert _width(page) <= WIDTH, f"{name}: the page scrolls sideways"
        if page.locator(TEXT_CELLS).count():
            _assert_text_readable(page, name)
        _shot(page, f"query-{name}", full_page=False)


def test_decisions_for_lund_are_the_malmolundregionen_decisions(server, page, db):
    base, _ = server
    _run_canned(page, base, "Decisions by municipality", {"municipality": "Lund"})
    assert page.url.startswith(f"{base}/minutes/decisions_by_municipality?")
    _assert_text_readable(page, "decisions by municipality")
    sources = _column(page, "source")
    reasons = _column(page, "reason")
    _shot(page, "decisions-lund", full_page=False)
    files = [s.split(",")[0] for s in sources]
    assert set(files) >= LUND_DOCS
    # other minutes count only where an agenda item names Lund
    assert {r for f, r in zip(files, reasons) if f not in LUND_DOCS} <= {"named in item"}
    expected = db.execute(
        "select count(*) from decisions d join documents doc on doc.id = d.document_id "
        f"where doc.file_name in ({', '.join('?' * len(LUND_DOCS))})", sorted(LUND_DOCS)
    ).fetchone()[0]
    assert sum(f in LUND_DOCS for f in files) == expected > 0
    assert all(re.search(r", page \d+ · passage$", s) for s in sources)

    # the source link leads to the document, the passage link to the decision's own text
    first_decision = _column(page, "decision")[0]
    page.locator("td.col-source a", has_text="passage").first.click()
    page.wait_for_load_state("load")
    passage = _column(page, "passage")
    assert passage and _words(first_decision) in _words(passage[0])
    page.go_back()
    page.locator("td.col-source a").first.click()
    page.wait_for_load_state("load")
    assert "/minutes/documents/" in page.url
    assert page.locator("td.col-file_name").first.inner_text().strip() == files[0]


def test_search_box_finds_words_inside_compounds(server, page, db):
    base, _ = server
    _open(page, f"{base}/minutes/decisions_view")
    page.fill("input#_search", "budget")
    page.locator("input#_search").press("Enter")
    page.wait_for_load_state("load")
    _assert_text_readable(page, "search")
    decisions = _column(page, "decision")
    _shot(page, "search-budget", full_page=False)
    assert decisions and all("budget" in d.casefold() for d in decisions)
    compounds = [d for d in decisions if re.search(r"\w+budget", d, re.IGNORECASE)]
    assert compounds, "budget should find the compounds that contain it"
    expected = db.execute("select count(*) from decisions where text like '%budget%'"
                          ).fetchone()[0]
    count = int(re.search(r"([\d,]+) rows?", page.locator("h3").first.inner_text())
                .group(1).replace(",", ""))
    assert count == expected
    # a * at the end asks for what the word finds
    _open(page, f"{base}/minutes/decisions_view?_search=budget*")
    assert len(_column(page, "decision")) == len(decisions)


def test_full_text_search_query_finds_a_decision(server, page, db):
    base, _ = server
    # a long word from a decision, so that the hit is that decision
    decision_id, text = db.execute(
        "select id, text from decisions order by length(text) desc limit 1").fetchone()
    word = max(re.findall(r"\w+", text), key=len)
    _run_canned(page, base, "Search decisions", {"q": word})
    decisions = _column(page, "decision")
    titles = _column(page, "item_title")
    _shot(page, "search", full_page=False)
    assert decisions
    assert all(word.casefold() in f"{t} {d}".casefold() for t, d in zip(titles, decisions))
    assert any(" ".join(text.split())[:80] in " ".join(d.split()) for d in decisions)
    json_url = page.url.replace("/search_decisions?", "/search_decisions.json?")
    rows = json.load(urllib.request.urlopen(json_url + "&_shape=array", timeout=10))
    assert any(json.loads(r["source"])["document_id"] == decision_id.split("-")[0]
               for r in rows)


def test_a_passage_is_marked_on_the_page_image(server, page, db):
    base, _ = server
    doc, start, end, first, last = db.execute(
        "select d.document_id, d.char_start, d.char_end, d.page_start, d.page_end "
        "from decisions d join documents doc on doc.id = d.document_id "
        "where doc.format = 'pdf' and d.char_end - d.char_start > 200 "
        "order by d.page_end - d.page_start desc, d.id limit 1").fetchone()
    _open(page, f"{base}/minutes/passage?" + urllib.parse.urlencode(
        {"document_id": doc, "start": start, "end": end, "page": first, "page_end": last}))
    _assert_text_readable(page, "passage")
    images = page.locator("td.col-page_image img")
    assert images.count() == last - first + 1
    for k in range(images.count()):
        images.nth(k).scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                               arg=images.nth(k).element_handle())
        box = images.nth(k).bounding_box()
        assert box["x"] + box["width"] <= WIDTH
    _shot(page, "passage")


# The protocols with votes (corpus/votes) are part of the corpus import.
VOTES_DOCS = {"kungsbacka-fg-2024-11-13.md", "kungsbacka-fg-2025-11-12.md",
              "kungsbacka-ks-2024-08-27.md", "lomma-kf-2025-08-28.txt",
              "lomma-kf-2025-10-16.txt"}


def test_how_each_party_voted(server, page):
    base, db_path = server
    _run_canned(page, base, "How each party voted", {"party": "S"})
    _shot(page, "party-votes")
    parties = _column(page, "party")
    files = {s.split(",")[0] for s in _column(page, "source")}
    assert parties and set(parties) == {"S"}
    assert files <= VOTES_DOCS and "lomma-kf-2025-10-16.txt" in files
    db = store.open_db(db_path)
    expected = db.execute("select count(distinct vote_id) from ballots where party = 'S'"
                          ).fetchone()[0]
    assert len(parties) == expected
    # In Lomma's vote on the southern schools the Social Democrats' eight voted nej.
    rows = list(zip(_column(page, "item_number"), _column(page, "ja"), _column(page, "nej"),
                    _column(page, "yes_means")))
    assert ("77", "0", "8", "Den som önskar bifalla Aron Regnélls m.fl. yrkande röstar ja") in rows


def test_reservations_by_party(server, page):
    base, db_path = server
    _run_canned(page, base, "Reservations by party", {"party": ""})
    _shot(page, "reservations-by-party")
    totals = dict(zip(_column(page, "party"), _column(page, "reservations")))
    db = store.open_db(db_path)
    expected = dict(db.execute("select party, count(*) from reservations "
                               "where party is not null group by party").fetchall())
    assert {p: int(n) for p, n in totals.items() if p in expected} == expected
    assert int(totals["S"]) >= 28
    _run_canned(page, base, "Reservations by party", {"party": "mp"})
    who = _column(page, "who")
    assert who and all("(MP)" in w for w in who)


def test_close_votes(server, page):
    base, db_path = server
    _run_canned(page, base, "Close votes", {})
    _shot(page, "close-votes")
    yes, no = _column(page, "yes"), _column(page, "no")
    assert yes and all(abs(int(y) - int(n)) <= 2 for y, n in zip(yes, no))
    db = store.open_db(db_path)
    expected = db.execute("select count(*) from votes where abs(yes - no) <= 2").fetchone()[0]
    assert len(yes) == expected >= 6  # Lomma's 23-22 votes


def test_who_declared_jav(server, page):
    base, db_path = server
    _run_canned(page, base, "Who declared jäv", {"name": "karström"})
    _shot(page, "jav")
    assert set(_column(page, "who")) == {"Fredrik Karström (M)"}
    assert sorted(_column(page, "item_number")) == ["54", "77"]
    page.locator("td.col-source a", has_text="passage").first.click()
    page.wait_for_load_state("load")
    assert "jäv" in _column(page, "passage")[0]
