"""The daily reminder run's reading: every area's lines (dangvu/lib/reminders.py) for the members
of the benchmark province, read a batch at a time as `send_reminders` reads them now, against the
same rules asked one member at a time (as the run asked them before: about 7 queries a member),
in the same run, on the same members, with the same lines. Not a test: prints the times, the
queries, the ratio and the machine, and stops if the two disagree or find nothing to remind.
Mail is not sent (what the two ways share: one claim and one mail per member reminded).

    python bench/reminders.py --members 300000                 # SQLite
    DB=postgres python bench/reminders.py --members 300000     # PostgreSQL (dangvu_bench)

Data: the demo province, with a campaign of the province whose essays are due in five days
(made once, kept): every member has that line, and whatever else the database holds for them.
`--compared N`: how many members both ways read (one at a time is the slow one); the batched way
then reads the whole province alone.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from common import machine  # noqa: E402
from rollup import ensure_demo, setup  # noqa: E402


def timed(fn):
    """(seconds, queries, result): queries counted by a wrapper (Django's capture keeps 9,000)."""
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return seconds, count, result


def due_soon(today) -> None:
    """A campaign of the province asking an essay of every member within the week."""
    import datetime

    from dangvu.orgs.models import OrgUnit
    from dangvu.study import services as study
    from dangvu.study.models import Campaign

    province = OrgUnit.objects.filter(depth=1, valid_to__isnull=True).order_by("pk").first()
    title = f"Học tập chuyên đề năm {today.year} (nhắc việc)"
    if not Campaign.objects.filter(unit=province, title=title, essay_deadline__gte=today).exists():
        study.campaign_create(actor=None, unit=province, title=title, documents=[], units=[province],
                              start=today - datetime.timedelta(days=20), end=today + datetime.timedelta(days=10),
                              essay_required=True, essay_deadline=today + datetime.timedelta(days=5), min_words=50)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=300_000)
    parser.add_argument("--compared", type=int, default=20_000)
    args = parser.parse_args(argv)
    setup(args.members)
    ensure_demo(args.members)

    from django.utils import timezone, translation

    from dangvu.lib.reminders import lines_for, lines_for_many
    from dangvu.notebook.reminders import BATCH, batches
    from dangvu.orgs.models import ACTIVE_STATUSES, Member

    today = timezone.localdate()
    due_soon(today)
    members = Member.objects.filter(status__in=ACTIVE_STATUSES).select_related("unit").order_by("pk")

    def batched(limit=None):
        chosen = members if limit is None else members.filter(pk__in=list(members.values_list("pk", flat=True)[:limit]))
        found = {}
        for batch in batches(chosen):
            found.update(lines_for_many(batch, today))
        return found

    def one_at_a_time(limit):
        return {m.pk: lines_for(m, today) for m in members[:limit]}

    print(machine())
    with translation.override("vi"):
        slow_s, slow_q, slow = timed(lambda: one_at_a_time(args.compared))
        fast_s, fast_q, fast = timed(lambda: batched(args.compared))
        if fast != slow:
            raise SystemExit("the two ways disagree")
        lines = sum(map(len, fast.values()))
        if not lines:
            raise SystemExit("nothing to remind anyone of: the comparison would mean nothing")
        reminded = sum(1 for found in fast.values() if found)
        print(f"{len(fast):,} members ({reminded:,} with something to do, {lines:,} lines), today {today:%d/%m/%Y}")
        print(f"  one member at a time: {slow_s:8.2f} s, {slow_q:,} queries ({slow_q / len(slow):.1f} a member)")
        print(f"  {BATCH} at a time:       {fast_s:8.2f} s, {fast_q:,} queries ({fast_q / len(fast):.3f} a member)")
        print(f"  batched / one at a time: {fast_s / slow_s:.3f}×")
        whole_s, whole_q, whole = timed(batched)
        print(f"the whole province, {BATCH} at a time: {len(whole):,} members in {whole_s:.1f} s, {whole_q:,} queries, "
              f"{sum(1 for found in whole.values() if found):,} with something to do")


if __name__ == "__main__":
    main()
