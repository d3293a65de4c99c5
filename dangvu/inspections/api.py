"""Inspections and supervisions over JSON: a stable contract."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.inspections import services
from dangvu.inspections.access import (
    get_decision_for_unit,
    get_inspection_for_user,
    get_plan_item_for_user,
    get_subject_for_user,
    inspections_visible,
)
from dangvu.lib.api import Day, Id, InSchema, Paginated
from dangvu.lib.keys import INSPECTIONS_READ, INSPECTIONS_WRITE
from dangvu.orgs.access import get_unit_for_user

router = Router(tags=["inspections"])
DateFrom = Annotated[Day | None, Query(alias="from", description="inspections ending on or after this day")]
DateTo = Annotated[Day | None, Query(alias="to", description="inspections starting on or before this day")]


class InspectionIn(InSchema):
    kind: Literal["inspection", "supervision"]
    subject: Literal["member", "unit"]
    subject_id: Id
    start: datetime.date
    end: datetime.date
    content: str = Field(..., min_length=1, max_length=4000)
    conclusion: str = Field("", max_length=8000)
    # optional beyond the contract: the page's fields
    outcome: Literal["good", "mixed", "violation", ""] = ""
    violation: str = Field("", max_length=4000)
    area: Literal["resolutions", "duties", "conduct", "dues", "violation"] = "duties"
    mode: Literal["regular", "thematic", ""] = ""
    conductor: Literal["cell", "committee", "commission", ""] = ""
    decision_id: Id | None = None
    plan_item_id: Id | None = None


class Created(Schema):
    id: int


class RecommendationOut(Schema):
    id: int
    text: str
    due: datetime.date
    done_on: datetime.date | None


class InspectionOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    kind: str
    mode: str
    conductor: str
    subject: str
    subject_id: int
    area: str
    content: str
    start: datetime.date
    end: datetime.date
    outcome: str
    conclusion: str
    violation: str
    decision_id: int | None
    recommendations: list[RecommendationOut]

    @staticmethod
    def resolve_subject(obj) -> str:
        return "member" if obj.subject_member_id else "unit"

    @staticmethod
    def resolve_subject_id(obj) -> int:
        return obj.subject_member_id or obj.subject_unit_id

    @staticmethod
    def resolve_recommendations(obj):
        return list(obj.recommendations.all())


@router.post("/units/{unit_id}/inspections", response={201: Created})
def create_inspection(request, unit_id: Id, payload: InspectionIn):
    """An inspection or supervision the unit held. The subject (a member or a unit) must lie in
    the unit's subtree and the caller's scope, else 404 naming nothing."""
    unit = get_unit_for_user(request, unit_id, INSPECTIONS_WRITE)
    member, organisation = get_subject_for_user(request, unit, payload.subject, payload.subject_id)
    decision = get_decision_for_unit(unit, payload.decision_id) if payload.decision_id else None
    plan_item = get_plan_item_for_user(request, payload.plan_item_id) if payload.plan_item_id else None
    inspection = services.inspection_record(
        actor=request.user, unit=unit, kind=payload.kind, member=member, organisation=organisation,
        start=payload.start, end=payload.end, content=payload.content, conclusion=payload.conclusion,
        outcome=payload.outcome, violation=payload.violation, area=payload.area, mode=payload.mode,
        conductor=payload.conductor, decision=decision, plan_item=plan_item)
    return Status(201, {"id": inspection.pk})


@router.get("/units/{unit_id}/inspections", response=list[InspectionOut])
@paginate(Paginated)
def list_inspections(request, unit_id: Id, date_from: DateFrom = None, date_to: DateTo = None):
    """What the unit and the units below it held, and what was held about them from above,
    overlapping the window (from, to)."""
    unit = get_unit_for_user(request, unit_id, INSPECTIONS_READ)
    found = inspections_visible(request, unit).prefetch_related("recommendations").order_by("start", "id")
    if date_from:
        found = found.filter(end__gte=date_from)
    if date_to:
        found = found.filter(start__lte=date_to)
    return found


@router.get("/inspections/{inspection_id}", response=InspectionOut)
def get_inspection(request, inspection_id: Id):
    return get_inspection_for_user(request, inspection_id)

