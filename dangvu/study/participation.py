"""Who takes part in a campaign, in which unit, over which days: the one rule.

A member takes part in a campaign through each stretch of their membership that overlaps the
campaign's days (one of no length never counts: a member entered as already gone), in a unit
that stood, on those days, at or under one of the campaign's units (orgs/placements.py). They
take part from the latest of the campaign's first day, the stretch's first day and the
placement's first day, until the earliest end of the stretch and the placement, at most to
the campaign's last day.

Written once, in SQL, and read by everything: the figures (study/measures.py), the rows
behind them, the not-attended list, the essays list, the attendance sheet, who may submit
an essay and who may be marked present.
"""

import datetime

from django.db import connection
from django.db.models.expressions import RawSQL

from dangvu.orgs.models import OrgUnit
from dangvu.orgs.placements import under_sql

# campaign c, stretch sp, placement u of the stretch's unit; a path under a campaign unit's
# placement path was under it at the same time
_PARTICIPATION = """
SELECT c.id AS campaign_id, sp.member_id AS member_id, sp.unit_id AS unit_id, u.path AS path,
  CASE WHEN sp.start >= c.start AND sp.start >= u.start THEN sp.start
       WHEN u.start >= c.start THEN u.start ELSE c.start END AS first_day,
  CASE WHEN sp."end" IS NULL THEN u."end" WHEN u."end" IS NULL THEN sp."end"
       WHEN sp."end" < u."end" THEN sp."end" ELSE u."end" END AS until,
  c."end" AS last_day
FROM study_campaign c
JOIN orgs_memberspan sp ON sp.start <= c."end"
JOIN orgs_unitplacement u ON u.unit_id = sp.unit_id
WHERE {campaigns} AND {under}
  AND (sp."end" IS NULL OR (sp."end" > c.start AND sp."end" <> sp.start))
  AND u.start <= c."end" AND (u."end" IS NULL OR u."end" > c.start)
  AND (sp."end" IS NULL OR u.start < sp."end") AND (u."end" IS NULL OR u."end" > sp.start)
  AND EXISTS (SELECT 1 FROM study_campaign_units cu JOIN orgs_unitplacement cuu ON cuu.unit_id = cu.orgunit_id
              WHERE cu.campaign_id = c.id AND u.path LIKE cuu.path || '%%')"""


def participation_sql(campaigns, unit: OrgUnit | None = None) -> tuple[str, list]:
    """The rule as a SELECT of (campaign_id, member_id, unit_id, path, first_day, until,
    last_day), one row per stretch and placement: `campaigns` is a list of ids or a (sql,
    params) subquery of ids; `unit` keeps the places under it as it stood then."""
    if isinstance(campaigns, tuple):
        where, params = f"c.id IN ({campaigns[0]})", list(campaigns[1])
    else:
        ids = list(campaigns) or [0]
        where, params = f"c.id IN ({', '.join(['%s'] * len(ids))})", ids
    under, under_params = under_sql("u.path", unit) if unit is not None else ("1 = 1", [])
    return _PARTICIPATION.format(campaigns=where, under=under), [*params, *under_params]


def holds_on(day_sql: str) -> str:
    """The condition that a participation row `p` holds on a day."""
    return f"p.first_day <= {day_sql} AND {day_sql} <= p.last_day AND (p.until IS NULL OR {day_sql} < p.until)"


def fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def places(campaign_ids: list[int], unit: OrgUnit) -> list[tuple[int, int, str]]:
    """(campaign, member, path) for every place a member took part in these campaigns under `unit`."""
    sql, params = participation_sql(campaign_ids, unit)
    return fetch(f"SELECT DISTINCT campaign_id, member_id, path FROM ({sql}) p", params)


def member_ids(campaign, unit: OrgUnit | None = None, on_day: datetime.date | None = None) -> RawSQL:
    """A subquery of the members taking part in `campaign` (under `unit`; on `on_day`)."""
    sql, params = participation_sql([campaign.pk], unit)
    day = ""
    if on_day is not None:
        day, params = " WHERE " + holds_on("%s"), [*params, on_day, on_day, on_day]
    return RawSQL(f"SELECT p.member_id FROM ({sql}) p{day}", params)


def first_days(campaign, member_ids_: list[int]) -> dict[int, datetime.date]:
    """The first day each of these members took part in the campaign (absent: not taking part)."""
    if not member_ids_:
        return {}
    sql, params = participation_sql([campaign.pk])
    rows = fetch(f"SELECT p.member_id, MIN(p.first_day) FROM ({sql}) p WHERE p.member_id IN "
                 f"({', '.join(['%s'] * len(member_ids_))}) GROUP BY p.member_id", [*params, *member_ids_])
    return {m: d if isinstance(d, datetime.date) else datetime.date.fromisoformat(d) for m, d in rows}


def rows_of_members(table: str, campaign_column: str, campaigns, unit: OrgUnit) -> RawSQL:
    """A subquery of the ids of rows of `table` (an essay: campaign and member columns) whose
    member took part in the row's campaign under `unit`."""
    sql, params = participation_sql(campaigns, unit)
    return RawSQL(f"SELECT r.id FROM {table} r JOIN ({sql}) p ON p.campaign_id = r.{campaign_column} "
                  f"AND p.member_id = r.member_id", params)


def sessions_attended(sessions_sql: tuple[str, list], unit: OrgUnit, present: str) -> RawSQL:
    """A subquery of the sessions (of `sessions_sql`) at which a member was marked present who
    took part in its campaign under `unit` on the session's day."""
    sql, params = participation_sql((f"SELECT s0.campaign_id FROM study_studysession s0 WHERE s0.id IN "
                                     f"({sessions_sql[0]})", sessions_sql[1]), unit)
    return RawSQL(f"SELECT a.session_id FROM ({sql}) p CROSS JOIN study_studysession s CROSS JOIN study_attendance a "
                  f"WHERE s.campaign_id = p.campaign_id AND a.session_id = s.id AND p.member_id = a.member_id "
                  f"AND a.status = %s AND " + holds_on("s.held_on"), [*params, present])
