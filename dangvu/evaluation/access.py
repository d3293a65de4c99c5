"""Evaluation for a user.

A round is seen by whoever reads evaluation anywhere in its subtree (a cell secretary sees the
province's round, for their cell only) and by the members it rates. In a round:
- the level decided is read with evaluation:read where the subject stood;
- the points, the forms, the comments and the proposal stay with the member, the cell's leaders
  (evaluation:write over the cell) and the deciding committee (evaluation:decide over it);
- the self-assessment is written by the member or with evaluation:write over the cell (for an
  organisation: over the organisation); a unit's proposal is the verifying committee's, so with
  evaluation:write over the committee above; decisions with evaluation:decide over the
  deciding committee;
- a proposal takes its counts from a vote of the meetings of the cell that votes on the
  subject, read with meetings:read over that cell.
Anything else is 404 whatever the id, and named nowhere."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from dangvu.evaluation.ballots import voting_unit_id
from dangvu.evaluation.models import Rating, Round
from dangvu.lib.keys import EVALUATION_DECIDE, EVALUATION_READ, EVALUATION_WRITE, MEETINGS_READ
from dangvu.meetings.models import Vote
from dangvu.orgs.access import is_own, own_member
from dangvu.orgs.scope import not_found, scope_for

_RELATED = ("round__unit", "unit", "decider", "member", "subject_unit", "framework", "moved_from")

ASSESS = "assess"
PROPOSE = "propose"
DECIDE = "decide"


def get_round_for_user(request, pk) -> Round:
    rnd = Round.objects.select_related("unit").filter(pk=pk).first()
    if rnd is None:
        not_found(request, EVALUATION_READ)
    scope = scope_for(request)
    if scope.can(EVALUATION_READ, rnd.unit.path) or any(
            root.startswith(rnd.unit.path) for root in scope.roots(EVALUATION_READ)):
        return rnd
    member = own_member(request)
    if member is not None and Rating.objects.filter(round=rnd, member=member).exists():
        return rnd
    raise Http404


def ratings_readable(request, rnd: Round):
    """The ratings of the round the user reads (their own among them)."""
    scope = scope_for(request)
    q = scope.path_q(EVALUATION_READ, "unit__path")
    member = own_member(request)
    if member is not None:
        q |= Q(member=member)
    return Rating.objects.filter(q, round=rnd).select_related(*_RELATED)


def sees_details(request, rating: Rating) -> bool:
    """Points, forms, comments and the proposal: the member, the cell's leaders, the deciders."""
    scope = scope_for(request)
    return (is_own(request, rating.member) or scope.can(EVALUATION_WRITE, rating.unit.path)
            or scope.can(EVALUATION_DECIDE, rating.decider.path))


def details_checker(request):
    """sees_details for many ratings: the answers per cell and per deciding committee kept, so a
    table of 2,000 asks the scope a few dozen times."""
    scope = scope_for(request)
    member = own_member(request)
    cache: dict[tuple, bool] = {}

    def sees(rating: Rating) -> bool:
        if member is not None and rating.member_id == member.pk:
            return True
        key = (rating.unit_id, rating.decider_id)
        if key not in cache:
            cache[key] = (scope.can(EVALUATION_WRITE, rating.unit.path)
                          or scope.can(EVALUATION_DECIDE, rating.decider.path))
        return cache[key]
    return sees


def may(request, rating: Rating, action: str) -> bool:
    scope = scope_for(request)
    if action == ASSESS:
        return is_own(request, rating.member) or scope.can(EVALUATION_WRITE, rating.unit.path)
    if action == PROPOSE:
        where = rating.unit.path if rating.member_id else rating.decider.path
        return scope.can(EVALUATION_WRITE, where)
    return scope.can(EVALUATION_DECIDE, rating.decider.path)


def comments_as_previous_cell(request, rating: Rating) -> bool:
    """The cell a member moved from in the period's last months writes its comment on them."""
    return bool(rating.moved_from_id) and scope_for(request).can(EVALUATION_WRITE, rating.moved_from.path)


def _check(request, rating: Rating, action: str | None) -> Rating:
    scope = scope_for(request)
    readable = (is_own(request, rating.member) or scope.can(EVALUATION_READ, rating.unit.path)
                or scope.can(EVALUATION_DECIDE, rating.decider.path) or comments_as_previous_cell(request, rating))
    if not readable:
        raise Http404
    if action is not None and not may(request, rating, action):
        raise PermissionDenied
    return rating


def get_rating_for_user(request, pk, action: str | None = None) -> Rating:
    rating = Rating.objects.select_related(*_RELATED).filter(pk=pk).first()
    if rating is None:
        not_found(request, EVALUATION_READ)
    return _check(request, rating, action)


def get_subject_rating_for_user(request, rnd: Round, subject: str, subject_id: int,
                                action: str | None = None) -> Rating:
    """The rating of the member or the unit a client names in this round, if the caller may
    act on it; else 404 (outside their reach) or 403 (seen, not theirs to act on)."""
    field = "member_id" if subject == "member" else "subject_unit_id"
    rating = Rating.objects.select_related(*_RELATED).filter(round=rnd, **{field: subject_id}).first()
    if rating is None:
        not_found(request, EVALUATION_READ)
    return _check(request, rating, action)


def reads_cell_votes(request, rating: Rating) -> bool:
    """The caller reads the meetings (and so the votes) of the cell that votes on the subject."""
    cell = rating.unit if rating.member_id else rating.subject_unit
    return scope_for(request).can(MEETINGS_READ, cell.path)


def get_vote_for_proposal(request, rating: Rating, vote_id: int) -> Vote | None:
    """The meeting's vote a proposal for `rating` may take its counts from: one of the cell
    that votes on the subject, read by the caller (meetings:read over the cell). None for any
    other id, whatever the reason: the caller answers 404, or "not found" on the page, and
    never shows the question."""
    if not reads_cell_votes(request, rating):
        return None
    return Vote.objects.select_related("meeting__unit").filter(pk=vote_id,
                                                               meeting__unit_id=voting_unit_id(rating)).first()


def own_ratings(request):
    """The logged-in member's ratings, newest first."""
    member = own_member(request)
    if member is None:
        return Rating.objects.none()
    return Rating.objects.filter(member=member).select_related(*_RELATED).order_by("-round__end", "-id")
