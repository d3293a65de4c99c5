"""The essays' part of the member's sổ tay (dangvu.notebook gathers the rest): the campaigns the
member takes part in, the essays asked of them, those to remind of, and one essay's history."""

import datetime
from collections import defaultdict

from django.db.models import Q

from dangvu.essays.models import Essay, EssayStatus
from dangvu.orgs.models import Member, path_prefixes
from dangvu.study.models import Campaign


def member_campaigns(member: Member):
    """Campaigns the member takes part in: one of its units is the member's unit or above it."""
    return (Campaign.objects.filter(units__path__in=path_prefixes(member.unit.path))
            .distinct().order_by("-start", "-id"))


REMIND_WITHIN_DAYS = 7


def to_remind(campaign: Campaign, essay: Essay | None, today: datetime.date) -> bool:
    """The reminder rule, for an essay the campaign asks: one returned for rework, or one not
    submitted in the last week before its deadline."""
    if essay is not None:
        return essay.status == EssayStatus.RETURNED
    return campaign.essay_deadline is not None and 0 <= (campaign.essay_deadline - today).days <= REMIND_WITHIN_DAYS


def essays_asked_of(member: Member, campaigns: list[Campaign] | None = None) -> dict:
    """The essays asked of the member: under "essays", each campaign that asks one with the
    member's essay (or None). `campaigns`: the member's, if the caller has them."""
    campaigns = list(member_campaigns(member)) if campaigns is None else campaigns
    essays = {e.campaign_id: e for e in Essay.objects.filter(member=member, campaign__in=campaigns)}
    return {"essays": [(c, essays.get(c.pk)) for c in campaigns if c.essay_required]}


def essays_to_remind(members: list[Member], today: datetime.date) -> dict[int, list[tuple[Campaign, Essay | None]]]:
    """{member id: the essays asked of that member to remind them of (`to_remind`), newest
    campaign first} for many members in three queries: only the campaigns that can remind anyone
    are read (a deadline within the week, or an essay of theirs returned), with the units that
    take part in each."""
    returned = Essay.objects.filter(member__in=members, status=EssayStatus.RETURNED).values("campaign_id")
    soon = Q(campaign__essay_deadline__gte=today,
             campaign__essay_deadline__lte=today + datetime.timedelta(days=REMIND_WITHIN_DAYS))
    paths = {p for member in members for p in path_prefixes(member.unit.path)}
    reaching = defaultdict(set)  # unit path -> campaigns taking that unit part
    for campaign_id, path in (Campaign.units.through.objects
                              .filter(orgunit__path__in=paths, campaign__essay_required=True)
                              .filter(soon | Q(campaign_id__in=returned))
                              .values_list("campaign_id", "orgunit__path")):
        reaching[path].add(campaign_id)
    campaigns = Campaign.objects.in_bulk({c for ids in reaching.values() for c in ids})
    essays = {(e.member_id, e.campaign_id): e
              for e in Essay.objects.filter(member__in=members, campaign__in=list(campaigns))}
    found = {}
    for member in members:
        mine = {c for p in path_prefixes(member.unit.path) for c in reaching.get(p, ())}
        ordered = sorted((campaigns[c] for c in mine), key=lambda c: (c.start, c.pk), reverse=True)  # as member_campaigns
        found[member.pk] = [(c, essays.get((member.pk, c.pk))) for c in ordered
                            if to_remind(c, essays.get((member.pk, c.pk)), today)]
    return found


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
