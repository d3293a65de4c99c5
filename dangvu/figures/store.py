"""Figures kept per unit and period: counted once, kept in a row, counted again only when a
change touches them.

A change is an audit entry. Every service records one in its own transaction, naming the
units whose figures it can alter and the first day it alters (audit.services.audit_record);
nothing here reads SQL. A kept row (StoredFigure) holds a figure's values for a unit and its
subtree over a period, and the last change its count saw. A later change touches the row
when one of its units stood, at any time, above or below the row's unit (the tree is dated:
a cell moved since still touches the commune it was in), and its first day falls in the
period or before. A reorganisation touches every row: values are keyed by today's paths.

A touched row is counted again by the worker (figures/recount.py), once, for the units above
the change and the periods it reaches. Until then an open period's page shows the kept
values and when they were counted, for at most FIGURE_DELAY seconds after the change; later
than that the worker is behind and the page counts them itself. A closed period's row is a
snapshot: counted again only for a change dated in it, and it then says when.

Inside a transaction nothing is read from or kept in the store (its own writes are not
committed). Changes made outside dangvu (psql, a restore): `dangvu refresh_figures`.
"""

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from dangvu.audit.models import AuditEntry
from dangvu.figures.models import StoredFigure
from dangvu.lib.measures import Ask
from dangvu.lib.periods import Period
from dangvu.orgs.models import UnitPlacement
from dangvu.orgs.placements import paths_of_units

RESHAPING = (AuditEntry.Action.MOVE, AuditEntry.Action.MERGE, AuditEntry.Action.SPLIT)
# The areas of figures a change to an app's rows can alter. The areas' measures read their own
# app's rows and the tree and people (orgs), so a change to anything else alters every area. The
# essays' figures (a measure's `source`) read the campaigns and the essays; the rest of study's
# read no essay, so an essay handed in leaves them kept.
AREAS_OF_APP = {"study": frozenset({"study", "essays"}), "essays": frozenset({"essays"}),
                "documents": frozenset({"documents"}),
                "inspections": frozenset({"inspections"}), "training": frozenset({"training"}),
                "evaluation": frozenset({"evaluation"}), "meetings": frozenset({"meetings"})}
IN_FLIGHT = 200  # the newest ids below which a change may still be uncommitted when a count begins
MANY = 2000  # beyond this many changes since a count, it is counted again without looking at them
CLAIM_SECONDS = 300  # a claim to count older than this was abandoned (the process died)

_counting_now: ContextVar[bool] = ContextVar("figures_counting_now", default=False)


@contextmanager
def counting_now():
    """The worker: a touched row is counted, never served as it was."""
    token = _counting_now.set(True)
    try:
        yield
    finally:
        _counting_now.reset(token)


@dataclass(frozen=True)
class Change:
    id: int
    at: datetime.datetime
    paths: frozenset[str]  # every path the units it names ever had
    first_day: datetime.date | None  # None: any day
    everywhere: bool = False  # a reorganisation
    areas: frozenset | None = None  # the areas of figures it can alter; None: all

    def touches(self, root_paths: Iterable[str], period_end: datetime.date, area: str = "") -> bool:
        if self.first_day is not None and self.first_day > period_end:
            return False
        if self.areas is not None and area not in self.areas:
            return False
        return self.near(root_paths)

    def near(self, root_paths: Iterable[str]) -> bool:
        """Whether it names a unit above or below (or at) one of these paths."""
        return self.everywhere or any(p.startswith(r) or r.startswith(p) for p in self.paths for r in root_paths)


@dataclass
class Stamp:
    """When the figures a page shows were counted, and what the page says about it."""
    counted_at: datetime.datetime
    updating: bool = False  # a change since is being counted by the worker
    recounted_for: datetime.datetime | None = None  # a closed period counted again after a late change

    def join(self, other: "Stamp") -> "Stamp":
        later = [t for t in (self.recounted_for, other.recounted_for) if t is not None]
        return Stamp(min(self.counted_at, other.counted_at), self.updating or other.updating,
                     max(later) if later else None)


def _key(ask: Ask) -> str:
    return hashlib.blake2b(repr((ask.name, *ask.parts)).encode(), digest_size=20).hexdigest()


def usable() -> bool:
    return getattr(settings, "FIGURE_STORE", True) and not connection.in_atomic_block


def horizon() -> tuple[int, list[int]]:
    """What a count beginning now sees: the newest change id, and the ids below it not yet
    committed (gaps among the newest: a transaction still open, or one rolled back)."""
    ids = list(AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)[:IN_FLIGHT])
    if not ids:
        return 0, []
    present = set(ids)
    return ids[0], [i for i in range(max(1, ids[0] - IN_FLIGHT + 1), ids[0]) if i not in present]


def changes_after(seen: int, unseen: Iterable[int]) -> list[Change]:
    """The changes altering figures made after a count that saw `seen` but not `unseen`."""
    entries = list(AuditEntry.objects.filter(alters_figures=True).filter(Q(pk__gt=seen) | Q(pk__in=list(unseen)))
                   .values_list("pk", "at", "model", "action", "unit_path", "figure_paths", "figures_from")[:MANY + 1])
    if len(entries) > MANY:
        return [Change(0, timezone.now(), frozenset(), None, everywhere=True)]
    named = {p for e in entries for p in [e[4], *e[5]]}
    history = defaultdict(set)
    for unit_path, path in UnitPlacement.objects.filter(unit__path__in=named).values_list("unit__path", "path"):
        history[unit_path].add(path)
    return [Change(pk, at, frozenset(p for name in [unit_path, *others] for p in history[name] | {name}),
                   first_day, everywhere=model == "orgs.orgunit" and action in RESHAPING,
                   areas=AREAS_OF_APP.get(model.split(".")[0]))
            for pk, at, model, action, unit_path, others, first_day in entries]


# Kept figures that are not measures, whose rows are read from another area than their name's:
# the campaign list holds the essays' columns beside who took part.
SOURCE_OF_FIGURE = {"study.campaign_list": "essays"}


def area_of(name: str) -> str:
    """The area of a kept figure: its measure's source (its area unless it says), or for
    another figure its SOURCE_OF_FIGURE, else the first word of its name."""
    from dangvu.lib import measures

    measure = measures.get(name)
    if measure is not None:
        return measure.source or measure.area
    return SOURCE_OF_FIGURE.get(name) or name.split(".")[0]


def near(changes: list[Change], root_paths: Iterable[str]) -> list[Change]:
    """The changes naming a unit above or below (or at) one of these paths, whatever the day
    and area: those that can touch a figure of the unit."""
    root_paths = list(root_paths)
    return [c for c in changes if c.near(root_paths)]


def touching(row, changes: list[Change], root_paths: Iterable[str]) -> list[Change]:
    """The changes made after the row's count that touch it."""
    unseen, area = set(row.unseen), area_of(row.name)
    return [c for c in changes
            if (c.id > row.seen or c.id in unseen) and c.touches(root_paths, row.period_end, area)]


def kept(unit, period: Period, asks: list[Ask]) -> tuple[list, Stamp]:
    """Each ask's values for the unit and period: kept, or counted (and kept)."""
    now, today = timezone.now(), timezone.localdate()
    if not usable():
        return [ask.compute() for ask in asks], Stamp(now)
    keys = [_key(ask) for ask in asks]
    rows = {r.key: r for r in StoredFigure.objects.filter(key__in=keys)}
    changes = changes_after(min(r.seen for r in rows.values()), {i for r in rows.values() for i in r.unseen}) \
        if rows else []
    root_paths = paths_of_units([unit.pk])[unit.pk] if changes else []
    claimed: list[int] = []
    try:
        out, stamp, to_count, seen = _give(asks, keys, rows, changes, root_paths, period, now, today, claimed)
    except BaseException:
        StoredFigure.objects.filter(pk__in=claimed).update(counting_since=None)  # others may count them now
        raise
    if to_count:
        stamp = stamp.join(_keep(unit, period, to_count, seen, now, today))
    return out, stamp or Stamp(now)


def _give(asks, keys, rows, changes, root_paths, period, now, today, claimed: list):
    """Each ask's values, kept or counted (what `kept` does, the rows already read)."""
    delay = datetime.timedelta(seconds=settings.FIGURE_DELAY)
    out, stamp, to_count, seen = [], None, [], None
    for ask, key in zip(asks, keys, strict=True):
        row = rows.get(key)
        late = touching(row, changes, root_paths) if row is not None else []
        dated_today = row is not None and (row.as_of == today or row.as_of > period.end)
        fresh = dated_today and not late
        may_wait = (dated_today and late and not _counting_now.get() and period.end >= today
                    and min(c.at for c in late) > now - delay)
        if row is not None and not fresh and not may_wait:
            if _claim(row, now):
                claimed.append(row.pk)
            else:
                may_wait = True  # another process is counting it now
        if fresh or may_wait:
            out.append(ask.decode(row.values))
            # fresh: true of every change committed until now; kept past a change: as of its count
            shown = Stamp(now if fresh else row.counted_at, bool(may_wait),
                          row.recounted_for if period.end < today else None)
        else:
            seen = seen or horizon()  # before counting: a change committed later is looked at again
            values = ask.compute()
            out.append(values)
            to_count.append((ask, key, row, late, values))
            shown = Stamp(now, False, None)
        stamp = shown if stamp is None else stamp.join(shown)
    return out, stamp, to_count, seen


def _claim(row, now) -> bool:
    """Compare-and-swap: one process counts a touched row again, the others show it as it was."""
    stale = now - datetime.timedelta(seconds=CLAIM_SECONDS)
    return bool(StoredFigure.objects.filter(pk=row.pk).filter(Q(counting_since__isnull=True) |
                                                              Q(counting_since__lt=stale))
                .update(counting_since=now))


def _keep(unit, period: Period, counted: list, horizon_: tuple[int, list[int]], started: datetime.datetime,
          today: datetime.date) -> Stamp:
    """Keep what was just counted, under the horizon read before the count began."""
    seen, unseen = horizon_
    rows, recounted = [], None
    for ask, key, row, late, values in counted:
        redone = period.end < today and row is not None and any(not c.everywhere for c in late)
        when = max(c.at for c in late if not c.everywhere) if redone else (row.recounted_for if row else None)
        if period.end < today and when is not None:
            recounted = max(recounted or when, when)
        rows.append(StoredFigure(key=key, name=ask.name[:80], unit=unit, period_start=period.start,
                                 period_end=period.end, recipe=ask.recipe, values=ask.encode(values), as_of=today,
                                 counted_at=started, seen=seen, unseen=unseen, recounted_for=when,
                                 counting_since=None))
    StoredFigure.objects.bulk_create(rows, update_conflicts=True, unique_fields=["key"],
                                     update_fields=["values", "as_of", "counted_at", "seen", "unseen",
                                                    "recounted_for", "counting_since", "recipe"])
    return Stamp(started, False, recounted)


def forget_all() -> int:
    """Every kept figure forgotten (after changes made outside dangvu): how many."""
    return StoredFigure.objects.all().delete()[0]
