"""A year of study and training for the demo organisation, at the seed reports' rates.

Central resolutions received and the province's plans issued with real numbers;
four study campaigns (three closed, one open now) studied online from the province
to a connection point per grassroots committee; attendance above 98%; essays near
100% of plan with a handful returned as thin or copied and then reworked; classes
on the Party for admission candidates and for new members; theory levels.
Attendance and essays go in with bulk_create (tens of thousands of rows); everything
with a business rule (numbers, campaigns, sessions, classes) goes through services.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from dangvu.documents import services as doc_services
from dangvu.essays.demo import campaign_essays
from dangvu.essays.demo_writing import RESOLUTIONS
from dangvu.orgs.models import (
    ACTIVE_STATUSES,
    Member,
    OrgUnit,
    UnitKind,
    path_prefixes,
)
from dangvu.study import services
from dangvu.study.models import Attendance, AttendanceStatus, ConnectionPoint, SessionMode
from dangvu.training.demo import build_training_demo


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def build_study_demo(*, seed: int = 2025, today: datetime.date | None = None, progress: bool = True) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    province = OrgUnit.objects.get(code="TQ")
    grassroots = list(OrgUnit.objects.filter(kind=UnitKind.GRASSROOTS, valid_to__isnull=True).order_by("path"))
    members = list(Member.objects.filter(status__in=ACTIVE_STATUSES).select_related("unit").order_by("pk"))
    counts = {"documents": 0, "campaigns": 0, "attendance": 0, "essays": 0, "classes": 0}

    with transaction.atomic():
        studied = []
        for number, day, summary, text in RESOLUTIONS:
            studied.append(doc_services.document_receive(actor=None, unit=province, doc_type="NQ", number=number,
                                                         issuer_symbol="TW", issued_on=day, summary=summary,
                                                         text=text))
        counts["documents"] += len(studied)

        # Four campaigns over the past year; the last one is open now.
        starts = [today - _days(330), today - _days(230), today - _days(120), today - _days(6)]
        for n, (doc, start) in enumerate(zip(studied, starts, strict=True)):
            plan = doc_services.document_issue(
                actor=None, unit=province, doc_type="KH", issued_on=max(start - _days(7), datetime.date(2025, 10, 1)),
                summary=f"Kế hoạch học tập, quán triệt, tuyên truyền và triển khai thực hiện Nghị quyết số "
                        f"{doc.reference} của Bộ Chính trị", text="")
            counts["documents"] += 1
            is_open = n == len(studied) - 1
            campaign = services.campaign_create(
                actor=None, unit=province, title=f"Học tập, quán triệt Nghị quyết số {doc.reference}",
                documents=[doc, plan], units=[province], start=start, end=start + _days(60),
                essay_required=True, essay_deadline=start + _days(30), min_words=150)
            counts["campaigns"] += 1
            points = [services.PointIn(f"Điểm cầu {g.name}", 0, g) for g in grassroots]
            session = services.session_record(actor=None, campaign=campaign, held_on=start + _days(2),
                                              mode=SessionMode.ONLINE, place="Hội trường Tỉnh ủy",
                                              title="Hội nghị trực tuyến học tập, quán triệt", points=points)
            # members of the province while the campaign runs: not those admitted after it, nor the dead
            eligible = list(services.eligible_members(campaign).select_related("unit").order_by("pk"))
            on_the_day = list(services.eligible_members(campaign, on_day=session.held_on)
                              .select_related("unit").order_by("pk"))
            counts["attendance"] += _attend(rng, session, on_the_day, grassroots, rate=0.985)
            counts["essays"] += campaign_essays(rng, campaign, doc, eligible, open_=is_open, today=today, progress=progress)

        counts["classes"] += build_training_demo(rng, grassroots, members, today)
    return counts


def _attend(rng, session, members, grassroots, rate: float) -> int:
    point_paths = {g.path for g in grassroots}
    rows, heads = [], {}
    for m in members:
        status = AttendanceStatus.PRESENT if rng.random() < rate else rng.choice(
            [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, AttendanceStatus.EXCUSED])
        rows.append(Attendance(session=session, member=m, status=status))
        if status == AttendanceStatus.PRESENT:
            for prefix in path_prefixes(m.unit.path):
                if prefix in point_paths:  # the member's grassroots committee has the connection point
                    heads[prefix] = heads.get(prefix, 0) + 1
    Attendance.objects.bulk_create(rows, batch_size=5000)
    # Head counts at each connection point: members present plus invited cadres and mass organisations.
    points = list(ConnectionPoint.objects.filter(session=session).select_related("unit"))
    for point in points:
        point.head_count = heads.get(point.unit.path, 0) + rng.randrange(5, 25)
    ConnectionPoint.objects.bulk_update(points, ["head_count"])
    return len(rows)
