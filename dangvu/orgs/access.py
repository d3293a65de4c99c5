"""Fetching units, members and import jobs for a user (the rule: orgs/scope.py's check_path)."""


from dangvu.lib.keys import (
    ACCESS_MANAGE,
    DOCUMENTS_READ,
    MEMBERS_IMPORT,
    MEMBERS_READ,
    MEMBERS_WRITE,
    UNITS_READ,
)
from dangvu.orgs.models import Candidate, ImportJob, Member, OrgUnit, UnitRole, path_prefixes
from dangvu.orgs.scope import check_path, fetch_in_scope, not_found, scope_for


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
        not_found(request, key)
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


def get_candidate_for_user(request, pk, key: str = MEMBERS_READ) -> Candidate:
    """An admission candidate: read with members:read over their cell, changed with members:write."""
    return fetch_in_scope(request, Candidate.objects.select_related("unit", "member__unit"), pk, key)


def decisions_for_user(request, unit: OrgUnit):
    """The decisions a change at `unit` may cite: documents issued and in force, in the registers
    of the unit and of the committees above it that the user reads, the latest first."""
    from django.apps import apps  # documents stand above orgs (pyproject's layers)

    scope = scope_for(request)
    registers = [path for path in path_prefixes(unit.path) if scope.can(DOCUMENTS_READ, path)]
    return (apps.get_model("documents", "Document").objects
            .filter(unit__path__in=registers, direction="issued", withdrawn_on__isnull=True)
            .select_related("unit").order_by("-issued_on", "-id"))


# Who may erase personal data (accounts/erasure.py): the pages of members and candidates ask too.
def _committee_path(cell: OrgUnit) -> str:
    """The unit above the cell: erasing is that committee's decision, not the cell's."""
    return cell.path[:-OrgUnit.steplen]


def _may_erase_in(request, cell: OrgUnit) -> bool:
    """Whether the user edits members in the committee above `cell` (no query: the scope is the request's)."""
    above = _committee_path(cell)
    return bool(above) and scope_for(request).can(MEMBERS_WRITE, above)


def may_erase(request, member: Member) -> bool:
    """Whether the user may erase this member's personal data (the member comes with its unit)."""
    return _may_erase_in(request, member.unit)


def may_erase_candidate(request, candidate: Candidate) -> bool:
    """The members' rule: an officer editing members in the committee above the candidate's cell."""
    return _may_erase_in(request, candidate.unit)
