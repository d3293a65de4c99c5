"""dangvu under load, the way a province uses it in December: `make serve` (gunicorn, task
workers under supervisord, PostgreSQL, Redis) on the benchmark province of 300,000 members, driven
by locust (bench/locustfile.py) over loopback.

- Day load: 200 members open their sổ tay and hand in essay files (the real-file mix: .docx,
  .pdf saved by LibreOffice, .txt) while 20 officers open dashboards and campaign pages and
  build reports, for --minutes.
- December peak (--peak N): N members each open and submit their self-assessment within
  --minutes.

Prints p50/p95/p99 per page, throughput and error rate, then counts the stored essays and
self-assessments against those acknowledged (each exactly once). The baseline is the same
server quiet: each page opened one at a time before the load; the ratio is loaded p95 over quiet
p50. Goals (issue 28): no error, every acknowledged essay stored once, pages p95 < 500 ms,
a submission p95 < 1 s. Bounded: it stops after --minutes and stops the server it started.

A day load starts, as a working day does, from the figures the night kept (`night_before`);
`--first-day` measures the day after installing instead, every figure counted by its first
reader.

    python bench/load.py --members 300000 --minutes 10
    python bench/load.py --members 300000 --minutes 10 --first-day
    python bench/load.py --members 300000 --peak 2000 --minutes 10
"""

import argparse
import csv
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DB"] = "postgres"  # the production set-up: PostgreSQL only

from common import machine  # noqa: E402
from rollup import ensure_demo, setup  # noqa: E402

PASSWORD = "tai-" + "x7Rq2" * 3
TITLE = "Học tập chuyên đề năm {year} (đo tải)"
PAGE_GOAL_MS, SUBMISSION_GOAL_MS = 500, 1000
SUBMISSIONS = {"essay submission", "self-assessment saved", "build a report"}
NO_GOAL = {"log in"}  # the password's hash is meant to cost (Argon2); the issue sets no goal for it


def essay_files(work: Path, n: int) -> list[Path]:
    """n essays as members hand them in: about 40 % .docx, 30 % .pdf, 30 % .txt."""
    from formats import convert_all, write_corpus

    names = write_corpus(work, n, seed=28)
    convert_all(work, "docx", "docx")
    pdf = shutil.which("soffice") or shutil.which("libreoffice")
    if pdf:
        convert_all(work, "pdf", "pdf")
    files = []
    for i, name in enumerate(names):
        kind = "docx" if i % 10 < 4 else "pdf" if i % 10 < 7 and pdf else "txt"
        files.append(work / kind / f"{name}.{kind}")
    return files


def accounts(members, prefix: str) -> list:
    """A user for each member (one password hash for all: a login costs what it costs in use)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from dangvu.orgs.models import Member

    User = get_user_model()
    encoded = make_password(PASSWORD)
    users = []
    for member in members:
        user, _ = User.objects.get_or_create(username=f"{prefix}-{member.pk}", defaults={"password": encoded})
        if member.user_id != user.pk:
            Member.objects.filter(pk=member.pk).update(user=user)
        users.append(user)
    return users


def prepare(members_wanted: int, officers: int, peak: int, work: Path) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from dangvu.accounts.models import Team
    from dangvu.essays.models import Essay
    from dangvu.evaluation import services as evaluation
    from dangvu.evaluation.models import Rating, Round, Stage
    from dangvu.lib.keys import FULL_KEYS
    from dangvu.orgs.models import ACTIVE_STATUSES, Member, OrgUnit, UnitKind
    from dangvu.study import services as study
    from dangvu.study.models import Campaign

    today = datetime.date.today()
    province = OrgUnit.objects.filter(depth=1, valid_to__isnull=True).order_by("pk").first()
    current = Member.objects.filter(unit__path__startswith=province.path, user__isnull=True,
                                    status__in=ACTIVE_STATUSES)
    campaign = Campaign.objects.filter(unit=province, title=TITLE.format(year=today.year)).first()
    if campaign is None:
        campaign = study.campaign_create(actor=None, unit=province, title=TITLE.format(year=today.year), documents=[],
                                         units=[province], start=today - datetime.timedelta(days=10),
                                         end=today + datetime.timedelta(days=20), essay_required=True,
                                         essay_deadline=today + datetime.timedelta(days=15), min_words=50)
    plan = {"campaign": campaign.pk, "year": today.year, "members": [], "officers": [], "peak": [],
            "weights": {"member": 0, "officer": 0, "peak": 0}}
    if members_wanted:
        chosen = list(current.order_by("?")[:members_wanted])
        Essay.objects.filter(campaign=campaign, member__in=chosen).delete()  # each run starts with none handed in
        files = essay_files(work, len(chosen))
        for member, user, path in zip(chosen, accounts(chosen, "tai-m"), files, strict=True):
            plan["members"].append({"username": user.username, "password": PASSWORD, "member": member.pk,
                                    "file": str(path)})
        User = get_user_model()
        team, _ = Team.objects.get_or_create(name="Văn phòng (đo tải)", unit=province,
                                             defaults={"permissions": sorted(FULL_KEYS)})
        encoded = make_password(PASSWORD)
        for i in range(officers):
            user, _ = User.objects.get_or_create(username=f"tai-o-{i}", defaults={"password": encoded})
            team.users.add(user)
            plan["officers"].append({"username": user.username, "password": PASSWORD})
        below = OrgUnit.objects.filter(path__startswith=province.path, valid_to__isnull=True,
                                       kind__in=[UnitKind.GRASSROOTS, UnitKind.UPPER]).values_list("pk", flat=True)
        plan["units"] = [province.pk, *random.Random(28).sample(list(below), min(30, len(below)))]
        plan["weights"].update(member=len(plan["members"]), officer=officers)
    if peak:
        year_round = Round.objects.filter(unit=province, kind="year", start__year=today.year).first()
        if year_round is None:
            settings.EVALUATION_INLINE_SUBJECTS = 10**9  # listed here, not by a worker
            print("Opening the province's evaluation round (every member a subject)…", file=sys.stderr)
            year_round = evaluation.round_open(actor=None, unit=province, title=f"Đánh giá, xếp loại năm {today.year}",
                                               kind="year", start=datetime.date(today.year, 1, 1),
                                               end=datetime.date(today.year, 12, 31))
        ratings = list(Rating.objects.filter(round=year_round, stage=Stage.OPEN, member__isnull=False,
                                             member__user__isnull=True).select_related("member").order_by("?")[:peak])
        for rating, user in zip(ratings, accounts([r.member for r in ratings], "tai-p"), strict=True):
            plan["peak"].append({"username": user.username, "password": PASSWORD, "rating": rating.pk})
        plan["weights"]["peak"] = len(plan["peak"])
    return plan


def serve_env(port: int) -> dict:
    return dict(os.environ, PGDATABASE=os.environ["PGDATABASE"], PORT=str(port),
                DANGVU_VAR_DIR=str(ROOT / "var" / "load-serve"), TASK_WORKERS="2")


def logged_in(url: str, who: dict):
    import requests  # not locust: it would patch this process (gevent) under Django

    session = requests.Session()
    session.get(url + "/login/")
    session.post(url + "/login/", data={"csrfmiddlewaretoken": session.cookies["csrftoken"],
                                        "username": who["username"], "password": who["password"]})
    return session


def night_before(url: str, plan: dict) -> float:
    """A working day starts from what the night left kept: the figures of the pages yesterday's
    officers opened, counted again for the new day by housekeeping's night work. The province was
    built just now, so nothing was opened yesterday: its officers' pages are opened once here, in
    the seconds the night's count would have taken (printed)."""
    session = logged_in(url, plan["officers"][0])
    started = time.perf_counter()
    for unit in plan["units"]:
        assert session.get(f"{url}/units/{unit}/figures/").status_code == 200, unit
    assert session.get(f"{url}/campaigns/{plan['campaign']}/").status_code == 200
    return time.perf_counter() - started


def quiet_pass(url: str, plan: dict) -> dict[str, float]:
    """The baseline: each page opened one at a time on the quiet server (median of 5, in ms)."""
    session = logged_in(url, (plan["officers"] or plan["peak"])[0])
    pages = {"dashboard": f"/units/{plan['units'][0]}/figures/", "campaign page": f"/campaigns/{plan['campaign']}/",
             "reports page": f"/units/{plan['units'][0]}/reports/"} if plan["officers"] else {
             "my evaluation": "/account/evaluation/", "self-assessment page":
             f"/evaluation/ratings/{plan['peak'][0]['rating']}/"}
    quiet = {}
    for name, path in pages.items():
        times = []
        for _ in range(5):
            started = time.perf_counter()
            assert session.get(url + path).status_code == 200, path
            times.append((time.perf_counter() - started) * 1000)
        quiet[name] = statistics.median(times)
    return quiet


def run_locust(url: str, plan_path: Path, classes: list[str], users: int, rate: float, minutes: float,
               out: Path) -> list[dict]:
    env = dict(os.environ, LOAD_PLAN=str(plan_path))
    subprocess.run([str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
                    "--headless", "--host", url, "-u", str(users), "-r", str(rate), "-t", f"{int(minutes * 60)}s",
                    "--stop-timeout", "30", "--csv", str(out), "--only-summary", "--loglevel", "WARNING", *classes],
                   env=env, cwd=ROOT / "bench", check=False, timeout=minutes * 60 + 300)
    with open(f"{out}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


def print_stats(rows: list[dict], quiet: dict[str, float], minutes: float) -> bool:
    print(f"{'request':28} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'quiet':>7} "
          f"{'ratio':>6}")
    met = True
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        p95 = float(row["95%"])
        goal = None if row["Name"] in NO_GOAL else SUBMISSION_GOAL_MS if row["Name"] in SUBMISSIONS else PAGE_GOAL_MS
        met &= (goal is None or p95 < goal) and int(row["Failure Count"]) == 0
        base = quiet.get(row["Name"])
        print(f"{row['Name']:28} {int(row['Request Count']):7} {int(row['Failure Count']):6} {row['50%']:>7} "
              f"{row['95%']:>7} {row['99%']:>7} {f'{base:.0f}' if base else '':>7} "
              f"{f'{p95 / base:.1f}×' if base else '':>6}  {f'(goal p95 < {goal} ms)' if goal else ''}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests_, errors = int(total["Request Count"]), int(total["Failure Count"])
    print(f"throughput {requests_ / (minutes * 60):.1f} requests/s; errors {errors}/{requests_} "
          f"({100 * errors / max(requests_, 1):.2f} %)")
    return met


def server_side(log: Path, offset: int, ramp_s: float) -> None:
    """The same requests as the server timed them (its request log, dangvu/ops/requestlog.py),
    while users arrive and after: what the client saw beyond this is queueing on a saturated
    machine (the load generator shares its cores)."""
    rows = [json.loads(line) for line in log.read_bytes()[offset:].decode().splitlines() if line.startswith("{")]
    if not rows:
        return
    first = datetime.datetime.fromisoformat(rows[0]["at"])
    windows = {"arriving": [], "after": []}
    for row in rows:
        late = (datetime.datetime.fromisoformat(row["at"]) - first).total_seconds() >= ramp_s
        windows["after" if late else "arriving"].append(row)
    for window, chosen in windows.items():
        by_route: dict[str, list[int]] = {}
        for row in chosen:
            by_route.setdefault(f"{row['method']} /{row['route']}", []).append(row["ms"])
        print(f"server side, {'after every user arrived' if window == 'after' else f'first {ramp_s:.0f} s'}: "
              + "; ".join(f"{route} p50 {sorted(ms)[len(ms) // 2]} p95 {sorted(ms)[int(len(ms) * 0.95)]} ms "
                          f"({len(ms)})" for route, ms in sorted(by_route.items(), key=lambda kv: -len(kv[1]))[:8]))


def acknowledged(rows: list[dict], name: str) -> int:
    row = next((r for r in rows if r["Name"] == name), None)
    return int(row["Request Count"]) - int(row["Failure Count"]) if row else 0


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=300_000, help="size of the benchmark province")
    parser.add_argument("--users", type=int, default=200, help="members handing in essays")
    parser.add_argument("--officers", type=int, default=20)
    parser.add_argument("--peak", type=int, default=0, help="the December peak instead: members self-assessing")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--name", default="bench", help="the benchmark database (dangvu_<name>), shared by default")
    parser.add_argument("--first-day", action="store_true",
                        help="the day after installing: no figure kept from the night before (see night_before)")
    args = parser.parse_args(argv)

    setup(args.members, args.name)
    ensure_demo(args.members)
    work = Path(tempfile.mkdtemp(prefix="dangvu-load-"))
    plan = prepare(0 if args.peak else args.users, 0 if args.peak else args.officers, args.peak, work)
    if args.first_day:
        from dangvu.figures.store import forget_all

        print(f"the first day: {forget_all():,} kept figures forgotten", flush=True)
    plan_path = work / "plan.json"
    plan_path.write_text(json.dumps(plan))
    env = serve_env(args.port)
    url = f"http://127.0.0.1:{args.port}"
    subprocess.run([str(ROOT / "scripts" / "serve.sh")], env=env, check=True, cwd=ROOT)
    try:
        if plan["officers"] and not args.first_day:
            print(f"the night's count of the officers' {len(plan['units'])} units: {night_before(url, plan):.0f} s",
                  flush=True)
        quiet = quiet_pass(url, plan)
        if args.peak:
            users, classes = len(plan["peak"]), ["PeakMember"]
            rate = max(1.0, users / (args.minutes * 60 * 0.8))  # all arrive within the first 80 % of the window
        else:
            users, classes, rate = len(plan["members"]) + len(plan["officers"]), ["Member", "Officer"], 10
        pace = ("each member opens the sổ tay, the self-assessment and saves it, 1-3 s apart" if args.peak else
                "members open a page every 10-30 s, officers every 5-15 s (one report each); "
                + ("the first day: no figure kept" if args.first_day else "figures kept from the night"))
        print(f"{machine()}\n{pace}\nmake serve (gunicorn {os.getenv('WEB_WORKERS') or '2×cores+1'} processes × 4 threads, "
              f"2 task workers) on PostgreSQL with {args.members:,} members; locust: {users} users, "
              f"{args.minutes:g} min", flush=True)
        request_log = Path(env["DANGVU_VAR_DIR"]) / "log" / "requests.log"
        offset = request_log.stat().st_size if request_log.exists() else 0
        rows = run_locust(url, plan_path, classes, users, rate, args.minutes, work / "locust")
    finally:
        subprocess.run([str(ROOT / "scripts" / "serve.sh"), "stop"], env=env, check=False, cwd=ROOT)
    met = print_stats(rows, quiet, args.minutes)
    server_side(request_log, offset, ramp_s=max(60.0, users / rate))

    from dangvu.essays.models import Essay
    from dangvu.evaluation.models import Rating, Stage

    if args.peak:
        saved = acknowledged(rows, "self-assessment saved")
        stored = Rating.objects.filter(pk__in=[p["rating"] for p in plan["peak"]],
                                       stage=Stage.SUBMITTED).count()
        print(f"self-assessments: {saved} acknowledged, {stored} stored as submitted")
        met &= saved == stored == len(plan["peak"])
    else:
        sent = acknowledged(rows, "essay submission")
        member_ids = [m["member"] for m in plan["members"]]
        stored = Essay.objects.filter(campaign_id=plan["campaign"], member_id__in=member_ids).count()
        print(f"essays: {sent} acknowledged, {stored} stored (one row per member and campaign)")
        met &= sent == stored
    print("goals met" if met else "goals NOT met")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
