"""Campaign roll-ups (participation and essay status for every unit) for a province:
the project's selector campaign_rollup() vs hand-written SQL GROUP BYs on path
prefixes, on the same database and the same rows. Not a test: prints the ratio.

    python bench/study_rollup.py                      # SQLite, 300,000 members
    DB=postgres python bench/study_rollup.py          # PostgreSQL database dangvu_bench

Data: the demo province with --members members, one campaign over the whole
province with 4 sessions (about 1,000,000 attendance rows at 300,000 members) and
one essay per member (300,000), statuses and return reasons mixed.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import depth_table, ensure_demo, setup  # noqa: E402  (setup: Django on the bench database)

ELIGIBLE = """
SELECT substr(u.path, 1, {steplen} * d.k) AS prefix, COUNT(*)
FROM orgs_member m JOIN orgs_orgunit u ON u.id = m.unit_id JOIN ({depths}) d ON d.k <= u.depth
WHERE m.status IN ('du_bi', 'chinh_thuc') AND u.path LIKE %s
GROUP BY prefix
"""
ATTENDED = """
SELECT substr(u.path, 1, {steplen} * d.k) AS prefix, COUNT(DISTINCT a.member_id)
FROM study_attendance a JOIN study_studysession s ON s.id = a.session_id
JOIN orgs_member m ON m.id = a.member_id JOIN orgs_orgunit u ON u.id = m.unit_id JOIN ({depths}) d ON d.k <= u.depth
WHERE s.campaign_id = %s AND a.status = 'present' AND m.status IN ('du_bi', 'chinh_thuc') AND u.path LIKE %s
GROUP BY prefix
"""
ESSAYS = """
SELECT substr(u.path, 1, {steplen} * d.k) AS prefix, e.status, e.was_returned, e.return_reason, COUNT(*)
FROM study_essay e JOIN orgs_member m ON m.id = e.member_id JOIN orgs_orgunit u ON u.id = m.unit_id
JOIN ({depths}) d ON d.k <= u.depth
WHERE e.campaign_id = %s AND m.status IN ('du_bi', 'chinh_thuc') AND u.path LIKE %s
GROUP BY prefix, e.status, e.was_returned, e.return_reason
"""

FILL_ATTENDANCE = """
INSERT INTO study_attendance (session_id, member_id, status)
SELECT s.id, m.id, CASE WHEN (m.id * 31 + s.id * 7) %% 100 < 97 THEN 'present'
                        WHEN (m.id + s.id) %% 2 = 0 THEN 'absent' ELSE 'excused' END
FROM orgs_member m CROSS JOIN study_studysession s
WHERE s.campaign_id = %s AND (m.id * 13 + s.id) %% 100 < %s
"""
FILL_ESSAYS = """
INSERT INTO study_essay (campaign_id, member_id, status, text, file, file_name, submitted_at, version,
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    setup(args.members)

    from common import best_of, machine
    from django.db import connection, transaction
    from django.utils import timezone

    from dangvu.orgs.models import OrgUnit
    from dangvu.study import services
    from dangvu.study.models import Attendance, Campaign, Essay
    from dangvu.study.selectors import campaign_rollup

    ensure_demo(args.members)
    province = OrgUnit.objects.get(code="TQ")
    campaign = Campaign.objects.filter(title="bench").first()
    if campaign is None:
        print("Adding a campaign: 4 sessions, attendance and essays…", file=sys.stderr)
        with transaction.atomic():
            start = datetime.date(2026, 1, 5)
            campaign = services.campaign_create(actor=None, unit=province, title="bench", documents=[],
                                                units=[province], start=start, end=start + datetime.timedelta(days=60),
                                                essay_deadline=start + datetime.timedelta(days=30))
            for n in range(4):
                services.session_record(actor=None, campaign=campaign, held_on=start + datetime.timedelta(days=n))
            # 4 sessions × members × share ≈ 1,000,000 rows at 300,000 members
            share = min(100, round(100 * 1_000_000 / (4 * args.members)))
            with connection.cursor() as cursor:
                cursor.execute(FILL_ATTENDANCE, [campaign.pk, share])
                true, false = ("TRUE", "FALSE") if connection.vendor == "postgresql" else ("1", "0")
                cursor.execute(FILL_ESSAYS.format(true=true, false=false), [campaign.pk, timezone.now()])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    fmt = dict(steplen=OrgUnit.steplen, depths=depth_table())
    like = province.path + "%"

    def hand_written():
        out: dict[str, dict] = {}
        with connection.cursor() as cursor:
            cursor.execute(ELIGIBLE.format(**fmt), [like])
            for prefix, n in cursor.fetchall():
                out.setdefault(prefix, {})["eligible"] = n
            cursor.execute(ATTENDED.format(**fmt), [campaign.pk, like])
            for prefix, n in cursor.fetchall():
                out.setdefault(prefix, {})["attended"] = n
            cursor.execute(ESSAYS.format(**fmt), [campaign.pk, like])
            for prefix, status, was_returned, reason, n in cursor.fetchall():
                row = out.setdefault(prefix, {})
                row["total"] = row.get("total", 0) + n
                row[status] = row.get(status, 0) + n
                if was_returned and reason:
                    row[reason] = row.get(reason, 0) + n
        return out

    ours_s, ours = best_of(lambda: campaign_rollup(campaign, province), repeat=3)
    peer_s, peer = best_of(hand_written, repeat=3)
    for prefix, f in ours.items():
        p = peer.get(prefix, {})
        assert (f.eligible, f.attended, f.submitted, f.passed, f.returned_now, f.returned["thin"],
                f.returned["copied"]) == (p.get("eligible", 0), p.get("attended", 0), p.get("total", 0),
                                          p.get("passed", 0), p.get("returned", 0), p.get("thin", 0),
                                          p.get("copied", 0)), f"results differ at {prefix}: {f} vs {p}"
    assert set(ours) == set(peer), "units differ"
    attendance = Attendance.objects.filter(session__campaign=campaign).count()
    essays = Essay.objects.filter(campaign=campaign).count()
    ratio = ours_s / peer_s
    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}, {len(ours):,} units, {args.members:,} members, "
          f"{attendance:,} attendance rows, {essays:,} essays")
    print(f"selector campaign_rollup():    {ours_s * 1000:8.1f} ms")
    print(f"hand-written SQL GROUP BYs:    {peer_s * 1000:8.1f} ms")
    print(f"ratio selector / SQL: {ratio:.2f}× (goal ≤ 1.5×)")
    print(json.dumps({"bench": "study_rollup", "db": connection.vendor, "members": args.members,
                      "attendance": attendance, "essays": essays, "ours_ms": round(ours_s * 1000, 1),
                      "peer": "hand-written SQL GROUP BY", "peer_ms": round(peer_s * 1000, 1),
                      "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
