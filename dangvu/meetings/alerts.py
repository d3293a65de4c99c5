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
    rows = placed(Attendance.objects.filter(mark=Mark.ABSENT, meeting__status=Meeting.Status.HELD,
                                            meeting__date__year=year), unit, "meeting__unit", "meeting__date")
    months: dict[int, set[int]] = {}
    cells: dict[int, int] = {}
    for member_id, month, cell in (rows.annotate(month=ExtractMonth("meeting__date"))
                                   .values_list("member_id", "month", "meeting__unit_id")
                                   .order_by("meeting__date")):
        months.setdefault(member_id, set()).add(month)
        cells[member_id] = cell
    return [Alert(m, cells[m], sorted(found), []) for m, found in sorted(months.items()) if len(found) >= MONTHS]
