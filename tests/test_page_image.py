"""A passage marked on the image of its PDF page, found again by its words."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from minutes_extract.datasette import page_image
from minutes_extract.datasette.page_image import Word

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PDF = "lithekod-stormote-2019-05-21.pdf"


def words(*texts: str) -> list[Word]:
    return [Word(t, (k,)) for k, t in enumerate(texts)]


def test_runs_of_the_passages_words_align_and_stray_words_do_not():
    page = words("protokoll", "mötet", "godkänner", "föredragningslistan", "och", "mötet", "avslutas")
    found = page_image.aligned(page, "Mötet godkänner föredragningslistan.")
    assert [w.chars[0] for w in found] == [1, 2, 3]
    # a page header the extracted text left out, and a page break inside the passage
    page = words("sida", "2", "av", "beslut", "att", "anta", "planen")
    assert [w.text for w in page_image.aligned(page, "Beslut att anta planen för 2020")] == [
        "beslut", "att", "anta", "planen"]
    assert page_image.aligned(page, "helt andra ord här") == []


def test_the_source_is_used_only_with_the_bytes_the_database_recorded(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / PDF, folder / PDF)
    sha = hashlib.sha256((CORPUS / PDF).read_bytes()).hexdigest()
    assert page_image.find_source(f"corpus/{PDF}", sha, [tmp_path / "elsewhere", tmp_path]) \
        == tmp_path / "corpus" / PDF
    assert page_image.find_source(f"corpus/{PDF}", "0" * 64, [tmp_path]) is None
    (folder / "note.txt").write_text("x")
    text_sha = hashlib.sha256(b"x").hexdigest()
    assert page_image.find_source("corpus/note.txt", text_sha, [tmp_path]) is None


def test_a_page_renders_with_the_passage_marked():
    png, marked = page_image.render(CORPUS / PDF, 1, "Mötet godkänner föredragningslistan.")
    assert png.startswith(b"\x89PNG") and marked == 3
    _, none = page_image.render(CORPUS / PDF, 1, "ord som inte står på sidan alls")
    assert none == 0
