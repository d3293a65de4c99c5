"""Campaigns, sessions, attendance, essays, the copy check and classes over JSON.

Every endpoint goes through the same access helpers as the pages; figures come
from the same selectors."""

import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.documents.access import documents_offered
from dangvu.lib.api import Count, Id, InSchema, Paginated, Year
from dangvu.lib.ids import resolve_ids
from dangvu.lib.keys import STUDY_READ, STUDY_WRITE
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit
from dangvu.study import services
from dangvu.study.access import get_campaign_for_user, get_session_for_user, sessions_seen_from
from dangvu.study.models import AttendanceStatus, SessionMode
from dangvu.study.selectors import CampaignFigures, campaign_by_unit, campaigns_for_unit, year_summary
from dangvu.study.services import MAX_POINTS

router = Router(tags=["study"])


class FiguresOut(Schema):
    unit_id: Id
    unit_name: str
    eligible: int
    attended: int
    attendance_rate: float | None
    required: int
    submitted: int
    submitted_rate: float | None
    passed: int
    awaiting: int
    returned_now: int
    returned_total: int
    returned_thin: int
    returned_copied: int
    returned_other: int


def _figures(unit: OrgUnit, f: CampaignFigures) -> dict:
    return dict(unit_id=unit.pk, unit_name=unit.name, eligible=f.eligible, attended=f.attended,
                attendance_rate=f.attendance_rate, required=f.required, submitted=f.submitted,
                submitted_rate=f.submitted_rate, passed=f.passed, awaiting=f.awaiting, returned_now=f.returned_now,
                returned_total=f.returned_total,
                # returned_thin, returned_copied, returned_other: by the essays app's reasons (CampaignFigures)
                **{f"returned_{reason}": n for reason, n in f.returned.items()})


class CampaignOut(Schema):
    id: int
    title: str
    unit_id: Id
    start: datetime.date
    end: datetime.date
    essay_required: bool
    essay_deadline: datetime.date | None
    min_words: int


class CampaignDetailOut(CampaignOut):
    document_ids: list[int]
    unit_ids: list[int]
    figures: FiguresOut
    by_unit: list[FiguresOut]


class CampaignIn(InSchema):
    title: str = Field(..., min_length=3, max_length=300)
    document_ids: list[Id] = Field([], max_length=200)
    unit_ids: list[Id] = Field([], max_length=2000)
    start: datetime.date
    end: datetime.date
    essay_required: bool = True
    essay_deadline: datetime.date | None = None
    min_words: int = Field(150, ge=0, le=10_000)


class PointSchema(InSchema):
    name: str = Field(..., min_length=1, max_length=200)
    head_count: Count = 0


class SessionIn(InSchema):
    held_on: datetime.date
    mode: SessionMode = SessionMode.IN_PERSON
    place: str = Field("", max_length=200)
    title: str = Field("", max_length=200)
    points: list[PointSchema] = Field([], max_length=MAX_POINTS)


class SessionOut(Schema):
    id: int
    campaign_id: Id
    unit_id: int | None = Field(None, description="the unit that held a make-up session; null: the organiser")
    held_on: datetime.date
    mode: SessionMode
    place: str
    title: str
    points: list[PointSchema]

    @staticmethod
    def resolve_points(obj):
        return list(obj.points.all())


class AttendanceIn(InSchema):
    marks: dict[Id, AttendanceStatus] = Field(..., max_length=5000,
                                              json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]{0,14}$"}},
                                              description="member id → present, absent or excused")


@router.get("/campaigns", response=list[CampaignOut])
@paginate(Paginated)
def list_campaigns(request, unit: Id):
    return campaigns_for_unit(get_unit_for_user(request, unit, STUDY_READ)).order_by("-start", "-id")


@router.get("/campaigns/{campaign_id}", response=CampaignDetailOut)
def get_campaign(request, campaign_id: Id):
    """The campaign with its figures, clipped to the part of it the caller may see."""
    campaign, root = get_campaign_for_user(request, campaign_id)
    figures, children = campaign_by_unit(campaign, root)
    data = CampaignOut.from_orm(campaign).dict()
    data.update(document_ids=list(campaign.documents.values_list("pk", flat=True)),
                unit_ids=list(campaign.units.values_list("pk", flat=True)),
                figures=_figures(root, figures), by_unit=[_figures(c, f) for c, f in children])
    return data


@router.post("/units/{unit_id}/campaigns", response={201: CampaignOut})
def create_campaign(request, unit_id: Id, payload: CampaignIn):
    unit = get_unit_for_user(request, unit_id, STUDY_WRITE)
    # every submitted id through the scope: documents the unit may study, units under it
    documents = resolve_ids(documents_offered(unit), payload.document_ids, "document_ids")
    units = resolve_ids(OrgUnit.objects.filter(path__startswith=unit.path, valid_to__isnull=True),
                        payload.unit_ids, "unit_ids")
    campaign = services.campaign_create(actor=request.user, unit=unit, title=payload.title, documents=documents,
                                        units=units, start=payload.start, end=payload.end,
                                        essay_required=payload.essay_required,
                                        essay_deadline=payload.essay_deadline, min_words=payload.min_words)
    return Status(201, campaign)


@router.post("/campaigns/{campaign_id}/sessions", response={201: SessionOut})
def create_session(request, campaign_id: Id, payload: SessionIn):
    """By the organiser; by a unit taking part, a make-up session for its own members."""
    campaign, root = get_campaign_for_user(request, campaign_id, STUDY_WRITE)
    session = services.session_record(
        actor=request.user, campaign=campaign, held_on=payload.held_on, mode=payload.mode, place=payload.place,
        title=payload.title, points=[services.PointIn(p.name, p.head_count) for p in payload.points],
        unit=root if root != campaign.unit else None)
    return Status(201, session)


@router.get("/campaigns/{campaign_id}/sessions", response=list[SessionOut])
def list_sessions(request, campaign_id: Id):
    campaign, root = get_campaign_for_user(request, campaign_id)
    return list(sessions_seen_from(campaign, root).prefetch_related("points"))


@router.put("/sessions/{session_id}/attendance", response=dict)
def put_attendance(request, session_id: Id, payload: AttendanceIn):
    """Set attendance for members of the caller's part of the campaign; others are refused."""
    session, root = get_session_for_user(request, session_id, STUDY_WRITE)
    changed = services.attendance_record(actor=request.user, session=session, unit_path=root.path,
                                         marks={k: str(v) for k, v in payload.marks.items()})
    return {"changed": changed}


class YearSummaryOut(Schema):
    unit_id: Id
    year: int
    campaigns: int
    sessions: int
    online_sessions: int
    connection_points: int
    attendances: int
    figures: FiguresOut
    awareness_classes: int
    awareness_enrolled: int
    awareness_completed: int
    new_member_classes: int
    new_member_enrolled: int
    new_member_completed: int


@router.get("/units/{unit_id}/study-summary", response=YearSummaryOut)
def study_summary(request, unit_id: Id, year: Year):
    """The unit's study year as the summary report counts it (the same selector as the page)."""
    unit = get_unit_for_user(request, unit_id, STUDY_READ)
    s = year_summary(unit, year)
    return dict(unit_id=unit.pk, year=year, campaigns=s.campaigns, sessions=s.sessions.sessions,
                online_sessions=s.sessions.online_sessions, connection_points=s.sessions.connection_points,
                attendances=s.sessions.attendances, figures=_figures(unit, s.figures),
                awareness_classes=s.awareness.classes, awareness_enrolled=s.awareness.enrolled,
                awareness_completed=s.awareness.completed, new_member_classes=s.new_members.classes,
                new_member_enrolled=s.new_members.enrolled, new_member_completed=s.new_members.completed)
