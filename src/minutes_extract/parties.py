"""Party codes: the canonical code for a code as written (rules/parties.toml)."""

from __future__ import annotations

import functools
import re

from . import rules


@rules.schema("parties")
class PartyRules(rules.Rules):
    """rules/parties.toml: party codes as written (upper-cased) and party names, each to the
    canonical code."""

    canonical: dict[str, str]
    names: dict[str, str]

# A code is a short run of letters ("S", "KD", "LPo", "ÖP"); anything longer or with other
# characters is not a party code and is left alone.
_CODE = re.compile(r"[A-Za-zÅÄÖåäö]{1,5}")


@functools.cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    data = rules.load("parties")
    canonical = {k.upper(): v for k, v in data["canonical"].items()}
    names = {k.casefold(): v for k, v in data["names"].items()}
    for code in [*canonical.values(), *names.values()]:
        if code != code.upper() or not _CODE.fullmatch(code):
            raise ValueError(f"rules/parties.toml: {code!r} is not a canonical party code")
    return canonical, names


def canonical(written: str | None) -> str | None:
    """The party's one code for a code or name as written: "s" -> "S", "fp" -> "L",
    "Miljöpartiet" -> "MP", a local party's "kb" -> "KB"; None for no party ("-", "")."""
    text = " ".join((written or "").split()).strip("()")
    if not text or text in ("-", "–"):
        return None
    codes, names = _tables()
    if text.casefold() in names:
        return names[text.casefold()]
    if _CODE.fullmatch(text):
        return codes.get(text.upper(), text.upper())
    return None
