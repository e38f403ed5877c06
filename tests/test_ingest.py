"""Reading files into a `Source`: real corpus documents plus focused unit tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from minutes_extract import text
from minutes_extract.ingest import Page, Source, load

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
# The scans are read by OCR: tests/test_ocr.py.
SCANNED = {"lithekod-stormote-2016-05-23.pdf", "lithekod-stormote-2020-11-24-scanned.pdf"}
READABLE = sorted(
    p.name for p in CORPUS.iterdir()
    if p.suffix in (".pdf", ".txt", ".md") and p.name not in SCANNED
)


def lines(source: Source) -> list[str]:
    return source.text.split("\n")


# ------------------------------------------------------------------------ every document

@pytest.mark.parametrize("name", READABLE)
def test_corpus_document_is_clean_and_paged(name, corpus_source):
    source = corpus_source(name)
    assert source.text.strip()
    # Pages tile the text without gaps, in order.
    assert source.pages[0].start == 0 and source.pages[-1].end == len(source.text)
    for before, after in zip(source.pages, source.pages[1:]):
        assert before.end == after.start and after.number == before.number + 1
    for odd in ("\r", "\u00a0", "\u00ad", "\ufb01", "\f"):
        assert odd not in source.text
    assert not any(line != line.rstrip() for line in lines(source))


# ---------------------------------------------------------------------------------- PDF

def test_hogsby_running_header_and_footer_are_gone(corpus_source):
    source = corpus_source("hogsby-ks-2007-01-08.pdf")
    assert len(source.pages) == 14
    assert "HÖGSBY KOMMUN PROTOKOLL" not in source.text
    assert "Justerandes sign" not in source.text
    assert "Utdragsbestyrkande" not in source.text
    # The cover page keeps its own header lines once: they state body and date; the
    # ANSLAG/BEVIS box at its foot states the date once more as a field of its own.
    assert source.text.count("Sammanträdesdatum\t2007-01-08") == 2
    assert lines(source)[:2] == ["HÖGSBY KOMMUN\tProtokoll\t1(14 )", "Kommunstyrelsen"]
    # Paragraph headings survive although their shape recurs at the top of every page.
    assert sum(bool(re.match(r"KS § \d+( [ab])?\tDNR", line)) for line in lines(source)) == 13


def test_hogsby_page_numbers_of_known_strings(corpus_source):
    source = corpus_source("hogsby-ks-2007-01-08.pdf")
    assert source.page_at(source.text.index("Utses att justera")) == 1
    assert source.page_at(source.text.index("KS § 7\t")) == 9
    assert source.page_at(source.text.index("Utseende av arbetsgrupp")) == 10
    assert source.page_at(source.text.rindex("Ändrad starttid för kommunstyrelsens")) == 14


def test_latex_pdf_words_are_spaced_and_line_end_hyphens_joined(corpus_source):
    source = corpus_source("ix-sthlm-arsmote-2019.pdf")
    assert "Kim Lindberger föredrar verksamhetsberättelsen som skickats ut med kallelsen." in lines(source)
    assert "kallel-" not in source.text
    assert source.text.endswith("\n17.4 Justerare\n")  # the bare page number under it is gone


def test_hyphen_before_capital_and_compound_kept(corpus_source):
    source = corpus_source("ix-sthlm-arsmote-2018.pdf")
    assert "17.2 Motion 2 Stadgeändring kring dagordning på årsmöte" in lines(source)
    assert "3D-skrivare" in source.text


def test_word_processor_soft_hyphens_become_hyphens(corpus_source):
    source = corpus_source("lithekod-styrelsemote-2013-10-09.pdf")
    assert lines(source)[0] == "LiTHe Kod\t2013-10-09"
    assert source.text.count("LiTHe Kod\t2013-10-09") == 1  # page 2 repeats it as a header
    assert "- Permanent uppehållsrum åt föreningen" in lines(source)
    assert source.metadata == {}


def test_pdf_metadata_is_kept(corpus_source):
    source = corpus_source("ix-sthlm-arsmote-2017.pdf")
    assert source.format == "pdf"
    assert source.metadata["title"] == "IX Årsmötesprotokoll 2017"


# ------------------------------------------------------------------------------ text files

def test_cp1252_text_is_recognised(tmp_path):
    original = (CORPUS / "ange-ks-2006-05-23.txt").read_text(encoding="utf-8")
    path = tmp_path / "ange.txt"
    path.write_bytes(original.encode("cp1252", errors="replace"))
    source = load(path)
    assert source.metadata["encoding"] == "cp1252"
    assert "Ånge kommunkontor, rum Flataklocken" in source.text
    assert source.sha256 != load(CORPUS / "ange-ks-2006-05-23.txt").sha256


@pytest.mark.parametrize(
    "encoding, name",
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-8", "utf-8")],
)
def test_unicode_encodings(tmp_path, encoding, name):
    path = tmp_path / "doc.txt"
    path.write_bytes("Närvarande\tÅsa Öberg (S)\r\nSida 2\r\n".encode(encoding))
    source = load(path)
    assert source.text == "Närvarande\tÅsa Öberg (S)\nSida 2\n"
    assert source.metadata["encoding"] == name


def test_form_feeds_split_pages_and_running_heads_go(corpus_source):
    source = corpus_source("lomma-ks-2025-11-19.txt")
    assert len(source.pages) == 14
    assert "Sida 5 av 14" not in source.text
    assert "Protokollet har justerats digitalt\n" not in source.text[source.pages[1].start:]
    assert source.page_at(source.text.index("KS § 134")) == 7


def test_plain_text_with_line_breaks_passes_through(corpus_source):
    source = corpus_source("mlr-kdm-2019-01-29.txt")
    raw = (CORPUS / "mlr-kdm-2019-01-29.txt").read_text(encoding="utf-8")
    expected = "\n".join(line.rstrip() for line in raw.split("\n")).rstrip("\n") + "\n"
    # Only line ends change: trailing spaces, and words split by a hyphen joined.
    assert source.text != expected and source.text == text.join_hyphenated(expected)
    assert "Skånes KSO-konferens\npå eftermiddagen." in source.text
    assert "offentligt-näringsliv-idéburet" in source.text
    assert "MLR-kommunerna" in source.text


def test_docplayer_transcript_is_split_into_pages_and_lines(corpus_source):
    source = corpus_source("ange-ks-2006-05-23.txt")
    assert source.metadata["layout"] == "transcript"
    assert len(source.pages) == 3
    assert lines(source)[:3] == ["Plats och tid för sammanträdet", "Beslutande", "Ej beslutande"]
    assert "Paragrafer" in lines(source)
    for boilerplate in ("Storlek: px", "Starta visningen", "Download", "Transkript", "1 (39)"):
        assert boilerplate not in source.text
    assert source.metadata["title"].startswith("Sammanträdesdatum")
    assert source.page_at(source.text.index("Innehållsförteckning")) == 3


def test_transcript_numbered_agenda_and_role_after_party_tag(corpus_source):
    umea = corpus_source("umearegionen-regionradet-spiran-sikea.txt")
    assert "1. Mötets öppnande" in lines(umea) and "17. Mötets avslutande" in lines(umea)
    assert "2(8)" not in umea.text
    kungalv = corpus_source("kungalv-ks-2005-09-07.txt")
    # "Ordförande" right after "(s)" is that person's role, not a new header field.
    assert "Miguel Odhner (s) Ordförande Bengt Gustafsson (m)" in kungalv.text
    assert "Ordförande Miguel Odhner (s)" in lines(kungalv)


def test_transcript_paragraph_starts_get_their_own_lines(tmp_path):
    page2 = (
        "2 2 (3) § 65 Dnr 2006/12 Framtidsstrategi med treårsbudget Ärendet har beretts "
        "enligt § 12 i reglementet och diskuterades länge av ledamöterna under mötet. "
        "Kommunstyrelsens beslut Beslut Kommunstyrelsen godkänner förslaget. § 66 Motionssvar "
        "Förändring av överförmynderiverksamheten diskuterades också av nämnden idag."
    )
    page1 = (
        "1 1 (3) Plats och tid Kommunkontoret kl 13.00 Beslutande Anna Ek, s, ordförande "
        "Bo Ek, m Ej beslutande Cecilia Ek, v Justerare Bo Ek Paragrafer 65-66 Underskrifter "
        "Sekreterare Dan Ek Ordförande Anna Ek ANSLAG/BEVIS Protokollet är justerat och "
        "anslaget på kommunens anslagstavla enligt lag."
    )
    path = tmp_path / "transcript.txt"
    path.write_text(
        f"Titel\n\nStorlek: px\nStarta visningen från sidan:\n\nDownload \"Titel\"\n\nTranskript\n\n"
        f"{page1}\n\n{page2}\n\n3 3 (3)\n",
        encoding="utf-8",
    )
    source = load(path)
    got = lines(source)
    assert "Beslutande Anna Ek, s, ordförande Bo Ek, m" in got
    assert any(line.startswith("§ 65 Dnr 2006/12") and "enligt § 12 i reglementet" in line for line in got)
    assert any(line.startswith("§ 66 Motionssvar") for line in got)
    assert "Beslut Kommunstyrelsen godkänner förslaget." in got
    assert [p.number for p in source.pages] == [1, 2, 3]
    assert source.page_at(source.text.index("§ 66")) == 2
    assert source.metadata["title"] == "Titel"


def _transcript(tmp_path, *pages: str) -> Source:
    path = tmp_path / "transcript.txt"
    body = "\n\n".join(f"{n} {page}" for n, page in enumerate(pages, 1))
    path.write_text(f"Titel\n\nTranskript\n\n{body}\n", encoding="utf-8")
    return load(path)


def test_transcript_numbered_items_after_an_unnumbered_opening(tmp_path):
    # The first point has no number; the numbered ones hold their text, each after a
    # finished sentence; a heading ends where a label of its text begins.
    page = ("Anteckningar Mötet öppnas Ordföranden hälsade alla välkomna och öppnade mötet. "
            "2. Budget 2025 Föredragande: Anna Berg Anna Berg redogjorde för förslaget till "
            "budget och svarade på frågor från ledamöterna om investeringarna. "
            "3. Övriga frågor Inga övriga frågor anmäldes till mötet denna gång. Sida 1 av 1")
    got = lines(_transcript(tmp_path, page))
    assert "2. Budget 2025" in got and "3. Övriga frågor Inga övriga frågor anmäldes till " \
        "mötet denna gång." in got
    assert any(line.startswith("Föredragande: Anna Berg") for line in got)


def test_transcript_numbered_list_in_running_text_stays_in_its_sentence(tmp_path):
    # Short entries that are sentences of their own are a list, not items.
    page = ("Dialogen visade tre områden som behöver arbete under året. 2. Mer struktur i "
            "arbetet. 3. Bättre uppföljning. 4. Tydligare roller. Gruppen arbetar vidare.")
    source = _transcript(tmp_path, page)
    assert not any(line.startswith(("2.", "3.")) for line in lines(source))


# -------------------------------------------------------------------------------- Markdown

def test_kungsbacka_page_markers_and_front_matter(corpus_source):
    source = corpus_source("kungsbacka-ksau-2025-01-14.md")
    assert len(source.pages) == 14
    assert source.metadata["kommun"] == "kungsbacka" and source.metadata["sidor"] == "14"
    assert "kalla_url" not in source.text and "<!--" not in source.text
    assert source.text.count("Kommunstyrelsens arbetsutskott\nDatum\n2025-01-14") == 1
    # Only the e-signature page at the end keeps them; the page footers are gone.
    assert source.text.count("Transaktionsidentitet") == 2
    assert source.page_at(source.text.index("Transaktionsidentitet")) == 13
    assert "2 (12)" not in source.text
    assert source.page_at(source.text.index("§ 29 Dnr")) == 2  # the contents list
    assert lines(source)[0] == "KUNGSBACKA KOMMUN                  SAMMANTRÄDESPROTOKOLL"


def test_jonkoping_tables_headings_and_converter_markers(corpus_source):
    source = corpus_source("jonkoping-bun-2019-11-19.md")
    assert source.metadata["namnd"] == "Barn- och utbildningsnämnden"
    assert "Plats och tid | Rumlaborg kl. 08:30-12:10 & 13:00-15.15" in lines(source)
    assert "Beslutande: | Anna Carlsson (S), ordförande" in lines(source)
    assert "Brita Klerck (S), tjänstgörande ersättare" in lines(source)
    for markup in ("**", "|---", "==>", "##", "datum:"):
        assert markup not in source.text


def test_nikola_comment_metadata_and_numbered_headings(corpus_source):
    source = corpus_source("stacken-extramote-2017.md")
    assert source.metadata["title"] == "Protokoll föreningsmöte 21 september"
    assert source.metadata["slug"] == "extra-meeting-minutes"
    assert "<!--" not in source.text and "TEASER_END" not in source.text
    assert "1. Mötets öppnande" in lines(source)


def test_toml_front_matter(corpus_source):
    source = corpus_source("ix-sthlm-styrelsemote-2017-03-17.md")
    assert source.metadata["title"] == "Konstituerande styrelsemöte för 2017"
    assert "+++" not in source.text
    assert lines(source)[0] == "IX Styrelse hade denna dag sitt första styrelsemöte för 2017."
    assert "Val av Mötesordförande" in lines(source)


def test_headings_without_space_and_bullets(corpus_source):
    source = corpus_source("python-sverige-arsmote-2014-05-21.md")
    assert "1. Val av mötesordförande" in lines(source)
    assert "Datum: 2014-05-21" in lines(source)
    assert "- Ana Hristova" in lines(source)


def test_pandoc_title_block(corpus_source):
    source = corpus_source("python-sverige-styrelsemote-2013-01-08.md")
    assert source.metadata["date"] == "2013-01-08"
    assert source.metadata["title"] == "Styrelsemöte - Python Sverige"
    # Pandoc prints the block as the title lines, so they stay readable in the text too.
    assert lines(source)[:4] == [
        "Styrelsemöte - Python Sverige",
        "Sekreterare: Frej Connolly",
        "Justerare: Tome Cvitan och Jyrki Pulliainen",
        "2013-01-08",
    ]
    assert "%" not in source.text and "=====" not in source.text
    assert "Mötets öppnande" in lines(source)


def test_html_breaks_and_emphasis_across_lines(corpus_source):
    english = corpus_source("python-sverige-arsmote-2023-05-23-english.md")
    assert "<br>" not in english.text
    assert "Organization name: Python Sverige" in lines(english)
    mlr = corpus_source("mlr-kdm-2019-06-11.md")
    assert "Sebastian Drott, enhetschef, Näringslivskontoret Malmö stad" in lines(mlr)
    assert "*" not in mlr.text


def test_markdown_saved_as_txt_is_read_as_markdown(corpus_source):
    source = corpus_source("lithekod-styrelsemote-2021-09-02.txt")
    assert source.format == "txt" and source.metadata["markup"] == "markdown"
    assert "Närvarande" in lines(source) and "#" not in source.text


def test_markdown_inline_syntax():
    md = (
        "## **Beslut** om [budget](http://x.se/a_(b)) #\n"
        "* punkt med *betoning* och __fetstil__ och `kod`\n"
        "|a| |b|\n|---|---|---|\n"
        "Rad ett<br>rad två &amp; snake_case_namn\n"
        "Setext-rubrik\n=======\n"
        "**==> picture [120 x 40] intentionally omitted <==**\n"
    )
    assert text.markdown_to_text(md).strip().split("\n") == [
        "Beslut om budget",
        "- punkt med betoning och fetstil och kod",
        "a |  | b",
        "Rad ett",
        "rad två & snake_case_namn",
        "Setext-rubrik",
    ]


def test_markdown_table_keeps_empty_cells_between_filled_ones():
    # In a voting table the column of the X is the vote; empty cells at the ends still go.
    md = "|  | Ja | Nej | Avstår |\n| --- | --- | --- | --- |\n| Eva Ek (M) |  | X |  |\n"
    assert text.markdown_to_text(md).strip().split("\n") == [
        "Ja | Nej | Avstår", "Eva Ek (M) |  | X"]


# ------------------------------------------------------------------------------ unit level

def test_join_hyphenated():
    assert text.join_hyphenated("för kommun-\nstyrelsen i dag") == "för kommunstyrelsen\ni dag"
    assert text.join_hyphenated("med kallel-\nsen.") == "med kallelsen."
    assert text.join_hyphenated("miljö- och hälsoskydd") == "miljö- och hälsoskydd"
    assert text.join_hyphenated("Barn- och miljö-\noch hälso") == "Barn- och miljö-\noch hälso"
    assert text.join_hyphenated("alla MLR-\nkommunerna") == "alla MLR-kommunerna"
    assert text.join_hyphenated("Malmö-\nLund") == "Malmö-\nLund"
    assert text.join_hyphenated("2019-\n2020") == "2019-\n2020"
    assert text.join_hyphenated("offentligt-näringsliv-\nidéburet") == "offentligt-näringsliv-idéburet"


def test_normalise_odd_characters():
    raw = "Ärende\u00a0ﬁnns\u2011här  \r\nkl.\u202f15\u2212\u200b17\r"
    assert text.normalise(raw) == "Ärende finns-här\nkl. 15-17\n"
    assert text.normalise("A\u030angermanland") == "Ångermanland"
    assert text.drop_soft_hyphens("kommun\u00adstyrelsen") == "kommunstyrelsen"


def test_strip_furniture_generalises_over_numbers():
    pages = [
        f"ÖREBRO KOMMUN SAMMANTRÄDESPROTOKOLL\nSida {n} av 3\nSammanträdesdatum 2024-0{n}-01\n"
        f"§ {n} Ärende nummer {n}\n{body}\nJusterandes signatur\n{n} (3)"
        for n, body in ((1, "Mötet öppnas."), (2, "Budgeten godkänns."), (3, "Mötet avslutas."))
    ]
    out = text.strip_furniture(pages)
    # The cover keeps its heading and date but not its page number or signature box.
    assert out[0] == (
        "ÖREBRO KOMMUN SAMMANTRÄDESPROTOKOLL\nSammanträdesdatum 2024-01-01\n"
        "§ 1 Ärende nummer 1\nMötet öppnas."
    )
    assert out[1] == "§ 2 Ärende nummer 2\nBudgeten godkänns."
    assert out[2] == "§ 3 Ärende nummer 3\nMötet avslutas."


def test_page_at_and_empty_pages():
    source = Source(Path("x.txt"), "txt", "ab\ncd\n", [Page(1, 0, 3), Page(2, 3, 3), Page(3, 3, 6)], "0")
    assert [source.page_at(i) for i in (0, 2, 3, 5, 6)] == [1, 1, 3, 3, 3]
    assert Source(Path("x"), "txt", "", [], "0").page_at(0) is None


# ------------------------------------------------------------------------------- layout


def test_hogsby_cover_labels_and_values_are_cells_of_one_line(corpus_source):
    source = corpus_source("hogsby-ks-2007-01-08.pdf")
    line = next(ln for ln in source.lines if ln.text.startswith("Plats och tid"))
    assert [c.text for c in line.cells] == [
        "Plats och tid", "Kommunhusets tingssal måndagen den 8 januari 2007"]
    assert line.measured and line.page == 1
    value = line.cells[1]
    assert source.text[value.start:value.end] == value.text
    assert value.x0 > line.cells[0].x1 + 1.5 * line.size


def test_every_word_of_a_pdf_line_points_at_its_text(corpus_source):
    source = corpus_source("ix-sthlm-arsmote-2019.pdf")
    words = [w for ln in source.lines for w in ln.words]
    assert len(words) > 300
    for w in words:
        written = source.text[w.start:w.end]
        # A word split at a line end keeps its first part here; its rest joined it above.
        assert written == w.text or (w.text.endswith("-") and written == w.text[:-1]), w


def test_pdfplumber_engine_reads_the_same_text(corpus_source):
    from minutes_extract.ingest import load

    pdfium = corpus_source("lithekod-stormote-2019-05-21.pdf")
    plumber = load(pdfium.path, pdf_engine="pdfplumber")
    assert plumber.text == pdfium.text


def test_transcript_item_parts_get_their_own_lines_and_a_running_head_as_page_number(tmp_path):
    from minutes_extract.segment import segment

    page = ("(3) Nämnden Sammanträdesprotokoll § 13 Dnr BUN 2023/17 Skolskjuts, riktlinjer 2023 "
            "Sammanfattning Förvaltningen har reviderat riktlinjerna för skolskjuts under hösten. "
            "Beslutsunderlag Tjänsteskrivelse 2023-01-30 Beslut Nämnden antar reviderade "
            "riktlinjer för skolskjuts. Beslutet skickas till Förvaltningen")
    path = tmp_path / "transcript.txt"
    # The page's number is the running head itself: "1 (3)", "2 (3)".
    path.write_text("Titel\n\nTranskript\n\n1 " + page + "\n\n2 " + page.replace("§ 13", "§ 14")
                    + "\n", encoding="utf-8")
    source = load(path)
    got = lines(source)
    assert "Sammanfattning Förvaltningen har reviderat riktlinjerna för skolskjuts under hösten." in got
    assert "Beslutet skickas till Förvaltningen" in got
    assert not any(line.startswith("(3)") for line in got)
    item = segment(source).items[0]
    assert (item.title, item.case_number) == ("Skolskjuts, riktlinjer 2023", "Dnr BUN 2023/17")
    assert item.decisions == ["Nämnden antar reviderade riktlinjer för skolskjuts."]
