"""Planning and recording inspections and supervisions, their conclusions and the follow-up
of their recommendations: every rule here, called by the pages, the API and the demo."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.inspections.models import (
    Area,
    Conductor,
    Discipline,
    Inspection,
    Kind,
    Mode,
    Outcome,
    Penalty,
    PlanItem,
    Recommendation,
)
from dangvu.lib.periods import possible_year
from dangvu.orgs.models import Member, OrgUnit, UnitKind
from dangvu.orgs.placements import check_belonged


def default_conductor(unit: OrgUnit) -> str:
    return Conductor.CELL if unit.kind == UnitKind.CELL else Conductor.COMMITTEE


def subject_in_subtree(unit: OrgUnit, *, member: Member | None = None, organisation: OrgUnit | None = None) -> bool:
    """A cell inspects its members; a committee the units and members of its subtree."""
    if member is not None:
        return member.unit.path.startswith(unit.path)
    return organisation is not None and organisation.path.startswith(unit.path)


def _check(*, unit: OrgUnit, kind: str, mode: str, conductor: str, area: str, content: str, start, end,
           member: Member | None, organisation: OrgUnit | None) -> dict:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("The kind is inspection or supervision.")
    if mode and (kind != Kind.SUPERVISION or mode not in Mode.values):
        errors["mode"] = _("Only a supervision is regular or thematic.")
    if conductor not in Conductor.values:
        errors["conductor"] = _("Unknown conductor.")
    elif (conductor == Conductor.CELL) != (unit.kind == UnitKind.CELL):
        errors["conductor"] = (_("A party cell conducts its inspections itself.") if unit.kind == UnitKind.CELL
                               else _("A committee's inspections are conducted by the committee or its "
                                      "inspection commission."))
    if area not in Area.values:
        errors["area"] = _("Unknown content area.")
    if not content.strip():
        errors["content"] = _("Say what is inspected or supervised.")
    for name, day in (("start", start), ("end", end)):
        if not possible_year(day.year):
            errors[name] = _("The year %(year)s is not possible.") % {"year": day.year}
    if "start" not in errors and "end" not in errors and end < start:
        errors["end"] = _("The end is before the start.")
    if (member is None) == (organisation is None):
        errors["subject_id"] = _("Give one subject: a member or an organisation.")
    elif not subject_in_subtree(unit, member=member, organisation=organisation):
        errors["subject_id"] = _("The subject is not within this unit.")
    elif organisation is not None and unit.kind == UnitKind.CELL:
        errors["subject"] = _("A party cell inspects and supervises its members; an organisation is inspected by "
                              "a committee above it.")
    return errors


def _work(*, unit: OrgUnit, kind: str, mode: str, conductor: str, area: str, content: str, start, end,
          member: Member | None, organisation: OrgUnit | None) -> tuple[dict, dict]:
    """What a plan item and an inspection share, with the defaults filled in, and what is wrong
    with it: (fields, errors)."""
    conductor = conductor or default_conductor(unit)
    mode = mode or (Mode.REGULAR if kind == Kind.SUPERVISION else "")
    errors = _check(unit=unit, kind=kind, mode=mode, conductor=conductor, area=area, content=content,
                    start=start, end=end, member=member, organisation=organisation)
    fields = dict(unit=unit, kind=kind, mode=mode, conductor=conductor, area=area, content=content.strip(),
                  start=start, end=end, subject_member=member, subject_unit=organisation)
    return fields, errors


def _outcome_errors(outcome: str, violation: str) -> dict:
    if outcome and outcome not in Outcome.values:
        return {"outcome": _("Unknown outcome.")}
    if outcome == Outcome.VIOLATION and not violation.strip():
        return {"violation": _("Say what the violation is.")}
    return {}


@transaction.atomic
def plan_item_create(*, actor, unit: OrgUnit, kind: str, area: str, content: str, start: datetime.date,
                     end: datetime.date, member: Member | None = None, organisation: OrgUnit | None = None,
                     mode: str = "", conductor: str = "", plan=None) -> PlanItem:
    """A line of the unit's chương trình kiểm tra, giám sát."""
    fields, errors = _work(unit=unit, kind=kind, mode=mode, conductor=conductor, area=area, content=content,
                           start=start, end=end, member=member, organisation=organisation)
    if errors:
        raise ValidationError(errors)
    item = PlanItem.objects.create(**fields, plan=plan, created_by=actor if actor and actor.is_authenticated else None)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=item, unit_path=unit.path, figures_from=start,
                 changes={"kind": [None, kind], "content": [None, item.content],
                          "period": [None, f"{start.isoformat()} – {end.isoformat()}"]})
    return item


@transaction.atomic
def inspection_record(*, actor, unit: OrgUnit, kind: str, start: datetime.date, end: datetime.date, content: str,
                      member: Member | None = None, organisation: OrgUnit | None = None,
                      area: str = Area.DUTIES, mode: str = "", conductor: str = "", outcome: str = "",
                      conclusion: str = "", violation: str = "", decision=None,
                      plan_item: PlanItem | None = None) -> Inspection:
    """An inspection or a supervision the unit held; it counts in the period of its last day."""
    fields, errors = _work(unit=unit, kind=kind, mode=mode, conductor=conductor, area=area, content=content,
                           start=start, end=end, member=member, organisation=organisation)
    errors |= _outcome_errors(outcome, violation)
    if member is not None and not errors and start <= end:
        try:
            check_belonged(member, unit, start, end, field="subject_id")
        except ValidationError as exc:
            errors |= exc.message_dict
    if plan_item is not None and plan_item.unit_id != unit.pk:
        errors["plan_item"] = _("The plan item is not in this unit's plan.")
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        **fields, outcome=outcome, conclusion=conclusion.strip(),
        violation=violation.strip() if outcome == Outcome.VIOLATION else "", decision=decision, plan_item=plan_item,
        created_by=actor if actor and actor.is_authenticated else None)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=inspection, unit_path=unit.path, figures_from=start,
                 changes={"kind": [None, kind], "subject": [None, str(inspection.subject)],
                          "period": [None, f"{start.isoformat()} – {end.isoformat()}"],
                          "outcome": [None, outcome]})
    return inspection


@transaction.atomic
def inspection_conclude(*, actor, inspection: Inspection, outcome: str, conclusion: str,
                        violation: str = "") -> Inspection:
    """The conclusion, written once the inspection is over (or corrected later)."""
    errors = _outcome_errors(outcome, violation)
    if not outcome:
        errors["outcome"] = _("Choose the outcome.")
    if errors:
        raise ValidationError(errors)
    before = {"outcome": inspection.outcome, "conclusion": inspection.conclusion, "violation": inspection.violation}
    inspection.outcome = outcome
    inspection.conclusion = conclusion.strip()
    inspection.violation = violation.strip() if outcome == Outcome.VIOLATION else ""
    inspection.save(update_fields=["outcome", "conclusion", "violation"])
    after = {"outcome": inspection.outcome, "conclusion": inspection.conclusion, "violation": inspection.violation}
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=inspection, unit_path=inspection.unit.path,
                 changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
                 figures_from=inspection.start)
    return inspection


@transaction.atomic
def recommendation_add(*, actor, inspection: Inspection, text: str, due: datetime.date) -> Recommendation:
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the recommendation.")
    if not possible_year(due.year):
        errors["due"] = _("The year %(year)s is not possible.") % {"year": due.year}
    elif due < inspection.start:
        errors["due"] = _("The due date is before the inspection began.")
    if errors:
        raise ValidationError(errors)
    rec = Recommendation.objects.create(inspection=inspection, text=text.strip(), due=due)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=rec, unit_path=inspection.unit.path,
                 figures_from=inspection.start,
                 changes={"text": [None, rec.text], "due": [None, due.isoformat()]})
    return rec


@transaction.atomic
def recommendation_done(*, actor, recommendation: Recommendation, done_on: datetime.date | None) -> Recommendation:
    """Mark a recommendation carried out on a day (None: not done after all)."""
    if done_on is not None and (not possible_year(done_on.year) or done_on < recommendation.inspection.start):
        raise ValidationError({"done_on": _("The day it was done is before the inspection began.")})
    before = recommendation.done_on
    recommendation.done_on = done_on
    recommendation.save(update_fields=["done_on"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=recommendation,
                 unit_path=recommendation.inspection.unit.path,
                 changes={"done_on": [before and before.isoformat(), done_on and done_on.isoformat()]})
    return recommendation


@transaction.atomic
def inspection_attach(*, actor, inspection: Inspection, document) -> None:
    """A document of the register (the conclusion notice, the team's report) kept with the inspection."""
    inspection.attachments.add(document)
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=inspection, unit_path=inspection.unit.path,
                 changes={"attachments": [None, document.reference]})


@transaction.atomic
def discipline_record(*, actor, unit: OrgUnit, penalty: str, decided_on: datetime.date, reason: str,
                      member: Member | None = None, organisation: OrgUnit | None = None, duty_related: bool = True,
                      decision=None, inspection: Inspection | None = None) -> Discipline:
    """A discipline the unit decided about one of its members or a unit below it."""
    errors = {}
    if penalty not in Penalty.values:
        errors["penalty"] = _("Unknown form of discipline.")
    elif (penalty == Penalty.DISSOLUTION) != (organisation is not None):
        errors["penalty"] = _("Only an organisation is dissolved; a member is not.")
    if not possible_year(decided_on.year):
        errors["decided_on"] = _("The year %(year)s is not possible.") % {"year": decided_on.year}
    if not reason.strip():
        errors["reason"] = _("Say what the violation was.")
    if (member is None) == (organisation is None):
        errors["subject_id"] = _("Give one subject: a member or an organisation.")
    elif not subject_in_subtree(unit, member=member, organisation=organisation) or organisation == unit:
        errors["subject_id"] = _("The subject is not within this unit.")
    if errors:
        raise ValidationError(errors)
    discipline = Discipline.objects.create(
        unit=unit, subject_member=member, subject_unit=organisation, penalty=penalty, decided_on=decided_on,
        duty_related=duty_related, reason=reason.strip(), decision=decision, inspection=inspection)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=discipline, unit_path=unit.path,
                 figures_from=decided_on,
                 changes={"penalty": [None, penalty], "subject": [None, str(member or organisation)],
                          "decided_on": [None, decided_on.isoformat()]})
    return discipline
