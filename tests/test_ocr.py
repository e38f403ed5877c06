"""Pages without a text layer are read by OCR: the corpus scans against their transcripts, a
corpus PDF rasterised with noise and skew, a picture cover page, a typed header over a
scanned page, plus focused unit tests."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import time
from pathlib import Path

import pytest

from make_forms import header_over_picture, rasterise, text_pdf
from minutes_extract import layout, ocr, pdf, pipeline, store
from minutes_extract.evaluate import score_document
from minutes_extract.ingest import IngestError, Page, Source, load
from minutes_extract.transcripts import CharacterErrors, page_errors

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "gold"
SCANS = {"lithekod-stormote-2016-05-23.pdf": [1, 2, 3, 4],
         "lithekod-stormote-2020-11-24-scanned.pdf": [1, 2, 3]}


@pytest.fixture(scope="module", autouse=True)
def ocr_each_picture_once():
    """The tests read the same pictures along several paths; OCR each once (per engine)."""
    seen: dict = {}
    real = ocr.read

    def read(image, engine):
        key = (engine, image.shape, hashlib.sha256(image.tobytes()).hexdigest())
        if key not in seen:
            seen[key] = real(image, engine)
        return seen[key]

    patch = pytest.MonkeyPatch()
    patch.setattr(ocr, "read", read)
    yield
    patch.undo()


def key(name: str) -> dict:
    return json.loads((GOLD / f"{Path(name).stem}.json").read_text(encoding="utf-8"))


def ocr_errors(path: Path, engine: str) -> tuple[CharacterErrors, dict]:
    """Character errors of each page as laid out, against the key's transcripts."""
    pages, info = pdf.extract(path.read_bytes(), max_pages=50,
                              deadline=time.monotonic() + 600, ocr_engine=engine)
    gold = key(path.name)
    total = CharacterErrors()
    for n, (words, full, printed) in enumerate(
            zip(pages, gold["transcript"], gold["transcript_printed"], strict=True), 1):
        total += page_errors(layout.render(layout.lines_from_words(words, n)), full, printed)
    return total, info


# ------------------------------------------------------------------------ the corpus scans


@pytest.mark.parametrize("name", sorted(SCANS))
def test_scanned_corpus_pdf_reads_within_three_percent_of_its_transcript(name):
    errors, info = ocr_errors(CORPUS / name, "rapidocr")
    assert errors.printed_rate <= 0.03
    assert errors.printed_chars > 1500
    assert info["ocr"]["engine"] == "rapidocr"
    assert info["ocr"]["pages"] == SCANS[name]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_tesseract_reads_the_scan_within_three_percent():
    errors, info = ocr_errors(CORPUS / "lithekod-stormote-2020-11-24-scanned.pdf", "tesseract")
    assert errors.printed_rate <= 0.03
    assert info["ocr"]["engine"] == "tesseract"


def test_scanned_protocol_imports_with_its_items_and_decisions():
    record = pipeline.extract(CORPUS / "lithekod-stormote-2016-05-23.pdf")
    doc = record.document
    assert doc.ocr_engine == "rapidocr"
    assert doc.ocr_pages == [1, 2, 3, 4]
    # The fourth page is blank: read, nothing found.
    assert doc.ocr_page_confidence[3] is None
    assert all(0.9 < c <= 1 for c in doc.ocr_page_confidence[:3])
    assert 0.9 < doc.ocr_confidence <= 1
    assert record.meeting.date == "2016-05-23"
    assert record.meeting.start_time == "17:20"
    assert [it.number for it in record.items] == [str(n) for n in range(1, 13)]
    score = score_document(record.model_dump(mode="json"), key("lithekod-stormote-2016-05-23"))
    assert score.fields["items"].f1 == 1.0
    assert score.fields["decisions"].f1 == 1.0
    # Spans point into the OCR'd text, on the page the decision stands on.
    block = record.items[7].decision_blocks[1]
    assert block.span.page_start == 2
    assert block.text.startswith("Mötet väljer Amanda Brodell")


def test_documents_table_records_the_ocr_pages():
    record = pipeline.extract(CORPUS / "lithekod-stormote-2020-11-24-scanned.pdf")
    db = store.open_db(":memory:")
    doc_id = store.save(db, record, path="scan.pdf", text="")
    row = db["documents"].get(doc_id)
    assert row["ocr_engine"] == "rapidocr"
    assert json.loads(row["ocr_pages"]) == [1, 2, 3]
    assert len(json.loads(row["ocr_page_confidence"])) == 3
    assert row["ocr_confidence"] == record.document.ocr_confidence > 0.9


# -------------------------------------------------------------------- made from the corpus


def test_rasterised_pdf_with_noise_and_skew_extracts_as_its_original(tmp_path):
    name = "ix-sthlm-styrelsemote-2016-03-14.pdf"
    scan = rasterise(CORPUS / name, tmp_path / "scan.pdf", dpi=200, noise=0.06, skew=0.8)
    original = pipeline.extract(CORPUS / name)
    scanned = pipeline.extract(scan)
    assert scanned.document.ocr_pages == [1, 2]
    assert [(i.number, i.title) for i in scanned.items] == [
        (i.number, i.title) for i in original.items]
    gold = key(name)
    want = score_document(original.model_dump(mode="json"), gold)
    got = score_document(scanned.model_dump(mode="json"), gold)
    for field in ("items", "decisions", "attendees"):
        assert got.fields[field].f1 >= want.fields[field].f1 - 0.05, field


def test_picture_cover_page_is_read_and_the_text_pages_are_not(tmp_path):
    name = "lithekod-styrelsemote-2013-10-09.pdf"
    covered = rasterise(CORPUS / name, tmp_path / "cover.pdf", dpi=200, pages={0})
    original = pipeline.extract(CORPUS / name)
    record = pipeline.extract(covered)
    assert record.document.ocr_pages == [1]
    assert record.meeting.date == original.meeting.date == "2013-10-09"
    assert [a.name for a in record.attendees] == [a.name for a in original.attendees]
    assert [i.number for i in record.items] == [i.number for i in original.items]


# -------------------------------------------------------------------- invented examples


BODY = ["§ 1 Mötets öppnande", "Ordföranden förklarade mötet öppnat.",
        "§ 2 Val av justerare", "Beslut: att välja Åsa Öberg till justerare."]


def test_typed_header_over_a_scanned_page_is_read_once(tmp_path):
    header = ["Styrelsemöte 2021-03-04"]
    path = header_over_picture(tmp_path / "stamped.pdf", header, [""] + BODY)
    source = load(path)
    assert source.metadata["ocr"]["pages"] == [1]
    assert source.text.count("Styrelsemöte 2021-03-04") == 1
    assert "Beslut: att välja Åsa Öberg till justerare." in source.text
    # The header comes from the text layer, the body from the picture, in reading order.
    assert source.text.index("Styrelsemöte") < source.text.index("§ 1 Mötets öppnande")


def test_page_with_text_and_no_picture_is_not_read(tmp_path, monkeypatch):
    def refuse(image, engine):
        raise AssertionError("OCR ran")

    monkeypatch.setattr(ocr, "read", refuse)
    path = text_pdf(tmp_path / "short.pdf", [["Protokoll 2021-03-04"] + BODY, ["Bilaga 1"]])
    source = load(path)
    assert "ocr" not in source.metadata
    assert "Bilaga 1" in source.text


def test_ocr_reads_offline(tmp_path, monkeypatch):
    import numpy as np
    import pypdfium2

    def no_network(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    ocr._rapid_engine.cache_clear()
    doc = pypdfium2.PdfDocument(text_pdf(tmp_path / "page.pdf", [BODY], size=14))
    image = np.array(doc[0].render(scale=200 / 72).to_numpy())
    words = ocr.read(image, "rapidocr")
    assert " ".join(w.text for w in words[:4]) == "§ 1 Mötets öppnande"
    assert {"Åsa", "Öberg"} <= {w.text for w in words}


def test_missing_ocr_engine_is_a_one_line_reason(monkeypatch):
    def missing(engine):
        raise ocr.OcrUnavailable("OCR engine rapidocr is not installed "
                                 "(onnxruntime missing: pip install rapidocr onnxruntime)")

    monkeypatch.setattr(ocr, "check", missing)
    path = CORPUS / "lithekod-stormote-2020-11-24-scanned.pdf"
    with pytest.raises(IngestError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: page 1 has no text layer and needs OCR: OCR engine rapidocr is not "
        "installed (onnxruntime missing: pip install rapidocr onnxruntime)")


def test_missing_tesseract_names_the_packages(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    ocr._tesseract_program.cache_clear()
    try:
        with pytest.raises(ocr.OcrUnavailable,
                           match=r"apt-get install tesseract-ocr tesseract-ocr-swe\)$"):
            ocr.check("tesseract")
    finally:
        ocr._tesseract_program.cache_clear()


@pytest.mark.parametrize("ocr_pages", [[], [2]])
def test_names_misread_on_ocr_pages_are_mended(ocr_pages):
    text = ("Protokoll fört vid styrelsemöte 2021-03-04\n§ 1 Mötets öppnande\n"
            "Simon Lindblad förklarade mötet öppnat. Anna Berg och Erik Borg valdes till "
            "justerare.\n§ 2 Mötets avslutande\nSimon Lindblad avslutade mötet.\n")
    signatures = "Simon Lindblac\tAnna Borg\n"
    metadata = {"ocr": {"engine": "rapidocr", "pages": ocr_pages, "confidence": [0.9],
                        "characters": [25]}} if ocr_pages else {}
    source = Source(Path("signed.pdf"), "pdf", text + signatures,
                    [Page(1, 0, len(text)), Page(2, len(text), len(text) + len(signatures))],
                    "0" * 64, metadata)
    record = pipeline.build_record(source)
    if ocr_pages:
        # One letter off a name the document writes twice: misread. "Anna Borg" is one
        # letter off "Anna Berg" too, but a four-letter surname is never mended.
        assert record.persons == ["Simon Lindblad", "Anna Berg", "Erik Borg", "Anna Borg"]
    else:
        assert record.persons == ["Simon Lindblad", "Anna Berg", "Erik Borg", "Simon Lindblac",
                                  "Anna Borg"]


def test_straighten_levels_the_lines_of_a_skewed_scan():
    # Two lines of four words each, climbing 2 px per 100 px (about 1.1 degrees).
    words = [ocr.OcrWord(f"w{k}", x, x + 80, y - 0.02 * x, y + 30 - 0.02 * x, 0.99, line)
             for line, y in enumerate((500, 545)) for k, x in enumerate(range(100, 500, 100))]
    level = ocr.straighten(words, 1000, 1000)
    for line in (0, 1):
        tops = [w.top for w in level if w.line == line]
        assert max(tops) - min(tops) < 0.5
    lines = layout.lines_from_words(
        [layout.Word(w.text, w.x0, w.x1, w.top, w.bottom, size=25) for w in level], 1)
    assert [ln.text for ln in lines] == ["w0 w1 w2 w3", "w0 w1 w2 w3"]


def test_despeckle_clears_specks_and_keeps_strokes():
    import numpy as np

    image = np.full((40, 40, 3), 255, dtype=np.uint8)
    image[5, 5] = image[20, 30] = 0  # specks of dust
    image[10:30, 15:18] = 0  # a stroke three pixels wide, as a letter at 300 dpi
    clean = ocr.despeckle(image)
    assert clean[5, 5].tolist() == clean[20, 30].tolist() == [255, 255, 255]
    assert (clean[11:29, 15:18] == 0).all()
    # Without specks the image is left as it is: the filter would wear down small marks.
    image[5, 5] = image[20, 30] = 255
    image[8, 16] = 0  # a dot over the stroke, as over an i
    assert (ocr.despeckle(image) == image).all()
