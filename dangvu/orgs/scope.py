"""Who holds which permission keys where, and the rule every app's access helpers apply.

A user's grants are (unit path, keys) pairs; a grant covers the unit's whole subtree. They come
from the roles the user's member record holds (a cell secretary manages their cell) and from
teams, which are accounts' (installed by `use_team_grants`). Computed once per request.

Outside the user's subtrees, or inside without the key to read that kind of thing: 404,
as if it did not exist (a 403 would tell that it does). Inside, able to read it but not
to do what was asked (a read-only viewer trying to write): 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib.keys import ALL_KEYS, FULL_KEYS, READ_KEYS, ROLE_KEYS, WRITE_KEYS, read_key_for
from dangvu.orgs.models import OrgUnit, UnitRole, UnitSuccession


@dataclass(frozen=True)
class Grant:
    path: str
    keys: frozenset


# The grants a user holds through teams (accounts/permissions.team_grants, set by the accounts
# app: orgs imports nothing from accounts): user → [Grant]. Without it, roles only.
_team_grants: Callable | None = None


def use_team_grants(grants: Callable | None) -> None:
    global _team_grants
    _team_grants = grants


class UserScope:
    """Everything the access helpers need to know about one user."""

    def __init__(self, user):
        self.user = user
        self.is_superuser = bool(user.is_authenticated and user.is_superuser)
        self.grants: list[Grant] = self._load() if user.is_authenticated and not self.is_superuser else []
        self.limit = getattr(user, "api_token_keys", None)  # a read-only API token: its keys at most

    def _load(self) -> list[Grant]:
        grants = list(_team_grants(self.user)) if _team_grants is not None else []
        today = timezone.localdate()
        roles = (UnitRole.objects.filter(member__user=self.user, start__lte=today)
                 .filter(Q(end__isnull=True) | Q(end__gte=today)).select_related("unit"))
        grants += [Grant(r.unit.path, ROLE_KEYS[r.role]) for r in roles if r.role in ROLE_KEYS]
        return grants

    def keys_at(self, path: str) -> frozenset:
        if self.is_superuser:
            keys = FULL_KEYS
        else:
            keys = self._granted_at(path) or self._through_successors(path)
        return keys & self.limit if self.limit is not None else keys

    def _granted_at(self, path: str) -> frozenset:
        keys: set[str] = set()
        for g in self.grants:
            if path.startswith(g.path):
                keys |= g.keys
        return frozenset(keys)

    def _through_successors(self, path: str) -> frozenset:
        """A unit closed by a merge or split (or a unit under it) is read by those who hold
        read keys over a unit that took it over, directly or through later reorganisations:
        its history stays readable after its page left their subtree. Writing stays closed."""
        if not self.grants:
            return frozenset()
        found = getattr(self, "_inherited", None)
        if found is None:
            found = self._inherited = {}
        if path not in found:
            keys: set[str] = set()
            frontier = [path[:n] for n in range(OrgUnit.steplen, len(path) + 1, OrgUnit.steplen)]
            seen = set(frontier)
            for _depth in range(8):  # a chain of reorganisations; more is not a real history
                successors = set(UnitSuccession.objects.filter(predecessor__path__in=frontier,
                                                               predecessor__valid_to__isnull=False)
                                 .values_list("successor__path", flat=True)) - seen
                if not successors:
                    break
                for successor in successors:
                    keys |= self._granted_at(successor)
                seen |= successors
                frontier = list(successors)
            found[path] = frozenset(keys) & READ_KEYS
        return found[path]

    def writes_anywhere(self) -> bool:
        """Whether the user holds a key that changes records anywhere (the second factor may be
        required of such accounts: dangvu/middleware.py)."""
        return self.is_superuser or any(g.keys & WRITE_KEYS for g in self.grants)

    def can(self, key: str, path: str) -> bool:
        return key in self.keys_at(path)

    def sees(self, path: str) -> bool:
        return bool(self.keys_at(path))

    def roots(self, key: str) -> list[str]:
        """Topmost unit paths where the user holds `key`."""
        if self.limit is not None and key not in self.limit:
            return []
        paths = sorted({g.path for g in self.grants if key in g.keys})
        return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]

    def path_q(self, key: str, field: str = "path") -> Q:
        """A filter on a path field: rows inside the user's subtrees for `key`."""
        if self.limit is not None and key not in self.limit:
            return Q(pk__in=[])
        if self.is_superuser:
            return Q()
        roots = self.roots(key)
        if not roots:
            return Q(pk__in=[])
        q = Q()
        for root in roots:
            q |= Q(**{f"{field}__startswith": root})
        return q


def scope_for(request_or_user) -> UserScope:
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None:
        cached = getattr(request, "_dangvu_scope", None)
        if cached is None or cached.user is not request.user:
            cached = UserScope(request.user)
            request._dangvu_scope = cached
        return cached
    return UserScope(request_or_user)


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


def check_grantable(*, actor, path: str, keys) -> None:
    """Keys must exist, and nobody gives rights they do not hold there themselves (a team's
    keys, or those a role grants)."""
    unknown = sorted(set(keys) - set(ALL_KEYS))
    if unknown:
        raise ValidationError({"permissions": _("Unknown permission keys: %(keys)s.") % {"keys": ", ".join(unknown)}})
    if actor is None or not actor.is_authenticated:
        return  # the demo, commands and tests act as the system
    missing = sorted(set(keys) - UserScope(actor).keys_at(path))
    if missing:
        raise ValidationError({"permissions": _("You cannot give rights you do not hold here: %(keys)s.")
                               % {"keys": ", ".join(str(ALL_KEYS[k]) for k in missing)}})
