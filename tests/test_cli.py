"""The command line: JSON on standard output, messages on standard error."""

from __future__ import annotations

import json
from pathlib import Path

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
