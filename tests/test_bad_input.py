"""Files ingest cannot read: each gives a one-line `IngestError` naming the file and reason."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from minutes_extract import ingest
from minutes_extract.ingest import IngestError, load

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
HOGSBY = CORPUS / "hogsby-ks-2007-01-08.pdf"


def reason(path, **kwargs) -> str:
    with pytest.raises(IngestError) as info:
        load(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(str(path))
    assert info.value.reason[0].islower()
    return info.value.reason


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_zero_byte_file(tmp_path):
    assert reason(write(tmp_path, "a.pdf", b"")) == "empty file (0 bytes)"
    assert reason(write(tmp_path, "a.txt", b"")) == "empty file (0 bytes)"


def test_whitespace_only_text_is_an_empty_document(tmp_path):
    assert reason(write(tmp_path, "a.md", b" \n\t\n\n")) == "empty document"
    assert reason(write(tmp_path, "b.md", b"---\ntitle: x\n---\n\n<!-- c -->\n")) == "empty document"


def test_truncated_pdf(tmp_path):
    data = HOGSBY.read_bytes()
    assert reason(write(tmp_path, "half.pdf", data[: len(data) // 2])).startswith("truncated PDF")
    assert reason(write(tmp_path, "tail.pdf", data[:-40])).startswith("truncated PDF")


def test_corrupt_cross_reference_table_is_recovered(tmp_path):
    data = HOGSBY.read_bytes()
    # Every object offset zeroed: pdfminer alone finds no pages; the rebuilt copy reads.
    broken = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"0000000000 " + m.group(2) + b" n", data)
    assert broken != data
    source = load(write(tmp_path, "xref.pdf", broken))
    assert len(source.pages) == 14
    assert source.text == load(HOGSBY).text


def test_wrong_startxref_is_recovered(tmp_path):
    data = HOGSBY.read_bytes()
    cut = data.rindex(b"startxref")
    source = load(write(tmp_path, "sx.pdf", data[:cut] + b"startxref\n999999999\n%%EOF\n"))
    assert "Utseende av arbetsgrupp" in source.text


def test_unrecoverable_pdf_structure(tmp_path):
    data = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    assert reason(write(tmp_path, "bad.pdf", data)).startswith(("damaged PDF", "unreadable PDF"))


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(CORPUS / "ix-sthlm-arsmote-2017.pdf"))
    writer.encrypt(user_password=user_password, owner_password="ägare", algorithm="AES-128")
    path = tmp_path / f"enc-{len(user_password)}.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path):
    path = _encrypted(tmp_path, "")
    assert b"/Encrypt" in path.read_bytes()
    source = load(path)
    assert source.text == load(CORPUS / "ix-sthlm-arsmote-2017.pdf").text


def test_encrypted_pdf_with_password(tmp_path):
    assert reason(_encrypted(tmp_path, "hemligt")) == "encrypted PDF (password required)"


def test_pdf_without_text_layer(tmp_path):
    # A text PDF whose content streams are emptied keeps its pages but loses all text.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(CORPUS / "ix-sthlm-arsmote-2017.pdf").pages:
        writer.add_blank_page(width=page.mediabox.width, height=page.mediabox.height)
    path = tmp_path / "blank.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert reason(path) == "no text (no text layer and no picture to read)"


def test_page_limit(tmp_path):
    assert reason(HOGSBY, max_pages=5) == "too many pages (14 > 5)"
    # The declared count is checked before any page is parsed.
    data = HOGSBY.read_bytes()
    assert data.count(b"/Count 14") == 1
    claimed = write(tmp_path, "many.pdf", data.replace(b"/Count 14", b"/Count 99"))
    assert reason(claimed, max_pages=50) == "too many pages (99 > 50)"


def test_time_limit_is_checked_between_pages():
    assert reason(HOGSBY, timeout=0) == "time limit exceeded after 0 of 14 pages"


def test_non_pdf_bytes_named_pdf(tmp_path):
    path = write(tmp_path, "page.pdf", b"<html><body>Protokoll</body></html>\n")
    assert reason(path) == "not a PDF (no %PDF header)"


@pytest.mark.parametrize("name", ["junk.txt", "junk.md"])
def test_binary_junk_named_text(tmp_path, name):
    assert reason(write(tmp_path, name, os.urandom(4096) + bytes(range(256)))) == "not text: binary content"


def test_pdf_bytes_named_txt_are_not_text(tmp_path):
    assert reason(write(tmp_path, "x.txt", HOGSBY.read_bytes())) == "not text: binary content"


def test_unsupported_extension(tmp_path):
    assert reason(write(tmp_path, "minutes.odt", b"PK\x03\x04")) == "unsupported file type (.odt)"


def test_file_without_extension_is_sniffed(tmp_path):
    assert load(write(tmp_path, "protokoll", HOGSBY.read_bytes())).format == "pdf"
    assert load(write(tmp_path, "notes", "§ 1 Öppnande\n".encode())).format == "txt"


def test_directory_missing_file_and_broken_symlink(tmp_path):
    (tmp_path / "dir.pdf").mkdir()
    assert reason(tmp_path / "dir.pdf") == "is a directory, not a file"
    assert reason(tmp_path / "missing.txt") == "file not found"
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert reason(link) == "broken symbolic link"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_on_disk(tmp_path):
    path = write(tmp_path, "secret.txt", b"hemligt protokoll")
    path.chmod(0)
    try:
        assert reason(path) == "permission denied"
    finally:
        path.chmod(0o644)


def test_permission_denied_code_path(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.txt", b"hemligt protokoll")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest, "open", denied, raising=False)
    assert reason(path) == "permission denied"


def test_text_size_limit(tmp_path, monkeypatch):
    monkeypatch.setitem(ingest.rules.load("ingest")["limits"], "text_max_megabytes", 1)
    path = write(tmp_path, "big.txt", b"Protokoll rad\n" * 100_000)
    assert reason(path) == "text file too large (1 MB, limit 1 MB)"


def test_text_with_a_dotted_leader_contents_list_is_not_binary(tmp_path):
    entries = ["Mötets öppnande", "Val av justerare", "Godkännande av dagordning",
               "Budget 2024", "Motion om cykelvägar", "Övriga frågor", "Mötets avslutande"]
    contents = "Innehåll\n" + "".join(f"§ {k} {e} {'.' * (90 - len(e))} {k + 1}\n"
                                      for k, e in enumerate(entries, 1))
    body = ("Protokoll fört vid styrelsemöte 2024-03-04\n§ 1 Mötets öppnande\n"
            "Ordföranden öppnade mötet.\n§ 2 Val av justerare\nBeslut: att välja Erik Berg.\n")
    source = load(write(tmp_path, "toc.txt", (contents + body).encode()))
    assert "§ 3 Godkännande av dagordning ....." in source.text
    # Junk with as few letters is still refused: only runs of one mark are typography.
    junk = "".join(f"{k}%;{k * 7}#@{k}!&/" for k in range(400)) + " Protokoll"
    assert reason(write(tmp_path, "junk.txt", junk.encode())) == "not text: binary content"
