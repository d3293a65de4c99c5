"""Evaluation as the demo province would have it on a December day: last year's round decided
for the whole province (about 97 % tốt or above, a few not rated with the reason, one
re-rating), and this year's round open with a share of self-assessments in and some cells'
proposals made. (The demo province was founded on 1/7/2025 by the merger, so last year is its
first; the years before belong to the provinces merged into it.)

Rounds are opened and the re-rating made through the real services; the thousands of
self-assessments and decisions go in with bulk_create, each level one the rules allow for its
points and tasks, and the cap of every peer group kept."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dangvu.evaluation import services
from dangvu.evaluation.models import Decision, Level, Rating, Stage, Task
from dangvu.evaluation.rules import Facts, allowed_level, places_left
from dangvu.inspections.models import Area, Inspection, Outcome
from dangvu.orgs import services as org_services
from dangvu.orgs.demo import demo_plain_member
from dangvu.orgs.models import Exemption, Member, OrgUnit, RoleKind, UnitKind, UnitRole

TASKS = ["Hoàn thành nhiệm vụ chuyên môn được giao", "Thực hiện nhiệm vụ chi bộ phân công",
         "Giữ mối liên hệ với chi ủy và nhân dân nơi cư trú", "Tham gia học tập, quán triệt nghị quyết"]
UNIT_TASKS = ["Lãnh đạo thực hiện nhiệm vụ chính trị của địa phương, cơ quan", "Xây dựng tổ chức đảng trong sạch, vững mạnh",
              "Thực hiện chương trình kiểm tra, giám sát", "Lãnh đạo các đoàn thể chính trị - xã hội"]
STRENGTHS = "Có lập trường tư tưởng vững vàng; gương mẫu, có ý thức tổ chức kỷ luật; hoàn thành các nhiệm vụ được giao."
WEAKNESSES = "Việc nghiên cứu, học tập nghị quyết có lúc chưa sâu; tham gia ý kiến trong sinh hoạt chi bộ còn ít."
DIRECTION = "Tiếp tục rèn luyện, nâng cao trình độ; phát huy ưu điểm, khắc phục hạn chế đã chỉ ra."


def _draw(rng) -> str:
    roll = rng.random()
    return (Level.EXCELLENT if roll < 0.17 else Level.GOOD if roll < 0.973 else Level.DONE if roll < 0.995
            else Level.NOT_DONE)


def _shape(rng, level: str) -> tuple[Decimal, Decimal, list[str]]:
    """Points and task results that the rules rate at `level`."""
    if level == Level.EXCELLENT:
        general, tasks = rng.randint(27, 30), rng.randint(63, 70)
        results = ["exceeded", "exceeded", "on_time"]
    elif level == Level.GOOD:
        general, tasks = rng.randint(22, 28), rng.randint(50, 61)
        results = ["on_time", "on_time", rng.choice(["on_time", "exceeded", "late"])]
    elif level == Level.DONE:
        general, tasks = rng.randint(18, 22), rng.randint(35, 45)
        results = ["on_time", "on_time", "on_time", "on_time", "late"]
    else:
        general, tasks = rng.randint(10, 18), rng.randint(20, 30)
        results = ["on_time", "not_done", "not_done"]
    general, tasks = Decimal(general), Decimal(tasks)
    if general + tasks >= 90 and level != Level.EXCELLENT:
        tasks = Decimal(89) - general
    return general, tasks, results


def _fill(rng, rating: Rating, level: str, *, decided: bool, today, tasks: list, decisions: list) -> None:
    general, task_points, results = _shape(rng, level)
    allowed = allowed_level(Facts(points=general + task_points, results=tuple(results)))
    titles = UNIT_TASKS if rating.subject_unit_id else TASKS
    tasks += [Task(rating=rating, title=titles[n % len(titles)], result=r, order=n + 1)
              for n, r in enumerate(results)]
    rating.general_points, rating.task_points = general, task_points
    rating.strengths, rating.weaknesses, rating.direction = STRENGTHS, WEAKNESSES, DIRECTION
    rating.allowed_level, rating.allowed_because = allowed.level, "; ".join(allowed.because)
    rating.submitted_at = timezone.now()
    rating.stage = Stage.SUBMITTED
    if decided or rng.random() < 0.5:
        rating.proposed_level, rating.votes_for, rating.votes_against = level, rng.randint(5, 30), 0
        rating.stage = Stage.PROPOSED
    if decided:
        rating.level, rating.decided_on, rating.stage = level, today, Stage.DECIDED
        decisions.append(Decision(rating=rating, level=level, decided_on=today))


def _within_cap(rng, ratings: list[Rating]) -> dict[int, str]:
    """Levels for one peer group, xuất sắc kept within the cap of those rated tốt."""
    levels = {r.pk: _draw(rng) for r in ratings}
    good = sum(v == Level.GOOD for v in levels.values())
    allowed = places_left(0, good, 0.2)
    for pk in [pk for pk, v in levels.items() if v == Level.EXCELLENT][allowed:]:
        levels[pk] = Level.GOOD
    return levels


def _exempt_some(rng, day: datetime.date) -> int:
    """About one member in 200, old or ill, exempted from Party work by a decision of the year."""
    members = list(Member.objects.filter(date_of_birth__lt=datetime.date(1955, 1, 1), status__in=["chinh_thuc"],
                                         admission_date__lt=day)  # an exemption starts after admission
                   .order_by("pk")[:400])
    chosen = rng.sample(members, min(len(members), max(3, Member.objects.count() // 200)))
    for member in chosen:
        org_services.exemption_record(actor=None, member=member, kind=Exemption.Kind.EXEMPT, start=day,
                                      reason="Tuổi cao, sức yếu, được miễn công tác và sinh hoạt đảng")
    return len(chosen)


def _degraded(rnd) -> set[int]:
    return set(Inspection.objects.filter(area=Area.CONDUCT, outcome=Outcome.VIOLATION, end__gte=rnd.start,
                                         end__lte=rnd.end, subject_member__isnull=False)
               .values_list("subject_member_id", flat=True))


def _opened(province: OrgUnit, year: int):
    """The province's round for the year, its subjects listed here (not left to the worker)."""
    rnd = services.round_open(actor=None, unit=province, title=f"Đánh giá, xếp loại chất lượng tổ chức đảng và "
                              f"đảng viên năm {year}", kind="year", start=datetime.date(year, 1, 1),
                              end=datetime.date(year, 12, 31))
    if rnd.status == rnd.Status.PREPARING:
        services.round_list_subjects(rnd)
    return rnd


def _decided_round(rng, province: OrgUnit, year: int) -> tuple:
    rnd = _opened(province, year)
    day = datetime.date(year, 12, 26)
    groups = defaultdict(list)
    for rating in rnd.ratings.exclude(stage=Stage.NOT_RATED).select_related("subject_unit"):
        groups[(rating.decider_id, rating.subject_unit.kind if rating.subject_unit_id else "member")].append(rating)
    degraded = _degraded(rnd)
    tasks, decisions, ratings = [], [], []
    for group in groups.values():
        levels = _within_cap(rng, group)
        for rating in group:
            level = Level.NOT_DONE if rating.member_id in degraded else levels[rating.pk]
            _fill(rng, rating, level, decided=True, today=day, tasks=tasks, decisions=decisions)
            ratings.append(rating)
    return rnd, ratings, tasks, decisions


def _save(ratings, tasks, decisions) -> None:
    fields = ["general_points", "task_points", "strengths", "weaknesses", "direction", "allowed_level",
              "allowed_because", "submitted_at", "stage", "proposed_level", "votes_for", "votes_against", "level",
              "decided_on"]
    Rating.objects.bulk_update(ratings, fields, batch_size=1000)
    Task.objects.bulk_create(tasks, batch_size=5000)
    Decision.objects.bulk_create(decisions, batch_size=5000)


def _demo_cell() -> OrgUnit | None:
    """The cell of the demo's secretary account (the first cell with a secretary)."""
    role = (UnitRole.objects.filter(role=RoleKind.SECRETARY, unit__kind=UnitKind.CELL).select_related("unit")
            .order_by("unit__path").first())
    return role.unit if role else None


def _open_round(rng, province: OrgUnit, year: int) -> tuple:
    """This year's round: about 60 % of members have submitted, half of those proposed by their
    cell; in the demo secretary's cell half have submitted and nothing is proposed yet."""
    rnd = _opened(province, year)
    cell = _demo_cell()
    plain = demo_plain_member(cell) if cell else None
    tasks, decisions, ratings = [], [], []
    members = list(rnd.ratings.filter(stage=Stage.OPEN, member__isnull=False).order_by("unit__path", "member_id"))
    in_cell = [r for r in members if cell and r.unit_id == cell.pk]
    kept_open = {r.pk for r in in_cell}
    for rating in members:
        if rating.pk in kept_open:
            # half of the demo cell in, none proposed; the demo member's own left to fill
            if in_cell.index(rating) % 2 and (plain is None or rating.member_id != plain.pk):
                _fill(rng, rating, Level.GOOD, decided=False, today=None, tasks=tasks, decisions=decisions)
                rating.proposed_level, rating.votes_for, rating.votes_against = "", None, None
                rating.stage = Stage.SUBMITTED
                ratings.append(rating)
            continue
        if rng.random() < 0.6:
            _fill(rng, rating, _draw(rng) if rng.random() < 0.9 else Level.GOOD, decided=False, today=None,
                  tasks=tasks, decisions=decisions)
            if rating.proposed_level == Level.EXCELLENT:
                rating.proposed_level = Level.GOOD  # the cap is weighed when the committee decides
            ratings.append(rating)
    return rnd, ratings, tasks, decisions


def build_evaluation_demo(*, seed: int = 2025, today: datetime.date | None = None) -> dict:
    rng = random.Random(seed + 7)
    today = today or timezone.localdate()
    province = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).order_by("path").first()
    if province is None:
        return {"rounds": 0}
    with transaction.atomic():
        exempted = _exempt_some(rng, datetime.date(today.year - 1, 3, 1))
        last, ratings, tasks, decisions = _decided_round(rng, province, today.year - 1)
        _save(ratings, tasks, decisions)
        # one re-rating (form 03): a member's level revised after a violation came to light
        again = (Rating.objects.filter(round=last, member__isnull=False, level=Level.GOOD)
                 .select_related("round", "unit", "member", "subject_unit", "decider").order_by("id").first())
        if again is not None:
            services.decision_make(actor=None, rating=again, level=Level.DONE, day=datetime.date(today.year, 2, 20),
                                   reason="Xem xét lại theo Điều 15: phát hiện vi phạm quy định về đảng phí sau khi "
                                          "đã xếp loại")
        current, ratings, tasks, decisions = _open_round(rng, province, today.year)
        _save(ratings, tasks, decisions)
    return {"rounds": 2, "exempted": exempted,
            "last_rated": Rating.objects.filter(round=last, stage=Stage.DECIDED).count(),
            "last_good_or_better": Rating.objects.filter(round=last, level__in=[Level.EXCELLENT, Level.GOOD]).count(),
            "not_rated": Rating.objects.filter(round=last, stage=Stage.NOT_RATED).count(),
            "submitted": Rating.objects.filter(round=current).exclude(stage__in=[Stage.OPEN, Stage.NOT_RATED]).count(),
            "subjects": Rating.objects.filter(round=current).count()}
