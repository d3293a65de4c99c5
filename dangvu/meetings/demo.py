"""A year of cell meetings for every demo cell, as the province would have recorded it: a
regular meeting each month and a thematic one each quarter (a few cells missing one or two),
attendance around 90–95 %, minutes approved, a handful of members on the alert list, and the
month's next meeting scheduled with its invitations open. Written with bulk_create (tens of
thousands of rows); each meeting's quality worked out by the same rules as the services."""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.meetings import services
from dangvu.meetings.models import Attendance, DuesPayment, Kind, Mark, Meeting, Minutes
from dangvu.orgs.models import MemberSpan, OrgUnit, UnitKind

SALARY_DUES = [5_000, 30_000, 45_000, 62_000, 80_000, 105_000]  # fixed, or 1 % of a salary; 0.5 % of a pension
TOPICS = ["Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng Đảng trong sạch, vững mạnh",
          "Quán triệt Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ và chuyển đổi số",
          "Nâng cao chất lượng sinh hoạt chi bộ theo Chỉ thị số 50-CT/TW",
          "Trách nhiệm nêu gương của cán bộ, đảng viên ở khu dân cư"]
SECTIONS = {"dues": "Thu đảng phí tháng của các đồng chí đảng viên, đã nộp đủ.",
            "roll_call": "Chi bộ có mặt đủ số đảng viên theo danh sách điểm danh; vắng có lý do được ghi rõ.",
            "agenda": "Thông qua chương trình sinh hoạt; cử đồng chí thư ký ghi biên bản.",
            "report": "Đồng chí Bí thư báo cáo kết quả thực hiện nhiệm vụ trong tháng và phương hướng tháng tới.",
            "discussion": "Các đồng chí đảng viên phát biểu, thống nhất các nội dung đề ra."}


def _members_of(cell: OrgUnit, day: datetime.date) -> list[int]:
    return list(MemberSpan.objects.filter(unit=cell, start__lte=day, end__isnull=True)
                .values_list("member_id", flat=True))


def _plan(rng, year: int, until: datetime.date) -> list[tuple[str, datetime.date]]:
    days = []
    for month in range(1, 13):
        day = datetime.date(year, month, rng.randint(3, 12))
        if day < until:
            days.append((Kind.REGULAR, day))
        if month % 3 == 0:
            thematic = datetime.date(year, month, rng.randint(15, 25))
            if thematic < until:
                days.append((Kind.THEMATIC, thematic))
    return days


def build_meetings_demo(*, seed: int = 2025, today: datetime.date | None = None) -> dict:
    rng = random.Random(seed + 11)
    today = today or timezone.localdate()
    cells = list(OrgUnit.objects.filter(kind=UnitKind.CELL, valid_to__isnull=True).order_by("path"))
    shirkers = set()
    counts = {"meetings": 0, "marks": 0}
    with transaction.atomic():
        for cell in cells:
            members = _members_of(cell, today)
            if not members:
                continue
            if rng.random() < 0.05:
                shirkers.add(rng.choice(members))  # a member who stopped coming
            plan = _plan(rng, today.year, today)
            if rng.random() < 0.15:  # some cells miss a meeting or two
                plan = [p for p in plan if rng.random() > 0.12]
            meetings = [Meeting(unit=cell, kind=kind, date=day, start=datetime.time(19, 30),
                                end=datetime.time(21, 0) if rng.random() < 0.93 else datetime.time(20, 30),
                                place=f"Nhà sinh hoạt {cell.name.removeprefix('Chi bộ ')}",
                                topic=rng.choice(TOPICS) if kind == Kind.THEMATIC else "",
                                agenda="1. Báo cáo kết quả tháng\n2. Thảo luận\n3. Nghị quyết",
                                prepared=rng.random() < 0.95, status=Meeting.Status.HELD) for kind, day in plan]
            Meeting.objects.bulk_create(meetings)
            rows, minutes = [], []
            for meeting in meetings:
                for member_id in members:
                    roll = rng.random()
                    if member_id in shirkers and meeting.date.month % 3 != 1:
                        mark = Mark.ABSENT
                    else:
                        mark = (Mark.PRESENT if roll < 0.90 else Mark.LATE if roll < 0.93
                                else Mark.EXCUSED if roll < 0.995 else Mark.ABSENT)
                    rows.append(Attendance(meeting=meeting, member_id=member_id, mark=mark,
                                           answer="attending" if mark in (Mark.PRESENT, Mark.LATE) else "away"))
                minutes.append(Minutes(meeting=meeting, sections=SECTIONS, resolution="Chi bộ thống nhất thực "
                                       "hiện các nhiệm vụ đề ra.", approved=rng.random() < 0.97))
            Attendance.objects.bulk_create(rows, batch_size=5000)
            Minutes.objects.bulk_create(minutes)
            counts["meetings"] += len(meetings)
            counts["marks"] += len(rows)
            for meeting in meetings:  # the quality, by the services' own rules
                failed = services.quality_of(meeting)
                meeting.quality_met, meeting.quality_failed = not failed, failed
            Meeting.objects.bulk_update(meetings, ["quality_met", "quality_failed"])
            payments = []  # the month's dues, collected at its regular meeting
            for meeting in meetings:
                if meeting.kind != Kind.REGULAR:
                    continue
                month = meeting.date.replace(day=1)
                for member_id in members:
                    if member_id in shirkers and meeting.date.month % 3 != 1 or rng.random() < 0.004:
                        continue
                    payments.append(DuesPayment(member_id=member_id, unit=cell, month=month, paid_on=meeting.date,
                                                amount=rng.choice(SALARY_DUES)))
            DuesPayment.objects.bulk_create(payments, batch_size=5000, ignore_conflicts=True)
            counts["dues"] = counts.get("dues", 0) + sum(p.amount for p in payments)
            next_day = today + datetime.timedelta(days=rng.randint(2, 12))
            services.meeting_schedule(actor=None, unit=cell, kind=Kind.REGULAR, date=next_day,
                                      start=datetime.time(19, 30), end=datetime.time(21, 0),
                                      place=f"Nhà sinh hoạt {cell.name.removeprefix('Chi bộ ')}",
                                      agenda="1. Báo cáo kết quả tháng\n2. Đánh giá, xếp loại cuối năm\n3. Nghị quyết",
                                      prepared=True)
    counts["alerts"] = len(shirkers)
    counts["thematic_plan"] = build_thematic_plan_demo(seed=seed, today=today)
    return counts


THEMATIC_TOPIC = ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về trách nhiệm nêu gương "
                  "của cán bộ, đảng viên ở khu dân cư")


def build_thematic_plan_demo(*, seed: int = 2025, today: datetime.date | None = None) -> dict:
    """The first commune of the province sets the current quarter's thematic topic for its
    cells; some have held it, some scheduled it, the rest not yet. Built last, with its own
    random draws, so that nothing built before it changes."""
    from dangvu.documents.access import documents_offered
    from dangvu.meetings import thematic

    rng = random.Random(seed + 26)
    today = today or timezone.localdate()
    commune = OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS, valid_to__isnull=True).order_by("path").first()
    if commune is None:
        return {}
    quarter = (today.month - 1) // 3 + 1
    with transaction.atomic():
        document = documents_offered(commune).order_by("-issued_on", "-id").first()
        probe = thematic.ThematicPlan(year=today.year, quarter=quarter)
        try:
            plan, _created = thematic.thematic_plan(
                actor=None, unit=commune, year=today.year, quarter=quarter, topic=THEMATIC_TOPIC,
                documents=[document] if document else [], window_from=today, window_to=probe.end,
                note="Mỗi đồng chí đảng viên liên hệ bản thân, nêu một việc làm nêu gương cụ thể ở khu dân cư; "
                     "chi bộ đưa nội dung vào nghị quyết tháng.")
        except ValidationError:  # no cell under the commune this quarter
            return {}
        done = {"held": 0, "planned": 0}
        for item in plan.assignments.filter(meeting__isnull=True).select_related("unit").order_by("unit__path"):
            roll = rng.random()
            past = (today - probe.start).days
            if roll < 0.4 and past > 0:
                day = probe.start + datetime.timedelta(days=rng.randint(0, past - 1))
            elif roll < 0.75 and probe.end > today:
                day = today + datetime.timedelta(days=rng.randint(1, (probe.end - today).days))
            else:
                continue
            members = services.members_on(item.unit, day)
            if not members:
                continue
            meeting = services.meeting_schedule(
                actor=None, unit=item.unit, kind=Kind.THEMATIC, date=day, start=datetime.time(19, 30),
                end=datetime.time(21, 0), place=f"Nhà sinh hoạt {item.unit.name.removeprefix('Chi bộ ')}",
                topic=plan.topic, documents=plan.documents.all(), prepared=True,
                agenda="1. Giới thiệu chuyên đề\n2. Đảng viên liên hệ, thảo luận\n3. Kết luận")
            if day < today:
                services.attendance_record(actor=None, meeting=meeting, marks={
                    m: Mark.PRESENT if rng.random() < 0.93 else Mark.EXCUSED for m in sorted(members)})
                services.minutes_save(actor=None, meeting=meeting, sections=SECTIONS, resolution=(
                    "Chi bộ thống nhất mỗi đảng viên đăng ký một việc làm nêu gương."), approve=True)
                done["held"] += 1
            else:
                done["planned"] += 1
    return {"cells": plan.assignments.count(), **done}
