"""Evaluation over JSON: a stable contract (fields may be added, never renamed)."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import Count
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.evaluation import services
from dangvu.evaluation.access import (
    ASSESS,
    DECIDE,
    PROPOSE,
    get_round_for_user,
    get_subject_rating_for_user,
    get_vote_for_proposal,
    ratings_readable,
    sees_details,
)
from dangvu.evaluation.models import Level, Stage
from dangvu.lib.api import Count as Votes
from dangvu.lib.api import Day, Id, InSchema, Paginated
from dangvu.lib.keys import EVALUATION_DECIDE, EVALUATION_READ, MEETINGS_READ
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.scope import not_found

router = Router(tags=["evaluation"])
LevelName = Literal["excellent", "good", "done", "not_done"]
Subject = Literal["member", "unit"]


class RoundIn(InSchema):
    title: str = Field(..., min_length=1, max_length=200)
    date_from: Day = Field(..., alias="from")
    date_to: Day = Field(..., alias="to")
    kind: Literal["year", "quarter", "term", "adhoc"] = "year"
    deadline: Day | None = None
    rates_later: bool = False  # a sector that rates later: the year's round is finished by 15/01


class Created(Schema):
    id: int


class Subjects(Schema):
    members: int
    units: int
    not_rated: int


class ByLevel(Schema):
    excellent: int
    good: int
    done: int
    not_done: int


class RoundOut(Schema):
    id: int
    unit: int
    title: str
    kind: str
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")
    deadline: datetime.date
    rates_later: bool
    status: str
    subjects: Subjects
    by_level: ByLevel
    by_stage: dict[str, int]


class TaskIn(InSchema):
    title: str = Field(..., min_length=1, max_length=500)
    result: Literal["exceeded", "on_time", "late", "not_done"]
    note: str = Field("", max_length=1000)


class AssessmentIn(InSchema):
    subject: Subject
    subject_id: Id
    general_points: Decimal = Field(..., max_digits=6, decimal_places=2)
    task_points: Decimal = Field(..., max_digits=6, decimal_places=2)
    tasks: list[TaskIn] = Field(default_factory=list, max_length=services.MAX_TASKS)
    strengths: str = Field("", max_length=8000)
    weaknesses: str = Field("", max_length=8000)
    # beyond the contract: the form's other parts
    remedies: str = Field("", max_length=8000)
    remedied: bool | None = None
    direction: str = Field("", max_length=8000)
    draft: bool = False


class AssessmentOut(Schema):
    id: int
    allowed_level: str
    because: list[str]
    stage: str


class ProposalIn(InSchema):
    subject: Subject
    subject_id: Id
    level: LevelName
    votes_for: Votes | None = None
    votes_against: Votes | None = None
    reason: str = Field("", max_length=4000)
    # beyond the contract: the closed vote of the cell's meeting the counts are copied from
    # (votes_for/votes_against may then be left out; given, they must be the vote's)
    vote_id: Id | None = None


class DecisionIn(InSchema):
    subject: Subject
    subject_id: Id
    level: LevelName
    reason: str = Field("", max_length=4000)
    decided_on: Day | None = None


class ResultOut(Schema):
    subject: str
    subject_id: int
    unit: int
    level: str | None
    points: float | None
    stage: str
    not_rated: str | None


def _round_out(request, rnd) -> dict:
    readable = ratings_readable(request, rnd)
    stages = dict(readable.values_list("stage").annotate(n=Count("id")).order_by())
    levels = dict(readable.filter(stage=Stage.DECIDED).values_list("level").annotate(n=Count("id")).order_by())
    members = readable.filter(member__isnull=False).count()
    return {"id": rnd.pk, "unit": rnd.unit_id, "title": rnd.title, "kind": rnd.kind, "from": rnd.start,
            "to": rnd.end, "deadline": rnd.deadline, "rates_later": rnd.rates_later,
            "status": rnd.status,
            "subjects": {"members": members, "units": sum(stages.values()) - members,
                         "not_rated": stages.get(Stage.NOT_RATED, 0)},
            "by_level": {level: levels.get(level, 0) for level in Level.values},
            "by_stage": {stage: stages.get(stage, 0) for stage in Stage.values}}


@router.post("/units/{unit_id}/evaluation-rounds", response={201: Created})
def open_round(request, unit_id: Id, payload: RoundIn):
    """A committee opens a round for its subtree: every member and organisation under it as they
    stood on `to` becomes a subject."""
    unit = get_unit_for_user(request, unit_id, EVALUATION_DECIDE)
    rnd = services.round_open(actor=request.user, unit=unit, title=payload.title, kind=payload.kind,
                              start=payload.date_from, end=payload.date_to, deadline=payload.deadline,
                              rates_later=payload.rates_later)
    return Status(201, {"id": rnd.pk})


@router.get("/units/{unit_id}/evaluation-rounds", response=list[RoundOut], by_alias=True)
def list_rounds(request, unit_id: Id):
    """The rounds that rate the unit: its own and those of the committees above it."""
    from dangvu.evaluation.models import Round
    from dangvu.orgs.models import path_prefixes

    unit = get_unit_for_user(request, unit_id, EVALUATION_READ)
    rounds = Round.objects.filter(unit__path__in=path_prefixes(unit.path)).select_related("unit").order_by("-end")
    return [_round_out(request, r) for r in rounds[:50]]


@router.get("/evaluation-rounds/{round_id}", response=RoundOut, by_alias=True)
def get_round(request, round_id: Id):
    """The round, counted over the subjects the caller reads."""
    return _round_out(request, get_round_for_user(request, round_id))


@router.post("/evaluation-rounds/{round_id}/assessments", response={201: AssessmentOut})
def post_assessment(request, round_id: Id, payload: AssessmentIn):
    """A self-assessment, by the member themself or with evaluation:write over the subject's
    unit (entered from the paper form). Submitted unless `draft`."""
    rnd = get_round_for_user(request, round_id)
    rating = get_subject_rating_for_user(request, rnd, payload.subject, payload.subject_id, ASSESS)
    own = rating.member is not None and rating.member.user_id == request.user.id
    rating = services.assessment_save(
        actor=request.user, rating=rating, general_points=payload.general_points, task_points=payload.task_points,
        tasks=[t.dict() for t in payload.tasks], strengths=payload.strengths, weaknesses=payload.weaknesses,
        remedies=payload.remedies, remedied=payload.remedied, direction=payload.direction,
        submit=not payload.draft, on_behalf=not own)
    return Status(201, {"id": rating.pk, "allowed_level": rating.allowed_level,
                        "because": [b for b in rating.allowed_because.split("; ") if b], "stage": rating.stage})


@router.post("/evaluation-rounds/{round_id}/proposals", response={201: Created})
def post_proposal(request, round_id: Id, payload: ProposalIn):
    """The meeting's proposal. With `vote_id`, the counts come from that closed vote of the
    cell's meeting (a vote of another cell, or one the caller does not read: 404 naming
    nothing; not closed, held outside the round, or counting more votes than full members
    present: 422 naming vote_id)."""
    rnd = get_round_for_user(request, round_id)
    rating = get_subject_rating_for_user(request, rnd, payload.subject, payload.subject_id, PROPOSE)
    vote = None
    if payload.vote_id is not None:
        vote = get_vote_for_proposal(request, rating, payload.vote_id)
        if vote is None:
            not_found(request, MEETINGS_READ)
    services.proposal_make(actor=request.user, rating=rating, level=payload.level, votes_for=payload.votes_for,
                           votes_against=payload.votes_against, reason=payload.reason, vote=vote)
    return Status(201, {"id": rating.pk})


@router.post("/evaluation-rounds/{round_id}/decisions", response={201: Created})
def post_decision(request, round_id: Id, payload: DecisionIn):
    rnd = get_round_for_user(request, round_id)
    rating = get_subject_rating_for_user(request, rnd, payload.subject, payload.subject_id, DECIDE)
    services.decision_make(actor=request.user, rating=rating, level=payload.level, reason=payload.reason,
                           day=payload.decided_on)
    return Status(201, {"id": rating.decisions.order_by("-id").values_list("id", flat=True).first()})


UnitFilter = Annotated[Id | None, Query(description="only the subjects at or under this unit")]


@router.get("/evaluation-rounds/{round_id}/results", response=list[ResultOut])
@paginate(Paginated)
def results(request, round_id: Id, unit: UnitFilter = None):
    """Each subject the caller reads, with its stage and, once decided, its level; the points
    only for the member, the cell's leaders and the deciding committee."""
    rnd = get_round_for_user(request, round_id)
    found = ratings_readable(request, rnd)
    if unit is not None:
        found = found.filter(unit__path__startswith=get_unit_for_user(request, unit, EVALUATION_READ).path)

    def row(r) -> dict:
        details = sees_details(request, r)
        return {"subject": r.subject_kind, "subject_id": r.member_id or r.subject_unit_id, "unit": r.unit_id,
                "level": r.level if r.stage == Stage.DECIDED else None,
                "points": float(r.points) if details and r.points is not None else None,
                "stage": r.stage if details or r.stage in (Stage.DECIDED, Stage.NOT_RATED) else "in_progress",
                "not_rated": r.not_rated or None}

    return MappedPage(found.order_by("unit__path", "id"), row)


class MappedPage:
    """A queryset read a page at a time, each row turned into the answer's item: the page is
    cut in the database, never after reading every row."""

    def __init__(self, queryset, row):
        self.queryset, self.row = queryset, row

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, cut: slice) -> list:
        return [self.row(r) for r in self.queryset[cut]]
