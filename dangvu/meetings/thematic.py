"""Thematic topics a committee sets for its cells at once (sinh hoạt chuyên đề, Chỉ thị
50-CT/TW): the topic of a quarter or a month, documents to read, a guidance note and a
suggested window. Every cell that stood under the committee in that period (the dated tree)
is asked; it completes the meeting with its day, time and place through the usual form, and a
cell that already has a thematic meeting in the period is only told of the topic. Planning the
same period again changes the plan in place; a new topic reaches the meetings that took it and
are not yet held. One function per action, atomic and audited."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record
from dangvu.lib.periods import possible_year
from dangvu.meetings.models import Kind, Meeting, ThematicAssignment, ThematicPlan
from dangvu.orgs.models import OrgUnit, UnitKind, UnitPlacement
from dangvu.orgs.placements import existed, under

HELD, PLANNED, MISSING = "held", "planned", "missing"
PROGRESS = {HELD: gettext_lazy("Held"), PLANNED: gettext_lazy("Scheduled"),
            MISSING: gettext_lazy("No thematic meeting yet")}


def period_of(year, quarter, month) -> tuple[int, int, dict]:
    """(quarter, month or 0, errors) from what was asked: a quarter, or a month (whose quarter
    is implied and, if also given, must agree)."""
    errors = {}
    if not isinstance(year, int) or not possible_year(year):
        errors["year"] = _("The year %(year)s is not possible.") % {"year": year}
    if month:
        if not 1 <= month <= 12:
            errors["month"] = _("The month is from 1 to 12.")
        elif quarter and quarter != (month - 1) // 3 + 1:
            errors["month"] = _("Month %(month)s is not in quarter %(quarter)s.") % {"month": month, "quarter": quarter}
        else:
            quarter = (month - 1) // 3 + 1
    elif not quarter or not 1 <= quarter <= 4:
        errors["quarter"] = _("Choose the quarter (1 to 4) or a month.")
    return quarter or 0, month or 0, errors


def cells_in_period(committee: OrgUnit, start: datetime.date, end: datetime.date):
    """The cells that stood under `committee` at some time from `start` to `end`, as the tree
    stood then: a cell founded after the period or dissolved before it is not among them."""
    placed = (UnitPlacement.objects.filter(under(committee, "path"), kind=UnitKind.CELL, start__lte=end)
              .filter(Q(end__isnull=True) | Q(end__gt=start)).exclude(unit=committee).values("unit_id"))
    return OrgUnit.objects.filter(pk__in=placed).filter(existed(start, end)).order_by("path")


def _pick(have: Meeting | None, meeting: Meeting) -> Meeting:
    """Of two thematic meetings of a period, the one that counts: a held one before a
    scheduled one, else the earlier (meetings come in date order)."""
    if have is None or (have.status != Meeting.Status.HELD and meeting.status == Meeting.Status.HELD):
        return meeting
    return have


def _thematic_rows(cell_ids, start: datetime.date, end: datetime.date):
    return (Meeting.objects.filter(unit_id__in=list(cell_ids), kind=Kind.THEMATIC, date__gte=start, date__lte=end)
            .exclude(status=Meeting.Status.CANCELLED).order_by("date", "start", "id"))


def _stood_under(committee: OrgUnit, cell_ids, start: datetime.date, end: datetime.date) -> dict[int, list]:
    """{cell id: [(first day, day after the last or None)]}: when each cell stood under the
    committee within the period (the dated tree): a meeting it held after moving elsewhere is
    the other committee's to see."""
    spans: dict[int, list] = {}
    rows = (UnitPlacement.objects.filter(under(committee, "path"), unit_id__in=list(cell_ids), start__lte=end)
            .filter(Q(end__isnull=True) | Q(end__gt=start)).values_list("unit_id", "start", "end"))
    for unit_id, first, after in rows:
        spans.setdefault(unit_id, []).append((first, after))
    return spans


def _held_under(meeting: Meeting, spans: dict[int, list]) -> bool:
    return any(first <= meeting.date and (after is None or meeting.date < after)
               for first, after in spans.get(meeting.unit_id, ()))


def thematic_meetings(cell_ids, start: datetime.date, end: datetime.date) -> dict[int, Meeting]:
    """Each cell's thematic meeting of the period, not cancelled (see `_pick`)."""
    found: dict[int, Meeting] = {}
    for meeting in _thematic_rows(cell_ids, start, end):
        found[meeting.unit_id] = _pick(found.get(meeting.unit_id), meeting)
    return found


def _check(*, unit, topic, window_from, window_to, start, end) -> dict:
    errors = {}
    if unit.kind == UnitKind.CELL:
        errors["unit"] = _("Thematic topics are set by a committee for the cells under it; a cell schedules its "
                           "own thematic meeting on its calendar.")
    if not topic.strip():
        errors["topic"] = _("Write the topic of the thematic meeting.")
    for field, day in (("from", window_from), ("to", window_to)):
        if day is not None and not start <= day <= end:
            errors[field] = _("The suggested days lie from %(start)s to %(end)s.") % {
                "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    if window_from and window_to and window_to < window_from and "to" not in errors:
        errors["to"] = _("The suggested window ends on or after its first day.")
    return errors


@transaction.atomic
def thematic_plan(*, actor, unit: OrgUnit, year: int, quarter: int | None = None, month: int | None = None,
                  topic: str, documents=(), note: str = "", window_from: datetime.date | None = None,
                  window_to: datetime.date | None = None, cells=None) -> tuple[ThematicPlan, bool]:
    """The committee's topic for the period, for `cells` (those under it then; all of them by
    default). Planning a period that has a plan in force changes that plan: nothing is doubled,
    and an unchanged plan writes nothing. Returns (plan, created)."""
    quarter, month, errors = period_of(year, quarter, month)
    if errors:
        raise ValidationError(errors)
    probe = ThematicPlan(year=year, quarter=quarter, month=month)
    start, end = probe.start, probe.end
    errors = _check(unit=unit, topic=topic, window_from=window_from, window_to=window_to, start=start, end=end)
    eligible = {c.pk: c for c in cells_in_period(unit, start, end)} if "unit" not in errors else {}
    if cells:
        targets = [c.pk for c in cells]
        if any(pk not in eligible for pk in targets):
            # ids are checked against the caller's scope before; this names no cell
            errors["cells"] = _("Choose cells that stood under the committee in that period.")
    else:
        targets = list(eligible)
    if not targets and not errors:
        errors["unit"] = _("No cell stood under the committee in that period.")
    if errors:
        raise ValidationError(errors)
    documents = list(documents)
    values = {"topic": topic.strip()[:300], "note": note.strip()[:4000], "window_from": window_from,
              "window_to": window_to, "all_cells": not cells}
    key = {"unit": unit, "year": year, "quarter": quarter, "month": month, "status": ThematicPlan.Status.ACTIVE}
    plan = ThematicPlan.objects.select_for_update().filter(**key).first()
    created = plan is None
    if created:
        try:
            with transaction.atomic():
                plan = ThematicPlan.objects.create(
                    **key, **values, created_by=actor if actor is not None and actor.is_authenticated else None)
        except IntegrityError:  # planned at the same moment by another: change that one
            plan, created = ThematicPlan.objects.select_for_update().get(**key), False
    if created:
        plan.documents.set(documents)
        period = f"{year}-{month:02d}" if month else f"{year}-Q{quarter}"
        changes = {"topic": [None, plan.topic], "period": [None, period],
                   "documents": [None, sorted(d.pk for d in documents)]}
    else:
        changes = _update(actor, plan, values, documents)
    changes.update(_assign(plan, targets, only_these=bool(cells)))
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
                     obj=plan, unit_path=unit.path, alters_figures=False, changes=changes)
    return plan, created


def _update(actor, plan: ThematicPlan, values: dict, documents: list) -> dict:
    """The changed fields of a plan in force; a new topic or new documents reach the meetings
    that took the plan's topic and are not yet held, each change in the log."""
    changes = {}
    for field, value in values.items():
        before = getattr(plan, field)
        if before != value:
            changes[field] = [before.isoformat() if isinstance(before, datetime.date) else before,
                              value.isoformat() if isinstance(value, datetime.date) else value]
            setattr(plan, field, value)
    old_docs = set(plan.documents.values_list("pk", flat=True))
    new_docs = {d.pk for d in documents}
    if old_docs != new_docs:
        changes["documents"] = [sorted(old_docs), sorted(new_docs)]
        plan.documents.set(documents)
    if not changes:
        return changes
    plan.save(update_fields=list(values))
    if "topic" in changes or "documents" in changes:
        following = (Meeting.objects.filter(assignments__plan=plan, assignments__follows=True,
                                            status=Meeting.Status.SCHEDULED, date__range=(plan.start, plan.end))
                     .select_related("unit"))
        for meeting in following:
            change = {}
            if "topic" in changes and meeting.topic != plan.topic:
                change["topic"] = [meeting.topic, plan.topic]
                meeting.topic = plan.topic
                meeting.save(update_fields=["topic"])
            if "documents" in changes:
                meeting.documents.remove(*(old_docs - new_docs))
                meeting.documents.add(*new_docs)
                change["documents"] = changes["documents"]
            if change:
                change["plan"] = [None, plan.pk]
                audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting,
                             unit_path=meeting.unit.path, alters_figures=False, changes=change)
    return changes


def _assign(plan: ThematicPlan, targets: list[int], only_these: bool) -> dict:
    """Assignments for the target cells that have none; a cell with a thematic meeting in the
    period is linked to it (told of the topic, not given a second). Chosen cells given: the
    cells left out that had nothing yet leave the plan."""
    have = set(plan.assignments.values_list("unit_id", flat=True))
    changes = {}
    if only_these:
        dropped = plan.assignments.exclude(unit_id__in=targets).filter(meeting__isnull=True)
        gone = sorted(dropped.values_list("unit_id", flat=True))
        if gone:
            dropped.delete()
            changes["cells_removed"] = [None, gone]
    new = [pk for pk in targets if pk not in have]
    if new:
        meetings = thematic_meetings(new, plan.start, plan.end)
        ThematicAssignment.objects.bulk_create([
            ThematicAssignment(plan=plan, unit_id=pk, meeting=meetings.get(pk),
                               follows=pk in meetings and meetings[pk].topic == plan.topic) for pk in new])
        changes["cells_added"] = [None, len(new)]
    return changes


@transaction.atomic
def thematic_plan_edit(*, actor, plan: ThematicPlan, topic: str, documents=(), note: str = "",
                       window_from: datetime.date | None = None,
                       window_to: datetime.date | None = None) -> ThematicPlan:
    """The plan's topic, documents, note or window changed, for the same period and cells."""
    plan = ThematicPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if plan.status != ThematicPlan.Status.ACTIVE:
        raise ValidationError({"topic": _("This thematic topic was cancelled; it no longer changes.")})
    cells = None if plan.all_cells else list(OrgUnit.objects.filter(pk__in=plan.assignments.values("unit_id")))
    return thematic_plan(actor=actor, unit=plan.unit, year=plan.year, quarter=plan.quarter, month=plan.month,
                         topic=topic, documents=documents, note=note, window_from=window_from,
                         window_to=window_to, cells=cells)[0]


@transaction.atomic
def thematic_plan_cancel(*, actor, plan: ThematicPlan, reason: str) -> ThematicPlan:
    """The plan is withdrawn: the cells are no longer asked; meetings they already scheduled
    stay on their calendars."""
    plan = ThematicPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the thematic topic is cancelled.")})
    if plan.status != ThematicPlan.Status.ACTIVE:
        raise ValidationError({"reason": _("This thematic topic was already cancelled.")})
    plan.status, plan.cancel_reason = ThematicPlan.Status.CANCELLED, reason.strip()[:300]
    plan.save(update_fields=["status", "cancel_reason"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=plan, unit_path=plan.unit.path,
                 alters_figures=False, changes={"status": [ThematicPlan.Status.ACTIVE, plan.status],
                                                "reason": [None, plan.cancel_reason]})
    return plan


def relink_meeting(meeting: Meeting) -> None:
    """A thematic meeting moved to another day leaves the plans whose period it left (they wait
    for a meeting again) and answers those of its new period."""
    for assignment in ThematicAssignment.objects.filter(meeting=meeting).select_related("plan"):
        if not assignment.plan.start <= meeting.date <= assignment.plan.end:
            assignment.meeting, assignment.follows = None, False
            assignment.save(update_fields=["meeting", "follows"])
    link_meeting(meeting)


def link_meeting(meeting: Meeting) -> None:
    """A thematic meeting a cell schedules answers the plans in force of its period still
    waiting for one (their topic taken when the meeting carries it)."""
    if meeting.kind != Kind.THEMATIC:
        return
    waiting = (ThematicAssignment.objects.filter(unit_id=meeting.unit_id, plan__status=ThematicPlan.Status.ACTIVE,
                                                 plan__year=meeting.date.year)
               .filter(Q(meeting__isnull=True) | Q(meeting__status=Meeting.Status.CANCELLED)).select_related("plan"))
    for assignment in waiting:
        if assignment.plan.start <= meeting.date <= assignment.plan.end:
            assignment.meeting, assignment.follows = meeting, meeting.topic == assignment.plan.topic
            assignment.save(update_fields=["meeting", "follows"])


# --- reading -------------------------------------------------------------------------------

@dataclasses.dataclass
class Row:
    assignment: ThematicAssignment
    status: str
    meeting: Meeting | None
    follows: bool

    @property
    def status_label(self):
        return PROGRESS[self.status]


def _status(meeting: Meeting | None) -> str:
    if meeting is None:
        return MISSING
    return HELD if meeting.status == Meeting.Status.HELD else PLANNED


def progress(plan: ThematicPlan) -> list[Row]:
    """Per cell asked: its thematic meeting of the period (held, scheduled, or none yet), and
    whether it took the committee's topic."""
    assignments = list(plan.assignments.select_related("unit").order_by("unit__path"))
    ids = [a.unit_id for a in assignments]
    spans = _stood_under(plan.unit, ids, plan.start, plan.end)
    found = {unit_id: m for unit_id, m in thematic_meetings(ids, plan.start, plan.end).items()
             if _held_under(m, spans)}
    rows = []
    for a in assignments:
        meeting = found.get(a.unit_id)
        rows.append(Row(a, _status(meeting), meeting, meeting is not None and meeting.topic == plan.topic))
    return rows


def counts(rows: list[Row]) -> dict[str, int]:
    return {status: sum(r.status == status for r in rows) for status in (HELD, PLANNED, MISSING)}


def counts_of_plans(plans) -> dict[int, dict[str, int]]:
    """{plan id: counts} for a page of plans: one query for their assignments, one for the
    meetings."""
    plans = list(plans)
    if not plans:
        return {}
    by_plan: dict[int, set[int]] = {p.pk: set() for p in plans}
    for plan_id, unit_id in ThematicAssignment.objects.filter(plan__in=plans).values_list("plan_id", "unit_id"):
        by_plan[plan_id].add(unit_id)
    meetings = list(_thematic_rows({u for units in by_plan.values() for u in units}, min(p.start for p in plans),
                                   max(p.end for p in plans)))
    out = {}
    for plan in plans:
        found: dict[int, Meeting] = {}
        spans = _stood_under(plan.unit, by_plan[plan.pk], plan.start, plan.end)
        for meeting in meetings:
            if (meeting.unit_id in by_plan[plan.pk] and plan.start <= meeting.date <= plan.end
                    and _held_under(meeting, spans)):
                found[meeting.unit_id] = _pick(found.get(meeting.unit_id), meeting)
        out[plan.pk] = {HELD: sum(m.status == Meeting.Status.HELD for m in found.values()),
                        PLANNED: sum(m.status != Meeting.Status.HELD for m in found.values()),
                        MISSING: len(by_plan[plan.pk]) - len(found)}
    return out


def cell_items(cell: OrgUnit, year: int) -> list[Row]:
    """The topics committees set for this cell in the year (plans in force), each with the
    cell's thematic meeting of its period."""
    assignments = list(ThematicAssignment.objects.filter(unit=cell, plan__status=ThematicPlan.Status.ACTIVE,
                                                         plan__year=year)
                       .select_related("plan__unit").prefetch_related("plan__documents")
                       .order_by("plan__quarter", "plan__month", "plan_id"))
    if not assignments:
        return []
    meetings = list(_thematic_rows([cell.pk], datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    rows = []
    for a in assignments:
        meeting = None
        for one in meetings:
            if a.plan.start <= one.date <= a.plan.end:
                meeting = _pick(meeting, one)
        rows.append(Row(a, _status(meeting), meeting, meeting is not None and meeting.topic == a.plan.topic))
    return rows
