"""Every write to campaigns, sessions, attendance, essays and training.

Keyword-only, atomic, audited, like the org services. Views, the API, the bulk
upload, tasks and the demo all call these.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.audit.models import AuditEntry
from dangvu.audit.services import audit_record, diff, snapshot
from dangvu.lib.ids import MAX_ID
from dangvu.orgs.models import Member, OrgUnit
from dangvu.study import participation
from dangvu.study.models import (
    Attendance,
    AttendanceStatus,
    Campaign,
    ConnectionPoint,
    SessionMode,
    StudySession,
)

CAMPAIGN_FIELDS = ["title", "start", "end", "essay_required", "essay_deadline", "min_words"]
# A province conference reaches a few hundred points at most (the seeds: 164).
MAX_POINTS = 300
# An essay of 25,000 words; a longer text is a wrong file, not an essay.


def acting_user(actor):
    return actor if actor is not None and actor.is_authenticated else None


# --- campaigns ---------------------------------------------------------------------------

def eligible_members(campaign: Campaign, unit: OrgUnit | None = None, on_day: datetime.date | None = None):
    """Members taking part in the campaign (study/participation.py), under `unit` as it stood
    then, on `on_day` when given."""
    return Member.objects.filter(pk__in=participation.member_ids(campaign, unit, on_day))


def _campaign_errors(unit: OrgUnit, title: str, units, start, end, essay_required, essay_deadline) -> dict:
    errors = {}
    if end < start:
        errors["end"] = _("The end date is before the start date.")
    if essay_required and essay_deadline is None:
        errors["essay_deadline"] = _("Give the date by which essays are due.")
    if essay_deadline and essay_deadline < start:
        errors["essay_deadline"] = _("The essay deadline is before the campaign starts.")
    outside = [u.name for u in units if not u.path.startswith(unit.path)]
    if outside:
        errors["units"] = _("These units are not under %(unit)s: %(names)s.") % {"unit": unit.name,
                                                                                 "names": ", ".join(outside)}
    if not title.strip():
        errors["title"] = _("This field is required.")
    return errors


@transaction.atomic
def campaign_create(*, actor, unit: OrgUnit, title: str, documents, units, start: datetime.date,
                    end: datetime.date, essay_required: bool = True, essay_deadline: datetime.date | None = None,
                    min_words: int = 150) -> Campaign:
    units = list(units) or [unit]
    errors = _campaign_errors(unit, title, units, start, end, essay_required, essay_deadline)
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(unit=unit, title=title.strip(), start=start, end=end,
                                       essay_required=essay_required, essay_deadline=essay_deadline,
                                       min_words=min_words, created_by=acting_user(actor))
    campaign.documents.set(documents)
    campaign.units.set(units)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=campaign, unit_path=unit.path,
                 changes={k: [None, v] for k, v in snapshot(campaign, CAMPAIGN_FIELDS).items()},
                 figures_from=start, figure_paths=[u.path for u in units])
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, title: str, documents, units, start: datetime.date,
                    end: datetime.date, essay_required: bool, essay_deadline: datetime.date | None,
                    min_words: int) -> Campaign:
    """Correct a campaign (a title, a later deadline, one more unit): the same rules as
    creating it; sessions, attendance and essays recorded so far stay as they are."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    units = list(units) or [campaign.unit]
    errors = _campaign_errors(campaign.unit, title, units, start, end, essay_required, essay_deadline)
    if errors:
        raise ValidationError(errors)
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    before_sets = {"documents": sorted(campaign.documents.values_list("pk", flat=True)),
                   "units": sorted(campaign.units.values_list("pk", flat=True))}
    campaign.title, campaign.start, campaign.end = title.strip(), start, end
    campaign.essay_required, campaign.essay_deadline, campaign.min_words = essay_required, essay_deadline, min_words
    campaign.save()
    campaign.documents.set(documents)
    campaign.units.set(units)
    changes = diff(before, snapshot(campaign, CAMPAIGN_FIELDS))
    for name, ids in (("documents", [d.pk for d in documents]), ("units", [u.pk for u in units])):
        if sorted(ids) != before_sets[name]:
            changes[name] = [before_sets[name], sorted(ids)]
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=campaign, unit_path=campaign.unit.path,
                     changes=changes)
    return campaign


@dataclass
class PointIn:
    name: str
    head_count: int = 0
    unit: OrgUnit | None = None


def _session_errors(campaign: Campaign, held_on: datetime.date, mode: str, points) -> dict:
    errors = {}
    if not campaign.start <= held_on <= campaign.end:
        errors["held_on"] = _("The session must fall within the campaign (%(a)s – %(b)s).") % {
            "a": campaign.start.strftime("%d/%m/%Y"), "b": campaign.end.strftime("%d/%m/%Y")}
    if mode == SessionMode.ONLINE and not points:
        errors["points"] = _("An online session needs at least one connection point.")
    if len(points) > MAX_POINTS:
        errors["points"] = _("A session can have at most %(max)s connection points; %(n)s were given.") % {
            "max": MAX_POINTS, "n": len(points)}
        return errors
    for n, p in enumerate(points, start=1):
        if not p.name.strip():
            errors["points"] = _("Connection point %(n)s has no name.") % {"n": n}
        elif p.head_count < 0:
            errors["points"] = _("Connection point %(n)s: the head count cannot be negative.") % {"n": n}
    return errors


def _point_labels(points) -> list[str]:
    return [f"{p.name} ({p.head_count})" for p in points]


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign, reason: str, on: datetime.date | None = None) -> Campaign:
    """Cancel a campaign: it stays, marked, and counts in no figure; nothing more is recorded for it."""
    return _cancel(actor, campaign, reason, on, campaign.unit.path)


@transaction.atomic
def session_cancel(*, actor, session: StudySession, reason: str, on: datetime.date | None = None) -> StudySession:
    """Cancel a session (held by mistake, recorded twice): kept, marked, its attendance counted nowhere."""
    return _cancel(actor, session, reason, on, (session.unit or session.campaign.unit).path)


def _cancel(actor, obj, reason: str, on, unit_path: str):
    if obj.cancelled_on is not None:
        raise ValidationError(_("It was already cancelled on %(d)s.") % {"d": obj.cancelled_on.strftime("%d/%m/%Y")})
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why it is cancelled.")})
    obj.cancelled_on, obj.cancel_reason = on or timezone.localdate(), reason.strip()[:300]
    obj.save(update_fields=["cancelled_on", "cancel_reason"])
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=obj, unit_path=unit_path,
                 changes={"cancelled_on": [None, obj.cancelled_on.isoformat()], "cancel_reason": [None, obj.cancel_reason]})
    return obj


def not_cancelled(campaign: Campaign, session: StudySession | None = None) -> None:
    if campaign.cancelled_on is not None:
        raise ValidationError(_("The campaign was cancelled on %(d)s; nothing more is recorded for it.")
                              % {"d": campaign.cancelled_on.strftime("%d/%m/%Y")})
    if session is not None and session.cancelled_on is not None:
        raise ValidationError(_("The session was cancelled on %(d)s; nothing more is recorded for it.")
                              % {"d": session.cancelled_on.strftime("%d/%m/%Y")})


@transaction.atomic
def session_update(*, actor, session: StudySession, held_on: datetime.date, mode: str, place: str = "",
                   title: str = "", points: list[PointIn] = ()) -> StudySession:
    """Correct a session (its date, form, place or connection points); attendance
    recorded for it stays."""
    session = StudySession.objects.select_for_update().select_related("campaign__unit").get(pk=session.pk)
    errors = _session_errors(session.campaign, held_on, mode, points)
    if errors:
        raise ValidationError(errors)
    before = {"held_on": session.held_on.isoformat(), "mode": session.mode, "place": session.place,
              "title": session.title, "points": _point_labels(session.points.all())}
    session.held_on, session.mode, session.place, session.title = held_on, mode, place.strip(), title.strip()
    session.save()
    session.points.all().delete()
    ConnectionPoint.objects.bulk_create([ConnectionPoint(session=session, name=p.name.strip(),
                                                         head_count=p.head_count, unit=p.unit) for p in points])
    after = {"held_on": held_on.isoformat(), "mode": mode, "place": session.place, "title": session.title,
             "points": _point_labels(points)}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=session,
                     unit_path=session.campaign.unit.path, changes=changes,
                     figures_from=min(held_on, datetime.date.fromisoformat(before["held_on"])),
                     figure_paths=[u.path for u in session.campaign.units.all()])
    return session


@transaction.atomic
def session_record(*, actor, campaign: Campaign, held_on: datetime.date, mode: str = SessionMode.IN_PERSON,
                   place: str = "", title: str = "", points: list[PointIn] = (),
                   unit: OrgUnit | None = None) -> StudySession:
    """A session of the campaign: by its organiser, or (`unit`) a make-up session a unit taking
    part holds for its own members."""
    not_cancelled(campaign)
    errors = _session_errors(campaign, held_on, mode, points)
    if unit is not None and unit.pk != campaign.unit_id:
        if not any(unit.path.startswith(u.path) for u in campaign.units.all()):
            errors["unit"] = _("This unit does not take part in the campaign.")
        if points:
            errors["points"] = _("A make-up session is held in person for the unit's own members.")
    if errors:
        raise ValidationError(errors)
    session = StudySession.objects.create(campaign=campaign, held_on=held_on, mode=mode, place=place.strip(),
                                          title=title.strip(),
                                          unit=unit if unit is not None and unit.pk != campaign.unit_id else None)
    ConnectionPoint.objects.bulk_create([ConnectionPoint(session=session, name=p.name.strip(),
                                                         head_count=p.head_count, unit=p.unit) for p in points])
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=session,
                 unit_path=(session.unit or campaign.unit).path,
                 changes={"held_on": [None, held_on.isoformat()], "mode": [None, mode],
                          "points": [None, _point_labels(points)]},
                 figures_from=held_on, figure_paths=[u.path for u in campaign.units.all()])
    return session


def _refuse_marks(session: StudySession, root: OrgUnit, stray: list[int]) -> None:
    """Members who do not take part here on the session's day: those of the user's part (who
    took part in the campaign on other days, or were not yet admitted) by name and date; the
    others by id only, since a name would tell who exists outside the user's part."""
    known = {m.pk: m for m in eligible_members(session.campaign, root).filter(pk__in=[k for k in stray if 1 <= k <= MAX_ID])}
    day = session.held_on.strftime("%d/%m/%Y")
    named = [_("%(name)s did not belong here on %(day)s.") % {"name": known[k].full_name, "day": day}
             for k in stray if k in known]
    unknown = [k for k in stray if k not in known]
    if unknown:
        named.append(_("Not taking part in this campaign here: member ids %(ids)s. Nothing was saved.")
                     % {"ids": ", ".join(map(str, unknown[:20]))})
    else:
        named.append(_("Nothing was saved."))
    raise ValidationError({"member": " ".join(named)})


@transaction.atomic
def attendance_record(*, actor, session: StudySession, marks: dict[int, str], unit_path: str) -> int:
    """Set attendance for members (id → status) of the subtree at unit_path. Unmarked members
    keep what they had. Everyone named must be taking part in the campaign."""
    not_cancelled(session.campaign, session)
    bad = [s for s in marks.values() if s not in AttendanceStatus.values]
    if bad:
        raise ValidationError({"status": _("Unknown attendance status “%(s)s”.") % {"s": bad[0]}})
    root = OrgUnit.objects.get(path=unit_path)
    asked = [k for k in marks if 1 <= k <= MAX_ID]
    allowed = set(eligible_members(session.campaign, root, on_day=session.held_on)
                  .filter(pk__in=asked).values_list("pk", flat=True))
    stray = sorted(set(marks) - allowed)
    if stray:
        _refuse_marks(session, root, stray)
    existing = {a.member_id: a for a in Attendance.objects.filter(session=session, member_id__in=marks)}
    new, changed = [], []
    for member_id, status in marks.items():
        row = existing.get(member_id)
        if row is None:
            new.append(Attendance(session=session, member_id=member_id, status=status))
        elif row.status != status:
            row.status = status
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status"])
    if new or changed:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=session, unit_path=unit_path,
                     changes={"attendance": [None, {str(k): v for k, v in marks.items()}]},
                     figures_from=session.held_on)
    return len(new) + len(changed)
