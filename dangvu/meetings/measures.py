"""Cell meeting figures: meetings held by kind, attendance (present over required, per
member and meeting), meetings that met every quality criterion, absences without leave. A
meeting counts in the period that holds its day, at the cell that held it (where the cell
stood that day)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dangvu.lib.keys import MEETINGS_READ
from dangvu.lib.measures import Column, Measure, Query, Value, register, register_area
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


def _counted(queryset, q: Query) -> dict[str, Value]:
    counts = queryset.values_list("at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, q).items()}


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
        compute=lambda q: _counted(held(q.unit, q.period, **filters), q),
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


def _attendance_rate(q: Query) -> dict[str, Value]:
    rows = (marks(q.unit, q.period, required=True).values_list("at")
            .annotate(n=Count("id"), present=Count("id", filter=Q(mark__in=[Mark.PRESENT, Mark.LATE]))).order_by())
    rows = list(rows)
    required = rollup(((p, n) for p, n, _present in rows), q)
    present = rollup(((p, k) for p, _n, k in rows), q)
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
    compute=lambda q: _counted(marks(q.unit, q.period, mark=Mark.ABSENT), q),
    rows=lambda unit, period: marks(unit, period, mark=Mark.ABSENT).select_related("member", "meeting__unit")
    .order_by("meeting__date", "meeting_id", "member__sort_key"),
    columns=MARK_COLUMNS))


# --- Party dues ------------------------------------------------------------------------------

def _payments(unit, period):
    from dangvu.meetings.models import DuesPayment

    return placed(DuesPayment.objects.filter(paid_on__gte=period.start, paid_on__lte=period.end), unit, "unit",
                  "paid_on")


def _collected(q: Query) -> dict[str, Value]:
    from django.db.models import Sum

    sums = _payments(q.unit, q.period).values_list("at").annotate(n=Sum("amount")).order_by()
    return {path: Value(int(n)) for path, n in rollup(sums, q).items()}


def _in_arrears(unit, period):
    """Members of the unit's cells on the period's last day who owe a month of the period (up to
    the month before today's), with the cell they were in."""
    import datetime

    from django.utils import timezone

    from dangvu.meetings.dues import cells_keeping_dues, month_start, months_owed
    from dangvu.orgs.models import ACTIVE_STATUSES, MemberSpan

    last = min(period.end, month_start(timezone.localdate()) - datetime.timedelta(days=1))
    keeping = cells_keeping_dues(period.start, last)
    spans = placed(MemberSpan.objects.filter(status__in=ACTIVE_STATUSES, start__lte=period.end,
                                             unit_id__in=keeping).filter(
        Q(end__isnull=True) | Q(end__gt=period.end)), unit, "unit", period.end)
    at = dict(spans.values_list("member_id", "at"))
    if last < period.start:
        return {}
    owed = months_owed(list(at), month_start(period.start), last)
    return {member_id: at[member_id] for member_id in owed}


def _arrears_count(q: Query) -> dict[str, Value]:
    from collections import Counter

    counts = Counter(_in_arrears(q.unit, q.period).values())
    return {path: Value(n) for path, n in rollup(counts.items(), q).items()}


register(Measure(
    key="dues.collected", label=_("Party dues collected"),
    definition=_("Party dues members paid in the period (VND), counted at the cell where each was paid."),
    unit="VND", area="meetings", permission=MEETINGS_READ, compute=_collected,
    rows=lambda unit, period: _payments(unit, period).select_related("member", "unit").order_by("paid_on", "id"),
    columns=[Column("member_id", _("member id"), lambda p: p.member_id),
             Column("full_name", _("Full name"), lambda p: p.member.full_name),
             Column("unit", _("cell"), lambda p: p.unit.name),
             Column("month", _("month"), lambda p: p.month.strftime("%m/%Y")),
             Column("amount", _("amount (VND)"), lambda p: p.amount),
             Column("paid_on", _("paid on"), lambda p: p.paid_on)]))


def _arrears_rows(unit, period):
    from dangvu.orgs.models import Member

    return Member.objects.filter(pk__in=list(_in_arrears(unit, period))).select_related("unit").order_by(
        "unit__path", "sort_key", "id")


register(Measure(
    key="dues.members_in_arrears", label=_("Members behind with their Party dues"),
    definition=_("Members of the unit on the period's last day who have not paid the dues of a month of the "
                 "period (up to last month), months of exemption not counted."),
    unit=_("people"), area="meetings", permission=MEETINGS_READ, compute=_arrears_count, rows=_arrears_rows,
    columns=[Column("member_id", _("member id"), lambda m: m.pk),
             Column("full_name", _("Full name"), lambda m: m.full_name),
             Column("unit", _("Unit"), lambda m: m.unit.name)]))


def _remittances(unit, period):
    from dangvu.meetings.models import DuesRemittance

    return placed(DuesRemittance.objects.filter(remitted_on__gte=period.start, remitted_on__lte=period.end), unit,
                  "unit", "remitted_on")


def _remitted(q: Query) -> dict[str, Value]:
    from django.db.models import Sum

    sums = _remittances(q.unit, q.period).values_list("at").annotate(n=Sum("amount")).order_by()
    return {path: Value(int(n)) for path, n in rollup(sums, q).items()}


register(Measure(
    key="dues.remitted", label=_("Party dues remitted to the level above"),
    definition=_("Party dues the cells handed to the committee above in the period (VND), counted at the cell that "
                 "remitted them, on the day they were remitted."),
    unit="VND", area="meetings", permission=MEETINGS_READ, compute=_remitted,
    rows=lambda unit, period: _remittances(unit, period).select_related("unit", "to_unit").order_by("remitted_on",
                                                                                                     "id"),
    columns=[Column("unit", _("cell"), lambda r: r.unit.name),
             Column("to_unit", _("remitted to"), lambda r: r.to_unit.name),
             Column("months", _("months"), lambda r: f"{r.first_month:%m/%Y}–{r.last_month:%m/%Y}"),
             Column("amount", _("amount (VND)"), lambda r: r.amount),
             Column("remitted_on", _("remitted on"), lambda r: r.remitted_on)]))
