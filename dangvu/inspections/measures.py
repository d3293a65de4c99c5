"""Inspection and supervision figures, counted at the conducting unit (the cell that
inspected its member, or the committee) and added up the tree. An inspection counts in the
period that holds its last day."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangvu.inspections.models import Conductor, Inspection, Kind, Outcome, PlanItem, Recommendation
from dangvu.lib.keys import INSPECTIONS_READ
from dangvu.lib.measures import Column, Measure, Query, Value, register, register_area
from dangvu.lib.periods import Period
from dangvu.lib.rollup import rollup, rollup_distinct
from dangvu.orgs.models import Member, OrgUnit
from dangvu.orgs.placements import placed, placed_field

register_area("inspections", _("Inspection and supervision"))

TIMES = _("inspections")
PERSON = _("people")
ORGANISATIONS = _("organisations")
RECOMMENDATIONS = _("recommendations")

INSPECTION_COLUMNS = [
    Column("kind", _("kind"), lambda i: i.get_kind_display()),
    Column("unit", _("conducted by"), lambda i: i.unit.name),
    Column("subject", _("subject"), lambda i: str(i.subject)),
    Column("area", _("content area"), lambda i: i.get_area_display()),
    Column("start", _("from"), lambda i: i.start),
    Column("end", _("until"), lambda i: i.end),
    Column("outcome", _("outcome"), lambda i: i.get_outcome_display()),
]


def held(unit: OrgUnit, period: Period, **filters):
    """Inspections and supervisions the unit and the units below it (as they stood on the last
    day of each) ended in the period; `committee_then`: whether the conducting unit had a chi ủy
    that day."""
    rows = placed(Inspection.objects.filter(end__gte=period.start, end__lte=period.end), unit, "unit", "end")
    return rows.annotate(committee_then=placed_field("unit", "end", "has_committee")).filter(**filters)


def _counted(queryset, q: Query) -> dict[str, Value]:
    counts = queryset.values_list("at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, q).items()}


def _inspection_rows(queryset):
    return queryset.select_related("unit", "subject_member", "subject_unit").order_by("end", "id")


def _held_measure(key: str, label, definition, **filters) -> None:
    register(Measure(
        key=key, label=label, definition=definition, unit=TIMES, area="inspections", permission=INSPECTIONS_READ,
        compute=lambda q: _counted(held(q.unit, q.period, **filters), q),
        rows=lambda unit, period: _inspection_rows(held(unit, period, **filters)), columns=INSPECTION_COLUMNS))


_held_measure("inspections.held", _("Inspections held"),
              _("Inspections the unit and the units below it conducted, ending in the period; each counts at the "
                "unit that conducted it."), kind=Kind.INSPECTION)
_held_measure("inspections.held_by_cells", _("Inspections held by party cells"),
              _("Inspections party cells conducted of their members, ending in the period."),
              kind=Kind.INSPECTION, conductor=Conductor.CELL)
_held_measure("inspections.held_by_cells_with_committee", _("Inspections held by cells with a cell committee"),
              _("Inspections conducted by party cells that have a cell committee, ending in the period."),
              kind=Kind.INSPECTION, conductor=Conductor.CELL, committee_then=True)
_held_measure("inspections.held_by_cells_without_committee", _("Inspections held by cells without a cell committee"),
              _("Inspections conducted by party cells that have no cell committee, ending in the period."),
              kind=Kind.INSPECTION, conductor=Conductor.CELL, committee_then=False)
_held_measure("inspections.held_by_committees", _("Inspections held by party committees"),
              _("Inspections party committees (not their inspection commissions) conducted, ending in the period."),
              kind=Kind.INSPECTION, conductor=Conductor.COMMITTEE)
_held_measure("inspections.held_by_commissions", _("Inspections held by inspection commissions"),
              _("Inspections the inspection commissions of the committees conducted, ending in the period."),
              kind=Kind.INSPECTION, conductor=Conductor.COMMISSION)
_held_measure("inspections.supervisions", _("Supervisions held"),
              _("Regular and thematic supervisions the unit and the units below it conducted, ending in the period."),
              kind=Kind.SUPERVISION)
_held_measure("inspections.violations", _("Inspections and supervisions that found a violation"),
              _("Inspections and supervisions ending in the period whose conclusion found a violation."),
              outcome=Outcome.VIOLATION)


def _subjects_measure(key: str, label, definition, kind: str, field: str) -> None:
    def compute(q: Query):
        pairs = held(q.unit, q.period, kind=kind).filter(**{f"{field}__isnull": False}).values_list(
            "at", field).distinct()
        return {path: Value(n) for path, n in rollup_distinct(pairs, q).items()}

    def rows(unit, period):
        ids = held(unit, period, kind=kind).values(field)
        if field == "subject_member":
            return Member.objects.filter(pk__in=ids).select_related("unit").order_by("unit__path", "sort_key", "id")
        return OrgUnit.objects.filter(pk__in=ids).order_by("path")

    columns = ([Column("member_id", _("member id"), lambda m: m.pk),
                Column("full_name", _("Full name"), lambda m: m.full_name),
                Column("unit", _("Unit"), lambda m: m.unit.name)] if field == "subject_member"
               else [Column("unit_id", _("unit id"), lambda u: u.pk), Column("name", _("Unit"), lambda u: u.name)])
    register(Measure(key=key, label=label, definition=definition,
                     unit=PERSON if field == "subject_member" else ORGANISATIONS, area="inspections",
                     permission=INSPECTIONS_READ, compute=compute, rows=rows, columns=columns))


_subjects_measure("inspections.members_inspected", _("Members inspected"),
                  _("Distinct members who were the subject of an inspection ending in the period, counted at the "
                    "unit that inspected them."), Kind.INSPECTION, "subject_member")
_subjects_measure("inspections.units_inspected", _("Organisations inspected"),
                  _("Distinct party organisations that were the subject of an inspection ending in the period, "
                    "counted at the committee that inspected them."), Kind.INSPECTION, "subject_unit")
_subjects_measure("inspections.members_supervised", _("Members supervised"),
                  _("Distinct members who were the subject of a supervision ending in the period."),
                  Kind.SUPERVISION, "subject_member")
_subjects_measure("inspections.units_supervised", _("Organisations supervised"),
                  _("Distinct party organisations that were the subject of a supervision ending in the period."),
                  Kind.SUPERVISION, "subject_unit")


RECOMMENDATION_COLUMNS = [
    Column("text", _("recommendation"), lambda r: r.text),
    Column("unit", _("conducted by"), lambda r: r.inspection.unit.name),
    Column("subject", _("subject"), lambda r: str(r.inspection.subject)),
    Column("due", _("due by"), lambda r: r.due),
    Column("done_on", _("done on"), lambda r: r.done_on or ""),
]


def _recommendations(unit: OrgUnit):
    """Recommendations made by the unit and the units below it, as they stood when each
    inspection ended."""
    return placed(Recommendation.objects.all(), unit, "inspection__unit", "inspection__end")


def _done(unit, period):
    return _recommendations(unit).filter(done_on__gte=period.start, done_on__lte=period.end)


def _overdue(unit, period):
    """Past due on the period's last day and not done by then."""
    return _recommendations(unit).filter(due__lt=period.end).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=period.end))


def _recommendation_counts(queryset, q: Query) -> dict[str, Value]:
    counts = queryset.values_list("at").annotate(n=Count("id")).order_by()
    return {path: Value(n) for path, n in rollup(counts, q).items()}


def _recommendation_rows(queryset):
    return queryset.select_related("inspection__unit", "inspection__subject_member",
                                   "inspection__subject_unit").order_by("due", "id")


register(Measure(
    key="inspections.recommendations_done", label=_("Recommendations carried out"),
    definition=_("Recommendations of inspections and supervisions carried out in the period, counted at the unit "
                 "that made them."),
    unit=RECOMMENDATIONS, area="inspections", permission=INSPECTIONS_READ,
    compute=lambda q: _recommendation_counts(_done(q.unit, q.period), q),
    rows=lambda unit, period: _recommendation_rows(_done(unit, period)), columns=RECOMMENDATION_COLUMNS))
register(Measure(
    key="inspections.recommendations_overdue", label=_("Recommendations overdue"),
    definition=_("Recommendations past their due date on the period's last day and not carried out by then."),
    unit=RECOMMENDATIONS, area="inspections", permission=INSPECTIONS_READ,
    compute=lambda q: _recommendation_counts(_overdue(q.unit, q.period), q),
    rows=lambda unit, period: _recommendation_rows(_overdue(unit, period)), columns=RECOMMENDATION_COLUMNS))


def _planned(unit, period):
    """Plan items due to end in the period, marked with whether one was held by its last day."""
    held_by_end = Inspection.objects.filter(plan_item=OuterRef("pk"), end__lte=period.end)
    return (placed(PlanItem.objects.filter(end__gte=period.start, end__lte=period.end), unit, "unit", "end")
            .annotate(was_held=Exists(held_by_end)))


def _plan_rate(q: Query) -> dict[str, Value]:
    rows = list(_planned(q.unit, q.period).values_list("at", "was_held").annotate(n=Count("id")).order_by())
    planned = rollup(((p, n) for p, _held, n in rows), q)
    done = rollup(((p, n) for p, was_held, n in rows if was_held), q)
    return {path: Value.rate(done.get(path, 0), total) for path, total in planned.items()}


register(Measure(
    key="inspections.plan_held", label=_("Plan of inspection and supervision carried out"),
    definition=_("The share of the plan's inspections and supervisions due in the period that were held by its "
                 "last day."),
    unit="%", area="inspections", permission=INSPECTIONS_READ, rate=True,
    numerator=_("plan items held"), denominator=_("plan items due"),
    compute=_plan_rate,
    rows=lambda unit, period: _planned(unit, period).select_related("unit", "subject_member", "subject_unit")
    .order_by("end", "id"),
    columns=[Column("kind", _("kind"), lambda p: p.get_kind_display()),
             Column("unit", _("plan of"), lambda p: p.unit.name),
             Column("subject", _("subject"), lambda p: str(p.subject)),
             Column("end", _("planned until"), lambda p: p.end),
             Column("held", _("held"), lambda p: _("yes") if p.was_held else _("no"))]))
