"""The database in a real browser: headless Chromium (Debian's package) driven by Playwright.

Imports the bundled corpus, starts `minutes-extract serve` on a free loopback port, and uses
the canned queries the way a reader would: fill in the form, run it, follow the source link.
Screenshots go to build/browser/. Run with `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from minutes_extract import store

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SHOTS = ROOT / "build" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
CLI = Path(sys.executable).with_name("minutes-extract")
# The MalmöLundregionen minutes: Lund takes part in them, and no other minutes concern Lund.
LUND_DOCS = {"mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md"}


def _import_corpus(db_path: Path) -> None:
    # exit status 1 only reports the scanned PDFs without a text layer
    status = subprocess.run([str(CLI), "import", str(db_path), str(CORPUS)],
                            check=False).returncode
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
        proc = subprocess.Popen([str(CLI), "serve", str(db_path), "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
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
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield page
        browser.close()


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def _run_canned(page, base: str, title: str, params: dict[str, str]) -> None:
    """Open the database page, pick the canned query by its title, fill in and run the form."""
    page.goto(f"{base}/minutes")
    page.get_by_role("link", name=title).click()
    for name, value in params.items():
        page.fill(f"input[name={name}]", value)
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_load_state("load")


def _column(page, name: str) -> list[str]:
    cells = page.locator(f"table.rows-and-columns tbody td.col-{name}")
    return [cells.nth(k).inner_text().strip() for k in range(cells.count())]


def test_decisions_for_lund_are_the_malmolundregionen_decisions(server, page):
    base, db_path = server
    _run_canned(page, base, "Decisions by municipality", {"municipality": "Lund"})
    assert page.url.startswith(f"{base}/minutes/decisions_by_municipality?")
    sources = _column(page, "source")
    _shot(page, "decisions-lund")
    files = {s.split(",")[0] for s in sources}
    assert files == LUND_DOCS
    db = store.open_db(db_path)
    expected = db.execute(
        "select count(*) from decisions d join documents doc on doc.id = d.document_id "
        f"where doc.file_name in ({', '.join('?' * len(LUND_DOCS))})", sorted(LUND_DOCS)
    ).fetchone()[0]
    assert len(sources) == expected > 0
    assert all(re.search(r", page \d+ · passage$", s) for s in sources)

    # the source link leads to the document, the passage link to the decision's own text
    first_decision = _column(page, "decision")[0]
    page.locator("td.col-source a", has_text="passage").first.click()
    page.wait_for_load_state("load")
    passage = _column(page, "passage")
    assert passage and " ".join(first_decision.split()) in " ".join(passage[0].split())
    _shot(page, "passage")
    page.go_back()
    page.locator("td.col-source a").first.click()
    page.wait_for_load_state("load")
    assert "/minutes/documents/" in page.url
    assert page.locator("td.col-file_name").first.inner_text().strip() in LUND_DOCS


def test_full_text_search_finds_a_decision(server, page):
    base, db_path = server
    db = store.open_db(db_path)
    # a long word from a decision, so that the hit is that decision
    decision_id, text = db.execute(
        "select id, text from decisions order by length(text) desc limit 1").fetchone()
    word = max(re.findall(r"\w+", text), key=len)
    _run_canned(page, base, "Search decisions", {"q": word})
    decisions = _column(page, "decision")
    titles = _column(page, "item_title")
    _shot(page, "search")
    assert decisions
    assert all(word.casefold() in f"{t} {d}".casefold() for t, d in zip(titles, decisions))
    assert any(" ".join(text.split())[:80] in " ".join(d.split()) for d in decisions)

    prefix = word[: max(4, len(word) // 2)]
    _run_canned(page, base, "Search decisions", {"q": prefix + "*"})
    assert len(_column(page, "decision")) >= len(decisions)
    json_url = page.url.replace("/search_decisions?", "/search_decisions.json?")
    rows = json.load(urllib.request.urlopen(json_url + "&_shape=array", timeout=10))
    assert any(json.loads(r["source"])["document_id"] == decision_id.split("-")[0]
               for r in rows)


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
