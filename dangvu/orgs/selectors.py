"""Reads that roll up the tree. Pages, the API, exports and reports call these,
so a figure is computed in one place."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.lib.vntext import fold
from dangvu.orgs.models import ACTIVE_STATUSES, Member, OrgUnit


@dataclass
class MemberCounts:
    total: int = 0
    full: int = 0
    probationary: int = 0


def active_units(qs: QuerySet | None = None, on: datetime.date | None = None) -> QuerySet:
    qs = OrgUnit.objects.all() if qs is None else qs
    on = on or datetime.date.today()
    return qs.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


MEMBER_MEASURES = ("members.total", "members.full", "members.probationary")  # MemberCounts' fields, in order


class UnitCounts(dict):
    """{path: MemberCounts}, and `stamp`: when they were counted (figures/store.Stamp), which the
    unit page shows as the dashboard does (a change is being counted for a few seconds)."""
    stamp = None


def member_counts(unit: OrgUnit) -> UnitCounts:
    """Members today of `unit` and of each unit directly under it, each with its subtree, keyed by
    path: the measures members.total, .full and .probationary (the dashboard's rule, kept like
    every figure), never a second count of their own."""
    today = timezone.localdate()
    table = measures.compute_all(unit, Period(today, today), [measures.get(k) for k in MEMBER_MEASURES], levels=1)
    out = UnitCounts({path: MemberCounts(*(int(table[k][path].value) if path in table[k] else 0
                                           for k in MEMBER_MEASURES))
                      for path in set().union(*table.values())})
    out.stamp = table.stamp
    return out


def unit_overview(unit: OrgUnit) -> dict:
    """What the unit page shows: sub-units with rolled-up counts, in a fixed number of queries."""
    counts = member_counts(unit)
    children = list(OrgUnit.objects.get_children(unit).order_by("path"))
    direct = Member.objects.filter(unit=unit, status__in=ACTIVE_STATUSES).count()
    cells = active_units(OrgUnit.objects.get_descendants(unit)).filter(kind="cell").count()
    return {
        "counts": counts.get(unit.path, MemberCounts()),
        "children": [(child, counts.get(child.path, MemberCounts())) for child in children],
        "direct_members": direct,
        "cell_count": cells,  # every cell of the subtree, not only those directly under it
        "direct_units": sum(1 for child in children if child.valid_to is None),
        "stamp": counts.stamp,
    }


def word_start_filter(qs: QuerySet, key_field: str, query: str) -> QuerySet:
    """Each word of the query, folded, must start a word of `key_field`, a search_key()
    (folded, with a leading space so that " word" matches only at a word start)."""
    for word in fold(query).split():
        qs = qs.filter(**{f"{key_field}__contains": " " + word})
    return qs


def member_search(qs: QuerySet, query: str = "") -> QuerySet:
    """Accent- and case-insensitive, each word matching the start of a word of the name:
    "nguyen van an" finds "Nguyễn Văn An", "hoà" finds "Lê Thị Hòa"."""
    return word_start_filter(qs, "name_key", query).order_by("sort_key", "id")


def members_in_subtree(unit: OrgUnit, *, include_inactive: bool = False) -> QuerySet:
    qs = Member.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    if not include_inactive:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    return qs
