"""Cell meetings at province scale: the five meeting figures for the province and every unit
under it, counted by the measure layer against the same figures by hand-written SQL GROUP BYs
on path prefixes (the same answer or the bench stops), then kept (the figure store serving the
second read), and a commune's meetings page. Not a test: prints the times, the ratio and the
machine.

    python bench/meetings.py --members 300000            # SQLite (var/bench-300000.sqlite3)
    DB=postgres python bench/meetings.py --members 300000  # PostgreSQL database dangvu_bench

Data: the demo province; for every cell a year of meetings (a regular one each month to
November, a thematic one each quarter: about 150,000 at 300,000 members), each with a mark for
every member of the cell (about 3.5 million rows), written by SQL.

Goal (issue 26): the commune's page and the province's figures under 1 s, kept.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import depth_table, ensure_demo, setup  # noqa: E402

KEYS = ["meetings.regular", "meetings.thematic", "meetings.quality_met", "meetings.absent_unexcused",
        "meetings.attendance"]
FILL_MEETINGS = """
INSERT INTO meetings_meeting (unit_id, kind, date, start, "end", place, online, topic, agenda, prepared, status,
                              cancel_reason, quality_met, quality_failed, created)
SELECT u.id, k.kind, {day}, {start}, {end}, 'Nhà văn hóa', '', '', '', {true}, 'held', '',
       (u.id + k.n) %% 10 < 7, {empty}, %s
FROM orgs_orgunit u CROSS JOIN ({months}) k
WHERE u.kind = 'cell' AND u.valid_to IS NULL
"""
FILL_MARKS = """
INSERT INTO meetings_attendance (meeting_id, member_id, answer, answer_reason, mark, required)
SELECT m.id, b.id, '', '',
       CASE WHEN (b.id * 7 + m.id) %% 100 < 90 THEN 'present' WHEN (b.id * 7 + m.id) %% 100 < 93 THEN 'late'
            WHEN (b.id * 7 + m.id) %% 100 < 99 THEN 'excused' ELSE 'absent' END, {true}
FROM meetings_meeting m JOIN orgs_member b ON b.unit_id = m.unit_id AND b.status IN ('du_bi', 'chinh_thuc')
"""
# where each meeting's cell stood on its day (the tree of that day, as the measures count it)
PREFIX = "substr(p.path, 1, {steplen} * d.k)"
PLACED = ("JOIN orgs_unitplacement p ON p.unit_id = m.unit_id AND p.start <= m.date "
          "AND (p.\"end\" IS NULL OR p.\"end\" > m.date) JOIN ({depths}) d ON d.k * {steplen} <= length(p.path)")
FROM_MEETINGS = f"FROM meetings_meeting m {PLACED} WHERE m.status = 'held' AND m.date BETWEEN %(from)s AND %(to)s"
FROM_MARKS = (f"FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id {PLACED} "
              "WHERE m.status = 'held' AND m.date BETWEEN %(from)s AND %(to)s")
SQL = {
    "meetings.regular": f"SELECT {PREFIX}, COUNT(*) {FROM_MEETINGS} AND m.kind = 'regular' GROUP BY 1",
    "meetings.thematic": f"SELECT {PREFIX}, COUNT(*) {FROM_MEETINGS} AND m.kind = 'thematic' GROUP BY 1",
    "meetings.quality_met": f"SELECT {PREFIX}, COUNT(*) {FROM_MEETINGS} AND m.quality_met GROUP BY 1",
    "meetings.absent_unexcused": f"SELECT {PREFIX}, COUNT(*) {FROM_MARKS} AND a.mark = 'absent' GROUP BY 1",
    "meetings.attendance": f"SELECT {PREFIX}, COUNT(*), SUM(CASE WHEN a.mark IN ('present', 'late') THEN 1 "
                           f"ELSE 0 END) {FROM_MARKS} AND a.required GROUP BY 1",
}


def prepare(members: int, year: int):
    import datetime

    from django.db import connection, transaction

    from dangvu.meetings.models import Meeting
    from dangvu.orgs.models import OrgUnit

    ensure_demo(members)
    if not Meeting.objects.exists():
        print("Writing a year of meetings for every cell…", file=sys.stderr)
        plan = [("regular", datetime.date(year, n, 8)) for n in range(1, 12)] + [
            ("thematic", datetime.date(year, q, 20)) for q in (3, 6, 9)]
        months = " UNION ALL ".join(f"SELECT '{kind}' AS kind, '{day.isoformat()}' AS day, {n} AS n"
                                    for n, (kind, day) in enumerate(plan, 1))
        pg = connection.vendor == "postgresql"
        literals = ({"true": "TRUE", "day": "k.day::date", "start": "TIME '19:30'", "end": "TIME '21:00'",
                     "empty": "'[]'::jsonb"} if pg else
                    {"true": "1", "day": "k.day", "start": "'19:30:00'", "end": "'21:00:00'", "empty": "'[]'"})
        true = literals["true"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FILL_MEETINGS.format(months=months, **literals), [datetime.datetime.now()])
            cursor.execute(FILL_MARKS.format(true=true), [])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE meetings_meeting")
                cursor.execute("ANALYZE meetings_attendance")
    province = OrgUnit.objects.get(code="TQ")
    commune = OrgUnit.objects.filter(kind="grassroots", valid_to__isnull=True, name__startswith="Đảng bộ xã").order_by(
        "path").first()
    return province, commune


def sql_figures(province, period) -> dict:
    from django.db import connection

    from dangvu.orgs.models import OrgUnit

    out = {}
    params = {"from": period.start, "to": period.end}
    with connection.cursor() as cursor:
        for key, sql in SQL.items():
            cursor.execute(sql.format(steplen=OrgUnit.steplen, depths=depth_table()), params)
            rows = cursor.fetchall()
            if key == "meetings.attendance":
                out[key] = {p: (k, n) for p, n, k in rows if p.startswith(province.path)}
            else:
                out[key] = {p: n for p, n in rows if p.startswith(province.path)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    setup(args.members)

    from common import best_of, machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dangvu.figures.store import forget_all
    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.meetings.models import Attendance, Meeting

    year = timezone.localdate().year
    province, commune = prepare(args.members, year)
    period = Period.year(year)
    chosen = [measures.get(k) for k in KEYS]
    settings.FIGURE_STORE = False
    counted_s, ours = best_of(lambda: measures.compute_all(province, period, chosen), repeat=2)
    peer_s, theirs = best_of(lambda: sql_figures(province, period), repeat=2)
    for key in KEYS:
        got = ({p: (v.numerator, v.denominator) for p, v in ours[key].items()} if key == "meetings.attendance"
               else {p: v.value for p, v in ours[key].items()})
        if got != theirs[key]:
            diff = {p: (got.get(p), theirs[key].get(p)) for p in set(got) | set(theirs[key])
                    if got.get(p) != theirs[key].get(p)}
            raise SystemExit(f"{key} differs from the SQL's: {sorted(diff.items())[:5]} ({len(diff)} paths)")
    settings.FIGURE_STORE = True
    forget_all()
    measures.compute_all(province, period, chosen)  # counted once, then kept
    kept_s, _kept = best_of(lambda: measures.compute_all(province, period, chosen), repeat=3)
    settings.ALLOWED_HOSTS = ["testserver"]
    user = get_user_model().objects.filter(username="bench-admin").first() or \
        get_user_model().objects.create_superuser("bench-admin", password="x")
    client = Client()
    client.force_login(user)
    client.get(f"/units/{commune.pk}/meetings/")
    page_s, response = best_of(lambda: client.get(f"/units/{commune.pk}/meetings/"), repeat=3)
    assert response.status_code == 200
    print(f"Cell meetings: {Meeting.objects.count():,} meetings, {Attendance.objects.count():,} marks "
          f"({connection.vendor}); {machine()}")
    print(f"  the five meeting figures for the province and its {len(ours['meetings.regular']):,} units: counted "
          f"{counted_s * 1000:.0f} ms vs hand-written SQL {peer_s * 1000:.0f} ms (ratio {counted_s / peer_s:.2f}×), "
          f"kept {kept_s * 1000:.0f} ms; goal under 1 s kept: {'met' if kept_s < 1 else 'MISSED'}")
    print(f"  {commune.name}'s meetings page: {page_s * 1000:.0f} ms; goal under 1 s: "
          f"{'met' if page_s < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
