"""The dated tree: where each unit stood, day by day (UnitPlacement), and how figures find it.

A fact (a session, an essay, a stretch of membership) belongs to a unit on a day. The
roll-up counts it for the units above that unit *on that day*: a merge on 1/7/2025 moves a
cell under the new commune from that day, and the cell's facts of 2024 still count for the
old commune. Placements give each unit a path per stretch of days; paths are never reused,
so a fact's placement path on its day names the units above it then by its prefixes, and
the roll-up (lib/rollup.py) turns them into today's units through `translation`.

Measures use three things from here: `placed_path` (the path of a fact's unit on the fact's
day, as an annotation), `under` (that path lies under a unit as it stood then) and
`translation` (the dated tree the roll-up reads, carried by each measure Query).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Length, Substr
from django.utils.translation import gettext as _

from dangvu.lib import rollup
from dangvu.lib.measures import memoised
from dangvu.orgs.models import OrgUnit, UnitPlacement

STEP = OrgUnit.steplen
# A unit's first placement reaches back to this day, not to its founding date: `valid_from` is
# often the day the unit was entered or the 2025 reorganisation, while the history of its
# members goes back decades. Before its first reorganisation a unit stood where it was entered.
EARLIEST = datetime.date(1930, 2, 3)


# --- paths ---------------------------------------------------------------------------------

def _step_int(step: str) -> int:
    return int(step, 36)


def _step_str(n: int) -> str:
    alphabet = OrgUnit.alphabet
    out = ""
    while n:
        n, digit = divmod(n, len(alphabet))
        out = alphabet[digit] + out
    return out.rjust(STEP, alphabet[0])


def next_child_path(parent_path: str) -> str:
    """A path for a new child of `parent_path` ("" for a root) that no unit has ever had:
    past the last child today and the last placement ever made under it, so a path freed by a
    move is never given to another unit (its past facts would then count for the new one)."""
    length = len(parent_path) + STEP
    current = (OrgUnit.objects.filter(path__startswith=parent_path, depth=length // STEP)
               .aggregate(m=Max("path"))["m"])
    placed = (UnitPlacement.objects.filter(path__startswith=parent_path).annotate(n=Length("path"))
              .filter(n=length).aggregate(m=Max("path"))["m"])
    last = max((p for p in (current, placed) if p), default=None)
    return parent_path + _step_str(_step_int(last[-STEP:]) + 1 if last else 1)


def create_node(parent: OrgUnit | None, values: dict) -> OrgUnit:
    """A new unit at the next never-used path under `parent`, with its first placement."""
    path = next_child_path(parent.path if parent else "")
    unit = OrgUnit(path=path, depth=len(path) // STEP, numchild=0, **values)
    unit.save()
    if parent is not None:
        OrgUnit.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    UnitPlacement.objects.create(unit=unit, path=path, parent=parent, kind=unit.kind,
                                 has_committee=unit.has_committee, start=EARLIEST)
    return unit


def place_new(units) -> None:
    """First placements for units made in bulk (the demo): each where it stands, from its founding."""
    units = list(units)
    ids = dict(OrgUnit.objects.filter(path__in={u.path[:-STEP] for u in units}).values_list("path", "pk"))
    UnitPlacement.objects.bulk_create(
        (UnitPlacement(unit=u, path=u.path, parent_id=ids.get(u.path[:-STEP]), kind=u.kind,
                       has_committee=u.has_committee, start=EARLIEST,
                       end=u.valid_to + datetime.timedelta(days=1) if u.valid_to else None)
         for u in units), batch_size=2000)


def move_node(unit: OrgUnit, parent: OrgUnit, on_date: datetime.date) -> OrgUnit:
    """Put `unit` (and everything under it) under `parent` from `on_date`: today's paths are
    rewritten, and the open placements of the moved units close and reopen at the new paths,
    so the days before keep the old ones."""
    unit = OrgUnit.objects.get(pk=unit.pk)
    old_parent = OrgUnit.objects.get_parent(unit)
    old, new = unit.path, next_child_path(parent.path)
    OrgUnit.objects.filter(path__startswith=old).update(
        path=Concat(Value(new), Substr("path", len(old) + 1)), depth=F("depth") + (len(new) - len(old)) // STEP)
    if old_parent is not None:
        OrgUnit.objects.filter(pk=old_parent.pk).update(numchild=F("numchild") - 1)
    OrgUnit.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    moved = OrgUnit.objects.filter(path__startswith=new, valid_to__isnull=True)
    replace(moved, on_date, parents={unit.pk: parent.pk})
    return OrgUnit.objects.get(pk=unit.pk)


def replace(units, on_date: datetime.date, parents: dict[int, int] | None = None) -> None:
    """Close the open placements of `units` the day before `on_date` and open ones that
    describe the units as they are now (path, parent, kind, chi ủy) from `on_date`. A
    placement opened on that very day is corrected in place (nothing happened under it).
    A fixed number of queries however many units move (a district's thousands of cells)."""
    units = list(units)
    open_ones = {pl.unit_id: pl for pl in UnitPlacement.objects.filter(unit__in=units, end__isnull=True)}
    parent_ids = dict(OrgUnit.objects.filter(path__in={u.path[:-STEP] for u in units}).values_list("path", "pk"))
    parent_of = {u.pk: parent_ids.get(u.path[:-STEP]) for u in units} | dict(parents or {})
    closing, opened, corrected = [], [], []
    for unit in units:
        now = dict(path=unit.path, parent_id=parent_of[unit.pk], kind=unit.kind, has_committee=unit.has_committee)
        current = open_ones.get(unit.pk)
        if current is not None and all(getattr(current, k) == v for k, v in now.items()):
            continue
        if current is not None and current.start >= on_date:
            for key, value in now.items():
                setattr(current, key, value)
            corrected.append(current)
            continue
        if current is not None:
            closing.append(current.pk)
        opened.append(UnitPlacement(unit=unit, start=on_date, **now))
    UnitPlacement.objects.filter(pk__in=closing).update(end=on_date)
    UnitPlacement.objects.bulk_update(corrected, ["path", "parent_id", "kind", "has_committee"], batch_size=1000)
    UnitPlacement.objects.bulk_create(opened, batch_size=1000)


def check_after_last_change(unit: OrgUnit, on_date: datetime.date) -> None:
    """A reorganisation is recorded in order: after the last one of the unit and of every unit
    under it (a back-dated one would rewrite where they stood since). Members admitted or moved
    in after the date simply follow their unit (services._reorganise_spans)."""
    units = OrgUnit.objects.filter(path__startswith=unit.path).values("pk")
    last = UnitPlacement.objects.filter(unit__in=units).aggregate(m=Max("start"))["m"]
    if last is not None and on_date <= last:
        raise ValidationError({"date": _("“%(name)s” or a unit under it was reorganised on %(d)s: a later "
                                         "reorganisation is dated after that.")
                               % {"name": unit.name, "d": last.strftime("%d/%m/%Y")}})


def follow_end(unit: OrgUnit) -> None:
    """A dissolution date entered or corrected by hand ends the unit's last placement the day
    after it (or reopens it when cleared)."""
    last = UnitPlacement.objects.filter(unit=unit).order_by("-start").first()
    end = unit.valid_to + datetime.timedelta(days=1) if unit.valid_to else None
    if last is not None and last.end != end:
        if end is not None and end <= last.start:
            raise ValidationError({"valid_to": _("The unit was placed where it is on %(d)s: it cannot end before "
                                                 "that.") % {"d": last.start.strftime("%d/%m/%Y")}})
        UnitPlacement.objects.filter(pk=last.pk).update(end=end)


def close(unit: OrgUnit, on_date: datetime.date) -> None:
    """The unit ceases on the day before `on_date`."""
    UnitPlacement.objects.filter(unit=unit, end__isnull=True).update(end=on_date)


def children_during(unit: OrgUnit, start: datetime.date, end: datetime.date) -> list[OrgUnit]:
    """The units placed directly under `unit` at some time between `start` and `end`: a commune
    merged away shows for its past years, a cell moved in only from the day it came."""
    ids = (UnitPlacement.objects.filter(parent=unit, start__lte=end).filter(Q(end__isnull=True) | Q(end__gt=start))
           .values("unit_id"))
    return list(OrgUnit.objects.filter(pk__in=ids).filter(existed(start, end)).order_by("path"))


def existed(start: datetime.date, end: datetime.date, field: str = "") -> Q:
    """Units founded by `end` and not dissolved before `start`."""
    return (Q(**{f"{field}valid_from__lte": end})
            & (Q(**{f"{field}valid_to__isnull": True}) | Q(**{f"{field}valid_to__gte": start})))


def branches_on(root: OrgUnit, day: datetime.date) -> dict[int, int]:
    """{unit id: id of the unit directly under `root` it stood under on `day`} for the units
    under root that day (a unit directly under root is its own branch)."""
    rows = list(UnitPlacement.objects.filter(under(root, "path"), valid_on(day)).values_list("unit_id", "path"))
    top = {p for p in epochs(root) if any(path.startswith(p) for _u, path in rows)}
    unit_of = dict((path, unit_id) for unit_id, path in rows)
    out = {}
    for unit_id, path in rows:
        for p in top:
            if path.startswith(p) and len(path) > len(p):
                branch = unit_of.get(path[:len(p) + STEP])
                if branch is not None:
                    out[unit_id] = branch
    return out


def _paths_above(unit: OrgUnit) -> set[str]:
    """The paths of the units above `unit`, and its own, at any time."""
    return {path[:n] for path in epochs(unit) for n in range(STEP, len(path) + 1, STEP)}


def units_ever_above(unit: OrgUnit):
    """A subquery: the ids of units that were above `unit` (or were it) at some time."""
    return UnitPlacement.objects.filter(path__in=_paths_above(unit)).values("unit_id")


def units_on(unit: OrgUnit, day: datetime.date, **placement_filters) -> list[tuple[int, str, bool]]:
    """(id, today's path, chi ủy then) of the units under `unit` as the tree stood on `day`,
    with the kind and chi ủy they had that day (`placement_filters`: kind=…, has_committee=…)."""
    return list(UnitPlacement.objects.filter(under(unit, "path"), valid_on(day), existed(day, day, "unit__"),
                                             **placement_filters)
                .order_by("unit__path").values_list("unit_id", "unit__path", "has_committee"))


# --- where facts stood ----------------------------------------------------------------------

def paths_of_units(unit_ids) -> dict[int, list[str]]:
    """Every path each of these units has had, in one query."""
    found: dict[int, list[str]] = {pk: [] for pk in unit_ids}
    for unit_id, path in UnitPlacement.objects.filter(unit_id__in=list(found)).values_list("unit_id", "path"):
        found[unit_id].append(path)
    return found


def paths_during(unit_ids, start: datetime.date, end: datetime.date) -> dict[int, list[str]]:
    """The paths these units had at some time from `start` to `end`, in one query."""
    found: dict[int, list[str]] = {pk: [] for pk in unit_ids}
    for unit_id, path in (UnitPlacement.objects.filter(unit_id__in=list(found), start__lte=end)
                          .filter(Q(end__isnull=True) | Q(end__gt=start)).values_list("unit_id", "path")):
        found[unit_id].append(path)
    return found


def epochs(unit: OrgUnit) -> list[str]:
    """Every path the unit has had (most units: one); read once per computation of figures."""
    def read():
        found = sorted(set(UnitPlacement.objects.filter(unit=unit).values_list("path", flat=True)))
        return found or [unit.path]
    return memoised(("epochs", unit.pk, unit.path), read)


def _day(day):
    """A field of the outer row (a name) or a fixed date."""
    return OuterRef(day) if isinstance(day, str) else day


def valid_on(day, day_before: bool = False) -> Q:
    """Placements in force on `day` (with `day_before`: on the day before it, for the unit a
    stretch of membership ended in)."""
    d = _day(day)
    if day_before:
        return Q(start__lt=d) & (Q(end__isnull=True) | Q(end__gte=d))
    return Q(start__lte=d) & (Q(end__isnull=True) | Q(end__gt=d))


def placed_path(unit_ref: str, day, day_before: bool = False) -> Subquery:
    """The path of the row's unit (`unit_ref`, a field or annotation name) on `day`."""
    return Subquery(UnitPlacement.objects.filter(valid_on(day, day_before), unit=OuterRef(unit_ref))
                    .values("path")[:1])


def placed_field(unit_ref: str, day, field: str) -> Subquery:
    """What the row's unit was on `day` (its kind, whether it had a chi ủy)."""
    return Subquery(UnitPlacement.objects.filter(valid_on(day), unit=OuterRef(unit_ref)).values(field)[:1])


def placed(rows, unit: OrgUnit, unit_ref: str, day, day_before: bool = False):
    """`rows` whose unit (`unit_ref`) stood under `unit` on `day` (a field of the row or a
    date), with that day's path as `at`: one join to the unit's placements, the conditions in
    one filter so that they hold for the same placement (placements of a unit do not overlap:
    a row meets at most one), so the databases plan it as a join, not a subquery per row."""
    placement = f"{unit_ref}__placements"
    d = F(day) if isinstance(day, str) else day
    if day_before:
        on_day = Q(**{f"{placement}__start__lt": d}) & (
            Q(**{f"{placement}__end__isnull": True}) | Q(**{f"{placement}__end__gte": d}))
    else:
        on_day = Q(**{f"{placement}__start__lte": d}) & (
            Q(**{f"{placement}__end__isnull": True}) | Q(**{f"{placement}__end__gt": d}))
    return rows.filter(on_day & under(unit, f"{placement}__path")).annotate(at=F(f"{placement}__path"))


_PATH_LENGTH = UnitPlacement._meta.get_field("path").max_length


def _last_under(path: str) -> str:
    """The greatest path that starts with `path` (paths are digits and capitals): a range
    both databases answer from the path index, where a LIKE may scan."""
    return path + "Z" * (_PATH_LENGTH - len(path))


def under(unit: OrgUnit, field: str = "at") -> Q:
    """Rows whose placed path (`field`) lay under `unit` as it stood then."""
    q = Q()
    for path in epochs(unit):
        if field.endswith("path"):  # a column: the range reads its index
            q |= Q(**{f"{field}__gte": path, f"{field}__lte": _last_under(path), f"{field}__startswith": path})
        else:  # an annotation (a subquery): tested once
            q |= Q(**{f"{field}__startswith": path})
    return q


def under_sql(column: str, unit: OrgUnit) -> tuple[str, list]:
    """`under` for hand-written SQL: the condition on `column` and its parameters."""
    paths = epochs(unit)
    one = f"({column} >= %s AND {column} <= %s AND {column} LIKE %s)"
    return "(" + " OR ".join([one] * len(paths)) + ")", [x for p in paths for x in (p, _last_under(p), p + "%")]


def belonged(member, unit: OrgUnit, start: datetime.date, end: datetime.date) -> bool:
    """Whether `member` was a member under `unit`, as the tree stood then, on some day from
    `start` to `end`: the test every fact recorded about a member passes."""
    from dangvu.orgs.models import MemberSpan

    # the placement overlaps the days asked and the stretch itself: all three share a day
    placed_then = (UnitPlacement.objects.filter(under(unit, "path"), unit=OuterRef("unit"), start__lte=end)
                   .filter(Q(end__isnull=True) | (Q(end__gt=start) & Q(end__gt=OuterRef("start"))))
                   .filter(start__lt=Coalesce(OuterRef("end"), Value(datetime.date.max))))
    return (MemberSpan.objects.filter(member=member, start__lte=end).filter(Q(end__isnull=True) | Q(end__gt=start))
            .exclude(end=F("start")).filter(Exists(placed_then)).exists())


def check_belonged(member, unit: OrgUnit, start: datetime.date, end: datetime.date, field: str = "member") -> None:
    """Refuse a fact about `member` dated when they did not belong under `unit`, naming the
    member and the dates."""
    if not belonged(member, unit, start, end):
        days = start.strftime("%d/%m/%Y") if start == end else (
            f"{start.strftime('%d/%m/%Y')}–{end.strftime('%d/%m/%Y')}")
        raise ValidationError({field: _("%(name)s was not a member of %(unit)s on %(days)s.")
                               % {"name": member.full_name, "unit": unit.name, "days": days}})


def units_ever_around(unit: OrgUnit):
    """A subquery: the ids of units that were above `unit`, the unit itself or under it at
    some time (campaigns reaching it are addressed to one of them)."""
    return UnitPlacement.objects.filter(under(unit, "path") | Q(path__in=_paths_above(unit))).values("unit_id")


def units_ever_under(unit: OrgUnit):
    """A subquery: the ids of units that were under `unit` at some time (for index-friendly
    narrowing before the exact, dated test)."""
    return UnitPlacement.objects.filter(under(unit, "path")).values("unit_id")


def translation(unit: OrgUnit) -> rollup.PlacedTree:
    """How the roll-up under `unit` names the units of placement paths: by today's paths (read
    when first needed; lib/measures.dated puts it in a measure's Query)."""
    return rollup.PlacedTree(root=unit.path, load=lambda: dict(
        UnitPlacement.objects.filter(under(unit, "path")).values_list("path", "unit__path")))
