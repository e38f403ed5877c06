"""Numbered agenda items: one golden test per real-world numbering variant."""

from __future__ import annotations

import pytest

from minutes_extract.ingest import Page, Source
from minutes_extract.segment.items import find_items


def _numbers(items):
    return [i.number for i in items]


def _text_source(text: str) -> Source:
    from pathlib import Path

    return Source(Path("x.txt"), "txt", text, [Page(1, 0, len(text))], "0" * 64)


def test_ks_paragraphs_with_letter_suffix_and_quoted_paragraphs(corpus_source):
    # "KS § 3 a" is item 3a; "KU § 317" quoted inside § 8 and the numbered list inside
    # § 1 open no items.
    items = find_items(corpus_source("hogsby-ks-2007-01-08.pdf"))
    assert _numbers(items) == ["1", "2", "3a", "3b", "4", "5", "6", "7", "8", "9", "10",
                               "11", "12"]
    assert items[0].title == "Godkännande av dagordning"
    assert items[0].case_number.startswith("DNR")
    assert items[2].span.page_start == 4


def test_table_of_contents_does_not_shadow_the_paragraphs(corpus_source, gold):
    # The contents list names §§ 28-32 first; the items are the paragraphs in the body,
    # and the 26 numbered yrkanden inside § 31 are not items.
    source = corpus_source("kungsbacka-ksau-2025-01-14.md")
    items = find_items(source)
    assert _numbers(items) == ["28", "29", "30", "31", "32"]
    assert items[0].span.page_start == 3
    assert items[3].title.startswith("Godkännande av samrådsredogörelse")


def test_title_on_the_line_below_a_case_number(corpus_source, gold):
    items = find_items(corpus_source("lomma-ks-2025-11-19.txt"))
    expected = gold("lomma-ks-2025-11-19.txt")["items"]
    assert _numbers(items) == [i["number"] for i in expected]
    assert [i.title for i in items][:2] == ["Meddelanden och delegationsbeslut",
                                            "Kommundirektören informerar"]


def test_bare_section_numbers_from_latex(corpus_source):
    # "1 Öppnande av mötet"; sub-sections "2.1 Val av ..." belong to item 2.
    items = find_items(corpus_source("ix-sthlm-arsmote-2019.pdf"))
    assert _numbers(items) == [str(n) for n in range(1, 18)]
    assert items[1].title == "Mötesfunktionärer"


def test_nested_numbered_list_inside_an_item(corpus_source):
    # Item 7 holds its own list "1. Inför ett halvårsmöte ..."; it opens no items.
    items = find_items(corpus_source("lithekod-stormote-2019-05-21.pdf"))
    assert _numbers(items) == [str(n) for n in range(1, 13)]
    assert items[6].title == "Motioner och propositioner"


def test_markdown_headings_with_letter_items(corpus_source):
    items = find_items(corpus_source("stacken-varmote-2018.md"))
    assert "10a" in _numbers(items)
    assert items[0].title == "Mötets öppnande"


def test_paragraph_alone_on_its_line_has_no_title(corpus_source):
    # "§ 1." stands alone and the sentence below it is the item's text, not its title.
    items = find_items(corpus_source("varbygd1891-styrelsemote-2005-03-28.txt"))
    assert [(i.number, i.title) for i in items] == [("1", ""), ("2", "Styrelseval")]


def test_paragraph_sign_quoted_in_running_text_is_not_an_item():
    text = (
        "§ 120 Budget\nKommunstyrelsen beslutade enligt förslaget.\n"
        "§ 121 Detaljplan\nÄrendet återremitterades, se\n"
        "§ 98 i protokollet från den 3 maj.\n"
        "§ 122 Övrigt\nInga övriga frågor.\n"
    )
    assert _numbers(find_items(_text_source(text))) == ["120", "121", "122"]


def test_no_agenda_gives_no_items():
    text = "Styrelsemöte\nVi pratade om sommaren.\n1 punkt var kvar.\n"
    assert find_items(_text_source(text)) == []


def test_presenters_are_the_names_under_foredragande(corpus_source):
    items = find_items(corpus_source("mlr-kdm-2019-01-29.txt"))
    assert items[1].presenters == ["Ulrika Geeraedts", "Anna Normann"]
    assert items[2].presenters == ["Gunnar Bergström"]
    assert items[0].presenters == []


def test_list_restarting_at_one_inside_an_item_is_nested(corpus_source):
    # Item 8 holds lists "1. ... 12." (Google Docs numbering on its own lines); their 9-12
    # must not stand in for the agenda's 9-12.
    items = find_items(corpus_source("lithekod-stormote-2019-11-12.pdf"))
    assert _numbers(items) == [str(n) for n in range(1, 16)]
    assert items[8].title.startswith("Föregående verksamhetsårs styrelses ekomomiska")


def test_contents_list_names_paragraphs_the_body_does_not_hold(corpus_source):
    # §§ 77-78 were justerade at once and stand in a protocol of their own: the contents
    # list names them, the body does not. They are items without text, and the body's
    # decisions stay with their own items.
    from minutes_extract.segment import segment

    seg = segment(corpus_source("votes/lomma-bun-2025-10-07.txt"))
    assert _numbers(seg.items) == [str(n) for n in range(66, 79)]
    by_number = {i.number: i for i in seg.items}
    assert by_number["77"].decisions == [] and by_number["78"].decisions == []
    assert by_number["75"].decisions == [
        "Barn- och utbildningsnämnden godkänner anmälan av delegationsbeslut och meddelanden."]
    assert [w.kind for w in seg.warnings] == ["contents_mismatch"]


def test_number_alone_on_its_line_above_the_title(corpus_source):
    # "1" / "Mötets öppnande"; "5" at the top of page 5 is the item's number, not the page's
    # (the running head already says "5 (10)").
    items = find_items(corpus_source("kungsbacka-revision-2024-03-18.md"))
    assert _numbers(items) == [str(n) for n in range(1, 23)]
    assert items[4].title.startswith("Förslag dialogfrågor")


def test_case_number_in_a_cell_beside_the_paragraph(corpus_source):
    # "KF § 31<tab>KS KF/2023:3", the title on the next line.
    items = find_items(corpus_source("lomma-kf-2023-04-20.pdf"))
    assert items[0].number == "31" and items[0].case_number == "KS KF/2023:3"
    assert "KF/2023" not in items[0].title


@pytest.mark.parametrize("case_line", ["Dnr KS 2019/123", "2026.034 SN", "KS-2025-00970",
                                       "BUN/2025:1", "Dnr: KF/2006.366"])
def test_a_diarienummer_line_is_never_the_title(case_line):
    text = (f"§ 12\n{case_line}\nBudget för 2027\nKommunstyrelsen beslutar att anta budgeten.\n"
            f"§ 13\n{case_line}\nÖvriga frågor\nInga övriga frågor.\n")
    items = find_items(_text_source(text))
    assert [(i.number, i.title) for i in items] == [("12", "Budget för 2027"), ("13", "Övriga frågor")]
    assert items[0].case_number == case_line


def test_number_before_the_paragraph_sign():
    text = "53 § Val av justerare\nAnna Berg utses.\n54 § Budget\nBudgeten antas.\n"
    assert _numbers(find_items(_text_source(text))) == ["53", "54"]


def test_a_protocol_of_one_paragraph_is_one_item():
    text = ("Kommunfullmäktige\nSammanträdesdatum 2024-05-06\n"
            "§ 45 Avsägelse från uppdrag\nKommunfullmäktige beviljar avsägelsen.\n"
            "1. Anna Berg\n2. Bo Ek\n")
    items = find_items(_text_source(text))
    assert [(i.number, i.title) for i in items] == [("45", "Avsägelse från uppdrag")]


def test_a_markdown_list_of_ones_counts_in_order():
    text = "1. Mötets öppnande\nÖppnat.\n1. Val av justerare\nAnna.\n1. Budget\nAntogs.\n"
    items = find_items(_text_source(text))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Mötets öppnande"), ("2", "Val av justerare"), ("3", "Budget")]


def test_contents_list_under_a_heading_opens_no_items():
    text = ("Innehåll\n§ 1 Öppnande\n§ 2 Budget\n§ 3 Övrigt\n\n"
            "§ 1 Öppnande\nOrdföranden öppnar mötet och hälsar alla välkomna till sammanträdet.\n"
            "§ 2 Budget\nKommunstyrelsen beslutar att anta förslaget till budget för år 2027.\n"
            "§ 3 Övrigt\nInga övriga frågor anmäldes till dagens sammanträde.\n")
    items = find_items(_text_source(text))
    assert _numbers(items) == ["1", "2", "3"]
    assert text[items[0].span.start:].startswith("§ 1 Öppnande\nOrdföranden")


def test_chain_cost_is_linear_in_candidates():
    # Twenty thousand "§ 1" lines: the chain looks at a bounded number of predecessors.
    import time

    text = "§ 1 Öppnande\n" * 20_000 + "§ 2 Budget\n"
    started = time.process_time()
    items = find_items(_text_source(text))
    assert time.process_time() - started < 5.0
    assert _numbers(items) == ["1", "2"]


def test_paragraph_number_in_a_column_at_the_right_of_its_heading():
    text = ("Kommunstyrelsen\nSammanträdesdatum 2024-05-06\n"
            "Mötets öppnande\t§ 1\nOrdföranden öppnar mötet.\n"
            "Budget 2025\tKS § 2\nKommunstyrelsen antar budgeten enligt § 5 i reglementet.\n"
            "Taxor\t§ 3\nKommunstyrelsen antar taxorna.\n")
    items = find_items(_text_source(text))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Mötets öppnande"), ("2", "Budget 2025"), ("3", "Taxor")]


def test_a_number_that_ends_a_heading_is_part_of_its_title():
    # A property, a stage, a round: "Ekorren 4" is the title's, not a page number.
    text = ("§ 32\nBygglov för nybyggnad av förskola, Ekorren 4\nNämnden beviljar bygglov.\n"
            "§ 33\nLokal trafikföreskrift - Björkris etapp 2\nNämnden antar föreskriften.\n")
    items = find_items(_text_source(text))
    assert [i.title for i in items] == ["Bygglov för nybyggnad av förskola, Ekorren 4",
                                        "Lokal trafikföreskrift - Björkris etapp 2"]


def test_page_numbers_of_a_contents_list_are_cut_from_its_entries():
    # Entries of a cut protocol: the contents list is all there is, a page number in a
    # column after each entry, one set off by a single blank.
    text = ("Innehåll\n§ 1 Öppnande    2\n§ 2 Budget för 2027 3\n§ 3 Kv. Eken 4    5\n\n"
            "Protokollet i övrigt finns hos kansliet.\n")
    items = find_items(_text_source(text))
    assert [(i.number, i.title) for i in items] == [
        ("1", "Öppnande"), ("2", "Budget för 2027"), ("3", "Kv. Eken 4")]


def test_a_filing_code_after_the_case_number_is_no_title():
    text = ("§ 148\nDigital åtkomst för stadsarkivet Bun/2019:810 004\nNämnden godkänner.\n"
            "§ 149\nÖvrigt\nInga frågor.\n")
    items = find_items(_text_source(text))
    assert items[0].title == "Digital åtkomst för stadsarkivet"
