"""Fetching essays and copy checks for a user, clipped to what their scope covers: a cell
secretary reads their own members' essays of a province campaign, a reviewer the essays of the
part they review."""

from django.http import Http404

from dangvu.essays.models import Essay, IntegrityScan
from dangvu.lib.keys import ESSAYS_REVIEW, STUDY_READ
from dangvu.orgs.access import is_own
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import check_path, not_found, scope_for
from dangvu.study.access import get_campaign_for_user
from dangvu.study.models import Campaign


def get_essay_for_user(request, pk, key: str = STUDY_READ) -> Essay:
    """Members read their own essays; otherwise the key over the member's unit."""
    essay = Essay.objects.select_related("member__unit", "campaign__unit").filter(pk=pk).first()
    if essay is None:
        not_found(request, key)
    if key == STUDY_READ and is_own(request, essay.member):
        return essay
    check_path(request, essay.member.unit.path, key)
    return essay


def get_scan_for_user(request, pk, *, organiser: bool = False) -> tuple[IntegrityScan, OrgUnit]:
    """A copy check, for those who may review the campaign's essays (organisers: all of it)."""
    scan = IntegrityScan.objects.select_related("campaign__unit").filter(pk=pk).first()
    if scan is None:
        not_found(request, ESSAYS_REVIEW)
    _campaign, root = get_campaign_for_user(request, scan.campaign_id, ESSAYS_REVIEW, organiser=organiser)
    return scan, root


def get_own_campaign(member, pk) -> Campaign:
    """A campaign the member takes part in (their essay page); 404 otherwise."""
    from dangvu.study.services import eligible_members

    campaign = Campaign.objects.select_related("unit").filter(pk=pk).first()
    if campaign is None or member is None or not eligible_members(campaign).filter(pk=member.pk).exists():
        raise Http404
    return campaign


def may_read_essay(request, essay: Essay) -> bool:
    """The same rule as get_essay_for_user, as a yes or no: for showing the other side of a
    copied pair (a writer outside the user's part shows as their unit, without name or text)."""
    if is_own(request, essay.member):
        return True
    return scope_for(request).can(STUDY_READ, essay.member.unit.path)
