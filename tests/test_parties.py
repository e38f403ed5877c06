"""Party codes: one canonical code per party, the form as written kept beside it."""

from __future__ import annotations

import pytest

from minutes_extract.parties import canonical


@pytest.mark.parametrize("written, code", [
    ("S", "S"), ("s", "S"), ("(S)", "S"), ("m", "M"), ("kd", "KD"), ("Kd", "KD"),
    ("mp", "MP"), ("fp", "L"), ("FP", "L"), ("kds", "KD"), ("vpk", "V"),
    ("Miljöpartiet", "MP"), ("folkpartiet liberalerna", "L"),
    ("kb", "KB"),  # a local party: in capitals
])
def test_codes_as_written_have_one_canonical_code(written, code):
    assert canonical(written) == code


@pytest.mark.parametrize("written", [None, "", "-", "–", "Lunds kommun", "ordförande 2"])
def test_no_party(written):
    assert canonical(written) is None
