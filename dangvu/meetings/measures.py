"""Cell meeting figures: meetings held by kind, attendance (present over required, per
member and meeting), meetings that met every quality criterion, absences without leave. A
meeting counts in the period that holds its day, at the cell that held it (where the cell
stood that day)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.permissions import MEETINGS_READ
from dangvu.lib.measures import Column, Measure, Value, register, register_area
from dangvu.lib.rollup import rollup
from dangvu.meetings.models import Attendance, Kind, Mark, Meeting
from dangvu.orgs.placements import placed

register_area("meetings", _("Cell meetings"))

MEETINGS = _("meetings")
MEMBER_MEETINGS = _("member-meetings")


def held(unit, period, **filters):
    rows = Meeting.objects.filter(status=Meeting.Status.HELD, date__gte=period.start, date__lte=period.end,
                                  **filters)
    return placed(rows, unit, "unit", "date")


def marks(unit, period, **filters):
    rows = Attendance.objects.filter(meeting__status=Meeting.Status.HELD, meeting__date__gte=period.start,
                                     meeting__date__lte=period.end, **filters)
    return placed(rows, unit, "meeting__unit", "meeting__date")


def _counted(queryset, unit) -> dict[str, Value]:
    counts = queryset.values_list("at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, unit.path).items()}


MEETING_COLUMNS = [
    Column("unit", _("cell"), lambda m: m.unit.name),
    Column("date", _("date"), lambda m: m.date),
    Column("kind", _("kind of meeting"), lambda m: m.get_kind_display()),
    Column("topic", _("topic"), lambda m: m.topic),
    Column("quality", _("met every quality criterion"), lambda m: _("yes") if m.quality_met else _("no")),
]
MARK_COLUMNS = [
    Column("member_id", _("member id"), lambda a: a.member_id),
    Column("full_name", _("Full name"), lambda a: a.member.full_name),
    Column("unit", _("cell"), lambda a: a.meeting.unit.name),
    Column("date", _("date"), lambda a: a.meeting.date),
    Column("mark", _("attendance"), lambda a: a.get_mark_display()),
]


def _meeting_measure(key, label, definition, **filters):
    register(Measure(
        key=key, label=label, definition=definition, unit=MEETINGS, area="meetings", permission=MEETINGS_READ,
        compute=lambda unit, period: _counted(held(unit, period, **filters), unit),
        rows=lambda unit, period: held(unit, period, **filters).select_related("unit").order_by("date", "id"),
        columns=MEETING_COLUMNS))


_meeting_measure("meetings.regular", _("Regular cell meetings held"),
                 _("Regular monthly meetings the cells held in the period, counted at the cell."), kind=Kind.REGULAR)
_meeting_measure("meetings.thematic", _("Thematic cell meetings held"),
                 _("Thematic meetings the cells held in the period, counted at the cell."), kind=Kind.THEMATIC)
_meeting_measure("meetings.quality_met", _("Cell meetings meeting every quality criterion"),
                 _("Meetings held in the period that met every criterion of Hướng dẫn 12-HD/BTCTW: attendance, no "
                   "absence without leave, no excused absence more than 3 times in a row, prepared beforehand, 90 "
                   "minutes or more, minutes approved."), quality_met=True)


def _attendance_rate(unit, period) -> dict[str, Value]:
    rows = (marks(unit, period, required=True).values_list("at")
            .annotate(n=Count("id"), present=Count("id", filter=Q(mark__in=[Mark.PRESENT, Mark.LATE]))).order_by())
    rows = list(rows)
    required = rollup(((p, n) for p, n, _present in rows), unit.path)
    present = rollup(((p, k) for p, _n, k in rows), unit.path)
    return {path: Value.rate(present.get(path, 0), total) for path, total in required.items()}


register(Measure(
    key="meetings.attendance", label=_("Attendance at cell meetings"),
    definition=_("Members present (or late) over the members required to attend (not counting those exempted "
                 "from Party work), per member and meeting held in the period."),
    unit="%", area="meetings", permission=MEETINGS_READ, rate=True,
    numerator=_("present"), denominator=_("required to attend"), compute=_attendance_rate,
    rows=lambda unit, period: marks(unit, period, required=True).select_related("member", "meeting__unit")
    .order_by("meeting__date", "meeting_id", "member__sort_key"),
    columns=MARK_COLUMNS))
register(Measure(
    key="meetings.absent_unexcused", label=_("Absences from cell meetings without leave"),
    definition=_("Members absent without leave, per member and meeting held in the period."),
    unit=MEMBER_MEETINGS, area="meetings", permission=MEETINGS_READ,
    compute=lambda unit, period: _counted(marks(unit, period, mark=Mark.ABSENT), unit),
    rows=lambda unit, period: marks(unit, period, mark=Mark.ABSENT).select_related("member", "meeting__unit")
    .order_by("meeting__date", "meeting_id", "member__sort_key"),
    columns=MARK_COLUMNS))
