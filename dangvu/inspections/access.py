"""Inspections for a user. Read with inspections:read where the subject stands (which covers
the conductor above it), or by the member inspected; planned and recorded with
inspections:write over the conducting unit. A subject is looked up only inside the unit's
subtree and the caller's scope: anything else is 404, whatever its id, and named nowhere."""

import datetime

from django.http import Http404

from dangvu.documents.models import Document
from dangvu.inspections.models import Inspection, PlanItem, Recommendation
from dangvu.lib.keys import INSPECTIONS_READ, INSPECTIONS_WRITE
from dangvu.orgs.access import is_own
from dangvu.orgs.history import unit_on
from dangvu.orgs.models import Member, MemberSpan, OrgUnit, path_prefixes
from dangvu.orgs.scope import check_path, fetch_in_scope, not_found, scope_for

_RELATED = ("unit", "subject_member__unit", "subject_unit", "decision", "decision__unit")


def _is_subject(request, inspection: Inspection) -> bool:
    return is_own(request, inspection.subject_member if inspection.subject_member_id else None)


def get_inspection_for_user(request, pk, key: str = INSPECTIONS_READ) -> Inspection:
    inspection = Inspection.objects.select_related(*_RELATED).filter(pk=pk).first()
    if inspection is None:
        if key == INSPECTIONS_READ:  # the lookup of where a member stood, as for a forbidden one:
            unit_on(Member(pk=0), datetime.date.today())  # the answer's time tells nothing
        not_found(request, key)
    if key == INSPECTIONS_READ and _is_subject(request, inspection):
        return inspection
    if key == INSPECTIONS_READ:
        check_path(request, inspection.subject_path, key)
    else:
        check_path(request, inspection.unit.path, key)
    return inspection


def get_plan_item_for_user(request, pk, key: str = INSPECTIONS_WRITE) -> PlanItem:
    return fetch_in_scope(request, PlanItem.objects.select_related("unit"), pk, key)


def get_recommendation_for_user(request, pk, key: str = INSPECTIONS_WRITE) -> Recommendation:
    return fetch_in_scope(request, Recommendation.objects.select_related("inspection__unit"), pk, key,
                          path=lambda r: r.inspection.unit.path)


def get_subject_for_user(request, unit: OrgUnit, subject: str, pk) -> tuple[Member | None, OrgUnit | None]:
    """The member or the unit a client names, if it lies in `unit`'s subtree and the caller's
    scope; otherwise 404."""
    scope = scope_for(request)
    if subject == "member":
        member = Member.objects.select_related("unit").filter(pk=pk, unit__path__startswith=unit.path).first()
        if member is None or not scope.can(INSPECTIONS_WRITE, member.unit.path):
            raise Http404
        return member, None
    found = OrgUnit.objects.filter(pk=pk, path__startswith=unit.path).first()
    if found is None or not scope.can(INSPECTIONS_WRITE, found.path):
        raise Http404
    return None, found


def get_decision_for_unit(unit: OrgUnit, pk) -> Document:
    """A decision the unit may cite: one registered by the unit, or a shared one of a committee above it."""
    doc = decisions_for_unit(unit).filter(pk=pk).first()
    if doc is None:
        raise Http404
    return doc


def decisions_for_unit(unit: OrgUnit):
    """The unit's own register, and what committees above it shared (never their decisions
    about people: a cell's form once listed the commune's decision naming a sibling's member)."""
    from django.db.models import Q

    return Document.objects.filter(Q(unit=unit) | Q(unit__path__in=path_prefixes(unit.path), shared=True))


def inspections_visible(request, unit: OrgUnit):
    """What a reader of `unit` sees: what the unit and the units below held, and what was held
    about its members and units from above."""
    from django.db.models import Exists, OuterRef, Q

    check_path(request, unit.path, INSPECTIONS_READ)
    # a member inspected while in a unit under `unit` (on the inspection's dates), wherever they are now
    member_was_here = MemberSpan.objects.filter(
        member=OuterRef("subject_member"), unit__path__startswith=unit.path, start__lte=OuterRef("end")).filter(
        Q(end__isnull=True) | Q(end__gt=OuterRef("start")))
    return Inspection.objects.filter(
        Q(unit__path__startswith=unit.path) | Q(subject_unit__path__startswith=unit.path)
        | Exists(member_was_here)).select_related(*_RELATED)


def own_inspections(request):
    """Inspections and supervisions of the logged-in member."""
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is None:
        return Inspection.objects.none()
    return Inspection.objects.filter(subject_member=member).select_related(*_RELATED)
