"""SQL views that join the tables into rows a reader can take in without writing SQL.

Every row that comes from a place in a document carries a `source` column: a JSON object
with the document id, file name, page and character span. Datasette shows it as a link to
the document and the passage (see datasette/plugins/source_links.py); to anyone reading the
database directly it is plain JSON.
"""

from __future__ import annotations

import sqlite_utils

from . import rules


def _source(doc: str, page: str, start: str, end: str, page_end: str | None = None) -> str:
    last = f", 'page_end', {page_end}" if page_end else ""
    return (f"json_object('document_id', {doc}.id, 'file_name', {doc}.file_name, "
            f"'page', {page}{last}, 'start', {start}, 'end', {end})")


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
select d.text as decision, mt.date, mt.organization, mt.title as meeting,
       i.number as item_number, i.title as item_title, d.label,
       (select json_group_array(municipality) from (
          select dm.municipality from decision_municipalities dm
          where dm.decision_id = d.id order by dm.municipality)) as municipalities,
       {_source("doc", "d.page_start", "d.char_start", "d.char_end", "d.page_end")} as source,
       mt.year, doc.file_name, d.page_start as page, d.id as decision_id,
       d.item_id, d.meeting_id, d.document_id, i.ordinal as item_ordinal,
       d.ordinal as decision_ordinal, d.rowid as decision_rowid
from decisions d
left join items i on i.id = d.item_id
join meetings mt on mt.id = d.meeting_id
join documents doc on doc.id = d.document_id
""",
    # Text first, then what places it, then ids: a reader sees the text before scrolling.
    "items_view": f"""
select i.number, i.title, mt.date, mt.organization, mt.title as meeting, i.case_number,
       (select count(*) from decisions d where d.item_id = i.id) as decisions,
       {_source("doc", "i.page_start", "i.char_start", "i.char_end", "i.page_end")} as source,
       i.presenters, i.attachments, mt.year, i.ordinal, doc.file_name, i.page_start as page,
       i.id as item_id, i.meeting_id, i.document_id
from items i
join meetings mt on mt.id = i.meeting_id
join documents doc on doc.id = i.document_id
""",
    "attendance": f"""
select coalesce(p.name, a.name) as person, mt.date, mt.organization, mt.title as meeting,
       a.role, a."group", a.party, coalesce(mu.name, a.municipality) as municipality,
       {_source("doc", "a.page", "a.char_start", "a.char_end")} as source,
       a.affiliation, mu.county, a.replaces, a.note, mt.year, doc.file_name, a.page,
       a.id as attendee_id, a.person_id, a.municipality_code, a.meeting_id, a.document_id
from attendees a
join meetings mt on mt.id = a.meeting_id
join documents doc on doc.id = a.document_id
left join persons p on p.id = a.person_id
left join municipalities mu on mu.code = a.municipality_code
""",
    "mentions_view": f"""
select mn.id as mention_id, mn.label, mn.text, mn.value,
       coalesce(p.name, mu.name, mn.value, mn.text) as name,
       mt.date, mt.year, mt.organization, mt.title as meeting,
       i.number as item_number, i.title as item_title, doc.file_name, mn.page,
       {_source("doc", "mn.page", "mn.char_start", "mn.char_end")} as source,
       mn.person_id, mn.municipality_code, mn.item_id, mt.id as meeting_id, mn.document_id
from mentions mn
join documents doc on doc.id = mn.document_id
left join meetings mt on mt.document_id = mn.document_id
left join items i on i.id = mn.item_id
left join persons p on p.id = mn.person_id
left join municipalities mu on mu.code = mn.municipality_code
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
