"""The essays API: a campaign's essays, handing one in, review, and the copy check."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.essays import services as essay_services
from dangvu.essays.access import get_essay_for_user, get_own_campaign, get_scan_for_user
from dangvu.essays.models import Essay, EssayStatus, IntegrityScan, ReturnReason
from dangvu.essays.services import MAX_ESSAY_CHARS
from dangvu.lib.api import Id, InSchema, Paginated
from dangvu.lib.keys import ESSAYS_REVIEW, STUDY_WRITE
from dangvu.orgs.access import get_member_for_user
from dangvu.orgs.scope import check_path
from dangvu.study.access import get_campaign_for_user
from dangvu.study.services import eligible_members

router = Router(tags=["essays"])


class EssayOut(Schema):
    id: int
    campaign_id: Id
    member_id: Id
    member_name: str = Field(..., alias="member.full_name")
    status: EssayStatus
    version: int
    return_reason: str
    reviewer_note: str
    submitted_at: datetime.datetime


class EssayIn(InSchema):
    member_id: Id | None = Field(None, description="leave out to submit your own essay")
    text: str = Field(..., min_length=1, max_length=MAX_ESSAY_CHARS)


class ReviewIn(InSchema):
    accept: bool
    reason: ReturnReason | None = None
    note: str = Field("", max_length=500)


class ScanOut(Schema):
    id: int
    campaign_id: Id
    status: IntegrityScan.Status
    essays: int
    pairs: list[dict]
    thin: list[int]
    clusters: list[list[int]]

    @staticmethod
    def resolve_pairs(obj):
        return [p.as_dict() for p in obj.found_pairs.order_by("n")]

    @staticmethod
    def resolve_thin(obj):
        return (obj.result or {}).get("thin", [])

    @staticmethod
    def resolve_clusters(obj):
        return (obj.result or {}).get("clusters", [])


@router.get("/campaigns/{campaign_id}/essays", response=list[EssayOut])
@paginate(Paginated)
def list_essays(request, campaign_id: Id, status: EssayStatus | None = None):
    campaign, root = get_campaign_for_user(request, campaign_id)
    essays = Essay.objects.filter(campaign=campaign, member__in=eligible_members(campaign, root)).select_related("member")
    if status:
        essays = essays.filter(status=status)
    return essays.order_by("member__sort_key", "pk")


@router.post("/campaigns/{campaign_id}/essays", response={201: EssayOut})
def submit_essay(request, campaign_id: Id, payload: EssayIn):
    """A member submits their own essay; someone with study:write over the member may submit for them."""
    own = getattr(request.user, "member", None)
    if payload.member_id is None or (own is not None and own.pk == payload.member_id):
        try:
            campaign, member = get_own_campaign(own, campaign_id), own
        except Http404:
            get_campaign_for_user(request, campaign_id)  # 404 for strangers, 403 for those who only read it
            raise PermissionDenied from None
    else:
        campaign, _root = get_campaign_for_user(request, campaign_id)
        member = get_member_for_user(request, payload.member_id)
        check_path(request, member.unit.path, STUDY_WRITE)
    essay = essay_services.essay_submit(actor=request.user, campaign=campaign, member=member, text=payload.text,
                                  own=member == own)
    return Status(201, Essay.objects.select_related("member").get(pk=essay.pk))


@router.get("/essays/{essay_id}", response=EssayOut)
def get_essay(request, essay_id: Id):
    return get_essay_for_user(request, essay_id)


@router.post("/essays/{essay_id}/review", response=EssayOut)
def review_essay(request, essay_id: Id, payload: ReviewIn):
    essay = get_essay_for_user(request, essay_id, ESSAYS_REVIEW)
    essay_services.essay_review(actor=request.user, essay=essay, accept=payload.accept,
                          reason=payload.reason or "", note=payload.note)
    return Essay.objects.select_related("member").get(pk=essay.pk)


@router.post("/campaigns/{campaign_id}/scans", response={202: ScanOut})
def start_scan(request, campaign_id: Id):
    campaign, _root = get_campaign_for_user(request, campaign_id, ESSAYS_REVIEW, organiser=True)
    return Status(202, essay_services.scan_request(actor=request.user, campaign=campaign))


@router.get("/scans/{scan_id}", response=ScanOut)
def get_scan(request, scan_id: Id):
    scan, _root = get_scan_for_user(request, scan_id, organiser=True)
    return scan
