"""The measure layer at national scale on PostgreSQL: a national root above several provinces
built by the demo's generator. Every registered measure for the root and its provinces,
counted by the measure layer against hand-written SQL GROUP BYs on path prefixes in the same
run (the bench stops if a figure differs), then read kept from the figure store; the peak
memory of the process counting them; a province's pages and one cell's pages, counted and
kept. Not a test: prints the times, the ratios, the database's size and the machine.

    python bench/national_measures.py --members 100000 1000000

Each size has a database of its own (dangvu_national_100000, …), built once and kept: the
root ("Ban Chấp hành Trung ương", of the central kind), 4
provinces sharing --members (build_demo(parent=…)), a year of membership history through
the services (transfers across provinces too), one central campaign over the root with 4
sessions (3 marks a member on average, 97 % of them present) and one essay a member (bench/measures.py's
SQL), a year of cell meetings with every member's mark (bench/meetings.py's SQL) and 0 to 3
inspections by each cell (bench/attainment.py's SQL). Each size is built and measured in a
process of its own, so that the memory measured is the counting's, not the build's.

Goals (issue 29): counted ≤ 1.5× the hand-written SQL; kept < 200 ms; a cell's pages the
same at every size within noise.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from attainment import FILL as FILL_INSPECTIONS  # noqa: E402
from measures import FILL_ATTENDANCE, FILL_ESSAYS, PREFIX, timed_pages  # noqa: E402
from measures import SQL as STUDY_SQL  # noqa: E402
from meetings import FILL_MARKS, FILL_MEETINGS  # noqa: E402
from meetings import KEYS as MEETING_KEYS  # noqa: E402
from meetings import SQL as MEETING_SQL  # noqa: E402
from rollup import setup  # noqa: E402

ROOT_CODE = "TW"
PROVINCES = [("TQ", "Đảng bộ tỉnh Tuyên Quang"), ("LC", "Đảng bộ tỉnh Lào Cai"),
             ("TN", "Đảng bộ tỉnh Thái Nguyên"), ("PT", "Đảng bộ tỉnh Phú Thọ")]
CELL_SIZE = 27  # the demo's mean cell: the cell whose pages are compared across sizes has this many
RESULTS = ROOT / "var"

# --- the figures by hand-written SQL, beyond bench/measures.py's and bench/meetings.py's -------

# the presences of a study session, each at the unit where the member stood on the session's day
PRESENT_AT_UNITS = ("JOIN study_studysession s ON s.id = a.session_id JOIN study_campaign c ON c.id = s.campaign_id "
                    "JOIN orgs_memberspan sp ON sp.member_id = a.member_id AND sp.start <= s.held_on "
                    'AND (sp."end" IS NULL OR sp."end" > s.held_on) '
                    "JOIN orgs_orgunit u ON u.id = sp.unit_id JOIN ({depths}) d ON d.k <= u.depth "
                    "WHERE u.path LIKE %(like)s AND a.status = 'present' AND s.cancelled_on IS NULL "
                    "AND c.cancelled_on IS NULL AND s.held_on BETWEEN %(from)s AND %(to)s ")

STUDY_SQL_MORE = {
    "members.probationary": STUDY_SQL["members.full"].replace("'chinh_thuc'", "'du_bi'"),
    # presences, at the unit where the member took part on the session's day
    "attendances": f"SELECT {PREFIX}, COUNT(*) FROM study_attendance a "
                   + PRESENT_AT_UNITS +
                   "AND EXISTS (SELECT 1 FROM study_campaign_units cu JOIN orgs_orgunit cuu ON cuu.id = cu.orgunit_id "
                   "WHERE cu.campaign_id = c.id AND u.path LIKE cuu.path || '%%') GROUP BY 1",
    # a session belongs to its organiser, its make-up unit, its points' units and the units of
    # the members present (by mode: online sessions are a measure of their own)
    "sessions": "SELECT prefix, mode, COUNT(DISTINCT sid) FROM ("
                f"SELECT {PREFIX} AS prefix, s.mode AS mode, s.id AS sid FROM study_attendance a "
                + PRESENT_AT_UNITS
                +
                "UNION ALL "
                f"SELECT {PREFIX}, s.mode, s.id FROM study_studysession s JOIN study_campaign c ON c.id = s.campaign_id "
                "LEFT JOIN study_connectionpoint cp ON cp.session_id = s.id "
                "JOIN orgs_orgunit u ON u.id IN (c.unit_id, s.unit_id, cp.unit_id) "
                "JOIN ({depths}) d ON d.k <= u.depth "
                "WHERE u.path LIKE %(like)s AND s.cancelled_on IS NULL AND c.cancelled_on IS NULL "
                "AND s.held_on BETWEEN %(from)s AND %(to)s) x GROUP BY 1, 2",
    "study.points": f"SELECT {PREFIX}, COUNT(*) FROM study_connectionpoint cp "
                    "JOIN study_studysession s ON s.id = cp.session_id JOIN study_campaign c ON c.id = s.campaign_id "
                    "JOIN orgs_orgunit u ON u.id = COALESCE(cp.unit_id, c.unit_id) JOIN ({depths}) d ON d.k <= u.depth "
                    "WHERE u.path LIKE %(like)s AND s.cancelled_on IS NULL AND c.cancelled_on IS NULL "
                    "AND s.held_on BETWEEN %(from)s AND %(to)s GROUP BY 1",
    "study.campaigns_held": f"SELECT {PREFIX}, COUNT(*) FROM study_campaign c JOIN orgs_orgunit u ON u.id = c.unit_id "
                            "JOIN ({depths}) d ON d.k <= u.depth WHERE u.path LIKE %(like)s "
                            'AND c.start <= %(to)s AND c."end" >= %(from)s AND c.cancelled_on IS NULL GROUP BY 1',
    "study.sessions_held": f"SELECT {PREFIX}, COUNT(*) FROM study_studysession s "
                           "JOIN study_campaign c ON c.id = s.campaign_id "
                           "JOIN orgs_orgunit u ON u.id = COALESCE(s.unit_id, c.unit_id) "
                           "JOIN ({depths}) d ON d.k <= u.depth WHERE u.path LIKE %(like)s "
                           "AND s.held_on BETWEEN %(from)s AND %(to)s AND s.cancelled_on IS NULL "
                           "AND c.cancelled_on IS NULL GROUP BY 1",
    # a campaign counts for a unit that stood while it ran above, at or under one of its units,
    # or above or at its organiser
    "study.campaigns": "SELECT u.path, COUNT(DISTINCT c.id) FROM orgs_orgunit u "
                       'JOIN study_campaign c ON c.start <= %(to)s AND c."end" >= %(from)s AND c.cancelled_on IS NULL '
                       "JOIN orgs_orgunit o ON o.id = c.unit_id "
                       'WHERE u.path LIKE %(like)s AND u.depth <= {deepest} AND u.valid_from <= c."end" '
                       "AND (u.valid_to IS NULL OR u.valid_to >= c.start) AND (o.path LIKE u.path || '%%' OR EXISTS ("
                       "SELECT 1 FROM study_campaign_units cu JOIN orgs_orgunit t ON t.id = cu.orgunit_id "
                       "WHERE cu.campaign_id = c.id AND (u.path LIKE t.path || '%%' OR t.path LIKE u.path || '%%'))) "
                       "GROUP BY 1",
}
# inspections and supervisions at the conducting unit as it stood on the last day
INSPECTIONS_SQL = (
    "SELECT substr(p.path, 1, {steplen} * d.k), "
    "COUNT(*) FILTER (WHERE i.kind = 'inspection'), "
    "COUNT(*) FILTER (WHERE i.kind = 'inspection' AND i.conductor = 'cell'), "
    "COUNT(*) FILTER (WHERE i.kind = 'inspection' AND i.conductor = 'cell' AND p.has_committee), "
    "COUNT(*) FILTER (WHERE i.kind = 'inspection' AND i.conductor = 'cell' AND NOT p.has_committee), "
    "COUNT(*) FILTER (WHERE i.kind = 'inspection' AND i.conductor = 'committee'), "
    "COUNT(*) FILTER (WHERE i.kind = 'inspection' AND i.conductor = 'commission'), "
    "COUNT(*) FILTER (WHERE i.kind = 'supervision'), "
    "COUNT(*) FILTER (WHERE i.outcome = 'violation'), "
    "COUNT(DISTINCT i.subject_member_id) FILTER (WHERE i.kind = 'inspection'), "
    "COUNT(DISTINCT i.subject_unit_id) FILTER (WHERE i.kind = 'inspection'), "
    "COUNT(DISTINCT i.subject_member_id) FILTER (WHERE i.kind = 'supervision'), "
    "COUNT(DISTINCT i.subject_unit_id) FILTER (WHERE i.kind = 'supervision') "
    "FROM inspections_inspection i JOIN orgs_unitplacement p ON p.unit_id = i.unit_id AND p.start <= i.\"end\" "
    "AND (p.\"end\" IS NULL OR p.\"end\" > i.\"end\") JOIN ({depths}) d ON d.k * {steplen} <= length(p.path) "
    "WHERE i.\"end\" BETWEEN %(from)s AND %(to)s AND p.path LIKE %(like)s GROUP BY 1")
INSPECTION_KEYS = ["inspections.held", "inspections.held_by_cells", "inspections.held_by_cells_with_committee",
                   "inspections.held_by_cells_without_committee", "inspections.held_by_committees",
                   "inspections.held_by_commissions", "inspections.supervisions", "inspections.violations",
                   "inspections.members_inspected", "inspections.units_inspected", "inspections.members_supervised",
                   "inspections.units_supervised"]
MEMBER_KEYS = ["members.total", "members.full", "members.probationary", "members.admitted", "members.made_full",
               "members.transferred_in", "members.transferred_out", "members.died", "members.removed"]
ESSAY_TESTS = {  # (status, was_returned, return_reason) → whether the essay counts
    "study.essays_submitted": lambda s, r, why: True,
    "study.essays_awaiting": lambda s, r, why: s in ("submitted", "resubmitted"),
    "study.essays_returned_now": lambda s, r, why: s == "returned",
    "study.essays_passed": lambda s, r, why: s == "passed",
    "study.essays_passed_after_rework": lambda s, r, why: s == "passed" and r,
    "study.essays_returned_thin": lambda s, r, why: r and why == "thin",
    "study.essays_returned_copied": lambda s, r, why: r and why == "copied",
    "study.essays_returned_other": lambda s, r, why: r and why == "other",
}
STUDY_KEYS = ["study.campaigns", "study.sessions", "study.campaigns_held", "study.sessions_held",
              "study.online_sessions", "study.points", "study.attendances", "study.participants",
              "study.essays_required", "study.essays_not_submitted", *ESSAY_TESTS]
SQL_KEYS = MEMBER_KEYS + STUDY_KEYS + MEETING_KEYS + INSPECTION_KEYS
# No rows of these in the bench's data (documents, training, evaluation, dues, recommendations,
# inspection plans): a hand-written query would be checked against nothing. Counted all the
# same (their cost is in the time of every measure), not compared.
NOT_WRITTEN = "no rows in the bench's data: a hand-written query could not be checked"


def depths(deepest: int) -> str:
    """SELECT 1 AS k UNION ALL … up to `deepest`: joined on k <= depth, every path prefix of
    a unit down to that depth (the root and its provinces: 2)."""
    return " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, deepest + 1))


def sql_figures(root, levels: int, period, campaign) -> dict:
    """SQL_KEYS for the root and the units `levels` below it, by hand-written SQL:
    {key: {path: value}} (a rate as (numerator, denominator))."""
    from collections import defaultdict

    from django.db import connection

    from dangvu.orgs.models import OrgUnit

    deepest = root.depth + levels
    params = {"like": root.path + "%", "from": period.start, "to": period.end, "campaign": campaign.pk,
              "c_start": campaign.start, "c_end": campaign.end}
    fmt = {"steplen": OrgUnit.steplen, "depths": depths(deepest), "deepest": deepest}
    out: dict[str, dict] = defaultdict(dict)
    with connection.cursor() as cursor:
        def rows(sql):
            cursor.execute(sql.format(**fmt), params)
            return cursor.fetchall()

        for key in MEMBER_KEYS:
            out[key] = dict(rows(STUDY_SQL_MORE.get(key) or STUDY_SQL[key]))
        eligible, attended = dict(rows(STUDY_SQL["eligible"])), dict(rows(STUDY_SQL["attended"]))
        out["study.participants"] = {p: (attended.get(p, 0), n) for p, n in eligible.items()}
        out["study.essays_required"] = eligible  # one campaign, asking for an essay
        for prefix, status, was_returned, reason, n in rows(STUDY_SQL["essays"]):
            for key, test in ESSAY_TESTS.items():
                if test(status, was_returned, reason):
                    out[key][prefix] = out[key].get(prefix, 0) + n
        submitted = out["study.essays_submitted"]
        out["study.essays_not_submitted"] = {p: n - submitted.get(p, 0) for p, n in eligible.items()}
        out["study.attendances"] = dict(rows(STUDY_SQL_MORE["attendances"]))
        for prefix, mode, n in rows(STUDY_SQL_MORE["sessions"]):
            out["study.sessions"][prefix] = out["study.sessions"].get(prefix, 0) + n
            if mode == "online":
                out["study.online_sessions"][prefix] = n
        for key in ("study.points", "study.campaigns_held", "study.sessions_held", "study.campaigns"):
            out[key] = dict(rows(STUDY_SQL_MORE[key]))
        for key in MEETING_KEYS:
            found = rows(MEETING_SQL[key])
            out[key] = ({p: (k, n) for p, n, k in found} if key == "meetings.attendance" else dict(found))
        for prefix, *counts in rows(INSPECTIONS_SQL):
            for key, n in zip(INSPECTION_KEYS, counts, strict=True):
                out[key][prefix] = n
    return {key: {p: v for p, v in out[key].items() if p.startswith(root.path)} for key in SQL_KEYS}


def plain(figures, keys) -> dict:
    """The measure layer's {key: {path: Value}} as the SQL gives them, zeros left out."""
    out = {}
    for key in keys:
        values = {p: (v.numerator, v.denominator) if v.numerator is not None else v.value
                  for p, v in figures[key].items()}
        out[key] = {p: v for p, v in values.items() if v not in (0, (0, 0))}
    return out


def check_equal(ours: dict, theirs: dict) -> None:
    for key in SQL_KEYS:
        b = {p: v for p, v in theirs[key].items() if v not in (0, (0, 0))}
        if ours[key] != b:
            diff = {p: (ours[key].get(p), b.get(p)) for p in ours[key].keys() | b.keys()
                    if ours[key].get(p) != b.get(p)}
            raise SystemExit(f"{key} differs from the SQL's (ours, SQL): {sorted(diff.items())[:5]} "
                             f"({len(diff)} units)")


# --- the national tree ------------------------------------------------------------------------

def build(members: int) -> None:
    """The national database, each part built once (a build cut short goes on where it stopped)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from dangvu.meetings.models import Meeting
    from dangvu.orgs import services as org_services
    from dangvu.orgs.demo import build_demo, build_history_demo
    from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind
    from dangvu.study import services
    from dangvu.study.models import Campaign

    settings.FIGURE_RECOUNT = False  # the build's changes queue no recount: the bench counts itself
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    root = OrgUnit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        if OrgUnit.objects.exists():
            raise SystemExit(f"{connection.settings_dict['NAME']} holds another tree: drop it first")
        root = org_services.unit_create(actor=None, parent=None, name="Ban Chấp hành Trung ương", code=ROOT_CODE,
                                        kind=UnitKind.CENTRAL, has_committee=True, symbol="TW",
                                        valid_from=datetime.date(2025, 7, 1))
    for n, (code, name) in enumerate(PROVINCES):
        if not OrgUnit.objects.filter(code=code).exists():
            started = time.perf_counter()
            print(f"Building {name} ({members // len(PROVINCES):,} members)…", file=sys.stderr)
            build_demo(members=members // len(PROVINCES), seed=2025 + n, progress=True,
                       parent=OrgUnit.objects.get(pk=root.pk), code=code, name=name)
            print(f"  {time.perf_counter() - started:.0f} s", file=sys.stderr)
    analyze()
    if not MemberSpan.objects.filter(start_change="transfer").exists():
        started = time.perf_counter()
        print("Adding a year of membership history…", file=sys.stderr)
        print(build_history_demo(today=today), f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    if not Campaign.objects.filter(title="bench").exists():
        print("Adding the central campaign: 4 sessions, attendance and essays…", file=sys.stderr)
        with transaction.atomic():
            start = datetime.date(today.year, 1, 5)
            campaign = services.campaign_create(actor=None, unit=root, title="bench", documents=[], units=[root],
                                                start=start, end=start + datetime.timedelta(days=60),
                                                essay_deadline=start + datetime.timedelta(days=30))
            for n in range(4):
                services.session_record(actor=None, campaign=campaign, held_on=start + datetime.timedelta(days=n))
            with connection.cursor() as cursor:
                cursor.execute(FILL_ATTENDANCE, [campaign.pk, 75])  # 3 marks a member on average: 78 % took part
                cursor.execute(FILL_ESSAYS.format(true="TRUE", false="FALSE"), [campaign.pk, timezone.now()])
    if not Meeting.objects.exists():
        print("Writing a year of meetings for every cell, with every member's mark…", file=sys.stderr)
        plan = [("regular", datetime.date(today.year, n, 8)) for n in range(1, 12)] + [
            ("thematic", datetime.date(today.year, q, 20)) for q in (3, 6, 9)]
        months = " UNION ALL ".join(f"SELECT '{kind}' AS kind, '{day.isoformat()}' AS day, {n} AS n"
                                    for n, (kind, day) in enumerate(plan, 1))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FILL_MEETINGS.format(months=months, true="TRUE", day="k.day::date", start="TIME '19:30'",
                                                end="TIME '21:00'", empty="'[]'::jsonb"), [timezone.now()])
            cursor.execute(FILL_MARKS.format(true="TRUE"), [])
    from dangvu.inspections.models import Inspection

    if not Inspection.objects.filter(content="bench").exists():
        print("Adding 0 to 3 inspections by each cell…", file=sys.stderr)
        analyze()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FILL_INSPECTIONS, {"day": datetime.date(today.year, 6, 1), "now": timezone.now()})
    analyze()


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_size() -> tuple[int, list[tuple[str, int, int]]]:
    """The database's bytes, and its largest tables: (name, rows, bytes with indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' "
                       "ORDER BY 3 DESC LIMIT 8")
        return size, cursor.fetchall()


# --- measuring ----------------------------------------------------------------------------------

def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def typical_cell(province):
    """The first cell of the province (by path) with CELL_SIZE members today, or the nearest size."""
    from django.db.models import Count

    from dangvu.orgs.models import Member, MemberStatus, OrgUnit, UnitKind

    sizes = dict(Member.objects.filter(unit__path__startswith=province.path,
                                       status__in=[MemberStatus.FULL, MemberStatus.PROBATIONARY])
                 .values_list("unit").annotate(n=Count("id")).order_by())
    cells = OrgUnit.objects.filter(kind=UnitKind.CELL, path__startswith=province.path, pk__in=sizes).order_by("path")
    return min(cells, key=lambda c: abs(sizes[c.pk] - CELL_SIZE)), sizes


def cell_secretary(cell):
    """A user whose team is the cell: it sees the campaign through its own part only."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import Team
    from dangvu.lib.keys import FULL_KEYS

    user = get_user_model().objects.filter(username="bench-cell").first()
    if user is None:
        user = get_user_model().objects.create_user("bench-cell", password="bench-" + str(time.time()))
    if not user.teams.filter(unit=cell).exists():
        user.teams.clear()
        Team.objects.create(name="bench", unit=cell, permissions=sorted(FULL_KEYS)).users.add(user)
    return user


def cell_pages(cell, secretary, campaign, repeat: int) -> dict:
    """The cell's three pages, `repeat` times counted (nothing kept) and kept: the median and
    the least of each, in ms."""
    from django.test import Client

    from dangvu.figures.store import forget_all

    client = Client()
    client.force_login(secretary)
    urls = {"dashboard": f"/units/{cell.pk}/figures/", "campaign list": f"/units/{cell.pk}/campaigns/",
            "campaign page": f"/campaigns/{campaign.pk}/"}
    times = {f"{name} ({state})": [] for name in urls for state in ("counted", "kept")}
    for _ in range(repeat):
        forget_all()
        for state in ("counted", "kept"):
            for name, url in urls.items():
                seconds, answer = timed(lambda url=url: client.get(url, HTTP_HOST="127.0.0.1"))
                assert answer.status_code == 200, (url, answer.status_code)
                times[f"{name} ({state})"].append(seconds * 1000)
    return {label: {"median_ms": round(statistics.median(t)), "min_ms": round(min(t))} for label, t in times.items()}


def measure(members: int, repeat: int) -> dict:
    from common import best_of, machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from dangvu.essays.models import Essay
    from dangvu.figures.store import forget_all
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.meetings.models import Attendance as MeetingMark
    from dangvu.orgs.models import Member, MemberSpan, OrgUnit
    from dangvu.study.models import Attendance, Campaign

    settings.FIGURE_RECOUNT = False  # nothing queued behind the bench's back
    root = OrgUnit.objects.get(code=ROOT_CODE)
    provinces = list(OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path"))
    campaign = Campaign.objects.get(title="bench")
    period = Period.year(timezone.localdate().year)
    every = measures.all_measures()
    written = [measures.get(k) for k in SQL_KEYS]
    size, tables = database_size()
    result = {"bench": "national_measures", "db": connection.vendor, "members": members,
              "live_members": Member.objects.filter(status__in=["du_bi", "chinh_thuc"]).count(),
              "provinces": len(provinces), "units": OrgUnit.objects.count(), "stretches": MemberSpan.objects.count(),
              "attendance_rows": Attendance.objects.count(), "essays": Essay.objects.count(),
              "meeting_marks": MeetingMark.objects.count(), "database_bytes": size,
              "largest_tables": [{"table": t, "rows": n, "bytes": b} for t, n, b in tables]}
    print(f"machine: {machine()}")
    print(f"database: PostgreSQL {connection.pg_version // 10000}, {connection.settings_dict['NAME']}: "
          f"{size / 2**30:.2f} GiB; {result['units']:,} units, {len(provinces)} provinces under the root, "
          f"{result['live_members']:,} members now ({members:,} built), {result['stretches']:,} stretches of history, "
          f"{result['attendance_rows']:,} attendance rows, {result['essays']:,} essays, "
          f"{result['meeting_marks']:,} meeting marks")
    for t, n, b in tables:
        print(f"  {t:32s} {n:>12,} rows {b / 2**20:10.0f} MiB")

    # every measure for the root and its provinces, counted: what the national dashboard counts
    settings.FIGURE_STORE = False
    base_mb = rss_mb()
    all_s, everything = best_of(lambda: measures.compute_all(root, period, every, levels=1), repeat=repeat)
    counted_peak = peak_mb()
    by_area = {}
    for area in measures.AREAS:
        chosen = [m for m in every if m.area == area]
        by_area[area] = round(timed(lambda chosen=chosen: measures.compute_all(root, period, chosen, levels=1))[0], 2)
    # the measures written by hand, both ways, interleaved (the database's caches warm for both alike)
    ours_s = peer_s = float("inf")
    for _ in range(repeat):
        t, ours = timed(lambda: measures.compute_all(root, period, written, levels=1))
        ours_s = min(ours_s, t)
        t, theirs = timed(lambda: sql_figures(root, 1, period, campaign))
        peer_s = min(peer_s, t)
    mine = plain(ours, SQL_KEYS)
    check_equal(mine, theirs)
    check_equal(plain(everything, SQL_KEYS), theirs)
    ratio = ours_s / peer_s
    left_out = [m.key for m in every if m.key not in SQL_KEYS]
    assert all(not any(v.value for v in everything[k].values()) for k in left_out), "a measure left out has data"
    print(f"{len(every)} registered measures for the root and its {len(provinces)} provinces, counted: "
          f"{all_s:.2f} s (peak RSS {counted_peak:.0f} MB, {base_mb:.0f} MB before counting)")
    print("  by area: " + ", ".join(f"{a} {s:.2f} s" for a, s in by_area.items()))
    print(f"{len(SQL_KEYS)} of them by the measure layer: {ours_s:.2f} s; the same by hand-written SQL GROUP BYs: "
          f"{peer_s:.2f} s; ratio {ratio:.2f}× (goal ≤ 1.5×); every figure equal "
          f"({sum(len(v) for v in mine.values()):,} non-zero values)")
    print(f"not written by hand ({len(left_out)}, {NOT_WRITTEN}): {', '.join(left_out)}")
    result.update(measures=len(every), all_counted_s=round(all_s, 2), counted_peak_rss_mb=round(counted_peak),
                  rss_before_mb=round(base_mb), by_area_s=by_area, written=len(SQL_KEYS),
                  ours_s=round(ours_s, 2), peer="hand-written SQL GROUP BY", peer_s=round(peer_s, 2),
                  ratio=round(ratio, 3), left_out=left_out)

    # the same, kept
    settings.FIGURE_STORE = True
    forget_all()
    measures.compute_all(root, period, every, levels=1)
    kept_s, kept = best_of(lambda: measures.compute_all(root, period, every, levels=1), repeat=5)
    check_equal(plain(kept, SQL_KEYS), theirs)
    print(f"the same {len(every)} measures kept (figure store): {kept_s * 1000:.0f} ms (goal < 200 ms)")
    result["kept_ms"] = round(kept_s * 1000, 1)

    # the pages
    officer = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench", password="bench-" + str(time.time()))
    province = provinces[0]
    cell, sizes = typical_cell(province)
    secretary = cell_secretary(cell)
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    pages = {}
    forget_all()
    timed_pages(province, cell, officer, secretary, campaign, "counted", pages)
    timed_pages(province, cell, officer, secretary, campaign, "kept", pages)
    print(f"the cell: {cell.name} ({cell.code}, {sizes[cell.pk]} members), {repeat * 2 + 1} times each:")
    cell_times = cell_pages(cell, secretary, campaign, repeat=repeat * 2 + 1)
    for label, t in cell_times.items():
        print(f"  cell {label:28s} median {t['median_ms']:6d} ms, least {t['min_ms']:6d} ms")
    result.update(pages_s=pages, cell=cell.code, cell_members=sizes[cell.pk], cell_pages=cell_times,
                  peak_rss_mb=round(peak_mb()), machine=machine())
    print(json.dumps(result))
    return result


def side_by_side(results: list[dict]) -> None:
    print("\na cell's pages, median ms at each size: "
          + " | ".join(f"{r['members']:,} members ({r['cell']}, {r['cell_members']})" for r in results))
    for label in results[0]["cell_pages"]:
        print(f"  {label:28s} " + " | ".join(f"{r['cell_pages'][label]['median_ms']:>8d}" for r in results))
    for r in results:
        print(f"{r['members']:>9,} members: {r['database_bytes'] / 2**30:.2f} GiB, every measure counted "
              f"{r['all_counted_s']:.1f} s (peak RSS {r['counted_peak_rss_mb']} MB), ratio {r['ratio']:.2f}×, "
              f"kept {r['kept_ms']:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=2, help="counts of each kind (the best is kept)")
    parser.add_argument("--step", choices=["build", "measure"], help="(one size, in a process of its own)")
    args = parser.parse_args()
    os.environ["DB"] = "postgres"
    if args.step:
        (members,) = args.members
        setup(members, name=f"national-{members}")
        if args.step == "build":
            build(members)
        else:
            result = measure(members, args.repeat)
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"national_measures-{members}.json").write_text(json.dumps(result))
        return
    results = []
    for members in args.members:
        for step in ("build", "measure"):
            subprocess.run([sys.executable, __file__, "--members", str(members), "--repeat", str(args.repeat),
                            "--step", step], check=True)
        results.append(json.loads((RESULTS / f"national_measures-{members}.json").read_text()))
    side_by_side(results)


if __name__ == "__main__":
    main()
