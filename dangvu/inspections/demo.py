"""A year of inspection and supervision, as the demo province would have recorded it through
the real services: the plans of the province's inspection commission and of each đảng ủy
cơ sở, what they held, and each cell's inspections of its members, with about 70% of
cells meeting the "2 with a cell committee, 1 without" target."""

import datetime
import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvu.inspections import services
from dangvu.inspections.models import Area, Conductor, Kind, Mode, Outcome
from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind

MEET_RATE = 0.7
CONTENT = {
    Area.DUTIES: "Kiểm tra việc thực hiện nhiệm vụ đảng viên và giữ mối liên hệ với chi ủy, chính quyền nơi cư trú",
    Area.DUES: "Kiểm tra việc thu, nộp và quản lý đảng phí năm {year}",
    Area.CONDUCT: "Kiểm tra việc tu dưỡng, rèn luyện đạo đức, lối sống và thực hiện những điều đảng viên không được làm",
    Area.RESOLUTIONS: "Kiểm tra việc lãnh đạo, chỉ đạo thực hiện Nghị quyết Đại hội đảng bộ nhiệm kỳ 2025 – 2030",
}
CONCLUSION = {
    Outcome.GOOD: "Thực hiện tốt nội dung được kiểm tra.",
    Outcome.MIXED: "Cơ bản thực hiện tốt; còn một số hạn chế cần khắc phục.",
    Outcome.VIOLATION: "Có vi phạm, đề nghị kiểm điểm, rút kinh nghiệm.",
}
VIOLATIONS = ["Chậm nộp đảng phí 4 tháng", "Không sinh hoạt chi bộ 3 kỳ liên tiếp không có lý do",
              "Chưa thực hiện việc giữ mối liên hệ với nơi cư trú"]


def _outcome(rng) -> str:
    roll = rng.random()
    return Outcome.GOOD if roll < 0.82 else Outcome.MIXED if roll < 0.96 else Outcome.VIOLATION


def _hold(rng, unit, kind, day, today, *, member=None, organisation=None, area=Area.DUTIES, plan_item=None,
          conductor="", mode=""):
    outcome = _outcome(rng)
    year = day.year
    inspection = services.inspection_record(
        actor=None, unit=unit, kind=kind, member=member, organisation=organisation, start=day,
        end=day + datetime.timedelta(days=rng.randint(1, 10)), content=CONTENT[area].format(year=year), area=area,
        mode=mode, conductor=conductor, outcome=outcome, conclusion=CONCLUSION[outcome],
        violation=rng.choice(VIOLATIONS) if outcome == Outcome.VIOLATION else "", plan_item=plan_item)
    if outcome != Outcome.GOOD:
        due = inspection.end + datetime.timedelta(days=45)
        rec = services.recommendation_add(actor=None, inspection=inspection, due=due,
                                          text="Khắc phục hạn chế đã chỉ ra, báo cáo kết quả với cấp kiểm tra.")
        if due < today and rng.random() < 0.8:
            services.recommendation_done(actor=None, recommendation=rec,
                                         done_on=due - datetime.timedelta(days=rng.randint(0, 20)))
    return inspection


def _members_on(cell: OrgUnit, day: datetime.date) -> list:
    """Members of the cell on that day who are still in it now (the subject of an inspection)."""
    spans = (MemberSpan.objects.filter(unit=cell, start__lte=day, end__isnull=True)
             .filter(Q(member__unit=cell)).select_related("member__unit").order_by("member_id"))
    return [s.member for s in spans]


def build_inspections_demo(*, seed: int = 2025, today: datetime.date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    year = today.year if today >= datetime.date(today.year, 2, 15) else today.year - 1  # a year with a past
    first = datetime.date(year, 1, 15)
    last = min(today - datetime.timedelta(days=12), datetime.date(year, 12, 18))

    def some_day() -> datetime.date:
        return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))

    counts = {"planned": 0, "held": 0, "cells": 0, "cells_met": 0}
    province = OrgUnit.objects.get(code="TQ")
    with transaction.atomic():
        # The province's inspection commission: a plan item for some đảng ủy cơ sở, most held.
        grassroots = list(OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS, valid_to__isnull=True).order_by("path"))
        for unit in rng.sample(grassroots, min(8, len(grassroots))):
            day = some_day()
            item = services.plan_item_create(
                actor=None, unit=province, kind=Kind.INSPECTION, area=Area.RESOLUTIONS, organisation=unit,
                conductor=Conductor.COMMISSION, content=CONTENT[Area.RESOLUTIONS],
                start=day, end=day + datetime.timedelta(days=30))
            counts["planned"] += 1
            if rng.random() < 0.75:
                _hold(rng, province, Kind.INSPECTION, day, today, organisation=unit, area=Area.RESOLUTIONS,
                      plan_item=item, conductor=Conductor.COMMISSION)
                counts["held"] += 1
        # Each đảng ủy cơ sở: a supervision of one of its cells, and the inspection of another on its plan.
        for unit in grassroots:
            cells = list(OrgUnit.objects.filter(path__startswith=unit.path, kind=UnitKind.CELL,
                                                valid_to__isnull=True).order_by("path"))
            for kind, mode, area in ((Kind.INSPECTION, "", Area.DUES), (Kind.SUPERVISION, Mode.THEMATIC,
                                                                        Area.RESOLUTIONS)):
                if not cells:
                    break
                cell, day = rng.choice(cells), some_day()
                item = services.plan_item_create(actor=None, unit=unit, kind=kind, mode=mode, area=area,
                                                 organisation=cell, content=CONTENT[area].format(year=day.year),
                                                 start=day, end=day + datetime.timedelta(days=20))
                counts["planned"] += 1
                if rng.random() < 0.85:
                    _hold(rng, unit, kind, day, today, organisation=cell, area=area, plan_item=item, mode=mode)
                    counts["held"] += 1
        # Each cell inspects its members: about 70% reach their threshold (2 with a chi ủy, 1 without).
        for cell in OrgUnit.objects.filter(kind=UnitKind.CELL, valid_to__isnull=True).order_by("path"):
            required = 2 if cell.has_committee else 1
            meets = rng.random() < MEET_RATE
            n = rng.randint(required, required + 1) if meets else rng.randint(0, required - 1)
            held = 0
            for _ in range(n):
                day = some_day()
                members = _members_on(cell, day)
                if not members:
                    continue
                area = rng.choice([Area.DUTIES, Area.DUTIES, Area.DUES, Area.CONDUCT])
                _hold(rng, cell, Kind.INSPECTION, day, today, member=rng.choice(members), area=area)
                held += 1
            counts["held"] += held
            counts["cells"] += 1
            counts["cells_met"] += held >= required
    return counts
