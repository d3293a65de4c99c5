"""Evaluation at province scale: the round's page for the province and the deciding table of a
đảng bộ cơ sở of about 2,000 members, as the pages answer them (the view and its template,
through Django's test client), against the same figures and rows by hand-written SQL on the
same database. Not a test: prints the times, the ratio and the machine, and stops if the page
and the SQL disagree.

    python bench/evaluation.py --members 300000            # SQLite (var/bench-evaluation-300000.sqlite3)
    DB=postgres python bench/evaluation.py --members 300000  # PostgreSQL database dangvu_bench_evaluation

Data: the demo province; ten communes merged into one (about 2,000 members, as the 2025
mergers made them); this year's round opened through the service (every member and unit a
subject), then its stages and levels written by SQL (70 % decided, 15 % proposed, 10 %
self-assessed, 5 % waiting).

Goal (issue 25): each page under 1 s.
"""

import argparse
import datetime
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import ensure_demo, setup  # noqa: E402

MERGED_CODE = "BENCH-HOPNHAT"
FILL = """
UPDATE evaluation_rating SET
  stage = CASE WHEN id %% 20 < 14 THEN 'decided' WHEN id %% 20 < 17 THEN 'proposed'
               WHEN id %% 20 < 19 THEN 'submitted' ELSE 'open' END,
  general_points = 20 + id %% 10, task_points = 50 + id %% 20,
  level = CASE WHEN id %% 20 < 14 THEN (CASE WHEN id %% 50 = 0 THEN 'not_done' WHEN id %% 25 = 1 THEN 'done'
                                            WHEN id %% 7 = 0 THEN 'excellent' ELSE 'good' END) ELSE '' END,
  proposed_level = CASE WHEN id %% 20 < 17 THEN 'good' ELSE '' END,
  allowed_level = CASE WHEN id %% 20 < 19 THEN 'good' ELSE '' END
WHERE round_id = %s AND stage <> 'not_rated'
"""


def prepare(members: int, reopen: bool = False):
    from django.db import connection, transaction
    from django.utils import timezone

    from dangvu.evaluation import services
    from dangvu.evaluation.models import Rating, Round
    from dangvu.orgs import services as org_services
    from dangvu.orgs.models import OrgUnit, UnitKind

    ensure_demo(members)
    province = OrgUnit.objects.get(code="TQ")
    today = timezone.localdate()
    merged = OrgUnit.objects.filter(code=MERGED_CODE).first()
    if merged is None:
        print("Merging ten communes into one…", file=sys.stderr)
        communes = list(OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS, depth=2, valid_to__isnull=True)
                        .order_by("path")[:10])
        merged = org_services.unit_merge(actor=None, units=communes, name="Đảng bộ xã Hợp Nhất",
                                         code=MERGED_CODE, on_date=today - datetime.timedelta(days=30))
    rnd = Round.objects.filter(unit=province, kind="year", end__year=today.year).first()
    if rnd is not None and reopen:
        rnd.delete()
        rnd = None
    opened_s = None
    if rnd is None:
        print("Opening this year's round for the province…", file=sys.stderr)
        from django.conf import settings

        settings.EVALUATION_INLINE_SUBJECTS = 10**9  # timed here, not in the worker
        started = time.perf_counter()
        rnd = services.round_open(actor=None, unit=province, title=f"Đánh giá, xếp loại năm {today.year}",
                                  kind="year", start=datetime.date(today.year, 1, 1),
                                  end=datetime.date(today.year, 12, 31))
        opened_s = time.perf_counter() - started
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(FILL, [rnd.pk])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE evaluation_rating")
    return province, merged, rnd, opened_s, Rating.objects.filter(round=rnd).count()


def sql_round_page(rnd, unit) -> dict:
    """What the round's page shows for `unit`, by hand: counts by stage and by level, and the
    stages of each unit directly under it."""
    from django.db import connection

    from dangvu.orgs.models import OrgUnit

    depth = len(unit.path) + OrgUnit.steplen
    base = ("FROM evaluation_rating r JOIN orgs_orgunit u ON u.id = r.unit_id "
            "WHERE r.round_id = %s AND u.path LIKE %s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT r.stage, COUNT(*) {base} GROUP BY r.stage", [rnd.pk, unit.path + "%"])
        stages = dict(cursor.fetchall())
        cursor.execute(f"SELECT r.level, COUNT(*) {base} AND r.stage = 'decided' GROUP BY r.level",
                       [rnd.pk, unit.path + "%"])
        levels = dict(cursor.fetchall())
        cursor.execute(f"SELECT substr(u.path, 1, {depth}), r.stage, COUNT(*) {base} GROUP BY 1, 2",
                       [rnd.pk, unit.path + "%"])
        by_child: dict[str, dict] = {}
        for prefix, stage, n in cursor.fetchall():
            by_child.setdefault(prefix, {})[stage] = n
    return {"stages": stages, "levels": levels, "children": len(by_child)}


def sql_deciding_table(rnd, decider) -> list[tuple]:
    """The rows of the deciding table, by hand: each subject the committee decides, with its
    name, cell, stage, points and levels."""
    from django.db import connection

    sql = """
        SELECT r.id, COALESCE(m.full_name, s.name), u.name, r.stage, r.general_points + r.task_points,
               r.allowed_level, r.proposed_level, r.level
        FROM evaluation_rating r JOIN orgs_orgunit u ON u.id = r.unit_id
        LEFT JOIN orgs_member m ON m.id = r.member_id LEFT JOIN orgs_orgunit s ON s.id = r.subject_unit_id
        WHERE r.round_id = %s AND r.decider_id = %s AND u.path LIKE %s
        ORDER BY s.path, u.path, m.sort_key, r.id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [rnd.pk, decider.pk, decider.path + "%"])
        return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    parser.add_argument("--reopen", action="store_true", help="open this year's round again (timing it)")
    args = parser.parse_args()
    setup(args.members, "bench-evaluation")  # it merges communes: a database of its own

    from common import best_of, machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    province, merged, rnd, opened_s, subjects = prepare(args.members, args.reopen)
    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()  # the test client then hands back the page's context
    user = get_user_model().objects.filter(username="bench-admin").first() or \
        get_user_model().objects.create_superuser("bench-admin", password="x")
    client = Client()
    client.force_login(user)

    def page(unit):
        response = client.get(f"/evaluation/rounds/{rnd.pk}/?unit={unit.pk}")
        assert response.status_code == 200, response.status_code
        return response

    merged_members = rnd.ratings.filter(decider=merged, member__isnull=False).count()
    print(f"Evaluation at {subjects:,} subjects ({connection.vendor}); {machine()}")
    if opened_s is not None:
        print(f"  opening the province's round (every subject as of 31/12): {opened_s:.1f} s")
    for label, unit, peer in (
            ("the round's page for the province", province, lambda: sql_round_page(rnd, province)),
            (f"the deciding table of {merged.name} ({merged_members:,} members)", merged,
             lambda: (sql_round_page(rnd, merged), sql_deciding_table(rnd, merged)))):
        ours_s, response = best_of(lambda u=unit: page(u), repeat=3)
        peer_s, expected = best_of(peer, repeat=3)
        context = response.context
        shown_stages = {s.value: n for s, n in context["stages"] if n}
        shown_levels = {lv.value: n for lv, n in context["levels"] if n}
        sql = expected if unit is province else expected[0]
        assert shown_stages == {k: v for k, v in sql["stages"].items() if v}, (shown_stages, sql["stages"])
        assert shown_levels == {k: v for k, v in sql["levels"].items() if v and k}, (shown_levels, sql["levels"])
        assert len(context["late"]) == sql["children"], (len(context["late"]), sql["children"])
        if unit is merged:
            rows = expected[1]
            shown = [r["pk"] for r in context["rows"]]
            assert shown == [r[0] for r in rows][:2000], "the deciding table's rows differ from the SQL's"
            names = re.findall(r'<tr data-stage="', response.content.decode())
            assert len(names) == len(shown)
        print(f"  {label}: {ours_s * 1000:.0f} ms (page, template included) vs hand-written SQL "
              f"{peer_s * 1000:.0f} ms (figures only): ratio {ours_s / peer_s:.1f}×; goal under 1 s: "
              f"{'met' if ours_s < 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
