"""Who a round rates, as the tree and the membership stood on the period's last day: every
member of the subtree (those exempted, suspended or admitted less than 6 months before are
listed as not rated, with the reason), and every organisation below the opening committee.
Each subject is rated where it stood that day, and decided by its competent committee."""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from dangvu.evaluation.models import Form, NotRated
from dangvu.orgs.history import exemptions_on
from dangvu.orgs.models import (
    ACTIVE_STATUSES,
    Change,
    Exemption,
    MemberSpan,
    OrgUnit,
    RoleKind,
    UnitKind,
    UnitPlacement,
    UnitRole,
)
from dangvu.orgs.placements import existed, under, valid_on

LEADING_ROLES = (RoleKind.SECRETARY, RoleKind.DEPUTY)
COMMITTEE_ROLES = (RoleKind.SECRETARY, RoleKind.DEPUTY, RoleKind.COMMITTEE)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day where it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Subject:
    member_id: int | None
    unit_id: int | None  # the organisation rated
    at: int  # where it stood: the member's cell, or the unit itself
    decider: int
    form: str
    not_rated: str = ""
    moved_from: int | None = None
    moved_on: datetime.date | None = None


def _tree_on(root: OrgUnit, day: datetime.date) -> dict[str, tuple[int, str, int | None]]:
    """{path: (unit id, kind, parent id)} of the units at or under `root` on `day`."""
    rows = (UnitPlacement.objects.filter(under(root, "path"), valid_on(day), existed(day, day, "unit__"))
            .values_list("path", "unit_id", "kind", "parent_id"))
    return {path: (unit_id, kind, parent) for path, unit_id, kind, parent in rows}


def _above_on(root: OrgUnit, day: datetime.date) -> dict[str, tuple[int, str, int | None]]:
    """The same for the units above `root` that day: a round opened by a đảng bộ bộ phận still
    has its members decided by the đảng ủy cơ sở above it."""
    root_paths = [p for (p,) in UnitPlacement.objects.filter(unit=root).filter(valid_on(day)).values_list("path")]
    above = {p[:n] for p in root_paths for n in range(OrgUnit.steplen, len(p), OrgUnit.steplen)}
    rows = UnitPlacement.objects.filter(valid_on(day), path__in=above).values_list("path", "unit_id", "kind",
                                                                                    "parent_id")
    return {path: (unit_id, kind, parent) for path, unit_id, kind, parent in rows}


def member_decider(cell_path: str, tree: dict, cell_id: int) -> int:
    """The committee that decides a member's level: the đảng ủy cơ sở above the cell (a cell
    with none above it is a chi bộ cơ sở and decides itself), or the cell, by setting."""
    if settings.EVALUATION_MEMBERS_DECIDED_BY == "cell":
        return cell_id
    step = OrgUnit.steplen
    for n in range(len(cell_path) - step, 0, -step):
        found = tree.get(cell_path[:n])
        if found and found[1] == UnitKind.GRASSROOTS:
            return found[0]
    return cell_id


def _branch_on(root: OrgUnit, day: datetime.date, member_id: int) -> dict:
    """The member's cell on `day` and the units above it that day, if the cell stood under
    `root` then (else nothing): all one member's subject needs."""
    cell_id = (MemberSpan.objects.filter(member_id=member_id, status__in=ACTIVE_STATUSES, start__lte=day)
               .filter(Q(end__isnull=True) | Q(end__gt=day)).values_list("unit_id", flat=True).first())
    cell_path = UnitPlacement.objects.filter(valid_on(day), unit_id=cell_id).values_list("path", flat=True).first()
    root_paths = UnitPlacement.objects.filter(valid_on(day), unit=root).values_list("path", flat=True)
    if cell_path is None or not any(cell_path.startswith(p) for p in root_paths):
        return {}
    above = [cell_path[:n] for n in range(OrgUnit.steplen, len(cell_path) + 1, OrgUnit.steplen)]
    rows = UnitPlacement.objects.filter(valid_on(day), path__in=above).values_list("path", "unit_id", "kind",
                                                                                  "parent_id")
    return {path: (unit_id, kind, parent) for path, unit_id, kind, parent in rows}


def _units_of(root: OrgUnit, tree: dict) -> list[Subject]:
    root_paths = [p for p in tree if tree[p][0] == root.pk]
    return [Subject(None, unit_id, unit_id, parent, Form.COLLECTIVE)
            for path, (unit_id, _kind, parent) in sorted(tree.items())
            if path not in root_paths and parent is not None]


def unit_subjects_of(root: OrgUnit, day: datetime.date) -> list[Subject]:
    """The organisations under `root` as of `day` alone (no member read): what a round
    re-lists when units are founded, closed, moved or merged after it opened."""
    return _units_of(root, _tree_on(root, day))


def subjects_of(root: OrgUnit, day: datetime.date, member_id: int | None = None) -> list[Subject]:
    """Every subject under `root` as of `day`; with `member_id`, that member's alone (or none)."""
    if member_id is None:
        tree = _tree_on(root, day)
        known = tree | _above_on(root, day)  # where deciders are looked for
        out = _units_of(root, tree)
    else:
        tree = known = _branch_on(root, day, member_id)
        out = []
    unit_paths = {unit_id: path for path, (unit_id, _k, _p) in tree.items()}
    on_day = MemberSpan.objects.filter(unit_id__in=list(unit_paths), status__in=ACTIVE_STATUSES,
                                       start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))
    if member_id is not None:
        on_day = on_day.filter(member_id=member_id)
    spans = list(on_day.values_list("member_id", "unit_id", "start", "start_change", "from_unit_id",
                                    "member__admission_date").order_by("member_id"))
    in_round = on_day.values("member_id")  # a subquery: never a list of every member's id
    paused = exemptions_on(in_round, day)
    leaders = set(UnitRole.objects.filter(member_id__in=in_round, role__in=LEADING_ROLES, start__lte=day)
                  .filter(Q(end__isnull=True) | Q(end__gte=day)).values_list("member_id", flat=True))
    newest = months_before(day, 6)
    moved_since = months_before(day, 3)
    for member_id, cell_id, start, change, from_unit, admitted in spans:
        reason = (NotRated.EXEMPT if paused.get(member_id) == Exemption.Kind.EXEMPT
                  else NotRated.SUSPENDED if member_id in paused
                  else NotRated.NEW if admitted > newest else "")
        moved = change == Change.TRANSFER and from_unit is not None and start > moved_since
        out.append(Subject(member_id, None, cell_id, member_decider(unit_paths[cell_id], known, cell_id),
                           Form.LEADER if member_id in leaders else Form.MEMBER, reason,
                           from_unit if moved else None, start if moved else None))
    return out
