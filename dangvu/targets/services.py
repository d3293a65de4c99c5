"""Setting targets, and what they come to: every rule here, called by the page and the API."""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record, diff, snapshot
from dangvu.lib import measures
from dangvu.lib.concurrency import claim_version
from dangvu.lib.periods import Period, possible_year
from dangvu.orgs.models import OrgUnit, UnitKind
from dangvu.orgs.placements import branches_on, units_ever_above, units_on
from dangvu.targets.models import Target

MAX_THRESHOLDS = 10


def _errors(*, measure: str, applies_kind: str, thresholds: list[dict], start, end, title: str) -> dict:
    errors = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if measures.get(measure) is None:
        errors["measure"] = _("There is no figure “%(key)s”; GET /api/measures lists them.") % {"key": measure[:60]}
    if applies_kind and (applies_kind not in UnitKind.values or applies_kind == UnitKind.CENTRAL):
        errors["applies_to"] = _("Unknown kind of unit “%(kind)s”.") % {"kind": applies_kind[:30]}
    if not thresholds or len(thresholds) > MAX_THRESHOLDS:
        errors["thresholds"] = _("Give between 1 and %(n)s thresholds.") % {"n": MAX_THRESHOLDS}
    for t in thresholds:
        value = t.get("min")
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 10**9:
            errors["thresholds"] = _("Each threshold needs a minimum between 0 and 1,000,000,000.")
        if t.get("has_committee") not in (None, True, False):
            errors["thresholds"] = _("“has_committee” of a threshold is true, false or null.")
    if start and end and end < start:
        errors["to"] = _("The end of the period is before its start.")
    return errors


@transaction.atomic
def target_create(*, actor, unit: OrgUnit, title: str, measure: str, applies_kind: str = "",
                  applies_has_committee: bool | None = None, thresholds: list[dict], start: datetime.date,
                  end: datetime.date, plan=None) -> Target:
    errors = _errors(measure=measure, applies_kind=applies_kind, thresholds=thresholds, start=start, end=end,
                     title=title)
    if errors:
        raise ValidationError(errors)
    target = Target.objects.create(
        unit=unit, title=title.strip(), measure=measure, applies_kind=applies_kind,
        applies_has_committee=applies_has_committee,
        thresholds=[{"has_committee": t.get("has_committee"), "min": t["min"]} for t in thresholds],
        start=start, end=end, plan=plan, created_by=actor if actor and actor.is_authenticated else None)
    audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.CREATE, obj=target, unit_path=unit.path,
                 changes={"title": [None, target.title], "measure": [None, measure], "thresholds": [None, thresholds],
                          "period": [None, f"{start.isoformat()} – {end.isoformat()}"]})
    return target


TARGET_FIELDS = ("title", "measure", "applies_kind", "applies_has_committee", "thresholds", "start", "end")


@transaction.atomic
def target_update(*, actor, target: Target, version: int | None = None, title: str, measure: str,
                  applies_kind: str = "", thresholds: list[dict], start: datetime.date, end: datetime.date,
                  applies_has_committee: bool | None = None) -> Target:
    """Change what a target asks. `version` is the one the editor opened: if someone saved the
    target since, EditConflict and nothing is written (None: no check)."""
    claim_version(Target, target.pk, version)
    target = Target.objects.select_for_update().select_related("unit").get(pk=target.pk)
    errors = _errors(measure=measure, applies_kind=applies_kind, thresholds=thresholds, start=start, end=end,
                     title=title)
    if errors:
        raise ValidationError(errors)
    before = snapshot(target, TARGET_FIELDS)
    target.title, target.measure, target.applies_kind = title.strip(), measure, applies_kind
    target.applies_has_committee, target.start, target.end = applies_has_committee, start, end
    target.thresholds = [{"has_committee": t.get("has_committee"), "min": t["min"]} for t in thresholds]
    target.save()
    changes = diff(before, snapshot(target, TARGET_FIELDS))
    if changes:
        audit_record(alters_figures=False, actor=actor, action=AuditEntry.Action.UPDATE, obj=target,
                     unit_path=target.unit.path, changes=changes)
    return target


def _in_year(day: datetime.date, year: int) -> datetime.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return datetime.date(year, 2, 28)


@transaction.atomic
def target_copy_to_year(*, actor, target: Target, year: int) -> Target:
    """Last year's target into the year given, to be edited there."""
    if not possible_year(year):
        raise ValidationError({"year": _("The year %(year)s is not possible.") % {"year": year}})
    return target_create(actor=actor, unit=target.unit, title=target.title, measure=target.measure,
                         applies_kind=target.applies_kind, applies_has_committee=target.applies_has_committee,
                         thresholds=target.thresholds, start=_in_year(target.start, year),
                         end=_in_year(target.end, year + target.end.year - target.start.year), plan=None)


class UnitRef(NamedTuple):
    """What attainment needs of a unit: 12,600 of these cost a fraction of as many model
    instances (pages fetch the names of the units they list)."""
    pk: int
    path: str
    has_committee: bool


@dataclass
class UnitResult:
    unit: OrgUnit | UnitRef
    value: float
    required: float
    met: bool


@dataclass
class Attainment:
    results: list[UnitResult] = field(default_factory=list)

    @property
    def units(self) -> int:
        return len(self.results)

    @property
    def met(self) -> int:
        return sum(r.met for r in self.results)

    @property
    def rate(self) -> float:
        return round(100 * self.met / self.units, 2) if self.units else 0.0

    @property
    def missed(self) -> list[UnitResult]:
        return [r for r in self.results if not r.met]

    @property
    def reached(self) -> list[UnitResult]:
        return [r for r in self.results if r.met]

    def by_branch(self, root: OrgUnit, day: datetime.date) -> list[tuple[OrgUnit, "Attainment"]]:
        """The attainment within each sub-unit of `root`, as the tree stood on `day` (the
        target's last day), that holds units concerned (a cell directly under root is its own
        branch): for the chart by sub-unit."""
        branch_of = branches_on(root, day)
        branches = {c.pk: (c, Attainment()) for c in OrgUnit.objects.filter(pk__in=set(branch_of.values()))}
        for r in self.results:
            branch = branches.get(branch_of.get(r.unit.pk))
            if branch is not None:
                branch[1].results.append(r)
        return sorted((b for b in branches.values() if b[1].units), key=lambda b: b[0].path)


def units_concerned(target: Target) -> list[UnitRef]:
    """The units of the setter's subtree the target applies to, as they stood on the period's
    last day, with the kind and chi ủy they had then: a cell created during the year counts, one
    merged away before its end does not, a cell that elected a chi ủy in January next year
    is still counted without one."""
    filters = {}
    if target.applies_kind:
        filters["kind"] = target.applies_kind
    if target.applies_has_committee is not None:
        filters["has_committee"] = target.applies_has_committee
    return list(map(UnitRef._make, units_on(target.unit, target.end, **filters)))


def attainment(target: Target) -> Attainment:
    """Each unit's value of the measure over the target's period against its threshold; a unit
    with nothing recorded has zero and misses."""
    measure = measures.get(target.measure)
    values = measures.compute_all(target.unit, Period(target.start, target.end), [measure])[measure.key]
    required_if = {has: target.threshold_for_committee(has) for has in (True, False)}
    value_of = {path: float(v.value) for path, v in values.items()}
    results = []
    for unit in units_concerned(target):
        required = required_if[unit.has_committee]
        if required is not None:
            value = value_of.get(unit.path, 0.0)  # nothing recorded: zero, a miss
            results.append(UnitResult(unit, value, required, value >= required))
    return Attainment(results)


def applies_to(target: Target, unit: OrgUnit) -> bool:
    """Whether a target set above concerns this unit itself, as the units stood on its last day."""
    concerned = {ref.pk: ref for ref in units_concerned(target)}
    ref = concerned.get(unit.pk)
    return (ref is not None and unit.pk != target.unit_id
            and target.threshold_for_committee(ref.has_committee) is not None)


def targets_on(unit: OrgUnit, readable: set[str]) -> list[UnitResult]:
    """The targets committees above set for this unit, each with the unit's own value against
    its threshold (only those on figures the user may read: `readable` measure keys)."""
    out = []
    above = (Target.objects.filter(unit__in=units_ever_above(unit)).exclude(unit=unit)
             .select_related("unit").order_by("-start", "title"))
    for target in above:
        if target.measure not in readable or not applies_to(target, unit):
            continue
        measure = measures.get(target.measure)
        table = measures.compute_all(unit, Period(target.start, target.end), [measure])[measure.key]
        value = float(measures.value_at(table, unit.path, measure).value)
        required = target.threshold_for_committee(
            {ref.pk: ref for ref in units_concerned(target)}[unit.pk].has_committee)
        result = UnitResult(unit, value, required, value >= required)
        result.target = target
        out.append(result)
    return out


def targets_set(unit: OrgUnit, period: Period, readable: set[str]) -> list[tuple[Target, Attainment]]:
    """The targets this unit set for its subtree whose period overlaps `period`, each with its
    attainment (only those on figures the user may read)."""
    found = Target.objects.filter(unit=unit, start__lte=period.end, end__gte=period.start).select_related("unit")
    return [(t, attainment(t)) for t in found.order_by("-start", "title") if t.measure in readable]
