import json
from pathlib import Path

import pytest

from budget import growth
from minutes_extract import ingest
from minutes_extract.dates import find_dates, find_time_range, parse_date

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def values(text: str, meeting_date: str | None = None) -> list[str]:
    return [v for m in find_dates(text, meeting_date) for v in m.values]


@pytest.mark.parametrize(
    "text, reference, expected",
    [
        ("2019-01-29", None, "2019-01-29"),
        ("tisdag den 23 maj 2006", None, "2006-05-23"),
        ("23/5 2006", None, "2006-05-23"),
        ("den 23 april", "2019-06-11", "2019-04-23"),
        ("2013-01-08", None, "2013-01-08"),
        ("8 januari 2013", None, "2013-01-08"),
        ("den 1:a mars", "2019-01-29", "2019-03-01"),
        ("4:e April 2016", None, "2016-04-04"),
        ("tisdagen den 11 juni", "2019-06-11", "2019-06-11"),
        ("13/9", "2019-06-11", "2019-09-13"),
        ("23.5.2006", None, "2006-05-23"),
        ("5 sept.", "2019-06-11", "2019-09-05"),
        ("3 febr 2019", None, "2019-02-03"),
        ("7 jan", "2018-12-20", "2019-01-07"),
        ("2013\u00ad10\u00ad09", None, "2013-10-09"),  # soft hyphens from a word processor
        ("23 May 2023", None, "2023-05-23"),  # English month names
    ],
)
def test_parse_date(text, reference, expected):
    assert parse_date(text, reference) == expected


@pytest.mark.parametrize(
    "text",
    [
        "midsommar",
        "till midsommar",
        "i mars",
        "mars 2019",
        "2018",
        "2019-2023",
        "kl. 13.00–15.30",
        "vecka 12 2019",
    ],
)
def test_holidays_months_years_periods_and_times_are_no_dates(text):
    assert parse_date(text, "2019-06-11") is None
    assert find_dates(f"Arbetet pågår {text} enligt plan.", "2019-06-11") == []


def test_a_yearless_date_needs_a_reference():
    assert parse_date("den 23 april") is None
    assert find_dates("Kommunstyrelseseminarium 26 november") == []


def test_day_month_order_not_year_first():
    # A Swedish date is day, month, year: "23 april" is no year 2023.
    assert parse_date("23 april", "2019-01-29") == "2019-04-23"


def test_clock_times_are_never_dates():
    text = "Sammanträdet hölls kl. 13.00–15.30 och ajournerades 14.10-14.20, kl 9.00."
    assert find_dates(text, "2019-06-11") == []


def test_spans_point_at_the_text():
    text = "Mötet hölls tisdagen den 11 juni. Nästa möte är den 24 september kl 15."
    found = find_dates(text, "2019-06-11")
    assert [(m.text, m.values) for m in found] == [
        ("tisdagen den 11 juni", ("2019-06-11",)),
        ("24 september", ("2019-09-24",)),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)


def test_ranges_give_both_ends():
    assert values("Internatresa den 5-6 september 2019.", "2019-01-29") == [
        "2019-09-05",
        "2019-09-06",
    ]
    assert values("Styrelsemöte 26–27 januari 2013", None) == ["2013-01-26", "2013-01-27"]
    assert values("Mässan pågår den 5 och 6 september.", "2019-06-11") == [
        "2019-09-05",
        "2019-09-06",
    ]


def test_day_month_ranges_and_lists():
    assert values("Konferens den 21-22/3.", "2019-06-11") == ["2019-03-21", "2019-03-22"]
    # A comma lists references, not days: "bilaga 3" is no date.
    assert values("Se bilaga 3, 4 maj", "2019-06-11") == ["2019-05-04"]
    assert values("Mellan 2-3 orter föreslås.", "2019-06-11") == []


def test_year_written_last_holds_for_joined_dates():
    text = "Planförslaget har varit på samråd under perioden 7 mars till 7 juni 2024."
    assert values(text, "2025-01-14") == ["2024-03-07", "2024-06-07"]
    assert values("Period 15 december till 15 januari 2020.", "2019-06-11") == [
        "2019-12-15",
        "2020-01-15",
    ]


def test_year_in_brackets_belongs_to_the_date():
    found = find_dates("En utbetalning den 13 februari (2020) till kassören.", "2020-11-24")
    assert [(d.text, d.values) for d in found] == [("13 februari (2020)", ("2020-02-13",))]
    # An opened bracket that does not close holds no year of the date.
    found = find_dates("Nästa möte den 2 maj (2021 års budget).", "2020-11-24")
    assert [(d.text, d.values) for d in found] == [("2 maj", ("2021-05-02",))]


def test_day_written_against_its_month():
    found = find_dates("Linköping 7dec 2020, Linköping 13feb 2021", "2020-11-24")
    assert [d.values for d in found] == [("2020-12-07",), ("2021-02-13",)]


def test_past_cue_takes_the_latest_date_on_or_before_the_meeting():
    text = "Protokollet från kommundirektörsmötet den 11 november lades till handlingarna."
    assert values(text, "2019-01-29") == ["2018-11-11"]
    # Without the cue the nearest occurrence is in the meeting's year.
    assert values("Konferensen den 20 juni.", "2019-01-29") == ["2019-06-20"]
    assert values("Konferensen hölls den 20 juni.", "2019-01-29") == ["2018-06-20"]


def test_future_cue_takes_the_next_date_on_or_after_the_meeting():
    assert values("Nästa möte är den 23 april kl 15.00.", "2019-06-11") == ["2020-04-23"]
    assert values("Svar ska lämnas senast den 10 februari.", "2019-06-11") == ["2020-02-10"]
    assert values("Utvärderingen den 10 februari.", "2019-06-11") == ["2019-02-10"]


def test_nearest_year_without_cue():
    assert values("Mingel på Almedalen den 2 juli.", "2019-06-11") == ["2019-07-02"]
    assert values("Höstmötet 30 november.", "2018-02-22") == ["2017-11-30"]


def test_same_day_written_with_year_elsewhere_decides():
    text = (
        "6. Internatresan 5-6 september\nFörslag för resa den 5-6 september 2019 har tagits fram."
    )
    assert values(text, "2019-01-29") == ["2019-09-05", "2019-09-06"] * 2


def test_weekday_picks_the_year():
    # Meeting 2019-11-19: 21 January is a Tuesday in 2020 only.
    assert values("Tisdag 21 januari kl. 09.00-12.00, Kungsporten.", "2019-11-19") == ["2020-01-21"]
    assert values("Anmälan senast 2/12", "2019-11-19") == ["2019-12-02"]


def test_without_meeting_date_the_first_written_year_stands_in():
    text = "Justering Förvaltningen 6 mars. Anslaget till och med 2018-04-25."
    assert values(text) == ["2018-03-06", "2018-04-25"]


@pytest.mark.parametrize(
    "text",
    [
        "Ekonomisk berättelse för verksamhetsår 17/18",
        "Ordförande 19/20",
        "ungefär 1/2 av medlemmarna",
        "Dnr KS 2019/123",
        "DNR:KF/2006.203",
        "Organisationsnr: 212000-1256",
        "Sammanträdesprotokoll 2005-13",
    ],
)
def test_numbers_that_are_no_dates(text):
    assert find_dates(text, "2019-05-21") == []


def test_short_iso_and_split_iso():
    assert values("KU § 317 06-12-05", "2007-01-08") == ["2006-12-05"]
    assert values("som antogs av kommunfullmäktige 2021-11-\n09. Planen", "2025-01-14") == [
        "2021-11-09"
    ]


def test_dates_in_timestamps_count():
    assert values("Datum:                  2025-01-15 15:51:16", "2025-01-14") == ["2025-01-15"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kl. 15-17", ("15:00", "17:00")),
        ("klockan 19:00-19:30", ("19:00", "19:30")),
        ("13.00–15.30", ("13:00", "15:30")),
        ("kl 15.00", ("15:00", None)),
        ("Klockan 16:30", ("16:30", None)),
        ("kl. 18.30 – 20.45", ("18:30", "20:45")),
        ("19.38", ("19:38", None)),
        ("kl. 10-10.45", ("10:00", "10:45")),
        ("kl 8.15-12.00", ("08:15", "12:00")),
        ("Rumlaborg kl. 08:30-12:10 & 13:00-15.15", ("08:30", "15:15")),
        ("Plats och tid Tjänsterum, våning 4, 09.00-11.00 Beslutande", ("09:00", "11:00")),
        ("Lomma, 2025-11-19, klockan 19:00-19:30", ("19:00", "19:30")),
        ("Mötesdatum 2019-01-29", (None, None)),
        ("Kaffe för 1499.87kr, fika 12.50 kr", (None, None)),
        ("UFS Direktbidrag 0.00", (None, None)),
        ('date = "2017-03-17T20:00:00+01:00"', (None, None)),
    ],
)
def test_find_time_range(text, expected):
    assert find_time_range(text) == expected


def test_find_dates_grows_linearly_with_a_long_document():
    text = (CORPUS / "lomma-ks-2025-11-19.txt").read_text(encoding="utf-8")  # about 14 pages
    # Linear work takes about 4x the CPU time on a 4x longer text; quadratic work 16x.
    assert growth(lambda t: find_dates(t, "2025-11-19"), lambda n: text * n, 1) < 7


def test_dates_on_the_corpus_answer_keys():
    tp = fp = fn = 0
    for key in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(key.read_text(encoding="utf-8"))
        if "transcript" in gold:
            continue  # a scanned document: no text layer to read dates from
        text = ingest.load(CORPUS / gold["source"]).text
        ignore = set(gold.get("dates_ignore") or [])
        found = {
            v for m in find_dates(text, gold["meeting"].get("date")) for v in m.values
        } - ignore
        expected = set(gold["dates"]) - ignore
        tp, fp, fn = (
            tp + len(found & expected),
            fp + len(found - expected),
            fn + len(expected - found),
        )
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.93, (tp, fp, fn)


def test_weekday_that_fits_only_a_far_year_is_a_slip():
    # 30 January 2013 was a Wednesday; "Torsdag" fits only 2014, a year after the meeting.
    found = find_dates("Nästa möte: Torsdag 30 januari kl 18.", "2013-01-21")
    assert [d.values for d in found] == [("2013-01-30",)]
