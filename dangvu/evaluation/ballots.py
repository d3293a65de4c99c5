"""The meeting's vote behind a proposal (Điều 12, stage 2): the cell's meeting votes the
proposed level, by a show of Party cards or by secret ballot through the cell meetings, and
the proposal copies the counts and keeps the vote. Which votes may be used, and why one is
refused; the counts are typed only where no ballot was held."""

import datetime

from django.utils.translation import gettext as _

from dangvu.evaluation.models import Rating, Round
from dangvu.meetings.models import Meeting, Vote
from dangvu.meetings.services import full_members_present, passed

SHOWN = 50  # votes offered on the page


def voting_unit_id(rating: Rating) -> int:
    """Whose meeting votes: the member's cell where they stood on the period's last day, or the
    organisation rated as a collective."""
    return rating.unit_id if rating.member_id else rating.subject_unit_id


def window(rnd: Round) -> tuple[datetime.date, datetime.date]:
    """The days a meeting voting on the round's proposals is held: from the period's start to
    the round's deadline (a sector that rates later meets in January), or its end if later."""
    return rnd.start, max(rnd.end, rnd.deadline)


def candidate_votes(rating: Rating) -> list[Vote]:
    """The closed votes of the cell's meetings held in the round's window, newest first, those
    whose question names the subject before the others."""
    first, last = window(rating.round)
    votes = list(Vote.objects.filter(meeting__unit_id=voting_unit_id(rating), closed=True,
                                     meeting__date__range=(first, last))
                 .exclude(meeting__status=Meeting.Status.CANCELLED)
                 .select_related("meeting").order_by("-meeting__date", "-id")[:SHOWN])
    votes = [v for v in votes if passed(v)]  # a level the meeting did not pass is no proposal
    name = str(rating.subject).casefold()
    votes.sort(key=lambda v: name not in v.question.casefold())  # stable: newest first within each
    return votes


def vote_errors(rating: Rating, vote: Vote) -> dict:
    """Why the proposal of `rating` cannot take its counts from `vote`, on the field vote_id; a
    vote of another cell is "not found", its question never shown."""
    if vote.meeting.unit_id != voting_unit_id(rating):
        return {"vote_id": _("Not found: %(ids)s.") % {"ids": vote.pk}}
    if not vote.closed:
        return {"vote_id": _("The vote is still open: close it at the meeting, then take its counts.")}
    meeting = vote.meeting
    if meeting.status == Meeting.Status.CANCELLED:
        return {"vote_id": _("The meeting of this vote was cancelled.")}
    first, last = window(rating.round)
    if not first <= meeting.date <= last:
        return {"vote_id": _("The vote was held on %(day)s, outside the round (%(first)s to %(last)s).") % {
            "day": f"{meeting.date:%d/%m/%Y}", "first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}}
    counted = vote.votes_for + vote.votes_against + vote.abstain
    present = full_members_present(meeting)
    if counted > present:
        return {"vote_id": _("The vote counts %(n)s votes, but only %(present)s full members were present at "
                             "the meeting.") % {"n": counted, "present": present}}
    if not passed(vote):
        return {"vote_id": _("The meeting did not pass this vote (%(for)s for, of %(base)s full members): it "
                             "cannot back a proposal.") % {"for": vote.votes_for, "base": vote.base}}
    return {}
