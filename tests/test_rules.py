"""Rules files are checked against their schemas when loaded."""

import pytest

from minutes_extract import rules


def test_every_shipped_rules_file_matches_its_schema():
    assert {"names", "form", "attendance", "meeting"} <= set(rules.check_all())


def test_an_unknown_key_is_an_error_naming_the_file(rules_copy):
    path = rules_copy / "attendance.toml"
    path.write_text("not_a_rule = 1\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"attendance\.toml: not_a_rule: Extra inputs"):
        rules.check_all()


def test_a_missing_key_is_an_error(rules_copy):
    path = rules_copy / "names.toml"
    text = path.read_text(encoding="utf-8").replace("min_surname_bearers = 50\n", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"names\.toml: min_surname_bearers: Field required"):
        rules.get("names")


def test_a_pattern_that_does_not_compile_is_an_error(rules_copy):
    path = rules_copy / "meeting.toml"
    text = path.read_text(encoding="utf-8").replace("cue = '(?i)nästa", "cue = '(?i)(nästa")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"meeting\.toml: next_meeting\.cue: .*not a regular expression"):
        rules.get("meeting")


def test_every_rules_file_the_code_reads_has_a_schema():
    read_as_dicts = {"ingest", "dates", "parties", "organisations", "municipality_forms"}
    assert read_as_dicts <= set(rules.check_all())


def test_a_rules_file_read_as_a_dict_is_checked_when_first_loaded(rules_copy):
    path = rules_copy / "ingest.toml"
    text = path.read_text(encoding="utf-8").replace("page_seconds = 60", 'page_seconds = "a minute"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"ingest\.toml: ocr\.page_seconds: Input should be"):
        rules.load("ingest")


def test_a_pattern_part_that_does_not_compile_is_an_error_when_loaded(rules_copy):
    path = rules_copy / "dates.toml"
    text = path.read_text(encoding="utf-8").replace("lead = 'kl\\.?|klockan'", "lead = '(kl\\.?|klockan'")
    assert text != path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"dates\.toml: times\.lead: .*not a regular expression"):
        rules.load("dates")


def test_a_missing_rules_file_is_an_error_naming_it(rules_copy):
    (rules_copy / "parties.toml").unlink()
    with pytest.raises(rules.RulesError, match=r"parties\.toml: no such rules file"):
        rules.load("parties")
