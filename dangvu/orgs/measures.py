"""Membership figures, from the dated history (MemberSpan): as of the period's last day,
or over the period, each stretch counted where its unit stood in the tree on the day that
matters (orgs/placements.py). A move between two cells of one commune is a transfer for the two
cells and for nothing above them."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangvu.lib.keys import MEMBERS_READ
from dangvu.lib.measures import Column, Measure, Query, Value, register, register_area
from dangvu.lib.periods import Period
from dangvu.lib.rollup import rollup, rollup_crossing
from dangvu.orgs.models import Change, MemberSpan, MemberStatus, OrgUnit
from dangvu.orgs.placements import placed, placed_path, under, units_ever_under

register_area("members", _("Party members"))

PERSON = _("people")


def _in(unit: OrgUnit):
    """Stretches that were ever under `unit`; one of no length (a member entered as already
    gone, date unknown) counts nowhere."""
    return MemberSpan.objects.filter(unit_id__in=units_ever_under(unit)).exclude(end=F("start"))


def _placed(spans, unit: OrgUnit, day, day_before: bool = False):
    """The stretches whose unit stood under `unit` on `day`, with that day's path as `at`."""
    return placed(spans, unit, "unit", day, day_before)


def _as_of(unit: OrgUnit, period: Period, status: str | None = None):
    """Members of the subtree, as it stood on the period's last day, on that day."""
    spans = _in(unit).filter(start__lte=period.end).exclude(end__lte=period.end)
    return _placed(spans.filter(status=status) if status else spans, unit, period.end)


def _started(unit, period, change):
    """Stretches begun in the period, where the unit stood on their first day."""
    return _placed(_in(unit).filter(start_change=change, start__gte=period.start, start__lte=period.end),
                   unit, "start")


def _ended(unit, period, changes):
    """Stretches ended in the period, where the unit stood on their last day."""
    return _placed(_in(unit).filter(end_change__in=changes, end__gte=period.start, end__lte=period.end),
                   unit, "end", day_before=True)


def _count_by_unit(spans, q: Query) -> dict[str, Value]:
    counts = spans.values_list("at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, q).items()}


# The other end of a move, on the day of the move: the unit left (the day before the new
# stretch began) or the unit joined (the day the stretch ended).
_OTHER = {"from_unit": ("start", True), "to_unit": ("end", False)}


def _with_other(spans, other: str):
    day, day_before = _OTHER[other]
    return spans.annotate(other_at=placed_path(other, day, day_before))


def _crossing(spans, other: str, q: Query) -> dict[str, Value]:
    moves = _with_other(spans, other).values_list("at", "other_at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup_crossing(moves, q).items()}


def _transfers_in(unit, period):
    return _started(unit, period, Change.TRANSFER)


def _transfers_out(unit, period):
    return _ended(unit, period, [Change.TRANSFER, Change.MOVED_AWAY])


def _crossing_rows(spans, other: str, unit: OrgUnit):
    """The moves that cross the unit's boundary as it stood then: from (or to) outside its subtree."""
    return _with_other(spans, other).filter(Q(other_at__isnull=True) | ~under(unit, "other_at"))


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
        compute=compute or (lambda q: _count_by_unit(spans_of(q.unit, q.period), q)),
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
                 compute=lambda q: _crossing(_transfers_in(q.unit, q.period), "from_unit", q))
_members_measure("members.transferred_out", _("Members transferred out"),
                 _("Members who moved out (chuyển sinh hoạt đi) during the period to outside the unit or out of the "
                   "system; moves between its own cells are not counted."),
                 lambda u, p: _crossing_rows(_transfers_out(u, p), "to_unit", u), columns=LEFT_COLUMNS,
                 compute=lambda q: _crossing(_transfers_out(q.unit, q.period), "to_unit", q))
_members_measure("members.died", _("Members who died"),
                 _("Members who died during the period."),
                 lambda u, p: _ended(u, p, [Change.DIED]), columns=LEFT_COLUMNS)
_members_measure("members.removed", _("Members removed"),
                 _("Members struck off the rolls (xóa tên) or expelled (khai trừ) during the period."),
                 lambda u, p: _ended(u, p, [Change.REMOVED, Change.EXPELLED]), columns=LEFT_COLUMNS)
