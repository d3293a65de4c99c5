"""Membership figures, from the dated history (MemberSpan): as of the period's last day,
or over the period. A move between two cells of one commune is a transfer for the two
cells and for nothing above them."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.permissions import MEMBERS_READ
from dangvu.lib.measures import Column, Measure, Value, register, register_area
from dangvu.lib.periods import Period
from dangvu.lib.rollup import rollup, rollup_crossing
from dangvu.orgs.models import Change, MemberSpan, MemberStatus, OrgUnit, units_under

register_area("members", _("Party members"))

PERSON = _("people")


def _in(unit: OrgUnit):
    """Stretches under `unit`; one of no length (a member entered as already gone, date unknown) counts nowhere."""
    return MemberSpan.objects.filter(unit_id__in=units_under(unit)).exclude(end=F("start"))


def _as_of(unit: OrgUnit, period: Period, status: str | None = None):
    """Members of the subtree on the period's last day."""
    spans = _in(unit).filter(start__lte=period.end).exclude(end__lte=period.end)
    return spans.filter(status=status) if status else spans


def _started(unit, period, change):
    return _in(unit).filter(start_change=change, start__gte=period.start, start__lte=period.end)


def _ended(unit, period, changes):
    return _in(unit).filter(end_change__in=changes, end__gte=period.start, end__lte=period.end)


def _count_by_unit(spans, unit: OrgUnit) -> dict[str, Value]:
    counts = spans.values_list("unit__path").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, unit.path).items()}


def _crossing(spans, other: str, unit: OrgUnit) -> dict[str, Value]:
    moves = spans.values_list("unit__path", f"{other}__path").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup_crossing(moves, unit.path).items()}


def _transfers_in(unit, period):
    return _started(unit, period, Change.TRANSFER)


def _transfers_out(unit, period):
    return _ended(unit, period, [Change.TRANSFER, Change.MOVED_AWAY])


def _crossing_rows(spans, other: str, unit: OrgUnit):
    """The moves that cross the unit's boundary: from (or to) outside its subtree."""
    return spans.filter(Q(**{f"{other}__isnull": True}) | ~Q(**{f"{other}__path__startswith": unit.path}))


SPAN_COLUMNS = [
    Column("member_id", _("member id"), lambda s: s.member_id),
    Column("full_name", _("Full name"), lambda s: s.member.full_name),
    Column("unit", _("Unit"), lambda s: s.unit.name),
    Column("status", _("status"), lambda s: s.get_status_display()),
    Column("start", _("from"), lambda s: s.start),
]
LEFT_COLUMNS = SPAN_COLUMNS + [Column("end", _("until"), lambda s: s.end),
                               Column("change", _("what happened"), lambda s: s.get_end_change_display())]


def _rows(spans):
    return spans.select_related("member", "unit").order_by("member__sort_key", "member_id", "start")


def _members_measure(key, label, definition, spans_of, columns=SPAN_COLUMNS, compute=None):
    register(Measure(
        key=key, label=label, definition=definition, unit=PERSON, area="members", permission=MEMBERS_READ,
        compute=compute or (lambda unit, period: _count_by_unit(spans_of(unit, period), unit)),
        rows=lambda unit, period: _rows(spans_of(unit, period)), columns=columns,
        row_id=lambda span: span.member_id))


_members_measure("members.total", _("Party members"),
                 _("Members of the unit and the units below it on the last day of the period."),
                 lambda u, p: _as_of(u, p))
_members_measure("members.full", _("Full members"),
                 _("Full members (đảng viên chính thức) on the last day of the period."),
                 lambda u, p: _as_of(u, p, MemberStatus.FULL))
_members_measure("members.probationary", _("Probationary members"),
                 _("Probationary members (đảng viên dự bị) on the last day of the period."),
                 lambda u, p: _as_of(u, p, MemberStatus.PROBATIONARY))
_members_measure("members.admitted", _("Members admitted"),
                 _("People admitted to the Party (kết nạp) during the period, counted in the unit that admitted them."),
                 lambda u, p: _started(u, p, Change.ADMITTED))
_members_measure("members.made_full", _("Members made full members"),
                 _("Probationary members recognised as full members (chuyển chính thức) during the period."),
                 lambda u, p: _started(u, p, Change.MADE_FULL))
_members_measure("members.transferred_in", _("Members transferred in"),
                 _("Members who moved in (chuyển sinh hoạt đến) during the period from outside the unit; "
                   "moves between its own cells are not counted."),
                 lambda u, p: _crossing_rows(_transfers_in(u, p), "from_unit", u),
                 compute=lambda u, p: _crossing(_transfers_in(u, p), "from_unit", u))
_members_measure("members.transferred_out", _("Members transferred out"),
                 _("Members who moved out (chuyển sinh hoạt đi) during the period to outside the unit or out of the "
                   "system; moves between its own cells are not counted."),
                 lambda u, p: _crossing_rows(_transfers_out(u, p), "to_unit", u), columns=LEFT_COLUMNS,
                 compute=lambda u, p: _crossing(_transfers_out(u, p), "to_unit", u))
_members_measure("members.died", _("Members who died"),
                 _("Members who died during the period."),
                 lambda u, p: _ended(u, p, [Change.DIED]), columns=LEFT_COLUMNS)
_members_measure("members.removed", _("Members removed"),
                 _("Members struck off the rolls (xóa tên) or expelled (khai trừ) during the period."),
                 lambda u, p: _ended(u, p, [Change.REMOVED, Change.EXPELLED]), columns=LEFT_COLUMNS)
