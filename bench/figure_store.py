"""The figure store (dangvu/figures/store.py) under writes: what one attendance mark in one cell
makes the worker count again, against counting every kept figure again (what the one global
version of the old cache did after any write); the province's dashboard right after; then
a load of writes with officers watching their dashboards. Not a test: prints the figures,
the ratio and the machine, and stops if a shown figure differs from a count of the rows.

    DB=postgres python bench/figure_store.py --members 300000 --minutes 10
    python bench/figure_store.py --members 30000 --minutes 0     # SQLite: no load (one writer)

Data: as bench/measures.py (the demo province, a year of history, one big campaign).
"""

import argparse
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import setup  # noqa: E402

READERS = 5
WRITES_PER_MINUTE = 200


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def dashboard(client, unit, year: int) -> tuple[float, int]:
    seconds, answer = timed(lambda: client.get(f"/units/{unit.pk}/figures/?year={year}", HTTP_HOST="127.0.0.1"))
    return seconds, answer.status_code


def marks_to_make(province, session, cells: int = 200) -> list[tuple[str, int]]:
    """(cell path, member id) pairs a secretary may mark at the session: members of the cell then."""
    from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind

    chosen = list(OrgUnit.objects.filter(kind=UnitKind.CELL, path__startswith=province.path, valid_to__isnull=True)
                  .order_by("?")[:cells])
    pairs = []
    for cell in chosen:
        member = (MemberSpan.objects.filter(unit=cell, start__lte=session.held_on).exclude(end__lte=session.held_on)
                  .values_list("member_id", flat=True).first())
        if member is not None:
            pairs.append((cell.path, member))
    return pairs


def mark(session, cell_path: str, member_id: int, status: str) -> None:
    from dangvu.study import services

    services.attendance_record(actor=None, session=session, marks={member_id: status}, unit_path=cell_path)


def shown_equals_counted(province, period) -> None:
    """Every figure the store gives the province equals the same counted with the store off."""
    from django.conf import settings

    from dangvu.lib import measures

    kept = measures.compute_all(province, period, levels=1)
    settings.FIGURE_STORE = False
    try:
        counted = measures.compute_all(province, period, levels=1)
    finally:
        settings.FIGURE_STORE = True
    for m in measures.all_measures():
        for path in counted[m.key]:
            assert measures.value_at(kept[m.key], path, m) == measures.value_at(counted[m.key], path, m), (m.key, path)


def one_mark(province, session, cell_path, member_id, results: dict) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from dangvu.figures.models import StoredFigure
    from dangvu.figures.recount import recount_touched, warm_top_units
    from dangvu.figures.store import forget_all
    from dangvu.lib import measures
    from dangvu.lib.periods import Period

    today = timezone.localdate()
    officer = get_user_model().objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(officer)
    forget_all()
    warm_top_units()
    for unit in opened_by_offices(province, cell_path):  # a day's use: what each office opened is kept
        for year in (today.year, today.year - 1):
            dashboard(client, unit, year)
    kept = StoredFigure.objects.count()
    full_s, _ = timed(lambda: count_everything_kept(measures))
    mark(session, cell_path, member_id, "absent")
    settings.FIGURE_DELAY = 3600  # the pages show what is kept until the worker has counted
    stale_s, _ = dashboard(client, province, today.year)
    before = timezone.now()
    recount_s, recounted = timed(recount_touched)
    rows = StoredFigure.objects.filter(counted_at__gte=before)
    units = rows.values("unit").distinct().count()
    periods = rows.values("period_start", "period_end").distinct().count()
    this_s, _ = dashboard(client, province, today.year)
    last_s, _ = dashboard(client, province, today.year - 1)
    shown_equals_counted(province, Period.year(today.year))
    results.update(kept=kept, recounted=recounted, units=units, periods=periods, recount_s=round(recount_s, 2),
                   full_recount_s=round(full_s, 2), ratio=round(recount_s / full_s, 3),
                   dashboard_kept_while_counting_ms=round(stale_s * 1000), dashboard_this_year_ms=round(this_s * 1000),
                   dashboard_last_year_ms=round(last_s * 1000))
    print(f"kept figures: {kept}; after one attendance mark in one cell the worker counted again {recounted} "
          f"({units} units × {periods} periods) in {recount_s:.2f} s")
    print(f"counting every kept figure again (the old global version's cost per write): {full_s:.2f} s; "
          f"ratio {recount_s / full_s:.3f}×")
    print(f"province dashboard right after the mark: {stale_s * 1000:.0f} ms while the worker counts (kept "
          f"figures shown with their time); after it: this year {this_s * 1000:.0f} ms, last year {last_s * 1000:.0f} ms")


def opened_by_offices(province, cell_path: str, communes: int = 20, cells: int = 50) -> list:
    """The province, `communes` grassroots committees and `cells` cells, the marked cell and
    the units above it among them."""
    from dangvu.orgs.models import OrgUnit, UnitKind

    live = OrgUnit.objects.filter(path__startswith=province.path, valid_to__isnull=True)
    above = [u for u in live.filter(path__in=[cell_path[:i] for i in range(len(province.path), len(cell_path) + 1,
                                                                            OrgUnit.steplen)])]
    return list({u.pk: u for u in [province, *above, *live.filter(kind=UnitKind.GRASSROOTS).order_by("path")[:communes],
                                    *live.filter(kind=UnitKind.CELL).order_by("path")[:cells]]}.values())


def count_everything_kept(measures) -> None:
    """The old design's cost per write: one write anywhere threw every kept figure away, and
    each was counted again (grouped as the worker groups them, the store off)."""
    from collections import defaultdict

    from django.conf import settings

    from dangvu.figures.models import StoredFigure
    from dangvu.lib.periods import Period

    groups = defaultdict(list)
    for row in StoredFigure.objects.exclude(recipe=None).select_related("unit"):
        q = measures.Query.from_recipe(row.unit, Period(row.period_start, row.period_end), row.recipe)
        groups[q].append(measures.get(row.recipe["measure"]))
    settings.FIGURE_STORE = False
    try:
        for q, chosen in groups.items():
            chosen = [m for m in chosen if m is not None]
            if chosen:  # an empty list would ask for every measure
                measures.figures_for(q, chosen)
    finally:
        settings.FIGURE_STORE = True


def load(province, session, pairs, minutes: float, results: dict) -> None:
    """WRITES_PER_MINUTE marks for `minutes`, the real task worker (its own process, as in
    production) counting again what they touch, and READERS officers opening the province's
    dashboard every second. A dashboard shown while a change is being counted says so and
    when its figures were counted: how old the oldest such was is measured from that."""
    import datetime
    import os
    import re
    import subprocess

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from dangvu.figures.recount import recount_touched

    settings.FIGURE_RECOUNT = True  # each write queues the worker's recount (one waiting at a time)
    settings.FIGURE_DELAY = float(os.getenv("FIGURE_DELAY", "60"))
    stop = threading.Event()
    latencies, stale_ages, errors, writes = [], [], [], [0]
    officer = get_user_model().objects.filter(is_superuser=True).first()
    year = timezone.localdate().year
    worker = subprocess.Popen([sys.executable, "-m", "dangvu", "db_worker", "--interval", "1"],
                              env={**os.environ, "FIGURE_RECOUNT": "1"}, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def writer():
        rng = random.Random(7)
        gap, started = 60 / WRITES_PER_MINUTE, time.monotonic()
        try:
            while not stop.is_set():
                cell_path, member = rng.choice(pairs)
                mark(session, cell_path, member, rng.choice(["present", "absent"]))
                writes[0] += 1
                stop.wait(max(0.0, started + writes[0] * gap - time.monotonic()))  # on a fixed beat
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(f"writer: {exc!r}")
        finally:
            connection.close()

    def reader():
        client = Client()
        client.force_login(officer)
        try:
            while not stop.is_set():
                started = time.perf_counter()
                answer = client.get(f"/units/{province.pk}/figures/?year={year}", HTTP_HOST="127.0.0.1")
                seconds = time.perf_counter() - started
                if answer.status_code != 200:
                    errors.append(f"reader: HTTP {answer.status_code}")
                latencies.append(seconds)
                page = answer.content.decode()
                counted = re.search(r'data-counted="([^"]+)"', page)
                if counted and 'id="being-counted"' in page:
                    stale_ages.append((timezone.now() - datetime.datetime.fromisoformat(counted.group(1)))
                                      .total_seconds())
                stop.wait(max(0.0, 1 - seconds))
        except Exception as exc:  # noqa: BLE001
            errors.append(f"reader: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(READERS)]
    try:
        for t in threads:
            t.start()
        time.sleep(minutes * 60)
        stop.set()
        for t in threads:
            t.join()
    finally:
        worker.terminate()
        worker.wait()
    assert not errors, errors[:5]
    recount_touched()
    from dangvu.lib.periods import Period

    shown_equals_counted(province, Period.year(year))
    p95 = statistics.quantiles(latencies, n=20)[-1]
    oldest = max(stale_ages, default=0.0)
    results.update(load_minutes=minutes, writes=writes[0], dashboards=len(latencies), p95_ms=round(p95 * 1000),
                   median_ms=round(statistics.median(latencies) * 1000), shown_while_counting=len(stale_ages),
                   oldest_shown_s=round(oldest, 1))
    print(f"{minutes:g} min: {writes[0]} marks (goal {WRITES_PER_MINUTE}/min), {len(latencies)} province dashboards "
          f"by {READERS} officers: median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
          f"(goal < 300 ms); {len(stale_ages)} shown while a change was being counted, the oldest counted "
          f"{oldest:.0f} s before (FIGURE_DELAY {settings.FIGURE_DELAY:g} s); at the end every figure equals a "
          f"count of the rows")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    setup(args.members)

    from common import machine
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from measures import prepare

    from dangvu.study.models import StudySession

    settings.FIGURE_RECOUNT = False  # the bench runs the worker's count itself, and times it
    province, campaign = prepare(args.members)
    if not get_user_model().objects.filter(is_superuser=True).exists():
        get_user_model().objects.create_superuser("bench", password="bench-" + str(time.time()))
    session = StudySession.objects.filter(campaign=campaign).order_by("held_on").first()
    pairs = marks_to_make(province, session)
    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}, {args.members:,} members")
    results = {"bench": "figure_store", "db": connection.vendor, "members": args.members}
    one_mark(province, session, *pairs[0], results)
    if args.minutes and connection.vendor == "postgresql":
        load(province, session, pairs, args.minutes, results)
    elif args.minutes:
        print("the load (writes while officers read) runs on PostgreSQL only: SQLite has one writer at a time")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
