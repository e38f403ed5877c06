"""The cost of one document is bounded and grows linearly: inputs that once took minutes of
CPU or gigabytes of memory, each now under its budget.

CPU budgets are `time.process_time` of this process (see budget.py): 1 s per reproducer,
where the quadratic code took from seconds to minutes on the same input. Memory is the peak
resident size of an import in a child process, its workers included.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from budget import cpu_seconds
from minutes_extract import dates, nlp, text
from minutes_extract.entities import find_entities

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
RUN = 200_000  # characters in each pathological run


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Load the entity pipeline and compile the patterns outside the budgets."""
    find_entities("Anna Berg, Lunds kommun, den 1 mars 2020.")
    dates.find_dates("den 1 mars 2020", None)


def test_trailing_blanks_of_a_long_run_of_spaces():
    line = "a" + " " * RUN + "b\n" + "c" + "\t " * RUN
    assert cpu_seconds(lambda: text.normalise(line)) < 1.0
    assert text.normalise("a  \nb\t\n") == "a\nb\n"


@pytest.mark.parametrize("line", ["a" * RUN + "--", "a" * RUN + "!", "1" * RUN + "_-"])
def test_hyphen_at_the_end_of_a_long_line(line):
    assert cpu_seconds(lambda: text.join_hyphenated(line + "\nord")) < 1.0


def test_hyphen_joining_still_joins_words_and_keeps_acronyms():
    assert text.join_hyphenated("kommun-\nstyrelsen beslutar") == "kommunstyrelsen\nbeslutar"
    assert text.join_hyphenated("MLR-\nkommunerna") == "MLR-kommunerna"


@pytest.mark.parametrize("run", ["(" * RUN, "!?" * (RUN // 2), "." * RUN, ")-" * (RUN // 2)])
def test_spacy_tokenizer_on_a_long_punctuation_run(run):
    document = f"Anna Andersson öppnade mötet.\n{run}\nErik Berg justerar."
    mentions = []
    assert cpu_seconds(lambda: mentions.extend(find_entities(document))) < 1.0
    assert {m.value for m in mentions if m.label == "PERSON"} == {"Anna Andersson", "Erik Berg"}


def test_text_longer_than_spacy_accepts_is_read_in_pieces(monkeypatch):
    # spaCy refuses a text over nlp.max_length (E088); pieces keep under it and keep offsets.
    assert nlp.CHUNK_CHARS < nlp.get_nlp().max_length
    monkeypatch.setattr(nlp.get_nlp(), "max_length", 5_000)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 2_000)
    paragraph = "Anna Andersson (S) föreslår att Lunds kommun bygger en cykelväg.\n\n"
    document = paragraph * 200  # 13,600 characters
    mentions = find_entities(document)
    persons = [m for m in mentions if m.label == "PERSON"]
    assert len(persons) == 200
    assert all(document[m.start:m.end] == "Anna Andersson" for m in persons)


def test_pieces_cut_at_paragraphs_then_lines_and_cover_the_text():
    document = ("a" * 30 + "\n\n") * 10 + "b" * 100 + " c"
    cuts = nlp.pieces(document, size=70)
    assert "".join(document[a:b] for a, b in cuts) == document
    assert all(b - a <= 70 for a, b in cuts)
    assert document[cuts[0][0]:cuts[0][1]] == ("a" * 30 + "\n\n") * 2


@pytest.mark.parametrize("after", [" " * RUN + "x", " \n" * (RUN // 2) + "x"])
def test_date_followed_by_a_long_run_of_blanks(after):
    document = "Mötet den 1 mars" + after
    found = []
    assert cpu_seconds(lambda: found.extend(dates.find_dates(document, "2020-01-01"))) < 1.0
    assert [d.values for d in found] == [("2020-03-01",)]


def test_page_marker_search_over_many_blank_lines():
    document = "<!-- sida 1 -->\nProtokoll\n" + "\n" * RUN + "<!-- sida 2 -->\nBeslut\n"
    pages = []
    assert cpu_seconds(lambda: pages.extend(text.split_pages(document))) < 1.0
    assert len(pages) == 2


@pytest.mark.parametrize("line", ["![" * (RUN // 2), "[a](" * (RUN // 4), "<!--" * (RUN // 4),
                                  "# a" + " " * RUN + "b", "title: x" + " " * RUN + "y"])
def test_markdown_markup_in_a_long_line(line):
    def read():
        body = text.strip_comments(line, {})
        text.markdown_to_text(body)
        text.front_matter("---\n" + line + "\n---\n")

    assert cpu_seconds(read) < 1.0


def test_transcript_labels_after_a_long_run_of_spaces():
    page = "1 Protokoll" + " " * RUN + "Närvarande: Anna Berg " + "x" * 400
    assert cpu_seconds(lambda: text.unflatten([page])) < 1.0


# ---- memory ----------------------------------------------------------------------------------

PEAK = textwrap.dedent("""
    import json, resource, sys
    from minutes_extract.cli import cli
    try:
        cli(["import", sys.argv[1], sys.argv[2], "--workers", "1", "--json"])
    except SystemExit as end:
        status = end.code
    peak = max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"status": status, "peak_mb": peak / 1024}))
""")


def import_peak(tmp_path: Path, folder: Path) -> dict:
    """Import `folder` in a child process; its summary and the peak memory of the import."""
    proc = subprocess.run([sys.executable, "-c", PEAK, str(tmp_path / "m.db"), str(folder)],
                          capture_output=True, text=True, timeout=600, check=False)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2, proc.stderr
    return {**json.loads(lines[0]), **json.loads(lines[1])}


def test_a_2_mb_text_imports_with_peak_memory_under_1_gb(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    minutes = (CORPUS / "lomma-ks-2025-11-19.txt").read_bytes()
    (folder / "long.txt").write_bytes((minutes * (2_000_000 // len(minutes) + 1))[:2_000_000])
    result = import_peak(tmp_path, folder)
    assert result["imported"] == 1 and result["status"] == 0, result
    assert result["peak_mb"] < 1024, result


def test_a_500_page_pdf_imports_with_peak_memory_under_1_gb(tmp_path):
    from test_import_bad_input import PAGE, make_pdf

    folder = tmp_path / "in"
    folder.mkdir()
    pages = [PAGE.replace("§ 1", f"§ {2 * k + 1}").replace("§ 2", f"§ {2 * k + 2}")
             for k in range(500)]
    (folder / "long.pdf").write_bytes(make_pdf(pages))
    result = import_peak(tmp_path, folder)
    assert result["imported"] == 1 and result["pages"] == 500, result
    assert result["peak_mb"] < 1024, result


def test_text_over_the_size_limit_is_refused_at_once(tmp_path):
    from minutes_extract.ingest import IngestError, load

    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(6 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"text file too large \(6 MB, limit 5 MB\)"):
        load(big)
