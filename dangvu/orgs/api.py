"""Units and members over JSON, scoped by the same access helper as the pages."""

import datetime
from typing import Literal

from django.db.models import Q
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.accounts.permissions import MEMBERS_WRITE
from dangvu.lib.api import Id, InSchema, Paginated
from dangvu.lib.ids import resolve_ids
from dangvu.lib.vntext import fold
from dangvu.orgs import services
from dangvu.orgs.access import get_member_for_user, get_unit_for_user, scoped_members, scoped_units
from dangvu.orgs.models import Member, MemberStatus, OrgUnit, PersonName, UnitKind
from dangvu.orgs.selectors import member_rollup, member_search

router = Router(tags=["orgs"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    has_committee: bool
    symbol: str
    depth: int
    path: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class UnitCountsOut(UnitOut):
    member_count: int
    full_count: int
    probationary_count: int


def _with_counts(unit, counts) -> dict:
    data = UnitOut.from_orm(unit).dict()
    data.update(member_count=counts.total if counts else 0, full_count=counts.full if counts else 0,
                probationary_count=counts.probationary if counts else 0)
    return data


class MemberOut(Schema):
    id: int
    full_name: str
    date_of_birth: datetime.date
    sex: PersonName.Sex
    admission_date: datetime.date
    official_date: datetime.date | None
    status: MemberStatus
    card_number: str | None
    unit_id: Id
    unit_name: str = Field(..., alias="unit.name")


class MemberIn(InSchema):
    full_name: str = Field(..., min_length=2, max_length=120)
    date_of_birth: datetime.date
    sex: PersonName.Sex
    admission_date: datetime.date
    official_date: datetime.date | None = None
    status: MemberStatus | None = None
    card_number: str | None = Field(None, max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class MemberPatch(InSchema):
    full_name: str | None = Field(None, min_length=2, max_length=120)
    date_of_birth: datetime.date | None = None
    sex: PersonName.Sex | None = None
    admission_date: datetime.date | None = None
    official_date: datetime.date | None = None
    status: MemberStatus | None = None
    card_number: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)


@router.get("/units", response=list[UnitOut])
@paginate(Paginated)
def list_units(request, q: str = "", parent: Id | None = None, active: bool = True):
    units = scoped_units(request).order_by("path")
    if parent is not None:
        parent_unit = get_unit_for_user(request, parent)
        units = units.filter(path__startswith=parent_unit.path, depth=parent_unit.depth + 1)
    if active:
        units = units.filter(valid_to__isnull=True)
    for word in fold(q).split():
        units = units.filter(Q(name_key__contains=" " + word) | Q(code__icontains=word))
    return units


@router.get("/units/{unit_id}", response=UnitCountsOut)
def get_unit(request, unit_id: Id):
    unit = get_unit_for_user(request, unit_id)
    return _with_counts(unit, member_rollup(unit).get(unit.path))


@router.get("/units/{unit_id}/children", response=list[UnitCountsOut])
def unit_children(request, unit_id: Id):
    """Sub-units with member counts rolled up over their subtrees."""
    unit = get_unit_for_user(request, unit_id)
    rollup = member_rollup(unit)
    return [_with_counts(child, rollup.get(child.path))
            for child in OrgUnit.objects.get_children(unit).order_by("path")]


@router.get("/members", response=list[MemberOut])
@paginate(Paginated)
def list_members(request, q: str = "", unit: Id | None = None):
    members = scoped_members(request).select_related("unit")
    if unit is not None:
        members = members.filter(unit__path__startswith=get_unit_for_user(request, unit).path)
    return member_search(members, q)


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request, member_id: Id):
    return get_member_for_user(request, member_id)


@router.post("/units/{unit_id}/members", response={201: MemberOut})
def create_member(request, unit_id: Id, payload: MemberIn):
    unit = get_unit_for_user(request, unit_id, MEMBERS_WRITE)
    member = services.member_create(actor=request.user, unit=unit, **payload.dict())
    return Status(201, Member.objects.select_related("unit").get(pk=member.pk))


@router.patch("/members/{member_id}", response=MemberOut)
def update_member(request, member_id: Id, payload: MemberPatch):
    member = get_member_for_user(request, member_id, MEMBERS_WRITE)
    member = services.member_update(actor=request.user, member=member, **payload.dict(exclude_unset=True))
    return Member.objects.select_related("unit").get(pk=member.pk)


class TransferIn(InSchema):
    unit: Id
    date: datetime.date


class LeaveIn(InSchema):
    reason: Literal["died", "removed", "expelled", "moved_away"]
    date: datetime.date


class FullIn(InSchema):
    date: datetime.date


def _member_out(member):
    return Member.objects.select_related("unit").get(pk=member.pk)


@router.post("/members/{member_id}/transfer", response=MemberOut)
def transfer_member(request, member_id: Id, payload: TransferIn):
    """Chuyển sinh hoạt to another cell within the caller's units, on a date (not in the future)."""
    member = get_member_for_user(request, member_id, MEMBERS_WRITE)
    to_unit = resolve_ids(scoped_units(request, MEMBERS_WRITE), [payload.unit], "unit")[0]
    return _member_out(services.member_transfer(actor=request.user, member=member, to_unit=to_unit,
                                                on_date=payload.date))


@router.post("/members/{member_id}/leave", response=MemberOut)
def member_leaves(request, member_id: Id, payload: LeaveIn):
    """Died, struck off (removed), expelled, or moved out of the system (moved_away), on a date."""
    member = get_member_for_user(request, member_id, MEMBERS_WRITE)
    return _member_out(services.member_leave(actor=request.user, member=member, reason=payload.reason,
                                             on_date=payload.date))


@router.post("/members/{member_id}/full", response=MemberOut)
def member_full(request, member_id: Id, payload: FullIn):
    """Recognised as a full member (chuyển chính thức) on a date."""
    member = get_member_for_user(request, member_id, MEMBERS_WRITE)
    return _member_out(services.member_make_full(actor=request.user, member=member, on_date=payload.date))
