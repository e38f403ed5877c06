"""Organisations: one row per organisation, whatever case or form its name is written in.

Names compare by a key: case folded, white space collapsed, a genitive dropped ("Serneke
ABs", "Lomma Servicebostäder AB:s"), "i" between an authority and its region dropped and a
county's "län" with it ("Länsstyrelsen i Västra Götalands län" = "Länsstyrelsen Västra
Götaland"). So "IX" and "Ix", "LiTHe kod" and "LiTHe Kod" are one organisation.

A municipality's or an association's own body ("Kommunstyrelsen", "Valnämnden", "Styrelsen")
is written without its owner, and every municipality has one: such a body is a part of the
organisation whose minutes name it, and is one organisation per owner.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from . import rules


@functools.cache
def _rules() -> dict:
    cfg = rules.load("organisations")
    return {
        "body": re.compile(r"^[\w-]*" + cfg["body_endings"], re.IGNORECASE),
        "sub_bodies": {w.casefold() for w in cfg["sub_bodies"]},
        "generic": {w.casefold() for w in cfg["generic_bodies"]},
        # state agencies are nobody's body, though some end like one ("Skogsstyrelsen")
        "state": {w.casefold() for w in cfg["state_bodies"]}
                 | {row["name"].casefold() for row in rules.table("agencies.tsv")},
        "drop": {w.casefold() for w in cfg["key_drop_words"]},
        "not_names": re.compile("|".join(f"(?:{p})" for p in cfg["not_names"]), re.IGNORECASE),
        "kind": re.compile(r"(?:^|[\s-])\w*" + cfg["kind_endings"], re.IGNORECASE),
    }


def clean(name: str | None) -> str:
    text = unicodedata.normalize("NFC", name or "")
    return " ".join(text.split()).strip(" .,;:-–()\"'”")


def key(name: str) -> str:
    """The compare key of an organisation's name."""
    words = clean(name).casefold().split()
    if words and re.fullmatch(r"ab(?::s|s)", words[-1]):
        words[-1] = "ab"
    if len(words) > 2 and words[-1] == "län":
        words = words[:-1]
        words[-1] = words[-1].removesuffix("s")
    drop = _rules()["drop"]
    return " ".join(w for k, w in enumerate(words) if not (0 < k < len(words) - 1 and w in drop))


def plausible(name: str | None) -> bool:
    """Whether a name can be an organisation's: not page furniture or a field label, and
    with a letter that is not in a number."""
    text = clean(name)
    return bool(re.search(r"[^\W\d_]{2}", text)) and not _rules()["not_names"].match(text)


def names_a_kind(name: str) -> bool:
    """Whether the name ends with a word for a kind of organisation ("-föreningen", "AB")."""
    text = clean(name)
    text = re.sub(r"(?<=AB):?s$", "", text)
    return bool(_rules()["kind"].search(text))


def is_own_body(name: str) -> bool:
    """A body that every municipality or association has, named without its owner:
    "Kommunstyrelsen", "Barn- och utbildningsnämnden", "Kommunstyrelsens arbetsutskott"."""
    r = _rules()
    words = clean(name).split()
    if not words or words[0].casefold() in r["state"] or clean(name).casefold() in r["state"]:
        return False
    for k, word in enumerate(words):
        w = word.casefold()
        if w in r["generic"] or w in r["sub_bodies"] and k > 0:
            continue
        if w in ("och", "samt") or word.endswith("-") or r["body"].match(word.rstrip("s")) \
                or r["body"].match(word):
            continue
        return False
    return True


def organisation_id(organisation_key: str, owner_id: str | None = None) -> str:
    text = f"{organisation_key}|{owner_id or ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# ---- in the database -----------------------------------------------------------------------

def ensure(db, name: str, owner_id: str | None = None) -> str:
    """The id of the organisation `name` names (a body of `owner_id` when it is one),
    adding its row if it is new; its name is settled by `refresh`."""
    own = owner_id if owner_id and is_own_body(name) else None
    oid = organisation_id(key(name), own)
    if not db.execute("select 1 from organisations where id = ?", [oid]).fetchone():
        db["organisations"].insert({"id": oid, "name": clean(name), "part_of": own})
    return oid


def refresh(db, ids) -> None:
    """Each organisation's name as most often written; organisations nothing names any more
    are removed."""
    for oid in set(ids):
        forms = db.execute(
            """select name, count(*) as n from (
                 select value as name from mentions where organisation_id = ?
                 union all
                 select organization from meetings where organisation_id = ?)
               group by name order by n desc, name""", [oid, oid]).fetchall()
        if forms:
            db["organisations"].update(oid, {"name": clean(forms[0][0])})
        elif not db.execute("select 1 from organisations where part_of = ?", [oid]).fetchone():
            db["organisations"].delete_where("id = ?", [oid])
