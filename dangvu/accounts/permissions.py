"""Permission keys and who holds them where.

A user's grants are (unit path, keys) pairs; a grant covers the unit's whole
subtree. They come from teams and from the roles the user's member record holds
(a cell secretary manages their cell). Computed once per request.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

UNITS_READ = "units:read"
UNITS_WRITE = "units:write"
MEMBERS_READ = "members:read"
MEMBERS_WRITE = "members:write"
MEMBERS_IMPORT = "members:import"
AUDIT_READ = "audit:read"
AUDIT_READ_ACCESS = "audit:read_access"
DOCUMENTS_READ = "documents:read"
DOCUMENTS_WRITE = "documents:write"
STUDY_READ = "study:read"
STUDY_WRITE = "study:write"
ESSAYS_REVIEW = "essays:review"
ACCESS_MANAGE = "access:manage"
TARGETS_WRITE = "targets:write"
INSPECTIONS_READ = "inspections:read"
INSPECTIONS_WRITE = "inspections:write"
REPORTS_READ = "reports:read"
REPORTS_WRITE = "reports:write"
EVALUATION_READ = "evaluation:read"
EVALUATION_WRITE = "evaluation:write"
EVALUATION_DECIDE = "evaluation:decide"
MEETINGS_READ = "meetings:read"
MEETINGS_WRITE = "meetings:write"

ALL_KEYS = {
    UNITS_READ: _("View units"),
    UNITS_WRITE: _("Edit, merge and split units"),
    MEMBERS_READ: _("View members"),
    MEMBERS_WRITE: _("Edit members"),
    MEMBERS_IMPORT: _("Import data from Excel"),
    AUDIT_READ: _("View the change log"),
    AUDIT_READ_ACCESS: _("See who read members' records"),
    DOCUMENTS_READ: _("View the document register"),
    DOCUMENTS_WRITE: _("Register documents and allocate their numbers"),
    STUDY_READ: _("View study campaigns, classes, attendance and essays"),
    STUDY_WRITE: _("Organise study campaigns and classes, record attendance"),
    ESSAYS_REVIEW: _("Review essays and run the copy check"),
    ACCESS_MANAGE: _("Manage teams and roles (give others the rights one holds)"),
    TARGETS_WRITE: _("Set targets for the units below"),
    INSPECTIONS_READ: _("View inspections and supervisions"),
    INSPECTIONS_WRITE: _("Plan and record inspections and supervisions"),
    REPORTS_READ: _("Read reports"),
    REPORTS_WRITE: _("Write reports and edit report templates"),
    EVALUATION_READ: _("View evaluation rounds and the levels decided"),
    EVALUATION_WRITE: _("Enter self-assessments and propose levels after the meeting"),
    EVALUATION_DECIDE: _("Open evaluation rounds, set criteria and decide levels"),
    MEETINGS_READ: _("View cell meetings, attendance and minutes"),
    MEETINGS_WRITE: _("Schedule cell meetings, take attendance, write minutes and hold votes"),
}
READ_KEYS = frozenset({UNITS_READ, MEMBERS_READ, AUDIT_READ, DOCUMENTS_READ, STUDY_READ, INSPECTIONS_READ,
                       REPORTS_READ, EVALUATION_READ, MEETINGS_READ})
FULL_KEYS = frozenset(ALL_KEYS)
# Keys that change records. Reading who read whose record is no write, though no read key either:
# it is given to the committee's security officer by a team, never with a role or a viewer's keys.
WRITE_KEYS = FULL_KEYS - READ_KEYS - {AUDIT_READ_ACCESS}

def read_key_for(key: str) -> str:
    """The key to read what `key` acts on: members:write → members:read; essays are study's;
    a key with no reading of its own (access, targets) needs to read the unit."""
    area = "study" if key.startswith("essays:") else key.split(":")[0]
    read = f"{area}:read"
    return read if read in ALL_KEYS else UNITS_READ


# What a role in a unit grants over that unit's subtree. Data, not branching code.
# The log of who read members' records is kept from those whose reads it records: a security officer
# holds it through a team.
ROLE_KEYS = {
    "bi_thu": FULL_KEYS - {AUDIT_READ_ACCESS},
    "pho_bi_thu": FULL_KEYS - {AUDIT_READ_ACCESS},
    "cap_uy_vien": READ_KEYS | {MEMBERS_WRITE},
    "tuyen_giao": READ_KEYS | {STUDY_WRITE, ESSAYS_REVIEW, REPORTS_WRITE},
}


@dataclass(frozen=True)
class Grant:
    path: str
    keys: frozenset


class UserScope:
    """Everything the access helpers need to know about one user."""

    def __init__(self, user):
        self.user = user
        self.is_superuser = bool(user.is_authenticated and user.is_superuser)
        self.grants: list[Grant] = self._load() if user.is_authenticated and not self.is_superuser else []
        self.limit = getattr(user, "api_token_keys", None)  # a read-only API token: its keys at most

    def _load(self) -> list[Grant]:
        from dangvu.orgs.models import UnitRole

        grants = [Grant(t.unit.path, frozenset(t.permissions))
                  for t in self.user.teams.select_related("unit")]
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
            from dangvu.orgs.models import OrgUnit, UnitSuccession

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
