"""Fetching campaigns and essays for a user, clipped to what their scope covers.

A province campaign reaches many cells: its organisers see all of it, a cell
secretary sees the campaign but only their own cell's members, figures and essays.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangvu.lib.keys import STUDY_READ
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.placements import paths_during
from dangvu.orgs.scope import not_found, scope_for
from dangvu.study.models import Campaign, StudySession


def view_root(request, campaign: Campaign, key: str = STUDY_READ) -> OrgUnit | None:
    """The topmost unit of the campaign the user holds `key` over, or None."""
    scope = scope_for(request)
    if scope.can(key, campaign.unit.path):
        return campaign.unit
    roots = list(OrgUnit.objects.filter(path__in=scope.roots(key)).order_by("depth", "path"))
    taking_part = list(campaign.units.values_list("pk", flat=True))
    # where each stood while the campaign ran: a cell moved since still sees its old campaigns
    paths = paths_during({campaign.unit_id, *taking_part, *(r.pk for r in roots)}, campaign.start, campaign.end)
    organiser, units = paths[campaign.unit_id], [p for pk in taking_part for p in paths[pk]]
    for root in roots:  # the topmost first
        mine = paths[root.pk]
        under_organiser = any(r.startswith(o) for r in mine for o in organiser)
        # the user's subtree must reach members taking part
        reaches = any(r.startswith(u) or u.startswith(r) for r in mine for u in units)
        if under_organiser and reaches:
            return root
    return None


def get_campaign_for_user(request, pk, key: str = STUDY_READ, *, organiser: bool = False) -> tuple[Campaign, OrgUnit]:
    """The campaign and the unit the user sees it from. 404 when none of it is theirs,
    403 when they see it but lack `key` (with `organiser`: lack it over the whole campaign,
    as for recording its sessions or checking all its essays)."""
    campaign = Campaign.objects.select_related("unit").filter(pk=pk).first()
    if campaign is None:
        not_found(request, key)
    root = view_root(request, campaign, key)
    if root is None:
        if key != STUDY_READ and view_root(request, campaign, STUDY_READ) is not None:
            raise PermissionDenied
        raise Http404
    if organiser and root != campaign.unit:
        raise PermissionDenied
    return campaign, root


def get_session_for_user(request, pk, key: str = STUDY_READ, *, organiser: bool = False
                         ) -> tuple[StudySession, OrgUnit]:
    """A session through its campaign, and the unit the user sees it from. A make-up session
    is its holding unit's as a whole session is the organiser's."""
    session = StudySession.objects.select_related("campaign__unit", "unit").filter(pk=pk).first()
    if session is None:
        not_found(request, key)
    _campaign, root = get_campaign_for_user(request, session.campaign_id, key)
    if session.unit is not None and not (session.unit.path.startswith(root.path) or root.path.startswith(session.unit.path)):
        raise Http404  # another cell's make-up session
    holder = session.unit is not None and scope_for(request).can(key, session.unit.path)
    if organiser and not holder and root != session.campaign.unit:
        raise PermissionDenied
    return session, root


def sessions_seen_from(campaign: Campaign, root: OrgUnit):
    """The campaign's sessions as a unit sees them: the organiser's, and the make-up sessions
    of its own part (not a sibling cell's)."""
    from django.db.models import Q

    return campaign.sessions.filter(Q(unit__isnull=True) | Q(unit__path__startswith=root.path)
                                    | Q(unit__path__in=[root.path[:n] for n in range(4, len(root.path) + 1, 4)]))
