"""Cell meetings over JSON: a stable contract (fields may be added, never renamed)."""

import datetime
from typing import Annotated, Literal

from django.db.models import Q
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from dangvu.accounts.permissions import MEETINGS_READ, MEETINGS_WRITE
from dangvu.documents.access import documents_offered
from dangvu.documents.models import Document
from dangvu.lib.api import Day, Id, InSchema, Year
from dangvu.meetings import services
from dangvu.meetings.access import get_meeting_for_user, get_vote_for_user, own_member
from dangvu.meetings.alerts import absence_alerts
from dangvu.meetings.models import Mark, Meeting
from dangvu.orgs.access import get_unit_for_user

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
    from django.utils import timezone

    unit = get_unit_for_user(request, unit_id, MEETINGS_READ)
    found = absence_alerts(unit, year or timezone.localdate().year)
    return {"items": [{"member_id": a.member_id, "months_absent": len(a.months_absent),
                       "months_unpaid": len(a.months_unpaid), "absent": a.months_absent, "unpaid": a.months_unpaid,
                       "unit": a.unit_id} for a in found]}
