"""Fetching units, members and import jobs for a user (see accounts.access.check_path)."""

from django.http import Http404

from dangvu.accounts.access import check_path, fetch_in_scope
from dangvu.accounts.permissions import ACCESS_MANAGE, MEMBERS_IMPORT, MEMBERS_READ, UNITS_READ, scope_for
from dangvu.orgs.models import ImportJob, Member, OrgUnit, UnitRole


def get_unit_for_user(request, pk, key: str = UNITS_READ) -> OrgUnit:
    return fetch_in_scope(request, OrgUnit.objects.all(), pk, key, path=lambda unit: unit.path)


def is_own(request, member: Member | None) -> bool:
    """Whether `member` is the signed-in user: everyone reads their own record (their member
    page, essays, inspections of them), the one rule every app's access module asks."""
    return bool(member is not None and member.user_id and request.user.is_authenticated
                and member.user_id == request.user.id)


def own_member(request) -> Member | None:
    """The member the signed-in user is, if any."""
    return getattr(request.user, "member", None) if request.user.is_authenticated else None


def get_member_for_user(request, pk, key: str = MEMBERS_READ) -> Member:
    member = Member.objects.select_related("unit").filter(pk=pk).first()
    if member is None:
        raise Http404
    if key == MEMBERS_READ and is_own(request, member):
        return member
    check_path(request, member.unit.path, key)
    return member


def get_import_job_for_user(request, pk) -> ImportJob:
    return fetch_in_scope(request, ImportJob.objects.defer("content").select_related("unit"), pk, MEMBERS_IMPORT)


def scoped_units(request, key: str = UNITS_READ):
    return OrgUnit.objects.filter(scope_for(request).path_q(key))


def scoped_members(request, key: str = MEMBERS_READ):
    return Member.objects.filter(scope_for(request).path_q(key, "unit__path"))


def get_role_for_user(request, pk, key: str = ACCESS_MANAGE) -> UnitRole:
    return fetch_in_scope(request, UnitRole.objects.select_related("unit", "member"), pk, key)
