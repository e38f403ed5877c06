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


@rules.schema("organisations")
class OrganisationRules(rules.Rules):
    """rules/organisations.toml: how the names of bodies, companies and agencies end and
    begin, and the words that are never one."""

    body_endings: rules.PatternText
    sub_bodies: list[str]
    org_heads: list[str]
    org_word_endings: rules.PatternText
    company_suffixes: list[str]
    generic_bodies: list[str]
    key_drop_words: list[str]
    state_bodies: list[str]
    not_names: list[rules.PatternText]
    kind_endings: rules.PatternText


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
    """Each organisation's name as most often written (the first in order of the equally
    frequent); organisations nothing names any more are removed."""
    for oid in set(ids):
        form = db.execute("select name from organisation_names where organisation_id = ? "
                          "and n > 0 order by n desc, name limit 1", [oid]).fetchone()
        if form:
            name = clean(form[0])
            if db.execute("select name from organisations where id = ?", [oid]).fetchone() \
                    != (name,):
                db.execute("update organisations set name = ? where id = ?", [name, oid])
        elif not db.execute("select 1 from organisations where part_of = ?", [oid]).fetchone():
            db.execute("delete from organisations where id = ?", [oid])


# The forms an organisation is written in, counted as rows come and go: whatever writes or
# removes mentions and meetings (a save, a removal, a merge) keeps the counts right.
_COUNTED = {"mentions": "value", "meetings": "organization"}


def _count_triggers() -> dict[str, str]:
    out = {}
    for table, column in _COUNTED.items():
        form = f"coalesce(%s.[{column}], '')"
        out[f"{table}_organisation_names_ai"] = f"""
CREATE TRIGGER [{table}_organisation_names_ai] AFTER INSERT ON [{table}]
WHEN new.organisation_id IS NOT NULL BEGIN
  INSERT INTO organisation_names (organisation_id, name, n)
  VALUES (new.organisation_id, {form % "new"}, 1)
  ON CONFLICT (organisation_id, name) DO UPDATE SET n = n + 1;
END"""
        out[f"{table}_organisation_names_ad"] = f"""
CREATE TRIGGER [{table}_organisation_names_ad] AFTER DELETE ON [{table}]
WHEN old.organisation_id IS NOT NULL BEGIN
  UPDATE organisation_names SET n = n - 1
  WHERE organisation_id = old.organisation_id AND name = {form % "old"};
  DELETE FROM organisation_names
  WHERE organisation_id = old.organisation_id AND name = {form % "old"} AND n <= 0;
END"""
    return out


def ensure_name_counts(db) -> None:
    """Create the triggers that count organisations' forms; count what a database made
    before them holds."""
    have = {r[0] for r in db.execute("select name from sqlite_master where type = 'trigger'")}
    missing = {name: sql for name, sql in _count_triggers().items() if name not in have}
    if not missing:
        return
    db.execute("delete from organisation_names")
    for sql in missing.values():
        db.execute(sql.strip())
    for table, column in _COUNTED.items():
        db.execute(f"""insert into organisation_names (organisation_id, name, n)
                       select organisation_id, coalesce([{column}], ''), count(*) from [{table}]
                       where organisation_id is not null group by 1, 2
                       on conflict (organisation_id, name) do update set n = n + excluded.n""")
