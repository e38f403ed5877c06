"""Full-text search: a trigram index fit for Swedish compounds, kept current by triggers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minutes_extract import ingest, search, store
from minutes_extract.pipeline import build_record

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DOCS = ("mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md", "ange-ks-2006-05-23.txt")


def _match(db, table: str, text: str) -> set[str]:
    return {r[0] for r in db.execute(
        f"select t.id from [{table}_fts] f join [{table}] t on t.rowid = f.rowid "
        f"where [{table}_fts] match ?", [search.fts_query(text)])}


def _document(db, doc_id: str, text: str) -> None:
    db["documents"].insert({"id": doc_id, "sha256": doc_id, "file_name": f"{doc_id}.txt",
                            "text": text})


@pytest.fixture
def empty():
    return store.open_db(":memory:")


@pytest.fixture(scope="module")
def corpus_db():
    db = store.open_db(":memory:")
    for name in DOCS:
        src = ingest.load(CORPUS / name)
        store.save(db, build_record(src), path=str(CORPUS / name), text=src.text,
                   metadata=src.metadata)
    return db


def test_a_o_and_a_with_rings_and_dots_are_letters_of_their_own(empty):
    _document(empty, "d1", "Styrelsen far till Lund.")
    _document(empty, "d2", "Styrelsen får ett lån.")
    _document(empty, "d3", "Vägen är hal.")
    assert _match(empty, "documents", "får") == {"d2"}
    assert _match(empty, "documents", "far") == {"d1"}
    assert _match(empty, "documents", "lån") == {"d2"}
    assert _match(empty, "documents", "lan") == set()
    assert _match(empty, "documents", "hål") == set()


def test_case_folds_for_swedish_capitals(empty):
    _document(empty, "d1", "Protokoll, Ånge kommun, Kommunstyrelsen")
    assert _match(empty, "documents", "ÅNGE") == {"d1"}
    assert _match(empty, "documents", "ånge KOMMUNSTYRELSEN") == {"d1"}


def test_a_word_finds_the_compounds_and_inflections_that_contain_it(empty):
    _document(empty, "d1", "Kommunstyrelsen fastställer investeringsbudgeten för förskolan.")
    _document(empty, "d2", "Ärendet bordläggs.")
    assert _match(empty, "documents", "budget") == {"d1"}
    assert _match(empty, "documents", "skola") == {"d1"}
    assert _match(empty, "documents", "BUDGET förskola") == {"d1"}
    assert _match(empty, "documents", "budget bordläggs") == set()


def test_a_star_asks_for_what_the_word_finds(empty):
    _document(empty, "d1", "Kommunstyrelsen beslutar att godkänna beslutsunderlaget.")
    _document(empty, "d2", "Ärendet bordläggs.")
    assert _match(empty, "documents", "beslut*") == _match(empty, "documents", "beslut") == {"d1"}
    assert _match(empty, "documents", "*styrelse*") == {"d1"}


def test_short_terms_are_searched_with_their_neighbour(empty):
    _document(empty, "d1", "Dnr KS 2019/123 Budget")
    _document(empty, "d2", "Dnr BUN 2019/124 KS")
    assert _match(empty, "documents", "KS 2019") == {"d1"}
    assert _match(empty, "documents", "2019 KS") == set()  # "2019 KS" is not written
    assert _match(empty, "documents", "KS") == set()  # too short to search alone


def test_triggers_keep_the_index_current(empty):
    _document(empty, "d1", "Budget för år 2020")
    assert _match(empty, "documents", "budget") == {"d1"}
    empty["documents"].update("d1", {"text": "Verksamhetsplan"})
    assert _match(empty, "documents", "budget") == set()
    assert _match(empty, "documents", "verksamhetsplan") == {"d1"}
    empty["documents"].delete("d1")
    assert _match(empty, "documents", "verksamhetsplan") == set()


def test_ensure_fts_is_idempotent(empty):
    _document(empty, "d1", "Årsmöte")
    statements: list[str] = []
    empty.conn.set_trace_callback(statements.append)
    try:
        search.ensure_fts(empty)
    finally:
        empty.conn.set_trace_callback(None)
    assert not [s for s in statements if s.lstrip().upper().startswith(("CREATE", "DROP"))]
    assert _match(empty, "documents", "årsmöte") == {"d1"}


def test_an_index_with_another_tokenizer_is_rebuilt(empty):
    _document(empty, "d1", "Vi får ett lån")
    _document(empty, "d2", "Vi far till Lund")
    empty["documents"].disable_fts()
    empty["documents"].enable_fts(["file_name", "text"], create_triggers=True)
    assert _match(empty, "documents", "får") == {"d1", "d2"}  # diacritics folded away
    search.ensure_fts(empty)
    assert empty["documents_fts"].schema == search.fts_table_sql("documents",
                                                                 search.INDEXES["documents"])
    assert _match(empty, "documents", "får") == {"d1"}


@pytest.mark.parametrize("typed, query", [
    ("Lund", '"Lund"'),
    ("beslut* budget", '"beslut" "budget"'),
    ('säger "hej', '"säger" "hej"'),
    ('"Lunds kommun" beslut', '"Lunds kommun" "beslut"'),
    ("Ånge-kommun AND budget OR plan", '"Ånge-kommun" "budget" "OR plan"'),
    ("KS 2019/123", '"KS 2019/123"'),
    ("budget KS", '"budget KS"'),
    ("  ", '""'),
    ("KS", '""'),
    ("***", '""'),
])
def test_fts_query_quotes_terms_and_joins_short_ones(typed, query):
    assert search.fts_query(typed) == query


def test_lund_finds_the_decisions_that_name_lund(corpus_db):
    named = {r["id"] for r in corpus_db.query("select id, label, text from decisions")
             if "lund" in f"{r['label']} {r['text']}".casefold()}
    assert _match(corpus_db, "decisions", "Lund") == named
    documents = {r[0] for r in corpus_db.execute(
        "select file_name from documents where id in "
        "(select t.id from documents_fts f join documents t on t.rowid = f.rowid "
        "where documents_fts match ?)", [search.fts_query("lund")])}
    # a substring search: "Lund" also finds "Stiven Wiklund" in the Ånge minutes
    assert documents == {r["file_name"] for r in corpus_db.query(
        "select file_name, text from documents") if "lund" in r["text"].casefold()}
    assert {"mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md"} <= documents


def test_capitals_find_the_ange_minutes(corpus_db):
    ange = corpus_db.execute("select id from documents where file_name like 'ange-%'"
                             ).fetchone()[0]
    assert ange in _match(corpus_db, "documents", "ÅNGE")
    assert _match(corpus_db, "documents", "ÅNGE") == _match(corpus_db, "documents", "ånge")


def test_item_titles_are_searchable(corpus_db):
    item = corpus_db.execute("select id, title from items where length(title) > 8 "
                             "order by id limit 1").fetchone()
    word = max(re.findall(r"\w+", item[1]), key=len)
    assert item[0] in _match(corpus_db, "items", word)
