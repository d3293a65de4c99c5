"""The province's targets for the year, as its plan sets them, through the real service."""

import datetime

from django.utils import timezone

from dangvu.orgs.models import OrgUnit, UnitKind
from dangvu.targets import services


def build_targets_demo(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    province = OrgUnit.objects.get(code="TQ")
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    made = [
        services.target_create(actor=None, unit=province, title="Trên 98% đảng viên tham gia học tập, quán triệt",
                               measure="study.participants", applies_kind=UnitKind.CELL,
                               thresholds=[{"has_committee": None, "min": 98}], start=start, end=end),
        services.target_create(actor=None, unit=province,
                               # what the cells' members attend (a target on what a cell holds counts
                               # study.sessions_held, and the demo's cells hold no sessions of their own)
                               title="Đảng viên chi bộ có chi ủy dự ít nhất 4 hội nghị, buổi học tập; chi bộ không "
                                     "có chi ủy ít nhất 3", measure="study.sessions", applies_kind=UnitKind.CELL,
                               thresholds=[{"has_committee": True, "min": 4}, {"has_committee": False, "min": 3}],
                               start=start, end=end),
        services.target_create(actor=None, unit=province,
                               title="Chi bộ có chi ủy thực hiện ít nhất 2 cuộc kiểm tra, chi bộ không có chi ủy "
                                     "thực hiện ít nhất 1 cuộc kiểm tra", measure="inspections.held",
                               applies_kind=UnitKind.CELL,
                               thresholds=[{"has_committee": True, "min": 2}, {"has_committee": False, "min": 1}],
                               start=start, end=end),
    ]
    return len(made)
