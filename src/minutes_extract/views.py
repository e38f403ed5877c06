"""SQL views that join the tables into rows a reader can take in without writing SQL.

Every row that comes from a place in a document carries a `source` column: a JSON object
with the document id, file name, page and character span. Datasette shows it as a link to
the document and the passage (see datasette/plugins/source_links.py); to anyone reading the
database directly it is plain JSON.
"""

from __future__ import annotations

import sqlite_utils

from . import rules


# The views read one table each; what they show of the meeting, item and document comes
# from a look-up by primary key per row shown. Datasette counts a view's rows and sorts it on
# every page: counting then reads one index of one table, and sorting by date (kept in the
# table, indexed) reads the first rows of that index, however large the archive.
def _source(doc_id: str, page: str, start: str, end: str, page_end: str | None = None) -> str:
    last = f", 'page_end', {page_end}" if page_end else ""
    return (f"json_object('document_id', {doc_id}, 'file_name', {_file_name(doc_id, bare=True)}"
            f", 'page', {page}{last}, 'start', {start}, 'end', {end})")


def _file_name(doc_id: str, bare: bool = False) -> str:
    sql = f"(select doc.file_name from documents doc where doc.id = {doc_id})"
    return sql if bare else f"{sql} as file_name"


def _meeting(meeting_id: str, column: str, name: str | None = None) -> str:
    return f"(select mt.{column} from meetings mt where mt.id = {meeting_id}) as {name or column}"


def _item(item_id: str, column: str) -> str:
    return f"(select i.{column} from items i where i.id = {item_id})"


# Which municipalities a decision belongs to, and why:
# - "attendee": someone at the meeting represents it (a regional body's decisions are its
#   members' decisions);
# - "named in item": it is named inside the decision's own agenda item;
# - "organiser": the document names it as a body ("Högsby kommun", "Malmö stad",
#   "Region Gotland") outside the agenda items, as the letterhead of its own boards does.
# A bare name outside the items ("Plats: Uppsala") says where the meeting was, not whom the
# decision concerns, and so does not count.
def _decision_municipalities_sql(where: str = "1") -> str:
    forms = rules.load("municipality_forms")
    patterns = [f"% {w}" for w in forms["institution_words"]]
    patterns += [f"% {w}s" for w in forms["institution_words"]]
    body_named = " or ".join(
        [f"mn.text like {_quote(p)}" for p in patterns]
        + [f"mn.text like {_quote(alias)}" for alias in forms.get("aliases", {})]
    )
    # UNION ALL, not UNION, and the condition in each arm: each arm then starts from the
    # decisions it selects. `+mn.label` keeps SQLite from starting at the index on mentions'
    # labels instead, which holds every municipality named in the whole database.
    return f"""
select d.id as decision_id, a.municipality_code as municipality_code, 'attendee' as reason
from decisions d
join attendees a on a.meeting_id = d.meeting_id
where a.municipality_code is not null and {where}
union all
select d.id, mn.municipality_code, 'named in item'
from decisions d
join mentions mn on mn.item_id = d.item_id
where +mn.label = 'MUNICIPALITY' and mn.municipality_code is not null and {where}
union all
select d.id, mn.municipality_code, 'organiser'
from decisions d
join mentions mn on mn.document_id = d.document_id and mn.item_id is null
where mn.label = 'MUNICIPALITY' and mn.municipality_code is not null and ({body_named})
  and {where}
"""


def decision_municipalities_insert(where: str = "1") -> str:
    """The statement that fills the table decision_municipalities for the decisions `where`
    (SQL on decisions `d`) selects: run when a document is written, so that no query
    recomputes it. Three arms, each with the condition, so that each uses its indexes."""
    return f"""
insert into decision_municipalities
  (decision_id, municipality_code, municipality, county, reason, document_id)
select dm.decision_id, dm.municipality_code, m.name, m.county,
       replace(group_concat(distinct dm.reason), ',', ', '), d.document_id
from ({_decision_municipalities_sql(where)}) dm
join municipalities m on m.code = dm.municipality_code
join decisions d on d.id = dm.decision_id
group by dm.decision_id, dm.municipality_code
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def definitions() -> dict[str, str]:
    """View name -> select statement; views used by others come first."""
    return {
    # The decision's text comes first, so that it is read before the columns that place it.
    "decisions_view": f"""
select d.text as decision, d.date, {_meeting("d.meeting_id", "organization")},
       {_meeting("d.meeting_id", "title", "meeting")},
       {_item("d.item_id", "number")} as item_number, {_item("d.item_id", "title")} as item_title,
       d.label,
       (select json_group_array(municipality) from (
          select dm.municipality from decision_municipalities dm
          where dm.decision_id = d.id order by dm.municipality)) as municipalities,
       {_source("d.document_id", "d.page_start", "d.char_start", "d.char_end", "d.page_end")}
         as source,
       {_meeting("d.meeting_id", "year")}, {_file_name("d.document_id")},
       d.page_start as page, d.id as decision_id, d.item_id, d.meeting_id, d.document_id,
       {_item("d.item_id", "ordinal")} as item_ordinal, d.ordinal as decision_ordinal,
       d.rowid as decision_rowid
from decisions d
""",
    # Text first, then what places it, then ids: a reader sees the text before scrolling.
    "items_view": f"""
select i.number, i.title, i.date, {_meeting("i.meeting_id", "organization")},
       {_meeting("i.meeting_id", "title", "meeting")}, i.case_number,
       (select count(*) from decisions d where d.item_id = i.id) as decisions,
       {_source("i.document_id", "i.page_start", "i.char_start", "i.char_end", "i.page_end")}
         as source,
       i.presenters, i.attachments, {_meeting("i.meeting_id", "year")}, i.ordinal,
       {_file_name("i.document_id")}, i.page_start as page,
       i.id as item_id, i.meeting_id, i.document_id
from items i
""",
    "attendance": f"""
select coalesce((select p.name from persons p where p.id = a.person_id), a.name) as person,
       a.date, {_meeting("a.meeting_id", "organization")},
       {_meeting("a.meeting_id", "title", "meeting")},
       a.role, a."group", a.party,
       coalesce((select mu.name from municipalities mu where mu.code = a.municipality_code),
                a.municipality) as municipality,
       {_source("a.document_id", "a.page", "a.char_start", "a.char_end")} as source,
       a.affiliation,
       (select mu.county from municipalities mu where mu.code = a.municipality_code) as county,
       a.replaces, a.note, {_meeting("a.meeting_id", "year")}, {_file_name("a.document_id")},
       a.page, a.id as attendee_id, a.person_id, a.municipality_code, a.meeting_id,
       a.document_id
from attendees a
""",
    "mentions_view": f"""
select mn.id as mention_id, mn.label, mn.text, mn.value,
       coalesce((select p.name from persons p where p.id = mn.person_id),
                (select mu.name from municipalities mu where mu.code = mn.municipality_code),
                mn.value, mn.text) as name,
       mn.date, {_meeting("mn.document_id", "year")},
       {_meeting("mn.document_id", "organization")},
       {_meeting("mn.document_id", "title", "meeting")},
       {_item("mn.item_id", "number")} as item_number,
       {_item("mn.item_id", "title")} as item_title, {_file_name("mn.document_id")}, mn.page,
       {_source("mn.document_id", "mn.page", "mn.char_start", "mn.char_end")} as source,
       mn.person_id, mn.municipality_code, mn.item_id, mn.document_id as meeting_id,
       mn.document_id, mn.value_key
from mentions mn
""",
    **proceedings_definitions(),
    }


def _stance_view(table: str, key: str, extra: str) -> str:
    return f"""
select x.id as {key}, x.date, {_meeting("x.meeting_id", "year")},
       {_meeting("x.meeting_id", "organization")}, {_meeting("x.meeting_id", "title", "meeting")},
       {_item("x.item_id", "number")} as item_number, {_item("x.item_id", "title")} as item_title,
       {_item("x.item_id", "case_number")} as case_number,
       x.who, coalesce((select p.name from persons p where p.id = x.person_id), x.name)
         as person, x.party, {extra}x.text,
       {_file_name("x.document_id")}, x.page_start as page,
       {_source("x.document_id", "x.page_start", "x.char_start", "x.char_end")} as source,
       x.person_id, x.item_id, x.meeting_id, x.document_id,
       {_item("x.item_id", "ordinal")} as item_ordinal, x.ordinal
from {table} x
"""


def proceedings_definitions() -> dict[str, str]:
    """Views of what the members did under each item: votes, ballots, reservations,
    protocol notes, jäv, and who was present at each item. Each reads one table, as the
    views above do."""
    return {
    "votes_view": f"""
select v.id as vote_id, v.date, {_meeting("v.meeting_id", "year")},
       {_meeting("v.meeting_id", "organization")}, {_meeting("v.meeting_id", "title", "meeting")},
       {_item("v.item_id", "number")} as item_number, {_item("v.item_id", "title")} as item_title,
       {_item("v.item_id", "case_number")} as case_number,
       v.yes, v.no, v.abstain, v.absent, abs(coalesce(v.yes, 0) - coalesce(v.no, 0)) as margin,
       v.yes_means, v.no_means, v.proposals, v.stage, v.result, v.verified, v.ballots,
       v.attachment, {_file_name("v.document_id")}, v.page_start as page,
       {_source("v.document_id", "v.page_start", "v.char_start", "v.char_end")} as source,
       v.item_id, v.meeting_id, v.document_id, {_item("v.item_id", "ordinal")} as item_ordinal,
       v.ordinal as vote_ordinal
from votes v
""",
    "ballots_view": f"""
select b.id as ballot_id, b.date, {_meeting("b.meeting_id", "year")},
       {_meeting("b.meeting_id", "organization")}, {_meeting("b.meeting_id", "title", "meeting")},
       {_item("b.item_id", "number")} as item_number, {_item("b.item_id", "title")} as item_title,
       coalesce((select p.name from persons p where p.id = b.person_id), b.name) as person,
       b.party, b.vote, b.replaces,
       (select v.yes_means from votes v where v.id = b.vote_id) as yes_means,
       (select v.yes from votes v where v.id = b.vote_id) as yes,
       (select v.no from votes v where v.id = b.vote_id) as no,
       (select v.abstain from votes v where v.id = b.vote_id) as abstain,
       {_file_name("b.document_id")},
       (select v.page_start from votes v where v.id = b.vote_id) as page,
       (select {_source("v.document_id", "v.page_start", "v.char_start", "v.char_end")}
        from votes v where v.id = b.vote_id) as source,
       b.vote_id, b.person_id, b.item_id, b.meeting_id, b.document_id
from ballots b
""",
    "reservations_view": _stance_view(
        "reservations", "reservation_id", "x.written, x.in_favour_of, x.attachment, "),
    "protocol_notes_view": _stance_view(
        "protocol_notes", "note_id", "x.written, x.attachment, "),
    "recusals_view": _stance_view("recusals", "recusal_id", "x.reason, "),
    "item_attendance": """
select i.id as item_id, mt.date, mt.year, mt.organization, mt.title as meeting,
       i.number as item_number, i.title as item_title, coalesce(p.name, a.name) as person,
       a.party, a.role, a."group", case when x.id is null then 1 else 0 end as present,
       x.reason, a.id as attendee_id, a.person_id, i.meeting_id, i.document_id,
       i.ordinal as item_ordinal, a.ordinal as attendee_ordinal
from items i
join attendees a on a.meeting_id = i.meeting_id and a."group" != 'absent'
join meetings mt on mt.id = i.meeting_id
left join absences x on x.item_id = i.id and x.attendee_id = a.id
left join persons p on p.id = a.person_id
""",
    }


def _create_sql(name: str, body: str) -> str:
    return f"CREATE VIEW [{name}] AS {body.strip()}"


def ensure_views(db: sqlite_utils.Database) -> None:
    """Create the views, replacing any whose definition changed; a no-op when all are current.

    Views that depend on others come later, so they are dropped first.
    """
    current = {r["name"]: r["sql"] for r in
               db.query("select name, sql from sqlite_master where type = 'view'")}
    wanted = {name: _create_sql(name, body) for name, body in definitions().items()}
    if all(current.get(name) == sql for name, sql in wanted.items()):
        return
    with db.atomic():
        for name in reversed(list(wanted)):
            db.execute(f"DROP VIEW IF EXISTS [{name}]")
        for sql in wanted.values():
            db.execute(sql)
