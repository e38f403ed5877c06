"""The command line: JSON on standard output, messages on standard error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from minutes_extract.cli import cli

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD = CORPUS / "gold"


def test_extract_prints_the_public_json_shape():
    result = CliRunner().invoke(cli, ["extract", str(CORPUS / "mlr-kdm-2019-01-29.txt")])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    gold = json.loads((GOLD / "mlr-kdm-2019-01-29.json").read_text(encoding="utf-8"))
    assert set(gold) <= set(data)
    assert set(gold["meeting"]) <= set(data["meeting"])
    assert set(gold["items"][0]) <= set(data["items"][0])
    assert data["source"] == "mlr-kdm-2019-01-29.txt"
    assert data["meeting"]["date"] == "2019-01-29"
    # Provenance travels with every item.
    assert data["items"][0]["span"]["page_start"] == 1


def test_extract_without_mentions():
    result = CliRunner().invoke(
        cli, ["extract", "--no-mentions", str(CORPUS / "varbygd1891-styrelsemote-2005-03-28.txt")])
    assert result.exit_code == 0
    assert "mentions" not in json.loads(result.stdout)


def test_extract_unreadable_file_is_one_line_on_stderr(tmp_path):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty.pdf" in lines[0]


def test_extract_takes_several_files_and_writes_json_lines(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    names = ["mlr-kdm-2019-01-29.txt", "mlr-kdm-2019-06-11.md"]
    result = CliRunner().invoke(cli, ["extract", str(CORPUS / names[0]), str(bad),
                                      str(CORPUS / names[1]), "--no-mentions"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in records] == names
    assert result.stderr.splitlines() == [f"error: {bad}: empty file (0 bytes)"]


@pytest.mark.parametrize("command", ["extract", "import", "errors", "evaluate", "serve"])
def test_help_of_each_command_shows_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    example = result.stdout.split("Example:\n", 1)[1].splitlines()[0]
    assert example.strip().startswith(f"minutes-extract {command} ")


def _import(*args):
    return CliRunner().invoke(cli, ["import", *map(str, args), "--no-progress"])


@pytest.mark.parametrize("workers", ["0", "-2"])
def test_workers_below_one_is_a_usage_error(tmp_path, workers):
    result = _import(tmp_path / "m.db", CORPUS / "mlr-kdm-2019-01-29.txt", "--workers", workers)
    assert result.exit_code == 2
    assert "Invalid value for '--workers'" in result.stderr
    assert not (tmp_path / "m.db").exists()


def test_glob_that_matches_nothing_is_a_usage_error_before_the_database_is_made(tmp_path):
    result = _import(tmp_path / "m.db", CORPUS, "--glob", "*.docx")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: no file in {CORPUS} matches --glob '*.docx'"]
    assert not (tmp_path / "m.db").exists()


def test_missing_path_is_a_usage_error_and_makes_no_database(tmp_path):
    result = _import(tmp_path / "m.db", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert f"Path '{tmp_path / 'nowhere'}' does not exist" in result.stderr
    assert not (tmp_path / "m.db").exists()


@pytest.fixture
def imported_with_a_failure(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kdm.txt").write_bytes((CORPUS / "mlr-kdm-2019-01-29.txt").read_bytes())
    (folder / "junk.txt").write_bytes(bytes(range(32)) * 64)
    db_path = tmp_path / "m.db"
    first = _import(db_path, folder, "--workers", "1")
    return db_path, folder, first


def test_exit_status_is_1_only_for_a_first_failure(imported_with_a_failure):
    db_path, folder, first = imported_with_a_failure
    assert first.exit_code == 1
    again = _import(db_path, folder, "--workers", "1")
    assert again.exit_code == 0
    assert again.stderr.splitlines() == [again.stderr.splitlines()[0]]
    assert again.stderr.startswith("imported 0, unchanged 1, failed 0;")
    assert again.stderr.rstrip().endswith("; 1 known failure not read again")


def test_import_json_summary_and_quiet(imported_with_a_failure):
    db_path, folder, _ = imported_with_a_failure
    (folder / "more.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = _import(db_path, folder, "--workers", "1", "--quiet", "--json")
    assert result.exit_code == 1
    # Quiet: only the new failure's line; the summary goes to standard output as JSON.
    assert result.stderr.splitlines() == [f"error: {folder / 'more.txt'}: not text: binary content"]
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("imported", "unchanged", "failed", "new_failures",
                                    "known_failures", "stopped", "interrupted")} == {
        "imported": 0, "unchanged": 1, "failed": 1, "new_failures": 1, "known_failures": 1,
        "stopped": None, "interrupted": False}
    assert summary["errors"] == [{"path": str(folder / "more.txt"),
                                  "reason": "not text: binary content"}]


def test_errors_lists_failures_as_lines_json_or_only_a_status(imported_with_a_failure):
    db_path, folder, _ = imported_with_a_failure
    listed = CliRunner().invoke(cli, ["errors", str(db_path)])
    assert listed.exit_code == 1
    # The stored path: below the folder given to import, starting with its name.
    assert listed.stdout.splitlines() == [f"{folder.name}/junk.txt: not text: binary content"]
    assert listed.stderr.splitlines() == ["1 failed file"]
    as_json = json.loads(CliRunner().invoke(cli, ["errors", str(db_path), "--json"]).stdout)
    assert as_json["count"] == 1
    assert as_json["errors"][0]["reason"] == "not text: binary content"
    assert as_json["errors"][0]["read_again"] is False
    quiet = CliRunner().invoke(cli, ["errors", str(db_path), "--quiet"])
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (1, "", "")


def test_errors_of_a_database_without_failures(tmp_path):
    result = _import(tmp_path / "m.db", CORPUS / "mlr-kdm-2019-01-29.txt", "--workers", "1")
    assert result.exit_code == 0
    listed = CliRunner().invoke(cli, ["errors", str(tmp_path / "m.db")])
    assert (listed.exit_code, listed.stdout, listed.stderr) == (0, "", "0 failed files\n")


def test_extract_turns_an_unexpected_error_into_one_line(monkeypatch):
    from minutes_extract import pipeline

    def broken(source):
        raise RuntimeError("unexpected state\nsecond line")

    monkeypatch.setattr(pipeline, "build_record", broken)
    path = CORPUS / "mlr-kdm-2019-01-29.txt"
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}: extraction failed (RuntimeError: unexpected state)"]
