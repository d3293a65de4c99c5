"""The demo's second half of 2025 (after the merger of 1 July), so that last year's report
has study, classes, inspections and documents to tell, as the province would have recorded them.

Run after every other demo builder with a random generator of its own: the draws, numbers
and dates the demo already makes stay as they were (tests and the README pin them). Nothing
here reaches into 2026: campaigns, classes, plan items and recommendations all end, and
recommendations are carried out, before 31/12/2025. Documents keep the register's rules: the
province's 2025 plans and reports are numbered in the appointed committee's term (1/7 – 30/9/2025,
recorded here), and what is issued from October goes only into series with no number yet in the
2025 – 2030 term, so no number is dated before an earlier one.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from dangvu.documents import services as doc_services
from dangvu.documents.models import Document
from dangvu.inspections import services as inspections
from dangvu.inspections.demo import CONCLUSION, CONTENT, VIOLATIONS
from dangvu.inspections.models import Area, Conductor, Kind, Mode, Outcome
from dangvu.orgs import services as org_services
from dangvu.orgs.models import Candidate, Member, MemberSpan, OrgUnit, UnitKind
from dangvu.orgs.placements import check_belonged
from dangvu.study import services as study
from dangvu.study.demo import _attend
from dangvu.study.models import SessionMode
from dangvu.training import services as training
from dangvu.training.models import Enrolment

YEAR_END = datetime.date(2025, 12, 31)
# Resolutions of the Politburo issued in the second half of 2025, studied at the province.
STUDIED = [
    (71, datetime.date(2025, 8, 22), "Nghị quyết về đột phá phát triển giáo dục và đào tạo",
     datetime.date(2025, 9, 3), datetime.date(2025, 9, 12)),
    (72, datetime.date(2025, 9, 9), "Nghị quyết về một số giải pháp đột phá, tăng cường bảo vệ, chăm sóc và nâng "
     "cao sức khỏe Nhân dân", datetime.date(2025, 9, 24), datetime.date(2025, 10, 10)),
]


def _d(month: int, day: int) -> datetime.date:
    return datetime.date(2025, month, day)


def build_last_year_demo(*, seed: int = 2025) -> dict:
    rng = random.Random(seed + 2025)
    counts = {"documents": 0, "campaigns": 0, "attendance": 0, "classes": 0, "inspections": 0}
    province = OrgUnit.objects.get(code="TQ")
    grassroots = list(OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS, valid_to__isnull=True).order_by("path"))
    with transaction.atomic():
        # The committee the Politburo appointed at the merger, until the congress of 30/9/2025.
        org_services.term_create(actor=None, unit=province, name="2020-2025", congress_closed_on=_d(6, 30),
                                 end=_d(9, 30))
        counts["documents"] += _province_documents(province)
        for number, issued_on, summary, plan_on, start in STUDIED:
            counts["attendance"] += _campaign(rng, province, grassroots, number, issued_on, summary, plan_on, start)
            counts["campaigns"] += 1
            counts["documents"] += 2
        counts["classes"] += _classes(rng, grassroots)
        counts["inspections"] += _inspections(rng, province, grassroots)
        counts["documents"] += _commune_documents(grassroots)
    return counts


def _issue(unit: OrgUnit, doc_type: str, issued_on: datetime.date, summary: str) -> Document:
    return doc_services.document_issue(actor=None, unit=unit, doc_type=doc_type, issued_on=issued_on,
                                       summary=summary, text="")


def _province_documents(province: OrgUnit) -> int:
    """The appointed committee's reports, and the new committee's programme of action (a series
    the 2025 – 2030 term has not used yet; its plans and reports of 2026 keep their numbers)."""
    _issue(province, "BC", _d(7, 31), "Báo cáo kết quả một tháng vận hành tổ chức bộ máy sau hợp nhất tỉnh")
    _issue(province, "BC", _d(9, 15), "Báo cáo kết quả công tác xây dựng Đảng 9 tháng đầu năm 2025")
    _issue(province, "CTr", _d(11, 20), "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh "
                                        "lần thứ I, nhiệm kỳ 2025 – 2030")
    return 3


def _campaign(rng, province, grassroots, number, issued_on, summary, plan_on, start) -> int:
    resolution = doc_services.document_receive(actor=None, unit=province, doc_type="NQ", number=number,
                                               issuer_symbol="TW", issued_on=issued_on, summary=summary, text="")
    plan = _issue(province, "KH", plan_on, f"Kế hoạch học tập, quán triệt, tuyên truyền và triển khai thực hiện "
                                           f"Nghị quyết số {resolution.reference} của Bộ Chính trị")
    campaign = study.campaign_create(
        actor=None, unit=province, title=f"Học tập, quán triệt Nghị quyết số {resolution.reference}",
        documents=[resolution, plan], units=[province], start=start, end=start + datetime.timedelta(days=60),
        essay_required=False)
    points = [study.PointIn(f"Điểm cầu {g.name}", 0, g) for g in grassroots]
    session = study.session_record(actor=None, campaign=campaign, held_on=start + datetime.timedelta(days=2),
                                   mode=SessionMode.ONLINE, place="Hội trường Tỉnh ủy",
                                   title="Hội nghị trực tuyến học tập, quán triệt", points=points)
    on_the_day = list(study.eligible_members(campaign, on_day=session.held_on).select_related("unit").order_by("pk"))
    return _attend(rng, session, on_the_day, grassroots, rate=0.983)


def _classes(rng, grassroots) -> int:
    """A class on the Party and a class for new members in a committee the 2026 classes leave out:
    the candidates taught are those now under consideration for admission (the class moves only
    candidates still before it), the members those admitted in the year before the class."""
    awareness, new_member, _skills = training.ensure_standard_programmes()
    later = grassroots[max(1, len(grassroots) // 2):]  # build_training_demo's 2026 classes: the first half
    made = 0
    for g in later:
        candidates = list(Candidate.objects.filter(unit__path__startswith=g.path, stage=Candidate.Stage.CONSIDERED,
                                                   erased_on__isnull=True).select_related("unit").order_by("pk")[:20])
        if len(candidates) < 5:
            continue
        start = _d(8, 11)
        cls = training.class_create(actor=None, unit=g, programme=awareness, name=f"Lớp nhận thức về Đảng {g.name}",
                                    start=start, end=start + datetime.timedelta(days=5), place=f"Hội trường {g.name}")
        training.enrol(actor=None, training_class=cls, candidates=candidates)
        _results(rng, cls, f"2025/{g.code}")
        made += 1
        start = _d(10, 6)
        probationers = [m for m in Member.objects.filter(unit__path__startswith=g.path,
                                                         admission_date__gte=_d(1, 1) - datetime.timedelta(days=180),
                                                         admission_date__lte=start - datetime.timedelta(days=20))
                        .filter(Q(official_date__isnull=True) | Q(official_date__gt=start))
                        .select_related("unit").order_by("pk")[:30] if _belonged(m, g, start)]
        if probationers:
            cls = training.class_create(actor=None, unit=g, programme=new_member,
                                        name=f"Lớp lý luận chính trị cho đảng viên mới {g.name}",
                                        start=start, end=start + datetime.timedelta(days=10))
            training.enrol(actor=None, training_class=cls, members=probationers)
            _results(rng, cls, f"2025/ĐVM/{g.code}")
            made += 1
        break  # one committee's pair of classes
    return made


def _belonged(member, unit, start) -> bool:
    try:
        check_belonged(member, unit, start, start + datetime.timedelta(days=10), field="members")
    except ValidationError:  # not under the committee while the class ran
        return False
    return True


def _results(rng, training_class, prefix: str) -> None:
    enrolments = training_class.enrolments.select_related("training_class__unit", "member", "candidate").order_by("pk")
    for n, e in enumerate(enrolments, start=1):
        if rng.random() < 0.95:
            training.result_record(actor=None, enrolment=e, result=Enrolment.Result.COMPLETED,
                                   score=rng.choice(["7.0", "7.5", "8.0", "8.5", "9.0"]),
                                   certificate_number=f"{prefix}/{n:03d}")
        else:
            training.result_record(actor=None, enrolment=e, result=Enrolment.Result.NOT_COMPLETED)


def _inspections(rng, province, grassroots) -> int:
    """The province's commission inspects two committees; six committees (the first among them)
    supervise a cell each, and each of their cells inspects one of its members."""
    held = 0
    for unit in rng.sample(grassroots, min(2, len(grassroots))):
        day = _d(rng.randint(8, 10), rng.randint(1, 28))
        item = inspections.plan_item_create(
            actor=None, unit=province, kind=Kind.INSPECTION, area=Area.RESOLUTIONS, organisation=unit,
            conductor=Conductor.COMMISSION, content=CONTENT[Area.RESOLUTIONS], start=day,
            end=day + datetime.timedelta(days=30))
        _hold(rng, province, Kind.INSPECTION, day, organisation=unit, area=Area.RESOLUTIONS, plan_item=item,
              conductor=Conductor.COMMISSION)
        held += 1
    chosen = grassroots[:1] + rng.sample(grassroots[1:], min(5, len(grassroots) - 1))
    for unit in chosen:
        cells = list(OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.CELL,
                                            valid_to__isnull=True).order_by("path"))
        if not cells:
            continue
        cell, day = rng.choice(cells), _d(rng.randint(9, 11), rng.randint(1, 28))
        item = inspections.plan_item_create(actor=None, unit=unit, kind=Kind.SUPERVISION, mode=Mode.THEMATIC,
                                            area=Area.RESOLUTIONS, organisation=cell,
                                            content=CONTENT[Area.RESOLUTIONS], start=day,
                                            end=day + datetime.timedelta(days=20))
        _hold(rng, unit, Kind.SUPERVISION, day, organisation=cell, area=Area.RESOLUTIONS, plan_item=item,
              mode=Mode.THEMATIC)
        held += 1
        for cell in cells:
            day = _d(rng.randint(8, 11), rng.randint(1, 28))
            members = [s.member for s in MemberSpan.objects.filter(unit=cell, start__lte=day, end__isnull=True,
                                                                   member__unit=cell)
                       .select_related("member__unit").order_by("member_id")]
            if members:
                area = rng.choice([Area.DUTIES, Area.DUTIES, Area.DUES, Area.CONDUCT])
                _hold(rng, cell, Kind.INSPECTION, day, member=rng.choice(members), area=area)
                held += 1
    return held


def _hold(rng, unit, kind, day, *, member=None, organisation=None, area=Area.DUTIES, plan_item=None,
          conductor="", mode="") -> None:
    """As the 2026 demo holds them, but every recommendation carried out within 2025 (an open
    one would be overdue in 2026's report too)."""
    roll = rng.random()
    outcome = Outcome.GOOD if roll < 0.82 else Outcome.MIXED if roll < 0.96 else Outcome.VIOLATION
    inspection = inspections.inspection_record(
        actor=None, unit=unit, kind=kind, member=member, organisation=organisation, start=day,
        end=day + datetime.timedelta(days=rng.randint(1, 10)), content=CONTENT[area].format(year=2025), area=area,
        mode=mode, conductor=conductor, outcome=outcome, conclusion=CONCLUSION[outcome],
        violation=rng.choice(VIOLATIONS) if outcome == Outcome.VIOLATION else "", plan_item=plan_item)
    if outcome != Outcome.GOOD:
        due = min(inspection.end + datetime.timedelta(days=45), YEAR_END)
        rec = inspections.recommendation_add(actor=None, inspection=inspection, due=due,
                                             text="Khắc phục hạn chế đã chỉ ra, báo cáo kết quả với cấp kiểm tra.")
        done_on = max(inspection.end, due - datetime.timedelta(days=rng.randint(0, 20)))
        inspections.recommendation_done(actor=None, recommendation=rec, done_on=done_on)


def _commune_documents(grassroots) -> int:
    """Three committees that issue nothing in 2026 (the first among them): a study plan after the
    congress and the year's report, each the first of its series in the 2025 – 2030 term."""
    issued = set(Document.objects.filter(direction=Document.Direction.ISSUED).values_list("unit_id", flat=True))
    units = [g for g in grassroots if g.symbol and g.pk not in issued][:3]
    for g in units:
        _issue(g, "KH", _d(10, 20), "Kế hoạch học tập, quán triệt, triển khai thực hiện Nghị quyết Đại hội đảng bộ "
                                    "nhiệm kỳ 2025 – 2030 và Nghị quyết số 71-NQ/TW, 72-NQ/TW của Bộ Chính trị")
        _issue(g, "BC", _d(12, 15), "Báo cáo kết quả thực hiện nhiệm vụ công tác xây dựng Đảng năm 2025")
    return 2 * len(units)
