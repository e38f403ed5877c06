"""Votes: counts, what ja meant, the result, ballots and their check against the counts.

Golden tests per real-world variant (corpus/votes) first, then focused tests on small
invented examples, one per way minutes write a vote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from minutes_extract.ingest import Page, Source
from minutes_extract.models import Item, Span
from minutes_extract.pipeline import extract
from minutes_extract.segment import proceedings

VOTES = Path(__file__).resolve().parents[1] / "corpus" / "votes"


@pytest.fixture
def item(extracted):
    def find(name: str, number: str):
        return next(it for it in extracted(f"votes/{name}").items if it.number == number)
    return find


def _counts(vote) -> tuple:
    return (vote.yes, vote.no, vote.abstain)


def read(text: str, number: str = "12"):
    """The item and warnings for invented minutes text that is all one item."""
    source = Source(path=Path("invented.txt"), format="txt", text=text,
                    pages=[Page(1, 0, len(text))], sha256="0" * 64)
    item = Item(number=number, title="Ärendet", span=Span(start=0, end=len(text)))
    warnings = proceedings.attach(source, [item], [])
    return item, warnings


# ---------------------------------------------------------------------------- golden, per variant

def test_counter_proposal_vote_then_main_vote_in_prose_with_roll_call_tables(item):
    # Kungsbacka: two votes in one §, the ja-meaning in an "omröstningsordning" sentence,
    # the counts in prose, each with a Markdown roll-call table ending in a Summa row.
    first, main = item("kungsbacka-fg-2024-11-13.md", "112").votes
    assert _counts(first) == (3, 2, 8) and _counts(main) == (8, 3, 2)
    assert first.stage == "kontraproposition" and main.stage == "huvudvotering"
    assert first.yes_means == "Ja för Socialdemokraternas förslag"
    assert first.proposals == ["Socialdemokraternas förslag", "Sverigedemokraternas förslag"]
    assert main.result == ("Med 8 ja-röster, 3 nej-röster och 2 som avstår beslutar nämnden "
                           "enligt det liggande förslaget.")
    assert first.verified is main.verified is True
    ballots = {b.name: b for b in main.ballots}
    assert len(ballots) == 13
    assert (ballots["Johan Tolinsson"].party, ballots["Johan Tolinsson"].vote) == ("S", "no")
    # the tjänstgörande ersättare votes, the member she replaces is named beside her
    assert ballots["Agnetha Törnberg"].replaces == "Elin Hysén"


def test_roll_call_table_split_over_a_page_break(item):
    vote, = item("kungsbacka-ks-2024-08-27.md", "199").votes
    assert _counts(vote) == (11, 4, 0) and vote.verified is True
    assert len(vote.ballots) == 15  # 4 rows on one page, 11 on the next
    assert vote.yes_means == ("Ja-röst innebär att bifalla kommunstyrelsens arbetsutskotts "
                              "förslag")
    assert vote.no_means.endswith("m.fl. yrkande om ändringar och tillägg")


def test_roll_call_table_after_the_result_with_an_empty_abstain_total(item):
    vote, = item("kungsbacka-fg-2025-11-12.md", "114").votes
    assert _counts(vote) == (10, 3, 0) and vote.verified is True
    assert vote.yes_means == "Ja för bifall till initiativet"
    assert vote.result.startswith("Med 10 ja-röster och 3 nej-röster finner ordförande")


def test_labelled_counts_with_voting_lists_in_bilagor_whose_marks_left_their_names(item):
    # Lomma: "Ja: 23, Nej: 22." with the per-member lists in Bilaga A and B, where the text
    # extraction put the X marks on lines of their own.
    first, second = item("lomma-kf-2025-10-16.txt", "76").votes
    assert _counts(first)[:2] == _counts(second)[:2] == (23, 22)
    assert (first.attachment, second.attachment) == ("Bilaga A", "Bilaga B")
    assert first.yes_means == "Den som önskar avgöra ärendet vid dagens sammanträde röstar ja"
    for vote in (first, second):
        assert vote.verified is True and len(vote.ballots) == 45
        by_name = {b.name: b.vote for b in vote.ballots}
        assert by_name["Robert Wenglén"] == "yes" and by_name["Per Bengtsson"] == "no"
        assert by_name["Gun Larsson"] == "yes" and by_name["Ingrid Ascard"] == "no"


def test_voting_list_of_another_paragraph_goes_to_the_paragraph_its_heading_names(item):
    vote, = item("lomma-kf-2025-10-16.txt", "77").votes
    assert vote.attachment == "Bilaga A" and len(vote.ballots) == 45
    assert vote.yes_means == "Den som önskar bifalla Aron Regnélls m.fl. yrkande röstar ja"


def test_minority_referral_wins_and_the_result_is_kept_as_written(item):
    # 23 vote to reject the återremiss, yet a third of the members suffices to send it back.
    first, second = item("lomma-kf-2025-08-28.txt", "53").votes
    assert _counts(first)[:2] == (23, 22)
    assert first.yes_means == ("Den som önskar avslå Per Bengtssons med fleras "
                               "återremissyrkande röstar ja")
    assert "minst en tredjedel" in first.result and "återremittera" in second.result


def test_unlettered_bilaga_voting_list(item):
    vote, = item("lomma-kf-2025-08-28.txt", "54").votes
    assert vote.attachment == "Bilaga" and vote.verified is True and len(vote.ballots) == 45


def test_no_ballot_warnings_where_every_list_adds_up(extracted):
    for name in ("kungsbacka-fg-2024-11-13.md", "lomma-kf-2025-10-16.txt",
                 "kungsbacka-ks-2024-08-27.md"):
        assert [w for w in extracted(f"votes/{name}").warnings if w.kind != "presence_conflict"] == []


@pytest.mark.parametrize("name", [
    "kungsbacka-ksau-2025-01-14.md", "jonkoping-bun-2022-01-25.md", "mlr-kdm-2019-06-11.md",
    "stacken-varmote-2018.md", "region-vasterbotten-au.txt", "lomma-ks-2025-11-19.txt",
])
def test_minutes_without_a_vote_have_none(name, extracted):
    # a balance sheet with a "Summa" row, an attendance table with a Reservation column,
    # reservations without a vote: none of it is a vote
    record = extracted(name)
    assert [v for it in record.items for v in it.votes] == []
    assert [w for w in record.warnings if w.kind.startswith("ballots")] == []


# ---------------------------------------------------------------------------- invented, per form

def test_vote_counts_in_prose_with_digits():
    item, _ = read("Omröstning begärs och verkställs.\nMed 27 ja-röster, 22 nej-röster och 2 "
                   "som avstår beslutar fullmäktige enligt\nkommunstyrelsens förslag.\n")
    vote, = item.votes
    assert _counts(vote) == (27, 22, 2) and vote.absent is None
    assert vote.result == ("Med 27 ja-röster, 22 nej-röster och 2 som avstår beslutar "
                           "fullmäktige enligt kommunstyrelsens förslag.")
    assert vote.ballots == [] and vote.verified is None


def test_vote_counts_in_prose_with_number_words():
    item, _ = read("Nämnden beslutar med tio ja-röster mot fem nej-röster att bifalla motionen.\n"
                   "Fullmäktige antar planen med tjugotre ja-röster mot tjugotvå nej-röster och "
                   "en som avstår.\n")
    assert [_counts(v) for v in item.votes] == [(10, 5, None), (23, 22, 1)]


def test_vote_labelled_counts_with_absent():
    item, _ = read("Votering begärs.\nJa: 30, Nej: 15, Frånvarande: 4\n"
                   "Fullmäktige har beslutat enligt Ja.\n")
    vote, = item.votes
    assert (vote.yes, vote.no, vote.absent) == (30, 15, 4)
    assert vote.result == "Fullmäktige har beslutat enligt Ja."


def test_vote_side_that_carried_it_first():
    item, _ = read("Omröstning begärs. Nämnden beslutar med 7 röster mot 6 att avslå ansökan.\n")
    assert [_counts(v) for v in item.votes] == [(7, 6, None)]


def test_vote_counts_in_other_prose_forms():
    for text, counts in (
            ("Omröstningen utföll med 23 ja mot 22 nej.", (23, 22, None)),
            ("Vid omröstningen röstar 23 ledamöter ja och 22 röstar nej.", (23, 22, None)),
            ("Fullmäktige beslutar med rösterna 23 mot 22 att anta planen.", (23, 22, None)),
            ("Fullmäktige beslutar med 30 röster mot 21 (2 avstod) att anta planen.",
             (30, 21, 2)),
            ("Med 11 ja-röster mot 2 nej-röster samt 2 ledamöter som avstår från att rösta "
             "beslutar styrelsen att anta yrkandet.", (11, 2, 2)),
            ("Omröstningsresultat\nJa 23\nNej 22\nAvstår 2\n", (23, 22, 2)),
            ("Med 11 ja röster mot 2 nej röster beslutar nämnden att anta förslaget.",
             (11, 2, None)),
            ("Omröstningsresultat: Ja 7 röster, Nej 6 röster.", (7, 6, None))):
        item, _ = read(text)
        assert [_counts(v) for v in item.votes] == [counts], text


def test_vote_yes_means_ends_with_its_line_before_a_heading():
    item, _ = read("Kommunstyrelsen godkänner följande propositionsordning\n"
                   "Ja-röst för bifall till Anna Eks yrkande\nNej-röst för bifall till Bo Bergs "
                   "yrkande\nOmröstningsresultat\nMed 11 ja-röster mot 2 nej-röster beslutar "
                   "kommunstyrelsen att anta Anna Eks yrkande.\n")
    vote, = item.votes
    assert vote.yes_means == "Ja-röst för bifall till Anna Eks yrkande"
    assert vote.no_means == "Nej-röst för bifall till Bo Bergs yrkande"


def test_vote_for_and_against_in_association_minutes():
    item, _ = read("Mötet röstade om förslaget: 12 för, 3 emot och 2 nedlagda röster. "
                   "Förslaget antogs.\n")
    vote, = item.votes
    assert _counts(vote) == (12, 3, 2) and vote.result == "Förslaget antogs."


def test_vote_names_per_side_with_inverted_yes():
    # "Ja för avslag": ja rejects; the names before "röstar Ja (6)" wrap over lines and
    # carry roles ("tjänstgörande ersättaren", "ordföranden").
    item, warnings = read(
        "Omröstning\nGodkänd voteringsproposition: ”Ja för avslag och Nej för bifall till "
        "yrkandet från\nM, L och KD.”\nAnna Ek (V), Bo Berg (S), Cecilia Dahl (S),\n"
        "Dan Ek (MP), tjänstgörande ersättaren Eva Falk (S) och\nordföranden Gustav Holm (S) "
        "röstar Ja (6).\nIvar Jansson (M), Karin\nLind (L) och Lars Mark (KD) röstar Nej (3).\n"
        "Nils Ohlsson (SD) avstår från att rösta (1).\n")
    vote, = item.votes
    assert _counts(vote) == (6, 3, 1) and vote.verified is True and warnings == []
    assert vote.yes_means == "Ja för avslag"
    assert vote.no_means == "Nej för bifall till yrkandet från M, L och KD"
    by_name = {b.name: (b.party, b.vote) for b in vote.ballots}
    assert by_name["Eva Falk"] == ("S", "yes") and by_name["Gustav Holm"] == ("S", "yes")
    assert by_name["Karin Lind"] == ("L", "no") and by_name["Nils Ohlsson"] == ("SD", "abstain")


def test_vote_names_per_side_that_do_not_add_up_warn():
    item, warnings = read("Omröstning\nAnna Ek (V) och Bo Berg (S) röstar Ja (3).\n"
                          "Cecilia Dahl (M) röstar Nej (1).\n")
    vote, = item.votes
    assert _counts(vote)[:2] == (3, 1) and vote.verified is False
    assert [w.kind for w in warnings] == ["ballots_disagree"] and warnings[0].item == "12"


def test_vote_names_after_side_labels():
    item, _ = read("Votering begärs och verkställs.\nJa röstar: Anna Ek (S), Bo Berg (S), "
                   "Cecilia Dahl (V)\nNej röstar: Dan Ek (M), Eva Falk (M)\n"
                   "Avstår: Gustav Holm (C)\nNämnden beslutar således enligt Ja.\n")
    vote, = item.votes
    assert _counts(vote) == (3, 2, 1) and vote.verified is True
    assert vote.result == "Nämnden beslutar således enligt Ja."


def test_vote_markdown_table_with_replaces_column_and_summa_row():
    item, warnings = read(
        "Omröstning begärs. Ja för arbetsutskottets förslag, nej för Anna Eks yrkande.\n"
        "Nämnden beslutar med 3 ja-röster mot 2 nej-röster enligt arbetsutskottets förslag.\n\n"
        "Ersätter | Ja | Nej | Avstår\nAnna Ek (S) |  | X\nBo Berg (M) | Cecilia Dahl (M) | X\n"
        "Dan Ek (C) |  | X\nEva Falk (V) |  |  | X\nGustav Holm (MP) |  |  | X\n"
        "Summa |  | 3 | 2\n")
    vote, = item.votes
    assert _counts(vote) == (3, 2, 0) and vote.verified is True and warnings == []
    assert vote.proposals == ["arbetsutskottets förslag", "Anna Eks yrkande"]
    assert [(b.name, b.vote, b.replaces) for b in vote.ballots][1] == ("Bo Berg", "yes",
                                                                         "Cecilia Dahl")


def test_vote_list_with_a_party_column():
    for table in ("Ledamot | Parti | Ja | Nej | Avstår\nAnna Andersson | S | X\n"
                  "Bo Berg | M |  | X\nCarl Dahl | C | X\n",
                  "Ledamot            Parti   Ja   Nej   Avstår\nAnna Andersson      S       X\n"
                  "Bo Berg             M            X\nCarl Dahl           C       X\n"):
        item, warnings = read("Votering begärs. Ja: 2, Nej: 1.\n" + table)
        vote, = item.votes
        assert vote.verified is True and warnings == []
        assert [(b.name, b.party, b.vote) for b in vote.ballots] == [
            ("Anna Andersson", "S", "yes"), ("Bo Berg", "M", "no"), ("Carl Dahl", "C", "yes")]


def test_vote_laid_out_columns_that_disagree_with_the_stated_counts_warn():
    item, warnings = read(
        "Omröstningen utfaller med 3 ja-röster och 2 nej-röster.\n\n"
        "                                   Bilaga 1 § 12\n"
        "Ledamot                          Ja   Nej   Avstår\n"
        "Anna Ek (S)                      X\n"
        "Bo Berg (M)                      X\n"
        "Dan Ek (C)                       X\n"
        "Eva Falk (V)                          X\n"
        "Gustav Holm (MP)                            X\n")
    vote, = item.votes
    assert _counts(vote)[:2] == (3, 2) and vote.verified is False
    assert vote.attachment == "Bilaga 1"
    assert [b.vote for b in vote.ballots] == ["yes", "yes", "yes", "no", "abstain"]
    assert [w.kind for w in warnings] == ["ballots_disagree"]
    assert "3 ja, 1 nej, 1 avstår" in warnings[0].message


def test_vote_laid_out_marks_detached_from_their_names():
    # The layout drew the marks between the name lines: the n-th mark is the n-th name's.
    item, warnings = read(
        "Votering begärs. Ja: 3, Nej: 2.\n"
        "Voteringslista                   Ja   Nej   Avstår\n"
        " Ledamot/tjänstgörande ersättare  X\n"
        " Anna Ek (S)\n"
        " Bo Berg (M)                      X\n"
        " Dan Ek (C)\n"
        " Eva Falk (V)                          X\n"
        " Gustav Holm (MP)\n\n"
        "                                  X\n\n"
        "                                       X\n"
        "                                  3    2\n")
    vote, = item.votes
    assert vote.verified is True and warnings == []
    assert [b.vote for b in vote.ballots] == ["yes", "yes", "no", "yes", "no"]


def test_vote_flattened_table_ending_in_a_summa_row():
    # The columns were lost: counts come from the Summa row; the ballots cannot be placed,
    # and the record says so.
    item, warnings = read(
        "Omröstning begärs och verkställs. Ja för arbetsutskottets förslag, nej för avslag.\n"
        "Ledamot Ja Nej Avstår\nAnna Ek (S) X\nBo Berg (M) X\nDan Ek (C) X\nEva Falk (V) X\n"
        "Summa 8 7\nNämnden har därmed beslutat enligt arbetsutskottets förslag.\n")
    vote, = item.votes
    assert (vote.yes, vote.no) == (8, 7) and vote.ballots == [] and vote.verified is None
    assert vote.result == "Nämnden har därmed beslutat enligt arbetsutskottets förslag."
    assert [w.kind for w in warnings] == ["ballots_unreadable"]


def test_a_voting_list_alone_checked_against_its_own_total_row():
    item, warnings = read(
        "Omröstning begärs och verkställs.\n\n"
        "Ledamot                          Ja   Nej   Avstår\n"
        "Anna Ek (S)                      X\n"
        "Bo Berg (M)                           X\n"
        "Dan Ek (C)                       X\n"
        "Summa                            2    1\n"
        "Nämnden har därmed beslutat enligt Ja.\n")
    vote, = item.votes
    assert (vote.yes, vote.no, vote.verified) == (2, 1, True) and warnings == []
    assert vote.result == "Nämnden har därmed beslutat enligt Ja."


def test_vote_rows_ending_in_their_vote_word():
    item, _ = read("Votering begärs. Antal ja: 3, antal nej: 2.\nNamn Parti Nr Röst\n"
                   "Anna Ek S 1 Ordförande Ja\nBo Berg M 2 Ledamot Ja\nDan Ek C 3 Ledamot Ja\n"
                   "Eva Falk V 4 Ledamot Nej\nGustav Holm MP 5 Ersättare Nej\n"
                   "Fullmäktige beslutar enligt Ja.\n")
    vote, = item.votes
    assert _counts(vote) == (3, 2, 0) and vote.verified is True
    assert [(b.name, b.party) for b in vote.ballots][-1] == ("Gustav Holm", "MP")


def test_counter_proposal_then_main_vote_keep_their_proposals():
    item, _ = read(
        "Ordföranden ställer först Anna Eks (S) yrkande mot Bo Bergs (V) yrkande för att utse "
        "motförslag.\nJa för Anna Eks yrkande och nej för Bo Bergs yrkande.\n"
        "Med 4 ja-röster mot 2 nej-röster och 5 som avstår utser nämnden Anna Eks yrkande till "
        "motförslag.\n\nDärefter ställer ordföranden arbetsutskottets förslag mot Anna Eks "
        "yrkande i huvudvotering.\nJa för arbetsutskottets förslag, nej för Anna Eks yrkande.\n"
        "Med 7 ja-röster mot 4 nej-röster beslutar nämnden enligt arbetsutskottets förslag.\n")
    first, main = item.votes
    assert (first.stage, main.stage) == ("kontraproposition", "huvudvotering")
    assert first.proposals == ["Anna Eks yrkande", "Bo Bergs yrkande"]
    assert main.proposals == ["arbetsutskottets förslag", "Anna Eks yrkande"]
    assert first.result.startswith("Med 4 ja-röster") and main.result.startswith("Med 7")


def test_the_same_count_stated_twice_is_one_vote():
    item, _ = read("Omröstning begärs.\nOmröstningsresultat: 8 ja, 7 nej.\n"
                   "Med 8 ja-röster mot 7 nej-röster beslutar styrelsen att anta förslaget.\n")
    assert [_counts(v) for v in item.votes] == [(8, 7, None)]


def test_numbers_that_are_not_votes():
    item, warnings = read("Nämnden har 13 ledamöter, varav 7 ordinarie. Ja, 5 personer deltog "
                          "den 3 maj. Budgeten är 12 mnkr för 2024 och 3 mnkr för 2025.\n")
    assert item.votes == [] and warnings == []


def test_a_vote_without_readable_counts_warns():
    item, warnings = read("Votering begärs och verkställs. Fullmäktige beslutar enligt "
                          "kommunstyrelsens förslag.\n")
    assert item.votes == [] and [w.kind for w in warnings] == ["vote_unread"]


def test_no_warning_where_no_vote_was_requested():
    item, warnings = read("Ordföranden frågar om votering begärs. Ingen votering begärs. "
                          "Nämnden beslutar enligt förslaget.\n")
    assert item.votes == [] and warnings == []


def test_voting_list_after_the_last_item_goes_with_its_statement():
    text = ("§ 1 Budget\nVotering begärs. Voteringslista, bilaga 1.\nJa: 3, Nej: 2.\n"
            "Fullmäktige beslutar enligt Ja.\n§ 2 Plan\nFullmäktige antar planen.\nBilaga 1\n"
            "Ledamot                          Ja   Nej   Avstår\n"
            "Anna Ek (S)                      X\n"
            "Bo Berg (M)                      X\n"
            "Dan Ek (C)                       X\n"
            "Eva Falk (V)                          X\n"
            "Gustav Holm (MP)                      X\n")
    source = Source(path=Path("invented.txt"), format="txt", text=text,
                    pages=[Page(1, 0, len(text))], sha256="0" * 64)
    first = Item(number="1", title="Budget", span=Span(start=0, end=text.index("§ 2")))
    second = Item(number="2", title="Plan", span=Span(start=text.index("§ 2"), end=len(text)))
    assert proceedings.attach(source, [first, second], []) == []
    vote, = first.votes
    assert (vote.yes, vote.no, len(vote.ballots), vote.verified) == (3, 2, 5, True)
    assert second.votes == []


def _pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A PDF with text placed at (x, y) points on each page, in Helvetica."""
    page_ids = [5 + 2 * k for k in range(len(pages))]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % n for n in page_ids), len(pages)),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>"]
    for k, page in enumerate(pages):
        data = "\n".join(f"BT /F1 10 Tf {x} {y} Td ({t}) Tj ET" for x, y, t in page)
        data = data.encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (4 + 2 * k))
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)


def test_vote_table_in_a_pdf_read_by_the_columns_of_its_header(tmp_path):
    # A born-digital PDF table: the text holds no empty cells, the page positions do.
    first = [(72, 760, "§ 12   Dnr KS 2024/12"), (72, 740, "Budget"),
             (72, 720, "Votering begärs. Ja för kommunstyrelsens förslag, nej för avslag."),
             (72, 705, "Fullmäktige beslutar med 3 ja-röster mot 2 nej-röster enligt Ja."),
             (72, 680, "Ledamot"), (200, 680, "Ersätter"), (330, 680, "Ja"), (370, 680, "Nej"),
             (410, 680, "Avstår")]
    rows = [("Anna Ek (S)", None, 330), ("Bo Berg (M)", "Cecilia Dahl (M)", 330),
            ("Dan Ek (C)", None, 372)]
    y = 662
    for name, replaced, x in rows:
        first += [(72, y, name), (x, y, "X")] + ([(200, y, replaced)] if replaced else [])
        y -= 18
    # the table goes on over the page break under a repeated header
    second = [(72, 760, "Ledamot"), (200, 760, "Ersätter"), (330, 760, "Ja"), (370, 760, "Nej"),
              (410, 760, "Avstår"), (72, 742, "Eva Falk (V)"), (372, 742, "X"),
              (72, 724, "Gustav Holm (MP)"), (330, 724, "X"),
              (72, 706, "Summa"), (330, 706, "3"), (372, 706, "2")]
    path = tmp_path / "invented.pdf"
    path.write_bytes(_pdf([first, second]))
    record = extract(path)
    vote, = record.items[0].votes
    assert (vote.yes, vote.no, vote.verified) == (3, 2, True)
    assert [(b.name, b.vote, b.replaces) for b in vote.ballots] == [
        ("Anna Ek", "yes", None), ("Bo Berg", "yes", "Cecilia Dahl"), ("Dan Ek", "no", None),
        ("Eva Falk", "no", None), ("Gustav Holm", "yes", None)]
    assert vote.yes_means == "Ja för kommunstyrelsens förslag"
