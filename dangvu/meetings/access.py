"""Meetings for a user. A cell's meetings are read with meetings:read over the cell (which
covers the committees above it) and written with meetings:write; a member reads the meetings
they are invited to and answers for themself. Anything else is 404 whatever the id."""

import datetime

from django.http import Http404

from dangvu.lib.keys import MEETINGS_READ
from dangvu.meetings.models import Attendance, Meeting, ThematicAssignment, ThematicPlan, Vote
from dangvu.orgs.access import own_member
from dangvu.orgs.models import ACTIVE_STATUSES
from dangvu.orgs.scope import check_path, fetch_in_scope, not_found, scope_for


def invited(request, meeting: Meeting) -> bool:
    """Invited, still a member, and for a meeting not yet held still in that cell (one who left
    or moved reads no longer what the cell will meet on)."""
    from django.utils import timezone

    member = own_member(request)
    if member is None or member.status not in ACTIVE_STATUSES:
        return False
    if meeting.date >= timezone.localdate() and member.unit_id != meeting.unit_id:
        return False
    return Attendance.objects.filter(meeting=meeting, member=member).exists()


def get_meeting_for_user(request, pk, key: str = MEETINGS_READ) -> Meeting:
    meeting = Meeting.objects.select_related("unit").filter(pk=pk).first()
    if meeting is None:
        if key == MEETINGS_READ:  # the invitation looked up, as for a forbidden meeting: the time tells nothing
            invited(request, Meeting(pk=0, unit_id=0, date=datetime.date.min))
        not_found(request, key)
    if key == MEETINGS_READ and invited(request, meeting) and not scope_for(request).can(key, meeting.unit.path):
        return meeting
    check_path(request, meeting.unit.path, key)
    return meeting


def get_vote_for_user(request, pk, key: str = MEETINGS_READ) -> Vote:
    vote = Vote.objects.select_related("meeting__unit").filter(pk=pk).first()
    if vote is None:
        not_found(request, key)
    get_meeting_for_user(request, vote.meeting_id, key)
    return vote


def own_invitations(request):
    member = own_member(request)
    if member is None:
        return Attendance.objects.none()
    return Attendance.objects.filter(member=member).select_related("meeting__unit")


def get_plan_for_user(request, pk, key: str = MEETINGS_READ) -> ThematicPlan:
    """A committee's thematic plan, read or changed with the key over that committee."""
    return fetch_in_scope(request, ThematicPlan.objects.select_related("unit"), pk, key)


def get_assignment_for_cell(cell, pk) -> ThematicAssignment:
    """A cell's own item of a plan in force (the page's cell already checked); anything else
    is 404."""
    try:
        return ThematicAssignment.objects.select_related("plan").prefetch_related("plan__documents").get(
            pk=int(pk), unit=cell, plan__status=ThematicPlan.Status.ACTIVE)
    except (ValueError, OverflowError, ThematicAssignment.DoesNotExist):
        raise Http404 from None
