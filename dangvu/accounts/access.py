"""The rule every app's access helpers apply, and the user's own API tokens.

Outside the user's subtrees, or inside without the key to read that kind of thing: 404,
as if it did not exist (a 403 would tell that it does). Inside, able to read it but not
to do what was asked (a read-only viewer trying to write): 403.
"""

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangvu.accounts.models import ApiToken, Team
from dangvu.accounts.permissions import ACCESS_MANAGE, read_key_for, scope_for


def check_path(request, path: str, key: str) -> None:
    scope = scope_for(request)
    if not scope.sees(path) or not scope.can(read_key_for(key), path):
        raise Http404
    if not scope.can(key, path):
        raise PermissionDenied


NOWHERE = "~~~~"  # a unit path no unit has (treebeard's alphabet has no "~")


def not_found(request, key: str) -> NoReturn:
    """404 for an id that names nothing, after the scope check an id outside the user's rights
    goes through (their grants loaded, the successors of the place looked up): the time of the
    answer does not tell whether the object exists (bench/existence_timing.py)."""
    check_path(request, NOWHERE, key)
    raise Http404


def fetch_in_scope(request, queryset, pk, key: str, path=lambda obj: obj.unit.path):
    """The object of `queryset` with this id, if the user holds `key` where it is (`path`
    gives its unit's path): 404 when it does not exist or lies outside the scope, 403 inside
    without the key. The one shape of every app's "get X for user"."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        not_found(request, key)
    check_path(request, path(obj), key)
    return obj


def get_token_for_user(request, pk) -> ApiToken:
    """A user's own token; anyone else's does not exist for them."""
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    return token


def get_team_for_user(request, pk, key: str = ACCESS_MANAGE) -> Team:
    return fetch_in_scope(request, Team.objects.select_related("unit"), pk, key)
