"""Saved web pages (.html): corpus documents wrapped in a site's chrome give the items and
decisions of their originals; invented pages pin down what is chrome and what is content."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from make_forms import CORPUS, FORM_SOURCES, to_docx, to_html
from minutes_extract.cli import cli
from minutes_extract.ingest import IngestError, load
from minutes_extract.pipeline import extract


def outline(record) -> tuple:
    return ([(i.number, i.title, i.decisions) for i in record.items],
            [d.text for d in record.decisions])


@pytest.mark.parametrize("template", ["modern", "plain"])
@pytest.mark.parametrize("name", FORM_SOURCES)
def test_web_page_of_corpus_document_gives_its_items_and_decisions(name, template, tmp_path):
    path = to_html(CORPUS / name, tmp_path / f"{Path(name).stem}.html", template=template)
    original, page = extract(CORPUS / name), extract(path)
    assert page.document.format == "html"
    assert page.items
    assert outline(page) == outline(original)
    assert [(a.name, a.group) for a in page.attendees] == [
        (a.name, a.group) for a in original.attendees]
    for chrome in ("Gå direkt", "Förskola och skola", "Startsida", "Relaterade sidor",
                   "kakor", "0123-456 00", "Stadgar", "Senast uppdaterad", "Föreningen Exempel"):
        assert chrome not in load(path).text


def page(tmp_path, body: str, head: str = '<meta charset="utf-8">', name="sida.html") -> Path:
    path = tmp_path / name
    path.write_bytes(f"<!DOCTYPE html><html><head>{head}<title>Protokoll</title></head>"
                     f"<body>{body}</body></html>".encode())
    return path


def test_main_content_without_header_navigation_sidebar_and_footer(tmp_path):
    path = page(tmp_path, """
      <header><a href="/">Kommunen</a><nav><a href="/a">Bo och bygga</a></nav></header>
      <main><article>
        <header><h1>Kommunstyrelsen 2021-03-04</h1></header>
        <p>§ 1 Mötets öppnande</p>
        <script>track("visning")</script>
        <p class="visually-hidden" hidden>Dold text</p>
        <p>Beslut: att godkänna<br>dagordningen.</p>
      </article></main>
      <aside><a href="/b">Relaterat</a></aside>
      <footer>Kommunen, Storgatan 1</footer>""")
    source = load(path)
    assert source.text.splitlines() == [
        "Kommunstyrelsen 2021-03-04", "", "§ 1 Mötets öppnande", "", "Beslut: att godkänna",
        "dagordningen."]
    assert source.metadata["title"] == "Protokoll"


def test_tables_are_lines_of_cells(tmp_path):
    path = page(tmp_path, """<main><p>Beslutande</p><table>
      <tr><th>Namn</th><th>Parti</th><th>Roll</th></tr>
      <tr><td>Anna Andersson</td><td>S</td><td>ordförande</td></tr>
      <tr><td>Erik <b>Berg</b></td><td>M</td><td></td></tr></table></main>""")
    source = load(path)
    assert source.text.splitlines() == [
        "Beslutande", "", "Namn             Parti   Roll", "Anna Andersson   S       ordförande",
        "Erik Berg        M"]
    row = next(ln for ln in source.lines if ln.text.startswith("Anna"))
    assert [c.text for c in row.cells] == ["Anna Andersson", "S", "ordförande"]


def test_a_spanning_cell_keeps_the_later_cells_in_their_columns(tmp_path):
    path = page(tmp_path, """<main><table>
      <tr><th>Namn</th><th>Parti</th><th>Närvaro</th><th>Ersätter</th></tr>
      <tr><td colspan="3">Anna Andersson (S)</td><td>Erik Berg</td></tr></table></main>""")
    lines = {ln.cells[0].text: ln for ln in load(path).lines}
    assert lines["Anna Andersson (S)"].cells[1].x0 == lines["Namn"].cells[3].x0


def test_ordered_lists_keep_their_numbers(tmp_path):
    path = page(tmp_path, """<main><p>Dagordning</p>
      <ol start="3"><li>Val av justerare</li><li>Budget</li></ol>
      <ol type="a"><li>Drift</li><li value="4">Investering</li></ol>
      <ul><li>Bilaga 1</li></ul></main>""")
    assert load(path).text.splitlines() == [
        "Dagordning", "", "3. Val av justerare", "4. Budget", "", "a. Drift", "d. Investering",
        "", "- Bilaga 1"]


def test_page_without_main_markup_loses_its_link_menus(tmp_path):
    path = page(tmp_path, """
      <div id="wrapper"><div class="links"><a href="/">Hem</a> <a href="/p">Protokoll</a>
      <a href="/k">Kontakt</a></div>
      <div id="text"><p>Styrelsemöte 2021-03-04</p><p>§ 1 Mötets öppnande</p>
      <p>Se <a href="/bilaga.pdf">bilaga 1</a> för budgeten.</p></div></div>""")
    assert load(path).text.splitlines() == [
        "Styrelsemöte 2021-03-04", "", "§ 1 Mötets öppnande", "", "Se bilaga 1 för budgeten."]


def test_chrome_words_never_take_the_content(tmp_path):
    # A page whose content sits in an element named like chrome keeps it.
    text = " ".join(["Ordföranden förklarade mötet öppnat."] * 5)
    path = page(tmp_path, f'<div class="page-header"><p>§ 1 Mötets öppnande</p><p>{text}</p></div>'
                          '<div class="footer">Kontakt</div>')
    assert load(path).text.splitlines() == ["§ 1 Mötets öppnande", "", text]


def test_declared_legacy_encoding(tmp_path):
    path = tmp_path / "gammal.htm"
    path.write_bytes('<html><head><meta http-equiv="Content-Type" content="text/html; '
                     'charset=iso-8859-1"></head><body><p>Sammanträde i Höör, § 1 Öppnande'
                     '</p></body></html>'.encode("latin-1"))
    source = load(path)
    assert source.text == "Sammanträde i Höör, § 1 Öppnande\n"
    assert source.metadata["encoding"] == "iso-8859-1"


def test_binary_file_named_html(tmp_path):
    path = tmp_path / "bild.html"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(IngestError, match=r"bild\.html: not text: binary content$"):
        load(path)


def test_page_of_chrome_only_is_empty(tmp_path):
    path = page(tmp_path, "<nav><a href='/'>Hem</a></nav><footer>Kontakt</footer>")
    with pytest.raises(IngestError, match=r"sida\.html: empty document$"):
        load(path)


def test_import_takes_word_files_and_web_pages_from_a_folder(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    to_docx(CORPUS / "mlr-kdm-2019-01-29.txt", folder / "kdm.docx")
    to_html(CORPUS / "mlr-kdm-2019-01-29.txt", folder / "kdm.html")
    to_html(CORPUS / "lithekod-styrelsemote-2013-10-09.pdf", folder / "styrelse.htm",
            template="plain")
    db_path = tmp_path / "minutes.db"
    result = CliRunner().invoke(
        cli, ["import", str(db_path), str(folder), "--workers", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(db_path)
    assert sorted((r["file_name"], r["format"]) for r in db["documents"].rows) == [
        ("kdm.docx", "docx"), ("kdm.html", "html"), ("styrelse.htm", "html")]
    kdm = len(extract(CORPUS / "mlr-kdm-2019-01-29.txt").items)
    styrelse = len(extract(CORPUS / "lithekod-styrelsemote-2013-10-09.pdf").items)
    assert db["items"].count == 2 * kdm + styrelse
