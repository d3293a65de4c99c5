"""Targets over JSON: a stable contract."""

import datetime
from typing import Literal

from ninja import Field, Router, Schema
from ninja.responses import Status

from dangvu.lib.api import Id, InSchema
from dangvu.lib.keys import TARGETS_WRITE
from dangvu.orgs.access import get_unit_for_user
from dangvu.targets import services
from dangvu.targets.access import get_target_for_user

router = Router(tags=["targets"])
Kind = Literal["province", "upper", "grassroots", "sub", "cell"]  # the central level is below no unit


class AppliesTo(InSchema):
    kind: Kind | None = None
    has_committee: bool | None = None


class Threshold(InSchema):
    has_committee: bool | None = None
    min: float = Field(..., ge=0, le=10**9)


class TargetIn(InSchema):
    title: str = Field(..., min_length=3, max_length=300)
    measure: str = Field(..., max_length=60)
    applies_to: AppliesTo = AppliesTo()
    thresholds: list[Threshold] = Field(..., min_length=1, max_length=services.MAX_THRESHOLDS)
    date_from: datetime.date = Field(..., alias="from")
    date_to: datetime.date = Field(..., alias="to")


class TargetOut(Schema):
    id: int


@router.post("/units/{unit_id}/targets", response={201: TargetOut})
def create_target(request, unit_id: Id, payload: TargetIn):
    """A target for the units of this unit's subtree: a threshold on a measure over a period."""
    unit = get_unit_for_user(request, unit_id, TARGETS_WRITE)
    target = services.target_create(
        actor=request.user, unit=unit, title=payload.title, measure=payload.measure,
        applies_kind=payload.applies_to.kind or "", applies_has_committee=payload.applies_to.has_committee,
        thresholds=[t.dict() for t in payload.thresholds], start=payload.date_from, end=payload.date_to)
    return Status(201, {"id": target.pk})


@router.get("/targets/{target_id}/attainment", response=dict)
def target_attainment(request, target_id: Id):
    """How many of the units concerned meet the target, which missed, and each unit's value."""
    result = services.attainment(get_target_for_user(request, target_id))
    return {"units": result.units, "met": result.met, "rate": result.rate,
            "missed": [r.unit.pk for r in result.missed],
            "by_unit": [{"unit": r.unit.pk, "value": r.value, "required": r.required, "met": r.met}
                        for r in result.results]}
