"""The worker's recount after one change, with the figure store full: every committee's
figures kept (a province whose offices all opened their pages), then one attendance mark in one
cell. What the recount reads before counting anything: since 6 December 2026 only the kept rows
of the units the change names above or below (figures/recount.recount_touched), against the
way before it, reading every kept row and testing each (`read_every_row` below, the code as it
was). Both must forget the same rows and keep the same others; the way before also rewrote every
kept row's horizon, which the recount now does only for rows far behind (recount.LAG changes).
Not a test: prints the times, the ratio and the machine.

    DB=postgres python bench/recount_scale.py --members 1000000 --rows 300000

It reads a database built by bench/national_measures.py (--members names it) and leaves its
figure store empty. The kept rows are made up (no recipe: a touched one is forgotten, not
counted again), so the time measured is the reading and testing, not the counting.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import setup  # noqa: E402


def read_every_row() -> int:
    """recount_touched as it was before 6 December 2026, up to the counting (none here)."""
    from django.utils import timezone

    from dangvu.figures import store
    from dangvu.figures.models import StoredFigure
    from dangvu.orgs.placements import paths_of_units

    today = timezone.localdate()
    seen, unseen = store.horizon()
    rows = list(StoredFigure.objects.only("pk", "name", "unit_id", "period_start", "period_end", "recipe", "seen",
                                          "unseen", "as_of"))
    changes = store.changes_after(min(r.seen for r in rows), {i for r in rows for i in r.unseen})
    paths = paths_of_units({r.unit_id for r in rows})
    near = {unit_id: store.near(changes, unit_paths) for unit_id, unit_paths in paths.items()}
    touched = [r for r in rows if store.touching(r, near[r.unit_id], paths[r.unit_id])
               or (r.period_end >= today and r.as_of < today)]
    ids = sorted({r.pk for r in rows if r.seen < seen} - {r.pk for r in touched})
    for n in range(0, len(ids), 5000):
        StoredFigure.objects.filter(pk__in=ids[n:n + 5000], seen__lt=seen).update(seen=seen, unseen=unseen)
    StoredFigure.objects.filter(pk__in=[r.pk for r in touched if not r.recipe]).delete()
    return 0


def fill(rows: int) -> tuple[int, int]:
    """Kept rows for every committee, as many names each as make `rows`: (rows, committees)."""
    from django.utils import timezone

    from dangvu.figures import store
    from dangvu.figures.models import StoredFigure
    from dangvu.orgs.models import OrgUnit

    StoredFigure.objects.all().delete()
    today, now = timezone.localdate(), timezone.now()
    seen, unseen = store.horizon()
    committees = list(OrgUnit.objects.filter(has_committee=True, valid_to__isnull=True).values_list("pk", flat=True))
    names = max(1, rows // len(committees))
    batch = []
    for unit_id in committees:
        for n in range(names):
            batch.append(StoredFigure(key=f"bench-{unit_id}-{n}", name=f"bench.figure_{n}", unit_id=unit_id,
                                      period_start=datetime.date(today.year, 1, 1),
                                      period_end=datetime.date(today.year, 12, 31), values={}, as_of=today,
                                      counted_at=now, seen=seen, unseen=unseen))
        if len(batch) >= 20000:
            StoredFigure.objects.bulk_create(batch)
            batch = []
    StoredFigure.objects.bulk_create(batch)
    return names * len(committees), len(committees)


def one_mark_in_one_cell():
    """An audit entry as a study attendance mark makes it, in the first cell of the tree."""
    from django.utils import timezone

    from dangvu.audit.services import audit_record
    from dangvu.orgs.models import OrgUnit

    cell = OrgUnit.objects.filter(kind="cell", valid_to__isnull=True).order_by("path").first()
    audit_record(actor=None, action="update", obj=cell, unit_path=cell.path, figures_from=timezone.localdate())
    return cell


def state() -> tuple[list[str], int]:
    """The rows left, and how many of them were told they have seen every change so far."""
    from dangvu.audit.models import AuditEntry
    from dangvu.figures.models import StoredFigure

    newest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (list(StoredFigure.objects.order_by("key").values_list("key", flat=True)),
            StoredFigure.objects.filter(seen=newest).count())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000, help="the national database to read")
    parser.add_argument("--rows", type=int, default=300_000, help="kept rows to make")
    args = parser.parse_args()
    setup(args.members, name=f"national-{args.members}")
    from common import machine
    from django.conf import settings
    from django.db import connection

    from dangvu.figures.models import StoredFigure
    from dangvu.figures.recount import recount_touched

    settings.FIGURE_RECOUNT = False  # the bench runs the recount itself
    print(f"machine: {machine()}")
    times, after = {}, {}
    for label, recount in (("every row read (before)", read_every_row), ("rows near the change (now)",
                                                                          recount_touched)):
        kept, committees = fill(args.rows)
        cell = one_mark_in_one_cell()
        started = time.perf_counter()
        recount()
        times[label] = time.perf_counter() - started
        after[label] = state()
        print(f"{label:28s} {times[label]:7.2f} s; {kept - StoredFigure.objects.count():,} rows forgotten, "
              f"{after[label][1]:,} told they are up to date")
    (before, now), (t_before, t_now) = after.values(), times.values()
    if before[0] != now[0]:
        raise SystemExit("the two recounts left different rows")
    print(f"{kept:,} kept rows for {committees:,} committees ({connection.settings_dict['NAME']}); one mark in "
          f"{cell.name}: the recount now {t_now:.2f} s against {t_before:.2f} s before, ratio {t_now / t_before:.3f}×; "
          f"the same rows forgotten and kept")
    StoredFigure.objects.all().delete()


if __name__ == "__main__":
    main()
