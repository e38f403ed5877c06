"""Decision blocks: one golden test per real-world way of writing a decision."""

from __future__ import annotations

import pytest

from minutes_extract.segment import segment


def _decisions(source):
    return {i.number: i.decisions for i in segment(source).items}


def test_beslut_label_paragraphs(corpus_source, gold):
    # "Beslut: ..." with a wrapped paragraph, and "Beslut :Kommundirektörsgruppen".
    got = _decisions(corpus_source("mlr-kdm-2019-01-29.txt"))
    want = {i["number"]: i["decisions"] for i in gold("mlr-kdm-2019-01-29.txt")["items"]}
    assert got["2"] == []
    assert got["3"] == want["3"]
    assert got["7"][0].startswith("Kommundirektörsgruppen beslutar att MLR ska genomföra")
    assert got["10"] == want["10"]


def test_labels_naming_a_subject(corpus_source):
    # "Beslut Miljö och klimat:" and "Beslut Digitalisering:" are two blocks of item 5.
    items = segment(corpus_source("mlr-kdm-2019-06-11.md")).items
    item5 = next(i for i in items if i.number == "5")
    assert [b.label for b in item5.decision_blocks] == ["Beslut Miljö och klimat",
                                                        "Beslut Digitalisering"]


def test_heading_block_runs_to_the_next_heading(corpus_source):
    # "Kommunstyrelsens beslut" on its own line; the block ends at the page footer.
    items = segment(corpus_source("hogsby-ks-2007-01-08.pdf")).items
    assert items[1].decisions == ["Godkänna rapporten."]
    assert items[1].decision_blocks[0].label == "Kommunstyrelsens beslut"
    assert items[1].decision_blocks[0].span.page_start == 3


def test_att_bullets_under_beslut_heading(corpus_source, gold):
    items = segment(corpus_source("lomma-ks-2025-11-19.txt")).items
    assert items[0].decisions == [
        "Kommunstyrelsen beslutar: att kommunstyrelsen har tagit del av informationen."]


def test_heading_merged_with_page_header_and_proposals_kept_apart(corpus_source, gold):
    # "... BEHANDLING 2019-11-19 Barn- och utbildningsnämndens beslut": the heading is found
    # behind the merged page header, and "Förvaltningens förslag" is not a decision.
    got = _decisions(corpus_source("jonkoping-bun-2019-11-19.md"))
    assert got["148"] == ["Stadsarkivet medges per 2019-12-01 digital åtkomst till handlingar "
                          "vilka av nämnden har överlämnats för slutarkivering."]
    assert len(got["149"]) == 1


def test_proposal_to_the_board_is_the_committees_decision(corpus_source):
    # An arbetsutskott's "Förslag till beslut i kommunstyrelsen" is what it decided;
    # "Förslag till beslut på sammanträdet" is not.
    got = _decisions(corpus_source("kungsbacka-ksau-2025-01-14.md"))
    assert got["31"][0].startswith("Kommunstyrelsen godkänner samrådsredogörelse")
    assert not any("Förslag på kollektivtrafikkörfält" in d for d in got["31"])


def test_decision_sentences_in_association_minutes(corpus_source):
    got = _decisions(corpus_source("ix-sthlm-arsmote-2019.pdf"))
    assert got["2"][0] == "Mötet väljer Michael Stahre till mötesordförande."
    assert got["10"][0].startswith("Mötet fastställer medlemsavgiften för året till: "
                                   "Ungdomar: 0kr/år Vuxna: 200kr/år")
    assert got["1"] == [] and got["4"] == []


def test_passive_decisions_and_continued_sentences(corpus_source):
    got = _decisions(corpus_source("piratpartiet-partistyrelsemote-2013-01-26.txt"))
    assert got["2"][0] == "Till mötesordförande valdes Anders Lindbäck."
    # A verb on a line that continues a sentence about an earlier meeting is no decision.
    stacken = _decisions(corpus_source("stacken-varmote-2018.md"))
    assert stacken["8"] == []
    assert stacken["2"] == ["Mötet valde nsg till mötesordförande."]


def test_own_proposal_to_another_body_is_a_decision():
    from pathlib import Path

    from minutes_extract.ingest import Page, Source
    from minutes_extract.segment import decisions
    from minutes_extract.segment.lines import split_lines

    text = ("Arbetsutskottets förslag till kommunstyrelsen\nAtt anta planen.\n"
            "Kommunstyrelsens förslag till kommunfullmäktige\nAtt anta planen med ändringen.\n"
            "Beslutsunderlag\nTjänsteskrivelse.\n")
    source = Source(Path("x.txt"), "txt", text, [Page(1, 0, len(text))], "0" * 64)
    blocks = decisions.explicit_blocks(split_lines(text), source, "Kommunstyrelsen")
    assert [(b.label, b.text) for b in blocks] == [
        ("Kommunstyrelsens förslag till kommunfullmäktige", "Att anta planen med ändringen.")]
    # In the council's own minutes the same heading names a proposal it received.
    assert decisions.explicit_blocks(split_lines(text), source, "Kommunfullmäktige") == []


def test_minutes_without_numbered_items_keep_their_decisions(corpus_source):
    seg = segment(corpus_source("python-sverige-styrelsemote-2013-01-21.md"))
    assert seg.items == []
    assert seg.decisions[0].text == "Dagordningen godkändes."
    assert any(d.text.startswith("Det beslutades att") for d in seg.decisions)
    # Minutes with numbered items keep every decision under its item.
    assert segment(corpus_source("mlr-kdm-2019-01-29.txt")).decisions == []


def test_beslut_dash_qualifier_heads_a_block(corpus_source):
    # "Beslut – Förslag till kommunfullmäktige": the board's decision, a proposal to council.
    got = _decisions(corpus_source("votes/kungsbacka-ks-2024-08-27.md"))
    assert got["196"][0].startswith("Kommunfullmäktige noterar rapport från nämnden för Individ")
    assert "Sammanfattning" not in got["196"][0]


def test_a_bullet_is_never_a_heading(corpus_source):
    # "•  DO beslut" in a list of information points is no decision heading.
    got = _decisions(corpus_source("votes/kungsbacka-fg-2024-11-13.md"))
    assert got["119"] == ["Nämnden för Förskola & Grundskola har tagit del av informationen "
                          "och antecknar informationen i protokollet."]


def test_delegation_list_is_not_a_decision(corpus_source):
    # "Beslut fattade med stöd av delegation:" lists decisions taken elsewhere; the item's
    # own decision follows under "Beslut:".
    got = _decisions(corpus_source("votes/lomma-bun-2025-10-07.txt"))
    assert got["75"] == ["Barn- och utbildningsnämnden godkänner anmälan av delegationsbeslut "
                         "och meddelanden."]


def test_labelled_minutes_do_not_read_agreements_as_decisions(corpus_source):
    # Items under "Överenskommelse" note information; only those under "Beslut" decide.
    got = _decisions(corpus_source("kungsbacka-revision-2024-03-18.md"))
    assert got["2"] == [] and got["16"] == []
    assert got["7"][0].startswith("Kommunrevisionen beslutar anta budgetäskande")


def test_association_decisions_with_an_auxiliary_and_att_clauses(corpus_source):
    got = _decisions(corpus_source("mbof-styrelsemote-2023-03-20.txt"))
    assert got["7"] == ["Styrelsen beslutade: att föreningen ska boka 2 domännamn"]
    assert len(got["9"]) == 2  # "Styrelsen har beslutade: att ..." twice
    assert got["10"] == ["Beslut om nästa möte, tisdag den 23/5-2023 kl 17:15 i föreningslokalen"]


def _invented(text: str):
    from pathlib import Path

    from minutes_extract.ingest import Page, Source

    return _decisions(Source(Path("x.txt"), "txt", text, [Page(1, 0, len(text))], "0" * 64))


def test_block_ends_at_the_next_block_label():
    got = _invented(
        "§ 1 Budget\nBeslut\nKommunstyrelsen antar budgeten.\n"
        "Protokollsanteckning\nV lämnar en anteckning till protokollet.\n"
        "§ 2 Taxor\nBeslut\nKommunstyrelsen antar taxorna.\nBilaga 3\nTaxetabell för 2027.\n"
        "§ 3 Val\nBeslut\nAnna Berg väljs.\nReservation\nS reserverar sig.\n")
    assert got == {"1": ["Kommunstyrelsen antar budgeten."], "2": ["Kommunstyrelsen antar taxorna."],
                   "3": ["Anna Berg väljs."]}


def test_block_crosses_a_page_break_whole():
    got = _invented(
        "§ 4 Detaljplan\nBeslut\nKommunstyrelsen beslutar att anta detaljplanen för\n"
        "Justerandes sign\nUtdragsbestyrkande\nSida 4 av 9\n"
        "kvarteret Eken, samt att uppdra åt förvaltningen att kungöra beslutet.\n"
        "Sammanfattning av ärendet\nPlanen har varit utställd.\n"
        "§ 5 Övrigt\nBeslut\nInga frågor.\n")
    assert got["4"] == ["Kommunstyrelsen beslutar att anta detaljplanen för kvarteret Eken, samt "
                        "att uppdra åt förvaltningen att kungöra beslutet."]


@pytest.mark.parametrize("sentence", [
    "att fastställa dagordningen",
    "Årsmötet befanns vara behörigen utlyst.",
    "Omval på två år av Anna Berg som kassör.",
    "Uppdrag åt styrelsen att utreda frågan om ny lokal.",
    "Direktionen beslutar att godkänna årsredovisningen.",
    "Skjuter upp punkten till nästa möte.",
])
def test_unlabelled_decisions_of_association_and_federation_minutes(sentence):
    got = _invented(f"1. Ärende\nDiskussion fördes om saken.\n{sentence}\n2. Avslutning\nMötet avslutades.\n")
    assert got["1"] == [sentence]


@pytest.mark.parametrize("sentence, decided", [
    ("Budgeten antogs.", True),
    ("Budgeten ska antas av fullmäktige i juni.", False),
    ("Ansvarsfrihet bör beviljas styrelsen för det gångna året.", False),
    ("Styrelsen beviljas ansvarsfrihet.", True),
])
def test_a_passive_after_a_modal_proposes_rather_than_decides(sentence, decided):
    got = _invented(f"1. Budget\nDiskussion fördes om budgeten.\n{sentence}\n2. Avslutning\nSlut.\n")
    assert (got.get("1") == [sentence]) is decided


@pytest.mark.parametrize("lead", ["Kommunstyrelsen beslutar", "Mötet beslöt", "Beslutade"])
def test_a_decision_verb_alone_on_its_line_leads_in_to_the_decision(lead):
    got = _invented(f"1. Budget\nBudgeten diskuterades.\n{lead}\nAnna Berg väljs till kassör.\n"
                    "2. Avslutning\nSlut.\n")
    assert got["1"] == [f"{lead} Anna Berg väljs till kassör."]


@pytest.mark.parametrize("heading", ["Beslut (forts.)", "Kommunstyrelsens beslut, forts"])
def test_decision_heading_repeated_as_a_continuation(heading):
    got = _invented(f"§ 1 Budget\nÄrendebeskrivning\nBudgeten ska antas.\n{heading}\n"
                    "Kommunstyrelsen antar budgeten.\n§ 2 Taxa\nBeslut\nKommunstyrelsen antar taxan.\n")
    assert got["1"] == ["Kommunstyrelsen antar budgeten."]


def test_headings_in_a_margin_column_beside_their_text():
    got = _invented(
        "§ 1 Budget 2025\n"
        "Ärendebeskrivning\tFörvaltningen har tagit fram ett förslag\ntill budget för nästa år.\n"
        "Beslut\tKommunstyrelsen antar budgeten\nenligt förslaget.\n"
        "Reservation\tS reserverar sig.\n"
        "§ 2 Taxor\nBeslut\tKommunstyrelsen antar taxorna.\n"
        "Yrkanden\tAnna Berg (S) yrkar avslag.\n")
    assert got == {"1": ["Kommunstyrelsen antar budgeten enligt förslaget."],
                   "2": ["Kommunstyrelsen antar taxorna."]}


LABELLED = ("§1 Ekonomi\nKassören redogjorde för ekonomin.\nBeslut: att lägga rapporten till handlingarna\n\n"
            "§2 Budget\nBudgeten diskuterades.\nBeslut: att anta budgeten\n\n"
            "§3 Sommarfest\n{text}\n\n§4 Övrigt\nInga övriga frågor.\n")


def test_a_sentence_that_says_it_decides_counts_in_labelled_minutes():
    items = _invented(LABELLED.format(text="Beslutades att hålla sommarfest den 10 juni."))
    assert items["3"] == ["Beslutades att hålla sommarfest den 10 juni."]


@pytest.mark.parametrize("text", [
    "Styrelsen har beslutat att hålla sommarfest.",  # told, not decided here
    "Styrelsen beslutade 2022-06-17 att hålla sommarfest varje år.",  # an earlier decision
    "Styrelsen godkänner förslaget till sommarfest.",  # unmarked: labels mark decisions here
])
def test_other_decision_sentences_do_not_count_in_labelled_minutes(text):
    assert _invented(LABELLED.format(text=text))["3"] == []


def test_att_clauses_after_a_lead_in_are_one_block():
    items = _invented(LABELLED.format(
        text="Styrelsen beslutade\natt hålla sommarfest den 10 juni\natt Dan Holm ansvarar"))
    assert items["3"] == [
        "Styrelsen beslutade att hålla sommarfest den 10 juni att Dan Holm ansvarar"]


def test_a_decision_heading_run_into_its_text():
    got = _invented("§ 12 Val av justerare\nBeslut Nämnden utser Per Ek att justera protokollet.\n"
                    "Beslutet skickas till Förvaltningen\n"
                    "§ 13 Budget\nBeslut Barn- och utbildningsnämnden antar budgeten för 2027.\n")
    assert got["12"] == ["Nämnden utser Per Ek att justera protokollet."]
    assert got["13"] == ["Barn- och utbildningsnämnden antar budgeten för 2027."]
