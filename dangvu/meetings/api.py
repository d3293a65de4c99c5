"""Cell meetings over JSON: a stable contract (fields may be added, never renamed)."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from dangvu.documents.access import documents_offered
from dangvu.documents.models import Document
from dangvu.lib.api import Day, Id, InSchema, Year
from dangvu.lib.keys import MEETINGS_READ, MEETINGS_WRITE
from dangvu.meetings import services, thematic
from dangvu.meetings.access import get_meeting_for_user, get_plan_for_user, get_vote_for_user, own_member
from dangvu.meetings.alerts import absence_alerts
from dangvu.meetings.models import Mark, Meeting, ThematicPlan
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import scope_for

router = Router(tags=["meetings"])


class MeetingIn(InSchema):
    kind: Literal["regular", "thematic"] = "regular"
    date: Day
    start: datetime.time
    end: datetime.time
    place: str = Field("", max_length=200)
    online: str = Field("", max_length=200)
    topic: str = Field("", max_length=300)
    agenda: str = Field("", max_length=4000)
    document_ids: list[Id] = Field(default_factory=list, max_length=50)
    prepared: bool = False


class Created(Schema):
    id: int


class MarkIn(InSchema):
    member_id: Id
    status: Literal["present", "late", "excused", "absent"]


class MarksIn(InSchema):
    marks: list[MarkIn] = Field(..., max_length=2000)


class VoteIn(InSchema):
    question: str = Field(..., min_length=1, max_length=500)
    secret: bool = True
    rule: Literal["majority", "two_thirds"] = "majority"


class BallotIn(InSchema):
    choice: Literal["for", "against", "abstain"]


def documents_for(unit) -> Q:
    """What a meeting may give its members to read: documents shared by the cell or a committee
    above it (attaching never widens who reads a document)."""
    return Q(pk__in=documents_offered(unit).values("pk"))


def _meeting_out(meeting: Meeting) -> dict:
    rows = list(meeting.attendance.values_list("mark", "required"))
    required = [mark for mark, req in rows if req]
    return {"id": meeting.pk, "unit": meeting.unit_id, "kind": meeting.kind, "date": meeting.date,
            "status": meeting.status, "start": meeting.start.strftime("%H:%M"), "end": meeting.end.strftime("%H:%M"),
            "topic": meeting.topic,
            "attendance": {"required": len(required), "present": required.count(Mark.PRESENT),
                           "late": required.count(Mark.LATE), "excused": required.count(Mark.EXCUSED),
                           "absent": required.count(Mark.ABSENT)},
            "quality": {"met": meeting.quality_met, "failed": list(meeting.quality_failed)}}


@router.post("/units/{unit_id}/meetings", response={201: Created})
def schedule(request, unit_id: Id, payload: MeetingIn):
    """A meeting on a cell's calendar; documents must be the cell's own or shared from above and
    in the caller's reach, else 404 naming nothing."""
    unit = get_unit_for_user(request, unit_id, MEETINGS_WRITE)
    ids = set(payload.document_ids)
    documents = list(Document.objects.filter(documents_for(unit), pk__in=ids))
    if len(documents) != len(ids):
        raise Http404
    meeting = services.meeting_schedule(
        actor=request.user, unit=unit, kind=payload.kind, date=payload.date, start=payload.start, end=payload.end,
        place=payload.place, online=payload.online, topic=payload.topic, agenda=payload.agenda,
        documents=documents, prepared=payload.prepared)
    return Status(201, {"id": meeting.pk})


@router.get("/meetings/{meeting_id}", response=dict)
def get_meeting(request, meeting_id: Id):
    return _meeting_out(get_meeting_for_user(request, meeting_id))


@router.post("/meetings/{meeting_id}/attendance", response=dict)
def post_attendance(request, meeting_id: Id, payload: MarksIn):
    """The marks of the day; a member not of the cell on that date is refused, naming the row."""
    meeting = get_meeting_for_user(request, meeting_id, MEETINGS_WRITE)
    marks = [(m.member_id, m.status) for m in payload.marks]
    meeting = services.attendance_record(actor=request.user, meeting=meeting, marks=marks)
    return _meeting_out(meeting)


@router.post("/meetings/{meeting_id}/votes", response={201: Created})
def open_vote(request, meeting_id: Id, payload: VoteIn):
    meeting = get_meeting_for_user(request, meeting_id, MEETINGS_WRITE)
    vote = services.vote_open(actor=request.user, meeting=meeting, question=payload.question,
                              secret=payload.secret, rule=payload.rule)
    return Status(201, {"id": vote.pk})


@router.post("/votes/{vote_id}/ballots", response={201: dict, 409: dict})
def cast(request, vote_id: Id, payload: BallotIn):
    """The voting member's own ballot (their own token or session); a second one is 409."""
    vote = get_vote_for_user(request, vote_id)
    member = own_member(request)
    if member is None:
        raise Http404
    if getattr(request.user, "api_token_keys", None) is not None:
        raise HttpError(403, "Khóa API chỉ đọc không dùng để bỏ phiếu.")
    try:
        services.ballot_cast(vote=vote, member=member, choice=payload.choice)
    except services.AlreadyVoted:
        raise HttpError(409, "Đồng chí đã bỏ phiếu cho câu hỏi này.") from None
    return Status(201, {"vote": vote.pk})


@router.post("/votes/{vote_id}/close", response=dict)
def close(request, vote_id: Id):
    """Closes the vote and says whether it passed; an open vote (a show of Party cards) sends
    its counts: {"for", "against", "abstain"}."""
    import json

    vote = get_vote_for_user(request, vote_id, MEETINGS_WRITE)
    counts = None
    if request.body.strip():
        try:
            counts = json.loads(request.body)
        except ValueError:
            raise HttpError(422, "Số phiếu không hợp lệ: gửi {\"for\", \"against\", \"abstain\"}.") from None
    vote = services.vote_close(actor=request.user, vote=vote, counts=counts)
    return {"for": vote.votes_for, "against": vote.votes_against, "abstain": vote.abstain,
            "voters": services.voters(vote), "base": vote.base, "passed": services.passed(vote)}


YearQuery = Annotated[Year | None, Query(description="the year; this year by default")]


@router.get("/units/{unit_id}/absence-alerts", response=dict)
def alerts(request, unit_id: Id, year: YearQuery = None):
    """Members of the unit's cells with three months or more in the year absent without leave
    (or dues unpaid), for the secretary to act on."""
    unit = get_unit_for_user(request, unit_id, MEETINGS_READ)
    found = absence_alerts(unit, year or timezone.localdate().year)
    return {"items": [{"member_id": a.member_id, "months_absent": len(a.months_absent),
                       "months_unpaid": len(a.months_unpaid), "absent": a.months_absent, "unpaid": a.months_unpaid,
                       "unit": a.unit_id} for a in found]}


# --- thematic topics a committee sets for its cells -------------------------------------------

class ThematicPlanIn(InSchema):
    year: Year
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12, description="a month's topic instead of the quarter's")
    topic: str = Field(..., min_length=1, max_length=300)
    document_ids: list[Id] = Field(default_factory=list, max_length=50)
    cell_ids: list[Id] = Field(default_factory=list, max_length=5000,
                               description="only these cells; every cell under the committee then by default")
    note: str = Field("", max_length=4000)
    date_from: Day | None = Field(None, alias="from", description="the suggested window's first day")
    date_to: Day | None = Field(None, alias="to", description="the suggested window's last day")


class ThematicPlanned(Schema):
    id: int
    meetings: int  # the cells asked for a thematic meeting by the plan
    created: bool


class CancelIn(InSchema):
    reason: str = Field(..., min_length=1, max_length=300)


def _plan_out(plan, counts: dict) -> dict:
    return {"id": plan.pk, "unit": plan.unit_id, "year": plan.year, "quarter": plan.quarter,
            "month": plan.month or None, "topic": plan.topic, "note": plan.note,
            "from": plan.window_from, "to": plan.window_to, "status": plan.status,
            "document_ids": sorted(d.pk for d in plan.documents.all()), "counts": counts}


@router.post("/units/{unit_id}/thematic-plans", response={200: ThematicPlanned, 201: ThematicPlanned})
def plan_thematic(request, unit_id: Id, payload: ThematicPlanIn):
    """A committee's thematic topic for a quarter (or a month), for every cell under it then (or
    those of `cell_ids`). 201 when new; planning the same period again changes that plan and
    answers 200 with its id. Documents must be the committee's own or shared from above, and
    cells in the caller's reach, else 404 naming nothing."""
    unit = get_unit_for_user(request, unit_id, MEETINGS_WRITE)
    ids = set(payload.document_ids)
    documents = list(Document.objects.filter(documents_for(unit), pk__in=ids))
    if len(documents) != len(ids):
        raise Http404
    cells = []
    if payload.cell_ids:
        quarter, month, errors = thematic.period_of(payload.year, payload.quarter, payload.month)
        if errors:
            raise ValidationError(errors)
        probe = ThematicPlan(year=payload.year, quarter=quarter, month=month)
        ids = set(payload.cell_ids)
        # under the committee then, or in the caller's reach now (the service refuses the latter
        # by its field when it did not stand under the committee in the period)
        then = thematic.cells_in_period(unit, probe.start, probe.end).filter(pk__in=ids).values("pk")
        reach = OrgUnit.objects.filter(scope_for(request).path_q(MEETINGS_WRITE), pk__in=ids).values("pk")
        cells = list(OrgUnit.objects.filter(Q(pk__in=then) | Q(pk__in=reach)))
        if len(cells) != len(ids):
            raise Http404
    plan, created = thematic.thematic_plan(
        actor=request.user, unit=unit, year=payload.year, quarter=payload.quarter, month=payload.month,
        topic=payload.topic, documents=documents, note=payload.note, window_from=payload.date_from,
        window_to=payload.date_to, cells=cells)
    return Status(201 if created else 200, {"id": plan.pk, "meetings": plan.assignments.count(), "created": created})


@router.get("/units/{unit_id}/thematic-plans", response=dict)
def list_thematic(request, unit_id: Id, year: YearQuery = None):
    """The committee's thematic topics of the year (in force and cancelled), each with how many
    of its cells held, scheduled or have no thematic meeting yet in the period."""
    unit = get_unit_for_user(request, unit_id, MEETINGS_READ)
    plans = list(ThematicPlan.objects.filter(unit=unit, year=year or timezone.localdate().year)
                 .prefetch_related("documents").order_by("quarter", "month", "id")[:200])
    counts = thematic.counts_of_plans(plans)
    return {"items": [_plan_out(p, counts[p.pk]) for p in plans]}


@router.get("/thematic-plans/{plan_id}", response=dict)
def get_thematic(request, plan_id: Id):
    """A thematic topic and, per cell asked, its thematic meeting of the period: held,
    planned (scheduled) or missing, and whether it took the committee's topic."""
    plan = get_plan_for_user(request, plan_id)
    rows = thematic.progress(plan)
    return _plan_out(plan, thematic.counts(rows)) | {"cells": [
        {"unit": r.assignment.unit_id, "status": r.status, "meeting": r.meeting.pk if r.meeting else None,
         "date": r.meeting.date if r.meeting else None, "follows": r.follows} for r in rows]}


@router.post("/thematic-plans/{plan_id}/cancel", response=dict)
def cancel_thematic(request, plan_id: Id, payload: CancelIn):
    """Withdraws the topic: the cells are no longer asked; meetings already scheduled stay."""
    plan = get_plan_for_user(request, plan_id, MEETINGS_WRITE)
    plan = thematic.thematic_plan_cancel(actor=request.user, plan=plan, reason=payload.reason)
    return {"id": plan.pk, "status": plan.status}
