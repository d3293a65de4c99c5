"""Study figures, dated and clipped to the unit (training's are in dangvu/training/measures.py).

Who takes part in a campaign is a question about dates: the members of its units
(subtrees included) at some time between its first and last day, each counted in
every unit where they were a member then (once per unit: a move between two cells
of one commune counts once for the commune). A member admitted or moved in after a
campaign closed is not eligible for it, so a closed campaign's figures never change.
Sessions, connection points and lượt belong to the units whose points and members
they are, and to the organiser: a cell never shows the province's conference.
A campaign's page asks with `campaign` (lib/measures.Query): every study measure then reads
that campaign only (campaigns_reaching).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangvu.lib.keys import STUDY_READ
from dangvu.lib.measures import Column, Measure, Query, Value, memoised, register, register_area
from dangvu.lib.periods import Period
from dangvu.lib.rollup import count_prefixes, count_weighted, group_prefixes, group_tallied, rollup
from dangvu.orgs.models import MemberSpan, OrgUnit, UnitPlacement
from dangvu.orgs.placements import placed, placed_path, under, units_ever_under
from dangvu.study import participation as participation_rule
from dangvu.study.models import (
    Attendance,
    AttendanceStatus,
    Campaign,
    ConnectionPoint,
    SessionMode,
    StudySession,
)

register_area("study", _("Study and dissemination of resolutions"))

FAR = datetime.date(9999, 12, 31)  # the end of a stretch that has not ended


# --- who takes part, where --------------------------------------------------------------------

def campaigns_reaching(unit: OrgUnit, period: Period, campaign: int | None = None):
    """Campaigns running at some time in the period that the unit's members take part in, or
    that the unit's subtree organises; with `campaign` (a query's), that one only."""
    from dangvu.study.selectors import campaigns_for_unit

    campaigns = campaigns_for_unit(unit).filter(start__lte=period.end, end__gte=period.start,
                                                cancelled_on__isnull=True)  # a cancelled campaign counts nowhere
    return campaigns.filter(pk=campaign) if campaign is not None else campaigns


def _reaching(q: Query):
    return campaigns_reaching(q.unit, q.period, q.campaign)


def campaign_unit_paths(q: Query) -> dict[int, list[str]]:
    """The units taking part in each campaign reaching the unit in the period, by the paths
    they had while it ran (once per compute_all)."""
    def compute():
        links = list(Campaign.units.through.objects.filter(campaign__in=_reaching(q))
                     .values_list("campaign_id", "orgunit_id", "campaign__start", "campaign__end"))
        placed = defaultdict(list)
        for unit_id, path, start, end in UnitPlacement.objects.filter(
                unit_id__in={u for _c, u, _s, _e in links}).values_list("unit_id", "path", "start", "end"):
            placed[unit_id].append((path, start, end))
        paths = defaultdict(list)
        for c_id, unit_id, c_start, c_end in links:
            paths[c_id] += [path for path, start, end in placed[unit_id]
                            if start <= c_end and (end is None or end > c_start)]
        return paths
    return memoised(("campaign units", q), compute)


@dataclass
class Participation:
    campaigns: list
    # (campaign id, member id) → the unit paths where the member was eligible for it
    places: dict

    def pairs(self, campaign_ids=None):
        for (c, m), paths in self.places.items():
            if campaign_ids is None or c in campaign_ids:
                for path in paths:
                    yield path, c, m


def reaching(q: Query) -> list[Campaign]:
    """The campaigns reaching the query's unit in its period (once per compute_all)."""
    return memoised(("reaching", q), lambda: list(_reaching(q)))


def participation(q: Query) -> Participation:
    """Every (campaign, member) pair and where, for the rows pages and the campaign list: two
    queries whatever the number of campaigns. The figures have the database tally them instead
    (_participants here, _essays_by_units in essays/measures.py)."""
    return memoised(("participation", q), lambda: _participation(q))


def _participation(q: Query) -> Participation:
    campaigns = reaching(q)
    if not campaigns:
        return Participation([], {})
    places = defaultdict(set)
    for campaign, member, path in participation_rule.places([c.pk for c in campaigns], q.unit):
        places[(campaign, member)].add(path)
    return Participation(campaigns, places)


def as_values(counts: dict[str, int]) -> dict[str, Value]:
    return {path: Value(n) for path, n in counts.items()}


# --- campaigns and sessions ---------------------------------------------------------------

def _campaigns(q: Query):
    """A campaign counts for every unit that, while it ran, was above, at or under one of its
    units, or above or at its organiser."""
    campaigns = list(_reaching(q))
    taking_part = campaign_unit_paths(q)
    organisers = dict(Campaign.objects.filter(pk__in=[c.pk for c in campaigns])
                      .annotate(at=placed_path("unit", "start")).values_list("pk", "at"))
    below = list(UnitPlacement.objects.filter(under(q.unit, "path")).values_list(
        "path", "start", "end", "unit__valid_from", "unit__valid_to"))
    reached: dict[str, set] = defaultdict(set)
    for c in campaigns:
        for path, start, end, founded, dissolved in below:
            if start > c.end or (end is not None and end <= c.start):
                continue  # not placed there while it ran
            if founded > c.end or (dissolved is not None and dissolved < c.start):
                continue  # the unit did not exist then
            if (any(p.startswith(path) or path.startswith(p) for p in taking_part[c.pk])
                    or (organisers[c.pk] or "").startswith(path)):
                for prefix in rollup([(path, 1)], q):
                    reached[prefix].add(c.pk)
    return {path: Value(len(ids)) for path, ids in reached.items()}


def _sessions_in(q: Query, online: bool = False):
    sessions = StudySession.objects.filter(held_on__gte=q.period.start, held_on__lte=q.period.end,
                                           campaign__in=_reaching(q), cancelled_on__isnull=True)
    return sessions.filter(mode=SessionMode.ONLINE) if online else sessions


def _sessions_by_units(q: Query) -> list[tuple[list[str], bool]]:
    """One entry per session held in the period: (the units it belongs to, with their
    ancestors, each once; whether it was online). A session belongs to its organiser, its
    connection points' units and the units of the members marked present. Once per compute_all."""
    def compute():
        sessions = _sessions_in(q)
        online = dict(sessions.values_list("id", "mode"))
        pairs = list(sessions.annotate(at=placed_path("campaign__unit", "held_on")).values_list("at", "id"))
        pairs += list(sessions.filter(unit__isnull=False).annotate(at=placed_path("unit", "held_on"))
                      .values_list("at", "id"))  # make-up sessions
        pairs += list(ConnectionPoint.objects.filter(session__in=sessions, unit__isnull=False)
                      .annotate(at=placed_path("unit", "session__held_on")).values_list("at", "session_id"))
        pairs += [(path, session) for session, path, _n in _present_by_session(q)]
        return [(units, online[s] == SessionMode.ONLINE) for s, units in group_prefixes(pairs, q).items()]
    return memoised(("sessions", q), compute)


def _sessions_count(online: bool):
    def compute(q: Query):
        return as_values(count_prefixes(units for units, is_online in _sessions_by_units(q)
                                      if is_online or not online))
    return compute


def _sessions_rows(online: bool):
    def rows(unit, period):
        sessions = _sessions_in(Query(unit, period), online)
        sql, params = sessions.values("id").query.sql_with_params()
        present_here = participation_rule.sessions_attended((sql, list(params)), unit, AttendanceStatus.PRESENT)
        points_here = placed(ConnectionPoint.objects.filter(session=OuterRef("pk")), unit, "unit", "session__held_on")
        sessions = sessions.annotate(org_at=placed_path("campaign__unit", "held_on"),
                                     unit_at=placed_path("unit", "held_on"))
        mine = under(unit, "org_at") | under(unit, "unit_at") | Exists(points_here) | Q(pk__in=present_here)
        return sessions.filter(mine).select_related("campaign__unit").order_by("held_on", "id")
    return rows


def _points(q: Query):
    """Connection points of sessions held in the period: at the point's unit, or the organiser's."""
    counts = [(unit_path or organiser, 1) for unit_path, organiser in
              _placed_points(ConnectionPoint.objects.filter(session__in=_sessions_in(q)))
              .values_list("unit_at", "org_at")]
    return as_values(rollup(counts, q))


def _placed_points(points):
    """Points with their unit's and their organiser's paths on the session's day."""
    return points.annotate(unit_at=placed_path("unit", "session__held_on"),
                           org_at=placed_path("session__campaign__unit", "session__held_on"))


def _points_rows(unit, period):
    points = _placed_points(ConnectionPoint.objects.filter(session__in=_sessions_in(Query(unit, period))))
    return (points.filter(under(unit, "unit_at") | (Q(unit__isnull=True) & under(unit, "org_at")))
            .select_related("session__campaign", "unit").order_by("session__held_on", "id"))


# --- what the unit held itself (not what its members attended) -------------------------------

def _campaigns_held_rows(unit, period):
    """Campaigns running in the period organised by the unit or a unit under it (where the
    organiser stood on the campaign's first day)."""
    campaigns = Campaign.objects.filter(start__lte=period.end, end__gte=period.start, cancelled_on__isnull=True)
    return placed(campaigns, unit, "unit", "start").select_related("unit").order_by("start", "id")


def _campaigns_held(q: Query):
    return as_values(rollup(((at, 1) for at in _campaigns_held_rows(q.unit, q.period).values_list("at", flat=True)),
                            q))


def _sessions_held_at(unit, period) -> list[tuple[int, str]]:
    """(session, path) for sessions held in the period by the unit or a unit under it: a
    make-up session's unit, otherwise its campaign's organiser, where it stood on the day."""
    sessions = StudySession.objects.filter(held_on__gte=period.start, held_on__lte=period.end,
                                           cancelled_on__isnull=True, campaign__cancelled_on__isnull=True)
    return memoised(("sessions held", unit.path, period), lambda: [
        *placed(sessions.filter(unit__isnull=False), unit, "unit", "held_on").values_list("id", "at"),
        *placed(sessions.filter(unit__isnull=True), unit, "campaign__unit", "held_on").values_list("id", "at")])


def _sessions_held(q: Query):
    return as_values(rollup(((at, 1) for _id, at in _sessions_held_at(q.unit, q.period)), q))


def _sessions_held_rows(unit, period):
    return (StudySession.objects.filter(pk__in=[pk for pk, _at in _sessions_held_at(unit, period)])
            .select_related("campaign__unit").order_by("held_on", "id"))


# The members marked present at each session, by the unit where they took part in its campaign
# that day, counted by the database: a province's million presences come back as its sessions'
# few thousand (session, unit) pairs. CROSS JOIN keeps SQLite's order (who took part here, then
# their marks by index), so that a cell reads its own members' marks, not the whole campaign's;
# PostgreSQL plans as it likes.
_PRESENT_AT = """
SELECT a.session_id, p.path, COUNT(*)
FROM ({places}) p
CROSS JOIN study_studysession s
CROSS JOIN study_attendance a
WHERE s.campaign_id = p.campaign_id AND a.session_id = s.id AND a.member_id = p.member_id AND {on_the_day}
  AND a.session_id IN ({sessions}) AND a.status = %s
GROUP BY a.session_id, p.path
"""


def _present_by_session(q: Query) -> list[tuple[int, str, int]]:
    """(session, path, members present) for the sessions held in the period, where the members
    took part that day (once per compute_all: the sessions' units and the lượt read it)."""
    def compute():
        ids = [c.pk for c in reaching(q)]
        if not ids:
            return []
        places, place_params = participation_rule.participation_sql(ids, q.unit)
        sql, params = _sessions_in(q).values("id").query.sql_with_params()
        query = _PRESENT_AT.format(sessions=sql, places=places, on_the_day=participation_rule.holds_on("s.held_on"))
        return [(s, path, int(n)) for s, path, n in participation_rule.fetch(
            query, [*place_params, *params, AttendanceStatus.PRESENT])]
    return memoised(("present", q), compute)


def _attendances(q: Query):
    """Lượt: at each unit, for each session, the head counts given at the connection points
    under it (a point's unit, else the organiser's) where there are some; otherwise its own
    members marked present (where they took part that day). A cell whose members sat in a
    hall counted by head at the province's point counts its members present, never 0."""
    heads = list(_placed_points(ConnectionPoint.objects.filter(session__in=_sessions_in(q), head_count__gt=0))
                 .values_list("session_id", "unit_at", "org_at", "head_count"))
    with_heads = {s for s, *_rest in heads}
    present = _present_by_session(q)
    by_path = Counter()  # the sessions without head counts, summed per unit before rolling up
    for session, path, n in present:
        if session not in with_heads:
            by_path[path] += n
    counted = defaultdict(int, rollup(by_path.items(), q))
    present_by_session = defaultdict(list)
    heads_by_session = defaultdict(list)
    for session, path, n in present:
        if session in with_heads:
            present_by_session[session].append((path, n))
    for session, unit_at, org_at, n in heads:
        heads_by_session[session].append((unit_at or org_at, n))
    for session in sorted(with_heads):
        by_head = rollup(heads_by_session[session], q)
        by_presence = rollup(present_by_session[session], q)
        for prefix in by_head.keys() | by_presence.keys():
            counted[prefix] += by_head.get(prefix) or by_presence.get(prefix, 0)
    return as_values({path: n for path, n in counted.items() if n})


# --- participation (the essays' figures are dangvu/essays/measures.py) ------------------------

def _attended(q: Query) -> set:
    """(campaign, member) pairs with a presence, for members who were under the query's unit."""
    p = participation(q)
    return memoised(("attended", q), lambda: set(
        Attendance.objects.filter(session__campaign__in=p.campaigns, session__cancelled_on__isnull=True,
                                  status=AttendanceStatus.PRESENT,
                                  member_id__in=members_under(q.unit))
        .values_list("session__campaign_id", "member_id").distinct()))


# Members taking part and whether they attended, tallied by the database (the marks read are
# those of the members taking part here: a cell's, not the campaign's): per unit where they
# took part, a member at one unit counted there with the others (the rows with no member); a
# member at several (moved between two cells while it ran) given a row a unit, with whether they
# attended the campaign they took part in there.
_MEMBERS_TAKING_PART = """
WITH places AS (SELECT DISTINCT p.campaign_id, p.member_id, p.path FROM ({places}) p),
attended AS (SELECT DISTINCT s.campaign_id, a.member_id FROM study_attendance a
             JOIN study_studysession s ON s.id = a.session_id
             WHERE s.campaign_id IN ({campaigns}) AND s.cancelled_on IS NULL AND a.status = %s
               AND a.member_id IN (SELECT member_id FROM places)),
marked AS (SELECT pl.member_id, pl.path, MAX(CASE WHEN at.member_id IS NULL THEN 0 ELSE 1 END) AS took_part
           FROM places pl LEFT JOIN attended at ON at.campaign_id = pl.campaign_id AND at.member_id = pl.member_id
           GROUP BY pl.member_id, pl.path),
members AS (SELECT member_id, MIN(path) AS path, COUNT(*) AS n, MAX(took_part) AS took_part
            FROM marked GROUP BY member_id)
SELECT path, took_part, COUNT(*), NULL FROM members WHERE n = 1 GROUP BY path, took_part
UNION ALL
SELECT mk.path, mk.took_part, 1, mk.member_id FROM marked mk JOIN members m ON m.member_id = mk.member_id
WHERE m.n > 1"""


def _participants(q: Query):
    """A member of several campaigns counts once, at every unit where they took part in one."""
    ids = [c.pk for c in reaching(q)]
    if not ids:
        return {}
    places, params = participation_rule.participation_sql(ids, q.unit)
    rows = participation_rule.fetch(
        _MEMBERS_TAKING_PART.format(places=places, campaigns=", ".join(["%s"] * len(ids))),
        [*params, *ids, AttendanceStatus.PRESENT])
    eligible = count_weighted((units, n) for units, _f, n in group_tallied(
        ((path, member, None, n) for path, _took, n, member in rows), q))
    took_part = count_weighted((units, n) for units, _f, n in group_tallied(
        ((path, member, None, n) for path, took, n, member in rows if took), q))
    return {path: Value.rate(took_part.get(path, 0), n) for path, n in eligible.items()}


def members_by_id(ids) -> list:
    """Members of these ids, in name order, fetched a chunk at a time (a province has 300,000)."""
    from dangvu.orgs.models import Member

    ids, found = sorted(ids), []
    for n in range(0, len(ids), 5000):
        found += Member.objects.filter(pk__in=ids[n:n + 5000]).select_related("unit")
    return sorted(found, key=lambda m: (m.sort_key, m.pk))


def _participants_rows(unit, period):
    """The members eligible, each with whether they took part (the numerator are those with yes)."""
    q = Query(unit, period)
    p = participation(q)
    attended = _attended(q)
    eligible, took_part = set(), set()
    for _path, c, m in p.pairs():
        eligible.add(m)
        if (c, m) in attended:
            took_part.add(m)
    rows = members_by_id(eligible)
    for m in rows:
        m.took_part = m.pk in took_part
    return rows


def members_under(unit: OrgUnit):
    """A subquery: members who were ever under `unit` (rows of a cell never read the province's)."""
    return MemberSpan.objects.filter(unit_id__in=units_ever_under(unit)).values("member_id")


# --- registration ---------------------------------------------------------------------------

TIMES, SESSIONS, POINTS, PEOPLE, CAMPAIGNS = _("times"), _("sessions"), _("points"), _("people"), _("campaigns")
CAMPAIGN_COLUMNS = [Column("title", _("title"), lambda c: c.title), Column("unit", _("organised by"), lambda c: c.unit.name),
                    Column("start", _("from"), lambda c: c.start), Column("end", _("until"), lambda c: c.end)]
SESSION_COLUMNS = [Column("held_on", _("date"), lambda s: s.held_on),
                   Column("campaign", _("study campaign"), lambda s: s.campaign.title),
                   Column("mode", _("form"), lambda s: s.get_mode_display()), Column("place", _("place"), lambda s: s.place)]
POINT_COLUMNS = [Column("held_on", _("date"), lambda p: p.session.held_on), Column("name", _("connection point"), lambda p: p.name),
                 Column("unit", _("Unit"), lambda p: p.unit.name if p.unit else ""),
                 Column("head_count", _("people attending"), lambda p: p.head_count)]
def study_measure(key, label, definition, unit, compute, rows, columns, **extra):
    register(Measure(key=key, label=label, definition=definition, unit=unit, area=extra.pop("area", "study"),
                     permission=STUDY_READ, compute=compute, rows=rows, columns=columns, **extra))


study_measure("study.campaigns", _("Study campaigns"),
       _("Campaigns (học tập, quán triệt) running at some time in the period that reach the unit's members or that "
         "the unit organises."), CAMPAIGNS, _campaigns,
       lambda u, p: campaigns_reaching(u, p).order_by("start", "id"), CAMPAIGN_COLUMNS)
study_measure("study.sessions", _("Sessions and conferences"),
       _("Sessions held in the period that the unit organised, reached with a connection point, or attended."),
       SESSIONS, _sessions_count(online=False), _sessions_rows(False),
       SESSION_COLUMNS)
study_measure("study.campaigns_held", _("Study campaigns held"),
       _("Campaigns (học tập, quán triệt) running at some time in the period that the unit or a unit under it "
         "organised; not those of the committees above that its members took part in."), CAMPAIGNS,
       _campaigns_held, _campaigns_held_rows, CAMPAIGN_COLUMNS)
study_measure("study.sessions_held", _("Sessions and conferences held"),
       _("Sessions held in the period by the unit or a unit under it (the campaign's organiser, or the unit of a "
         "make-up session); not those of the committees above that its members attended."), SESSIONS,
       _sessions_held, _sessions_held_rows, SESSION_COLUMNS)
study_measure("study.online_sessions", _("Online conferences"),
       _("Of the sessions, those held online to connection points."),
       SESSIONS, _sessions_count(online=True),
       _sessions_rows(True), SESSION_COLUMNS)
study_measure("study.points", _("Connection points"),
       _("Connection points (điểm cầu) of sessions held in the period, at the unit where each point is."),
       POINTS, _points, _points_rows, POINT_COLUMNS)
study_measure("study.attendances", _("Attendances (lượt)"),
       _("Lượt người học: the head count at each connection point where one was given, otherwise each member "
         "marked present at a session held in the period."),
       TIMES, _attendances, _sessions_rows(False), SESSION_COLUMNS)
study_measure("study.participants", _("Members who took part in study"),
       _("Members who attended at least one session of a campaign running in the period, out of the members "
         "eligible for one (members of its units at some time during it)."),
       "%", _participants, _participants_rows,
       [Column("member_id", _("member id"), lambda m: m.pk), Column("full_name", _("Full name"), lambda m: m.full_name),
        Column("unit", _("Unit"), lambda m: m.unit.name),
        Column("took_part", _("took part"), lambda m: _("yes") if m.took_part else _("no"))],
       rate=True, numerator=_("members who attended"), denominator=_("members eligible"), row_id=lambda m: m.pk)
