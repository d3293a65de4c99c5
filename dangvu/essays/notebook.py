"""The member's sổ tay: everything one member has to do or has done, in one read."""

import datetime

from dangvu.essays.models import Essay, EssayStatus
from dangvu.evaluation.models import Rating
from dangvu.orgs.models import Member, path_prefixes
from dangvu.study.models import Attendance, Campaign, StudySession
from dangvu.training.models import Enrolment, TheoryLevel


def member_campaigns(member: Member):
    """Campaigns the member takes part in: one of its units is the member's unit or above it."""
    return (Campaign.objects.filter(units__path__in=path_prefixes(member.unit.path))
            .distinct().order_by("-start", "-id"))


def notebook_for(member: Member, today: datetime.date) -> dict:
    campaigns = list(member_campaigns(member).prefetch_related("documents"))
    recent = [c for c in campaigns if c.end >= today - datetime.timedelta(days=60)]
    essays = {e.campaign_id: e for e in Essay.objects.filter(member=member, campaign__in=campaigns)}
    due = []  # essays to write: not submitted while the deadline is open, or returned for rework
    for c in campaigns:
        essay = essays.get(c.pk)
        if not c.essay_required:
            continue
        if essay is None and (c.essay_deadline is None or c.essay_deadline >= today) or (
                essay is not None and essay.status == EssayStatus.RETURNED):
            due.append((c, essay))
    # Remind of every returned essay, and of a missing one in its last week.
    reminders = [(c, e) for c, e in due
                 if e is not None or (c.essay_deadline is not None and (c.essay_deadline - today).days <= 7)]
    upcoming = (StudySession.objects.filter(campaign__in=campaigns, held_on__gte=today)
                .select_related("campaign").prefetch_related("points").order_by("held_on")[:10])
    attended = (Attendance.objects.filter(member=member).select_related("session__campaign")
                .order_by("-session__held_on")[:20])
    return {
        "member": member,
        "unit": member.unit,
        "essays": [(c, essays.get(c.pk)) for c in campaigns if c.essay_required],
        "reminders": reminders,
        "upcoming": upcoming,
        "documents": sorted({d for c in recent for d in c.documents.all()}, key=lambda d: d.issued_on, reverse=True),
        "attendance": attended,
        "enrolments": Enrolment.objects.filter(member=member).select_related("training_class__programme"),
        "theory": TheoryLevel.objects.filter(member=member),
        "meetings": list(member.meeting_attendance.filter(meeting__date__gte=today, meeting__status="scheduled",
                                                          meeting__unit=member.unit)
                         .select_related("meeting__unit").order_by("meeting__date", "meeting__start")[:5]),
        "ratings": list(Rating.objects.filter(member=member).select_related("round").order_by("-round__end")[:5]),
    }


def essay_history(essay) -> list[tuple]:
    """(when, what) for each submission and review of an essay, from its audit trail."""
    from django.utils.translation import gettext as _

    from dangvu.audit.services import audit_for
    from dangvu.essays.models import EssayStatus, ReturnReason

    out = []
    for entry in audit_for(essay).order_by("at", "id"):
        changes = entry.changes or {}
        status = (changes.get("status") or [None, None])[1]
        if "version" in changes:
            out.append((entry.at, _("Submission %(n)s") % {"n": changes["version"][1]}))
        elif status == EssayStatus.RETURNED:
            reason = (changes.get("return_reason") or [None, essay.return_reason])[1]
            label = ReturnReason(reason).label if reason in ReturnReason.values else ""
            out.append((entry.at, _("Returned for rework") + (f": {label}" if label else "")))
        elif status == EssayStatus.PASSED:
            out.append((entry.at, _("Accepted")))
    return out
