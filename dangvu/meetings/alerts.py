"""Members to be considered under Điều lệ, Điều 8: three months or more in a year absent
without leave (or dues unpaid). The system raises the case for the secretary; striking off
stays a decision of people, through its own service."""

from dataclasses import dataclass

from django.db.models.functions import ExtractMonth

from dangvu.meetings.models import Attendance, Mark, Meeting
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.placements import placed

MONTHS = 3


@dataclass
class Alert:
    member_id: int
    unit_id: int  # the cell of the last such meeting
    months_absent: list[int]
    months_unpaid: list[int]


def absence_alerts(unit: OrgUnit, year: int) -> list[Alert]:
    """Members with three months or more of the year absent without leave, or three months or
    more of dues unpaid (up to last month), in the unit's cells."""
    import datetime

    from django.utils import timezone

    from dangvu.meetings.dues import cells_keeping_dues, month_start, months_owed
    from dangvu.orgs.models import ACTIVE_STATUSES, MemberSpan

    rows = placed(Attendance.objects.filter(mark=Mark.ABSENT, meeting__status=Meeting.Status.HELD,
                                            meeting__date__year=year), unit, "meeting__unit", "meeting__date")
    months: dict[int, set[int]] = {}
    cells: dict[int, int] = {}
    for member_id, month, cell in (rows.annotate(month=ExtractMonth("meeting__date"))
                                   .values_list("member_id", "month", "meeting__unit_id")
                                   .order_by("meeting__date")):
        months.setdefault(member_id, set()).add(month)
        cells[member_id] = cell
    last = min(datetime.date(year, 12, 31), month_start(timezone.localdate()) - datetime.timedelta(days=1))
    unpaid: dict[int, list[int]] = {}
    if last >= datetime.date(year, 1, 1):
        keeping = cells_keeping_dues(datetime.date(year, 1, 1), last)
        members = dict(placed(MemberSpan.objects.filter(status__in=ACTIVE_STATUSES, start__lte=last, end__isnull=True,
                                                        unit_id__in=keeping), unit, "unit", last)
                       .values_list("member_id", "unit_id"))
        unpaid = {m: owed for m, owed in months_owed(list(members), datetime.date(year, 1, 1), last).items()
                  if len(owed) >= MONTHS}
        for member_id in unpaid:
            cells.setdefault(member_id, members[member_id])
    flagged = {m for m, found in months.items() if len(found) >= MONTHS} | set(unpaid)
    return [Alert(m, cells[m], sorted(months.get(m, ())), unpaid.get(m, [])) for m in sorted(flagged)]
