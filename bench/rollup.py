"""Member counts rolled up for every unit: the measure the unit page, the API and the
dashboard read (members.total, counted, the figure store off) vs one hand-written SQL GROUP BY
on path prefixes, on the same database. Not a test: prints the ratio.

    python bench/rollup.py --members 300000          # SQLite (var/bench-300000.sqlite3)
    DB=postgres python bench/rollup.py --members 300000   # PostgreSQL database dangvu_bench
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def setup(members: int, name: str = "bench") -> None:
    """The bench database: `name` apart from the shared one for a bench that changes the tree
    (a merge would change what the others count)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    if os.getenv("DB") == "postgres":
        import psycopg

        database = "dangvu_" + name.replace("-", "_")
        os.environ["PGDATABASE"] = database
        with psycopg.connect(host=os.getenv("PGHOST", "127.0.0.1"), user=os.getenv("PGUSER", "postgres"),
                             dbname="postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
                conn.execute(f'CREATE DATABASE "{database}"')
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["SQLITE_PATH"] = str(ROOT / "var" / f"{name}-{members}.sqlite3")
    import django

    django.setup()


def ensure_demo(members: int) -> None:
    """Migrate, and build the demo organisation unless the database already holds it."""
    from django.core.management import call_command

    from dangvu.orgs.demo import build_demo
    from dangvu.orgs.models import Member

    call_command("migrate", verbosity=0)
    if abs(Member.objects.count() - members) > members // 100:  # the demo rounds cell sizes: ±1%
        print(f"Building the demo organisation with {members:,} members…", file=sys.stderr)
        call_command("flush", "--noinput", verbosity=0)
        build_demo(members=members, progress=True)


def depth_table() -> str:
    """SELECT 1 AS k UNION ALL … up to the tree's depth: joined on k <= depth it gives
    every path prefix of a unit, the hand-written way of rolling up the tree."""
    from dangvu.orgs.models import OrgUnit

    max_depth = OrgUnit.objects.order_by("-depth").values_list("depth", flat=True).first()
    return " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, max_depth + 1))


SQL = """
SELECT substr(u.path, 1, {steplen} * d.k) AS prefix, m.status, COUNT(*)
FROM orgs_member m
JOIN orgs_orgunit u ON u.id = m.unit_id
JOIN ({depths}) d ON d.k <= u.depth
WHERE m.status IN ('du_bi', 'chinh_thuc')
GROUP BY prefix, m.status
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    setup(args.members)

    from common import best_of, machine
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from dangvu.lib import measures
    from dangvu.lib.periods import Period
    from dangvu.orgs.models import OrgUnit

    ensure_demo(args.members)
    settings.FIGURE_STORE = False  # the count itself, not a kept figure
    today, total = timezone.localdate(), measures.get("members.total")

    def member_counts():
        out = {}
        for root in OrgUnit.get_root_nodes():
            out.update(measures.compute_all(root, Period(today, today), [total])[total.key])
        return out

    sql = SQL.format(steplen=OrgUnit.steplen, depths=depth_table())

    def hand_written():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            out = {}
            for prefix, status, n in cursor.fetchall():
                out.setdefault(prefix, [0, 0])[status == "chinh_thuc"] += n
            return out

    ours_s, ours = best_of(member_counts)
    peer_s, peer = best_of(hand_written)
    assert {p: v.value for p, v in ours.items()} == {p: sum(v) for p, v in peer.items()}, "results differ"
    units = OrgUnit.objects.count()
    ratio = ours_s / peer_s
    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}, {units:,} units, {args.members:,} members")
    print(f"measure members.total:         {ours_s * 1000:8.1f} ms")
    print(f"hand-written SQL GROUP BY:     {peer_s * 1000:8.1f} ms")
    print(f"ratio selector / SQL: {ratio:.2f}× (goal ≤ 1.5×)")
    print(json.dumps({"bench": "rollup", "db": connection.vendor, "units": units, "members": args.members,
                      "ours_ms": round(ours_s * 1000, 1), "peer": "hand-written SQL GROUP BY",
                      "peer_ms": round(peer_s * 1000, 1), "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
