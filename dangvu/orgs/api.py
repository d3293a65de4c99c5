"""Units and members over JSON, scoped by the same access helper as the pages."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StringConstraints

from dangvu.audit.reads import API, record_read
from dangvu.lib.api import Id, InSchema, Paginated
from dangvu.lib.concurrency import EditConflict, claim_version, conflict_answer
from dangvu.lib.ids import resolve_ids
from dangvu.lib.keys import MEMBERS_WRITE, UNITS_WRITE
from dangvu.lib.vntext import fold
from dangvu.orgs import services
from dangvu.orgs.access import get_member_for_user, get_unit_for_user, scoped_members, scoped_units
from dangvu.orgs.models import ACTIVE_STATUSES, Member, MemberStatus, OrgUnit, PersonName, UnitKind
from dangvu.orgs.reorganise import MAX_PARTS
from dangvu.orgs.scope import check_path
from dangvu.orgs.selectors import member_counts, member_search

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
    version: int = Field(..., description="counts the member's saves: send it back with PATCH")


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
    version: int | None = Field(None, ge=0, le=2**31 - 1, description=(
        "the version you read; if the member was saved since, 409 and nothing is saved"))


class ConflictOut(Schema):
    detail: str
    version: int | None = Field(None, description="the record's version now: read it again, then send your changes")


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
    return _with_counts(unit, member_counts(unit).get(unit.path))


@router.get("/units/{unit_id}/children", response=list[UnitCountsOut])
def unit_children(request, unit_id: Id):
    """Sub-units with member counts rolled up over their subtrees."""
    unit = get_unit_for_user(request, unit_id)
    counts = member_counts(unit)
    return [_with_counts(child, counts.get(child.path))
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
    member = get_member_for_user(request, member_id)
    record_read(request, member, API)  # who read whose record, for the security officer
    return member


@router.post("/units/{unit_id}/members", response={201: MemberOut})
def create_member(request, unit_id: Id, payload: MemberIn):
    unit = get_unit_for_user(request, unit_id, MEMBERS_WRITE)
    member = services.member_create(actor=request.user, unit=unit, **payload.dict())
    return Status(201, Member.objects.select_related("unit").get(pk=member.pk))


@router.patch("/members/{member_id}", response={200: MemberOut, 409: ConflictOut})
def update_member(request, member_id: Id, payload: MemberPatch):
    """With `version` (as read), a change someone else saved since is never overwritten: 409."""
    member = get_member_for_user(request, member_id, MEMBERS_WRITE)
    values = payload.dict(exclude_unset=True)
    opened = values.pop("version", None)
    try:
        with transaction.atomic():
            claim_version(Member, member.pk, opened)
            member = services.member_update(actor=request.user, member=member, **values)
    except EditConflict as exc:
        return Status(409, conflict_answer(exc))
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


# --- reorganising: merge, split, move ----------------------------------------
#
# The caller holds units:write over every unit that changes (404 outside their units, 403
# inside without the key, as get_unit_for_user answers). Every id in the body is first looked
# up in the caller's units: one outside them does not exist for the caller (404, naming
# nothing); one inside them that is not a choice here (a unit not directly under the
# committee, a member of another cell) is refused on its field, naming only the id sent.

MAX_REORGANISED = 2000  # members or sub-units carried in one request

UnitName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UnitCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class MergeIn(InSchema):
    unit_ids: list[Id] = Field(..., max_length=MAX_REORGANISED)
    name: UnitName
    code: UnitCode
    date: datetime.date


class SplitPartIn(InSchema):
    name: UnitName
    code: UnitCode
    member_ids: list[Id] = Field([], max_length=MAX_REORGANISED)
    child_ids: list[Id] = Field([], max_length=MAX_REORGANISED)
    has_committee: bool = False


class SplitIn(InSchema):
    date: datetime.date
    parts: list[SplitPartIn] = Field(..., max_length=MAX_PARTS)


class MoveIn(InSchema):
    parent_id: Id
    date: datetime.date


class IdOut(Schema):
    id: int


class IdsOut(Schema):
    ids: list[int]


def _in_subtree(scoped, ids, field: str) -> None:
    """404 when any id is not in `scoped` (the caller's units or members): resolve_ids would
    name it on its field, but an id outside the caller's units is one that does not exist."""
    try:
        resolve_ids(scoped, ids, field)
    except ValidationError:
        raise Http404 from None


@router.post("/units/{parent_id}/merge", response={201: IdOut})
def merge_units(request, parent_id: Id, payload: MergeIn):
    """Merge units directly under this committee into one new unit, from a date (not in the future)."""
    parent = get_unit_for_user(request, parent_id, UNITS_WRITE)
    _in_subtree(scoped_units(request), payload.unit_ids, "unit_ids")
    # under the committee, so under its units:write
    units = resolve_ids(OrgUnit.objects.get_children(parent).filter(valid_to__isnull=True),
                        payload.unit_ids, "unit_ids")
    new = services.unit_merge(actor=request.user, units=units, name=payload.name, code=payload.code,
                              on_date=payload.date, parent=parent)
    return Status(201, {"id": new.pk})


@router.post("/units/{unit_id}/split", response={201: IdsOut})
def split_unit(request, unit_id: Id, payload: SplitIn):
    """Split a unit into several, from a date: each active member and sub-unit goes to exactly one part."""
    unit = get_unit_for_user(request, unit_id, UNITS_WRITE)
    parent = OrgUnit.objects.get_parent(unit)
    if parent is not None:
        check_path(request, parent.path, UNITS_WRITE)  # the new units are the parent's
    member_ids = [pk for part in payload.parts for pk in part.member_ids]
    child_ids = [pk for part in payload.parts for pk in part.child_ids]
    _in_subtree(scoped_members(request), member_ids, "member_ids")
    _in_subtree(scoped_units(request), child_ids, "child_ids")
    resolve_ids(Member.objects.filter(unit=unit, status__in=ACTIVE_STATUSES), member_ids, "member_ids")
    resolve_ids(OrgUnit.objects.get_children(unit).filter(valid_to__isnull=True), child_ids, "child_ids")
    parts = [services.SplitPart(name=part.name, code=part.code, member_ids=part.member_ids,
                                child_ids=part.child_ids, has_committee=part.has_committee)
             for part in payload.parts]
    created = services.unit_split(actor=request.user, unit=unit, parts=parts, on_date=payload.date)
    return Status(201, {"ids": [new.pk for new in created]})


@router.post("/units/{unit_id}/move", response=IdOut)
def move_unit(request, unit_id: Id, payload: MoveIn):
    """Place a unit, with everything under it, under another committee from a date."""
    unit = get_unit_for_user(request, unit_id, UNITS_WRITE)
    old_parent = OrgUnit.objects.get_parent(unit)
    if old_parent is not None:
        check_path(request, old_parent.path, UNITS_WRITE)  # the committee that loses it
    parent = get_unit_for_user(request, payload.parent_id, UNITS_WRITE)
    moved = services.unit_move(actor=request.user, unit=unit, parent=parent, on_date=payload.date)
    return {"id": moved.pk}
