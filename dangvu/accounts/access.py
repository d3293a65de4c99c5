"""The one place that fetches an object for a user.

Outside the user's subtrees: 404, as if it did not exist. Inside, without the
needed key (a read-only viewer trying to write): 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangvu.accounts.permissions import MEMBERS_READ, UNITS_READ, scope_for
from dangvu.orgs.models import Member, OrgUnit


def check_path(request, path: str, key: str) -> None:
    scope = scope_for(request)
    if not scope.sees(path):
        raise Http404
    if not scope.can(key, path):
        raise PermissionDenied


def get_unit_for_user(request, pk, key: str = UNITS_READ) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    check_path(request, unit.path, key)
    return unit


def get_member_for_user(request, pk, key: str = MEMBERS_READ) -> Member:
    member = Member.objects.select_related("unit").filter(pk=pk).first()
    if member is None:
        raise Http404
    if key == MEMBERS_READ and member.user_id and member.user_id == request.user.id:
        return member  # everyone may read their own record
    check_path(request, member.unit.path, key)
    return member


def scoped_units(request, key: str = UNITS_READ):
    return OrgUnit.objects.filter(scope_for(request).path_q(key))


def scoped_members(request, key: str = MEMBERS_READ):
    return Member.objects.filter(scope_for(request).path_q(key, "unit__path"))
