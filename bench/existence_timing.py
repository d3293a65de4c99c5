"""Does the time of an answer tell that an object exists? A cell secretary (`bithu` of the demo)
asks the API for objects outside the cell (they exist: each answers 404) and for ids no object
has (404 too), interleaved, and the times are compared per kind of object. The baseline is the
missing id's own answer, in the same run: the ratio forbidden ÷ missing at the 10th percentile
and the median should be 1 within noise (issue 24: 76 ms against 68 ms at the 10th percentile).

    python bench/existence_timing.py --members 3000            # SQLite (var/existence-3000.sqlite3)
    DB=postgres python bench/existence_timing.py --members 3000  # PostgreSQL database dangvu_existence

Prints the machine and a table; stops if a forbidden and a missing id answer differently.
Not a test.
"""

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from rollup import setup  # noqa: E402

MISSING_BEYOND = 1_000_000  # an id this far above the largest is nobody's


def objects(unit_path: str):
    """(kind, url pattern, the id of an object outside the cell, a missing id) per kind."""
    from dangvu.documents.models import Document
    from dangvu.essays.models import Essay
    from dangvu.evaluation.models import Round
    from dangvu.inspections.models import Inspection
    from dangvu.meetings.models import Meeting
    from dangvu.orgs.models import Member, OrgUnit
    from dangvu.reports.models import Report
    from dangvu.study.models import Campaign

    ancestors = [unit_path[:n] for n in range(4, len(unit_path), 4)]  # what the cell reads from above

    def pick(model, outside):
        found = (model.objects.exclude(**{f"{outside}__startswith": unit_path[:8]})
                 .exclude(**{f"{outside}__in": ancestors}).order_by("pk").values_list("pk", flat=True))
        largest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return found[len(found) // 2] if found else None, largest + MISSING_BEYOND

    for kind, url, model, outside in (
            ("unit", "/api/units/{}", OrgUnit, "path"),
            ("member", "/api/members/{}", Member, "unit__path"),
            ("inspection", "/api/inspections/{}", Inspection, "unit__path"),
            ("document", "/api/documents/{}", Document, "unit__path"),
            ("essay", "/api/essays/{}", Essay, "member__unit__path"),
            ("campaign", "/api/campaigns/{}", Campaign, "unit__path"),
            ("meeting", "/api/meetings/{}", Meeting, "unit__path"),
            ("evaluation round", "/api/evaluation-rounds/{}", Round, "unit__path"),
            ("report", "/api/reports/{}", Report, "unit__path")):
        forbidden, missing = pick(model, outside)
        if forbidden is not None:
            yield kind, url, forbidden, missing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--tries", type=int, default=300, help="requests per id")
    args = parser.parse_args()
    setup(args.members, name="existence")
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 per request is the point

    from common import machine
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from dangvu.orgs.models import OrgUnit, UnitRole

    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.exists():
        print(f"Loading the demo with {args.members:,} members…", file=sys.stderr)
        call_command("demo", members=args.members, verbosity=0)
    user = get_user_model().objects.get(username="bithu")
    cell = UnitRole.objects.filter(member__user=user).select_related("unit").first().unit
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)

    print(machine())
    print(f"{'object':<18}{'p10 forbidden':>14}{'p10 missing':>12}{'ratio':>7}{'p50 forbidden':>15}"
          f"{'p50 missing':>12}{'ratio':>7}")
    for kind, url, forbidden, missing in objects(cell.path):
        times: dict[str, list[float]] = {"forbidden": [], "missing": []}
        bodies = {}
        for n in range(args.tries + 20):  # the first 20 warm the caches and are not counted
            order = (("forbidden", forbidden), ("missing", missing))
            for name, pk in order if n % 2 else reversed(order):
                started = time.perf_counter()
                answer = client.get(url.format(pk))
                elapsed = time.perf_counter() - started
                bodies[name] = (answer.status_code, answer.content)
                if n >= 20:
                    times[name].append(elapsed)
        if bodies["forbidden"] != bodies["missing"]:
            sys.exit(f"{kind}: a forbidden id answers {bodies['forbidden']}, a missing one {bodies['missing']}")
        p10 = {k: statistics.quantiles(v, n=10)[0] * 1000 for k, v in times.items()}
        p50 = {k: statistics.median(v) * 1000 for k, v in times.items()}
        print(f"{kind:<18}{p10['forbidden']:>11.2f} ms{p10['missing']:>9.2f} ms{p10['forbidden'] / p10['missing']:>7.2f}"
              f"{p50['forbidden']:>12.2f} ms{p50['missing']:>9.2f} ms{p50['forbidden'] / p50['missing']:>7.2f}")


if __name__ == "__main__":
    main()
