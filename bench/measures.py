"""Every figure of the measure layer for a province and each of its units, against the same
figures by hand-written SQL GROUP BYs on path prefixes, on the same database and rows;
then the pages a committee opens, timed for the province and for one cell. Not a test:
prints the ratio and the machine, and stops if a single figure differs.

    python bench/measures.py --members 300000            # SQLite (var/bench-300000.sqlite3)
    DB=postgres python bench/measures.py --members 300000  # PostgreSQL database dangvu_bench

Data: the demo province with --members members and their history (admissions, full
memberships, a year of transfers, deaths and removals through the services), one
province-wide campaign with 4 sessions (about 1,000,000 attendance rows at 300,000
members) and one essay per member.
"""

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import depth_table, ensure_demo, setup  # noqa: E402

# The campaign's rows, written by SQL (a million rows through the ORM would take minutes).
FILL_ATTENDANCE = """
INSERT INTO study_attendance (session_id, member_id, status)
SELECT s.id, m.id, CASE WHEN (m.id * 31 + s.id * 7) %% 100 < 97 THEN 'present'
                        WHEN (m.id + s.id) %% 2 = 0 THEN 'absent' ELSE 'excused' END
FROM orgs_member m CROSS JOIN study_studysession s
WHERE s.campaign_id = %s AND (m.id * 13 + s.id) %% 100 < %s
"""
FILL_ESSAYS = """
INSERT INTO essays_essay (campaign_id, member_id, status, text, file, file_name, submitted_at, version,
                          was_returned, return_reason, reviewer_note)
SELECT %s, m.id,
       CASE WHEN m.id %% 10 < 6 THEN 'passed' WHEN m.id %% 10 < 8 THEN 'submitted'
            WHEN m.id %% 10 = 8 THEN 'resubmitted' ELSE 'returned' END,
       'bài thu hoạch', '', '', %s, 1,
       CASE WHEN m.id %% 10 >= 8 OR m.id %% 97 = 0 THEN {true} ELSE {false} END,
       CASE WHEN m.id %% 10 >= 8 OR m.id %% 97 = 0 THEN (CASE WHEN m.id %% 3 = 0 THEN 'copied' ELSE 'thin' END)
            ELSE '' END, ''
FROM orgs_member m WHERE m.id %% 50 <> 7
"""

# A stretch of membership under the province on a day, and over a period (zero-length ones never count).
LIVE = 'sp."end" IS NULL OR sp."end" > sp.start'
PREFIX = "substr(u.path, 1, {steplen} * d.k)"
FROM_SPANS = ("FROM orgs_memberspan sp JOIN orgs_orgunit u ON u.id = sp.unit_id "
              "JOIN ({depths}) d ON d.k <= u.depth WHERE u.path LIKE %(like)s AND (" + LIVE + ")")
SQL = {
    "members.total": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.start <= %(to)s "
                     'AND (sp."end" IS NULL OR sp."end" > %(to)s) GROUP BY 1',
    "members.full": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.start <= %(to)s "
                    "AND (sp.\"end\" IS NULL OR sp.\"end\" > %(to)s) AND sp.status = 'chinh_thuc' GROUP BY 1",
    "members.admitted": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.start_change = 'admitted' "
                        "AND sp.start BETWEEN %(from)s AND %(to)s GROUP BY 1",
    "members.made_full": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.start_change = 'made_full' "
                         "AND sp.start BETWEEN %(from)s AND %(to)s GROUP BY 1",
    "members.died": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.end_change = 'died' "
                    'AND sp."end" BETWEEN %(from)s AND %(to)s GROUP BY 1',
    "members.removed": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.end_change IN ('removed', 'expelled') "
                       'AND sp."end" BETWEEN %(from)s AND %(to)s GROUP BY 1',
    "members.transferred_in": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.start_change = 'transfer' "
                              "AND sp.start BETWEEN %(from)s AND %(to)s AND (sp.from_unit_id IS NULL OR NOT EXISTS ("
                              "SELECT 1 FROM orgs_orgunit f WHERE f.id = sp.from_unit_id "
                              f"AND substr(f.path, 1, {{steplen}} * d.k) = {PREFIX})) GROUP BY 1",
    "members.transferred_out": f"SELECT {PREFIX}, COUNT(*) {FROM_SPANS} AND sp.end_change IN ('transfer', 'moved_away') "
                               'AND sp."end" BETWEEN %(from)s AND %(to)s AND (sp.to_unit_id IS NULL OR NOT EXISTS ('
                               "SELECT 1 FROM orgs_orgunit t WHERE t.id = sp.to_unit_id "
                               f"AND substr(t.path, 1, {{steplen}} * d.k) = {PREFIX})) GROUP BY 1",
    # members eligible for the campaign: a stretch under its units overlapping its days
    "eligible": f"SELECT {PREFIX}, COUNT(DISTINCT sp.member_id) {FROM_SPANS} AND sp.start <= %(c_end)s "
                'AND (sp."end" IS NULL OR sp."end" > %(c_start)s) GROUP BY 1',
    "attended": f"SELECT {PREFIX}, COUNT(DISTINCT sp.member_id) {FROM_SPANS} AND sp.start <= %(c_end)s "
                'AND (sp."end" IS NULL OR sp."end" > %(c_start)s) AND EXISTS (SELECT 1 FROM study_attendance a '
                "JOIN study_studysession s ON s.id = a.session_id WHERE a.member_id = sp.member_id "
                "AND s.campaign_id = %(campaign)s AND a.status = 'present') GROUP BY 1",
    "essays": f"SELECT {PREFIX}, e.status, e.was_returned, e.return_reason, COUNT(DISTINCT e.id) "
              "FROM essays_essay e JOIN orgs_memberspan sp ON sp.member_id = e.member_id "
              "JOIN orgs_orgunit u ON u.id = sp.unit_id JOIN ({depths}) d ON d.k <= u.depth "
              f"WHERE e.campaign_id = %(campaign)s AND u.path LIKE %(like)s AND ({LIVE}) "
              'AND sp.start <= %(c_end)s AND (sp."end" IS NULL OR sp."end" > %(c_start)s) GROUP BY 1, 2, 3, 4',
}


KEYS = ["members.total", "members.full", "members.admitted", "members.made_full", "members.died",
        "members.removed", "members.transferred_in", "members.transferred_out", "study.participants",
        "study.essays_submitted", "study.essays_passed", "study.essays_returned_thin",
        "study.essays_returned_copied"]


def sql_figures(province, period, campaign) -> dict:
    """KEYS for the province and every unit below, by hand-written SQL: {key: {path: value}}
    (a rate as (numerator, denominator))."""
    from django.db import connection

    from dangvu.orgs.models import OrgUnit

    keys = KEYS
    params = {"like": province.path + "%", "from": period.start, "to": period.end, "campaign": campaign.pk,
              "c_start": campaign.start, "c_end": campaign.end}
    fmt = {"steplen": OrgUnit.steplen, "depths": depth_table()}
    out: dict[str, dict] = {k: {} for k in keys}
    with connection.cursor() as cursor:
        for key in keys[:8]:
            cursor.execute(SQL[key].format(**fmt), params)
            out[key] = dict(cursor.fetchall())
        cursor.execute(SQL["eligible"].format(**fmt), params)
        eligible = dict(cursor.fetchall())
        cursor.execute(SQL["attended"].format(**fmt), params)
        attended = dict(cursor.fetchall())
        out["study.participants"] = {p: (attended.get(p, 0), n) for p, n in eligible.items()}
        cursor.execute(SQL["essays"].format(**fmt), params)
        for prefix, status, was_returned, reason, n in cursor.fetchall():
            out["study.essays_submitted"][prefix] = out["study.essays_submitted"].get(prefix, 0) + n
            if status == "passed":
                out["study.essays_passed"][prefix] = out["study.essays_passed"].get(prefix, 0) + n
            if was_returned and reason in ("thin", "copied"):
                key = f"study.essays_returned_{reason}"
                out[key][prefix] = out[key].get(prefix, 0) + n
    return out


def prepare(members: int):
    """The bench province with a year of history and one big campaign: (province, campaign)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dangvu.orgs.demo import build_history_demo
    from dangvu.orgs.models import MemberSpan, OrgUnit
    from dangvu.study import services
    from dangvu.study.models import Campaign

    ensure_demo(members)
    today = timezone.localdate()
    province = OrgUnit.objects.get(code="TQ")
    if not MemberSpan.objects.filter(start_change="transfer").exists():
        print("Adding a year of membership history…", file=sys.stderr)
        print(build_history_demo(today=today), file=sys.stderr)
    campaign = Campaign.objects.filter(title="bench").first()
    if campaign is None:
        print("Adding a campaign: 4 sessions, attendance and essays…", file=sys.stderr)
        with transaction.atomic():
            start = datetime.date(today.year, 1, 5)
            campaign = services.campaign_create(actor=None, unit=province, title="bench", documents=[],
                                                units=[province], start=start, end=start + datetime.timedelta(days=60),
                                                essay_deadline=start + datetime.timedelta(days=30))
            for n in range(4):
                services.session_record(actor=None, campaign=campaign, held_on=start + datetime.timedelta(days=n))
            share = min(100, round(100 * 1_000_000 / (4 * members)))
            with connection.cursor() as cursor:
                cursor.execute(FILL_ATTENDANCE, [campaign.pk, share])
                true, false = ("TRUE", "FALSE") if connection.vendor == "postgresql" else ("1", "0")
                cursor.execute(FILL_ESSAYS.format(true=true, false=false), [campaign.pk, timezone.now()])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    return province, campaign


def timed_pages(province, cell, officer, secretary, campaign, state: str, pages: dict) -> None:
    """The dashboard, the campaign list and the campaign page, as the province's officer and as
    a cell's secretary see them: each request's time into `pages`."""
    from django.test import Client

    for who, unit, person in (("province", province, officer), ("cell", cell, secretary)):
        client = Client()
        client.force_login(person)
        for name, url in (("dashboard", f"/units/{unit.pk}/figures/"), ("campaign list", f"/units/{unit.pk}/campaigns/"),
                          ("campaign page", f"/campaigns/{campaign.pk}/")):
            started = time.perf_counter()
            status = client.get(url, HTTP_HOST="127.0.0.1").status_code
            label = f"{who} {name} ({state})"
            pages[label] = round(time.perf_counter() - started, 3)
            print(f"{label:40s} {pages[label] * 1000:8.0f} ms (HTTP {status}; goal < 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    setup(args.members)

    from common import best_of, machine
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from dangvu.essays.models import Essay
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind
    from dangvu.study.models import Attendance

    province, campaign = prepare(args.members)
    settings.FIGURE_RECOUNT = False  # the bench counts ahead itself below, as the worker would
    today = timezone.localdate()
    period = Period.year(today.year)
    keys = KEYS
    chosen = [measures.get(k) for k in keys]

    def ours():
        settings.FIGURE_STORE = False  # counted each time, not kept from the run before
        table = measures.compute_all(province, period, chosen)
        return {k: {p: (v.numerator, v.denominator) if v.numerator is not None else v.value for p, v in vals.items()}
                for k, vals in table.items()}

    def hand_written():
        return sql_figures(province, period, campaign)

    ours_s, mine = best_of(ours, repeat=3)
    peer_s, peer = best_of(hand_written, repeat=3)
    settings.FIGURE_STORE = True
    for key in keys:
        a = {p: v for p, v in mine[key].items() if v not in (0, (0, 0))}
        b = {p: v for p, v in peer[key].items() if v not in (0, (0, 0))}
        assert a == b, f"{key} differs: {sorted(set(a.items()) ^ set(b.items()))[:5]}"
    units = OrgUnit.objects.filter(path__startswith=province.path).count()
    attendance = Attendance.objects.filter(session__campaign=campaign).count()
    essays = Essay.objects.filter(campaign=campaign).count()
    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}, {units:,} units, {args.members:,} members, "
          f"{MemberSpan.objects.count():,} stretches of history, {attendance:,} attendance rows, {essays:,} essays")
    print(f"{len(keys)} measures × every unit, measure layer: {ours_s * 1000:8.1f} ms")
    print(f"the same by hand-written SQL GROUP BYs:      {peer_s * 1000:8.1f} ms")
    print(f"ratio measure layer / SQL: {ours_s / peer_s:.2f}× (goal ≤ 1.5×); every figure equal")

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        "bench", password="bench-" + str(time.time()))
    from dangvu.accounts.models import Team
    from dangvu.lib.keys import FULL_KEYS

    cell = OrgUnit.objects.filter(kind=UnitKind.CELL, path__startswith=province.path).order_by("path").first()
    secretary = get_user_model().objects.filter(username="bench-cell").first()
    if secretary is None:  # a cell's office: it sees the campaign through its own part only
        secretary = get_user_model().objects.create_user("bench-cell", password="bench-" + str(time.time()))
        Team.objects.create(name="bench", unit=cell, permissions=sorted(FULL_KEYS)).users.add(secretary)
    pages = {}
    from dangvu.figures.recount import warm_top_units
    from dangvu.figures.store import forget_all

    forget_all()  # counted by the page, as when nothing is kept yet
    timed_pages(province, cell, user, secretary, campaign, "counted", pages)
    timed_pages(province, cell, user, secretary, campaign, "kept", pages)  # again: from the store
    forget_all()
    started = time.perf_counter()
    warm_top_units()  # what `refresh_figures` does: the top units counted before anyone asks
    warm_s = time.perf_counter() - started
    print(f"counting the top units' figures ahead (refresh_figures): {warm_s:.1f} s")
    timed_pages(province, cell, user, secretary, campaign, "after warm-up", pages)
    print(json.dumps({"bench": "measures", "db": connection.vendor, "members": args.members,
                      "ours_ms": round(ours_s * 1000, 1), "peer": "hand-written SQL GROUP BY",
                      "peer_ms": round(peer_s * 1000, 1), "ratio": round(ours_s / peer_s, 3), "pages_s": pages,
                      "warm_up_s": round(warm_s, 1)}))


if __name__ == "__main__":
    main()
