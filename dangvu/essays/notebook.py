"""The essays' part of the member's sổ tay (dangvu.notebook gathers the rest): the campaigns the
member takes part in, the essays asked of them and those to remind of, and one essay's history."""

import datetime

from dangvu.essays.models import Essay, EssayStatus
from dangvu.orgs.models import Member, path_prefixes
from dangvu.study.models import Campaign


def member_campaigns(member: Member):
    """Campaigns the member takes part in: one of its units is the member's unit or above it."""
    return (Campaign.objects.filter(units__path__in=path_prefixes(member.unit.path))
            .distinct().order_by("-start", "-id"))


def essays_asked_of(member: Member, today: datetime.date, campaigns: list[Campaign] | None = None) -> dict:
    """The essays asked of the member: under "essays", each campaign that asks one with the
    member's essay (or None); under "reminders", those to remind of: every essay returned for
    rework, and a missing one in its last week. `campaigns`: the member's, if the caller has them."""
    campaigns = list(member_campaigns(member)) if campaigns is None else campaigns
    essays = {e.campaign_id: e for e in Essay.objects.filter(member=member, campaign__in=campaigns)}
    due = []  # essays to write: not submitted while the deadline is open, or returned for rework
    for c in campaigns:
        essay = essays.get(c.pk)
        if not c.essay_required:
            continue
        if essay is None and (c.essay_deadline is None or c.essay_deadline >= today) or (
                essay is not None and essay.status == EssayStatus.RETURNED):
            due.append((c, essay))
    reminders = [(c, e) for c, e in due
                 if e is not None or (c.essay_deadline is not None and (c.essay_deadline - today).days <= 7)]
    return {"essays": [(c, essays.get(c.pk)) for c in campaigns if c.essay_required], "reminders": reminders}


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
