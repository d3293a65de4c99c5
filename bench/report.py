"""The province's year-end report at bench scale: built (every measure for the province and
its sub-units, this year and the last; the computed sections; the chart; the .docx), timed
stage by stage, against the same printed figures by hand-written SQL GROUP BYs on the same
rows. Not a test: prints the times, the ratio and the machine, and stops if a figure the
report prints differs from the SQL's.

    python bench/report.py --members 300000            # SQLite (var/bench-300000.sqlite3)
    DB=postgres python bench/report.py --members 300000  # PostgreSQL database dangvu_bench

Goal (issue 14): the whole build under 10 s.
"""

import argparse
import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from measures import KEYS, prepare, sql_figures  # noqa: E402
from rollup import setup  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=300_000)
    args = parser.parse_args()
    setup(args.members)

    from common import best_of, machine
    from django.db import connection
    from django.utils import timezone
    from docx import Document as read_docx

    from dangvu.lib.periods import Period
    from dangvu.orgs.models import OrgUnit
    from dangvu.reports import services
    from dangvu.reports.document import report_docx

    province, campaign = prepare(args.members)
    period = Period.year(timezone.localdate().year)
    units = OrgUnit.objects.filter(path__startswith=province.path).count()

    stages: dict[str, float] = {}

    def build():
        started = time.perf_counter()
        report = services.report_create(actor=None, unit=province, start=period.start, end=period.end)
        report = services.report_build(report)
        stages["figures and sections"] = time.perf_counter() - started
        middle = time.perf_counter()
        data = report_docx(report)  # the chart and the appendix tables are drawn here
        stages[".docx with chart and appendix"] = time.perf_counter() - middle
        return report, data

    ours_s, (report, data) = best_of(build, repeat=2)
    peer_s, peer = best_of(lambda: sql_figures(province, period, campaign), repeat=2)
    path = province.path
    for key in KEYS:
        stored = report.values["current"][key][path]
        got = (stored[1], stored[2]) if stored[1] is not None else stored[0]
        want = peer[key].get(path, (0, 0) if key == "study.participants" else 0)
        assert got == want, f"{key}: report {got}, SQL {want}"
    text = "\n".join(p.text for p in read_docx(io.BytesIO(data)).paragraphs)
    total = report.values["current"]["members.total"][path][0]
    assert f"có {total:,} đảng viên".replace(",", ".") in text, "the .docx does not print the members' figure"

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor}, {units:,} units, {args.members:,} members")
    for name, seconds in stages.items():
        print(f"  {name:32s} {seconds * 1000:8.0f} ms")
    print(f"province report built ({len(report.values['current'])} measures this year, "
          f"{len(report.values['previous'])} the year before, unit and {len(report.values['units']) - 1} sub-units; "
          f".docx {len(data):,} B): {ours_s * 1000:8.0f} ms (goal < 10 s)")
    print(f"the report's {len(KEYS)} main figures by hand-written SQL GROUP BYs: {peer_s * 1000:8.0f} ms")
    print(f"ratio whole report / those figures by SQL: {ours_s / peer_s:.2f}×; every one of them equal")
    print(json.dumps({"bench": "report", "db": connection.vendor, "members": args.members, "units": units,
                      "ours_ms": round(ours_s * 1000), "stages_ms": {k: round(v * 1000) for k, v in stages.items()},
                      "peer": "hand-written SQL GROUP BY (13 figures)", "peer_ms": round(peer_s * 1000),
                      "ratio": round(ours_s / peer_s, 2), "goal_s": 10, "met": ours_s < 10}))


if __name__ == "__main__":
    main()
