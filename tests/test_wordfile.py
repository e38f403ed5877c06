"""Word files (.docx): corpus documents written as Word files give the items and decisions of
their originals; invented documents pin down tables, numbering, pages, headers and bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from make_forms import CORPUS, FORM_SOURCES, to_docx
from minutes_extract import rules
from minutes_extract.ingest import IngestError, load
from minutes_extract.pipeline import build_record, extract


def outline(record) -> tuple:
    return ([(i.number, i.title, i.decisions) for i in record.items],
            [d.text for d in record.decisions])


@pytest.mark.parametrize("name", FORM_SOURCES)
def test_word_version_of_corpus_document_gives_its_items_and_decisions(name, tmp_path):
    path = to_docx(CORPUS / name, tmp_path / f"{Path(name).stem}.docx")
    original, word = extract(CORPUS / name), extract(path)
    assert word.document.format == "docx"
    assert word.items
    assert outline(word) == outline(original)
    assert [(a.name, a.group) for a in word.attendees] == [
        (a.name, a.group) for a in original.attendees]


def save(document, tmp_path, name="protokoll.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def test_table_rows_are_lines_of_cells_in_reading_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("Protokoll styrelsemöte 2021-03-04")
    document.add_paragraph("Närvarande")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("Anna Andersson", "(S)", "ordförande"),
                                       ("Erik Berg", "(M)", "ledamot")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    document.add_paragraph("§ 1 Mötets öppnande")
    source = load(save(document, tmp_path))
    assert source.text.splitlines() == [
        "Protokoll styrelsemöte 2021-03-04", "Närvarande",
        "Anna Andersson   (S)   ordförande", "Erik Berg        (M)   ledamot",
        "§ 1 Mötets öppnande"]
    # Cells are cells of the line, each in its column, as on a PDF page.
    rows = [ln for ln in source.lines if ln.text.startswith(("Anna", "Erik"))]
    assert [c.text for c in rows[0].cells] == ["Anna Andersson", "(S)", "ordförande"]
    assert [c.x0 for c in rows[0].cells] == [c.x0 for c in rows[1].cells]


def test_an_empty_cell_keeps_the_later_cells_in_their_columns(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [("Ledamöter", "Närvarande", "Tjänstgörande ersättare"),
                                       ("Anna Andersson", "x", ""),
                                       ("Erik Berg", "", "Cilla Dahl (M)")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    source = load(save(document, tmp_path))
    lines = {ln.cells[0].text: ln for ln in source.lines}
    header, erik = lines["Ledamöter"], lines["Erik Berg"]
    assert erik.cells[1].text == "Cilla Dahl (M)"
    assert erik.cells[1].x0 == header.cells[2].x0


def test_merged_cells_are_read_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    top = table.cell(0, 0).merge(table.cell(0, 1))
    top.text = "Beslutande"
    table.cell(1, 0).text = "Anna Andersson"
    table.cell(1, 1).text = "ordförande"
    source = load(save(document, tmp_path))
    assert source.text.splitlines() == ["Beslutande", "Anna Andersson   ordförande"]


def test_automatic_numbering_is_written_out(tmp_path):
    document = docx.Document()
    document.add_paragraph("Styrelsemöte 2021-03-04")
    for title in ("Mötets öppnande", "Val av justerare", "Mötets avslutande"):
        document.add_paragraph(title, style="List Number")
    document.add_paragraph("Ordföranden tackade.", style="List Bullet")
    source = load(save(document, tmp_path))
    assert source.text.splitlines() == [
        "Styrelsemöte 2021-03-04", "1. Mötets öppnande", "2. Val av justerare",
        "3. Mötets avslutande", "- Ordföranden tackade."]


def test_numbering_with_a_paragraph_sign_and_sublevels(tmp_path):
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="12"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="§ %1"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, title in ((0, "Val av justerare"), (1, "Erik Berg"), (1, "Åsa Öberg"),
                         (0, "Budget 2022"), (1, "Driftbudget")):
        paragraph = document.add_paragraph(title)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    source = load(save(document, tmp_path))
    assert source.text.splitlines() == [
        "§ 12 Val av justerare", "a) Erik Berg", "b) Åsa Öberg", "§ 13 Budget 2022",
        "a) Driftbudget"]


def test_number_formats():
    from minutes_extract.wordfile import _format

    assert [_format(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [_format(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert _format(7, "decimalZero") == "07"


def test_page_breaks_make_pages_and_the_first_header_comes_first(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Kommunstyrelsen\tSammanträdesdatum 2021-03-04"
    document.add_paragraph("§ 1 Mötets öppnande")
    document.add_page_break()
    document.add_paragraph("§ 2 Val av justerare")
    source = load(save(document, tmp_path))
    assert [source.text[p.start:p.end] for p in source.pages] == [
        "Kommunstyrelsen\tSammanträdesdatum 2021-03-04\n§ 1 Mötets öppnande\n",
        "§ 2 Val av justerare\n"]


def test_deleted_tracked_changes_and_field_codes_are_not_text(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Beslut: att ")
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="1" w:author="A"><w:r><w:delText>avslå</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="2" w:author="A"><w:r><w:t>bifalla</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:instrText> PAGE </w:instrText></w:r>'))
    paragraph.add_run(" motionen.")
    source = load(save(document, tmp_path))
    assert source.text == "Beslut: att bifalla motionen.\n"


def test_word_protocol_extracts_like_its_text(tmp_path):
    document = docx.Document()
    document.add_heading("Protokoll fört vid styrelsemöte 2021-03-04", level=1)
    document.add_paragraph("Närvarande: Anna Andersson, Erik Berg, Åsa Öberg")
    document.add_heading("§ 1 Mötets öppnande", level=2)
    document.add_paragraph("Ordföranden förklarade mötet öppnat.")
    document.add_heading("§ 2 Val av justerare", level=2)
    document.add_paragraph("Beslut: att välja Erik Berg till justerare.")
    record = build_record(load(save(document, tmp_path)))
    assert record.meeting.date == "2021-03-04"
    assert [(i.number, i.title) for i in record.items] == [
        ("1", "Mötets öppnande"), ("2", "Val av justerare")]
    assert record.items[1].decisions == ["att välja Erik Berg till justerare."]


# ------------------------------------------------------------------------------ bad input


def reason(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        load(path)
    assert str(caught.value) == f"{path}: {caught.value.reason}"
    return caught.value.reason


def test_text_named_docx_is_not_a_zip(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("Protokoll 2021-03-04")
    assert reason(path) == "not a DOCX file (not a ZIP archive)"


def test_old_word_file_or_encrypted_docx(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert reason(path) == "not a DOCX file (an encrypted Word file or an old binary .doc)"


def test_zip_without_a_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/epub+zip")
    path = tmp_path / "book.docx"
    path.write_bytes(buffer.getvalue())
    assert reason(path) == "not a DOCX file (no word/document.xml)"


def test_truncated_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("§ 1 Mötets öppnande")
    data = save(document, tmp_path, "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    assert reason(path).startswith("damaged DOCX (")


def test_docx_that_unpacks_beyond_the_limit(tmp_path, monkeypatch):
    monkeypatch.setitem(rules.load("ingest")["limits"], "docx_unpacked_max_megabytes", 0)
    document = docx.Document()
    document.add_paragraph("§ 1 Mötets öppnande")
    assert reason(save(document, tmp_path)).startswith("DOCX too large unpacked (")
