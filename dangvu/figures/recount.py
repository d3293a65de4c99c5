"""The worker's side of the figure store (figures/store.py): after a committed change, the
kept figures it touches are counted again, once, top units first; and the figures the top
units' offices open first are counted before anyone asks (after `refresh_figures`).
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q
from django.dispatch import receiver
from django.utils import timezone

from dangvu.audit.services import figures_changed
from dangvu.figures import store
from dangvu.figures.models import StoredFigure
from dangvu.jobs import runner
from dangvu.jobs.models import Job
from dangvu.lib import measures
from dangvu.lib.periods import Period
from dangvu.orgs.placements import paths_of_units

logger = logging.getLogger(__name__)
KIND = "figures.recount"
RECENT_DAYS = 90  # campaigns of this year, or ended this recently, have their pages counted ahead
CAMPAIGNS = 20
LAG = store.MANY // 10  # changes a kept row far from them may lag behind before it is told


def queue(after: float = 0) -> bool:
    """Queue the recount unless one is waiting already (it will cover what this one would):
    whether one was queued."""
    if Job.objects.filter(kind=KIND, status=Job.Status.QUEUED).exists():
        return False
    runner.enqueue(KIND, 0, after=after)
    return True


@receiver(figures_changed)
def queue_recount(sender, **kwargs) -> None:
    """One recount waiting at a time: changes made while it waits are covered by it. It starts
    FIGURE_RECOUNT_AFTER seconds after the first change (a secretary marking forty names, an
    import: one count covers the burst)."""
    if not getattr(settings, "FIGURE_RECOUNT", True):
        return
    try:
        queue(after=settings.FIGURE_RECOUNT_AFTER)
    except Exception:  # the change is committed whatever happens here: pages count for themselves
        logger.exception("Could not queue the recount of figures")


def recount_touched(progress=None) -> int:
    """Count again every kept figure a change touched since its count (those with no recipe
    are forgotten instead, counted when next asked): how many were counted again."""
    from dangvu.orgs.models import OrgUnit

    today = timezone.localdate()
    seen, unseen = store.horizon()  # every change committed by now is among those read below
    kept = StoredFigure.objects.aggregate(oldest=Min("seen"), last=Max("pk"))
    if kept["last"] is None:
        return 0
    # rows kept after this point are left to the next run: their unseen ids are not read here
    existing = StoredFigure.objects.filter(pk__lte=kept["last"])
    waiting = {i for ids in existing.exclude(unseen=[]).values_list("unseen", flat=True) for i in ids}
    changes = store.changes_after(kept["oldest"], waiting)
    # Only the units a change names above or below can have a touched figure: their rows are
    # read, not the store's hundreds of thousands (a province keeps every committee's figures).
    paths = paths_of_units(set(existing.values_list("unit_id", flat=True).distinct()))
    near = {unit_id: store.near(changes, unit_paths) for unit_id, unit_paths in paths.items()}
    near = {unit_id: found for unit_id, found in near.items() if found}
    stale = Q(period_end__gte=today, as_of__lt=today)  # an open period counted on an earlier day
    rows = list(existing.filter(Q(unit_id__in=list(near)) | stale).only(
        "pk", "name", "unit_id", "period_start", "period_end", "recipe", "seen", "unseen", "as_of")
        .annotate(stale=ExpressionWrapper(stale, output_field=BooleanField())))
    touched = [r for r in rows if r.stale or store.touching(r, near.get(r.unit_id, []), paths[r.unit_id])]
    # The others are true as of now: they have seen every change so far. Those far behind are
    # told so, so that the changes looked at next time start from here (not from the oldest
    # row's count, a week ago); rewriting the rest each time would cost more than the reading
    # it saves (300,000 kept rows: 4.5 s a recount, against a few hundred changes read again).
    far_behind = existing.filter(Q(seen__lt=seen - LAG) | ~Q(unseen=[]))
    far_behind.exclude(Q(unit_id__in=list(near)) | stale).update(seen=seen, unseen=unseen)
    untouched = {r.pk for r in rows if r.seen < seen} - {r.pk for r in touched}
    ids = sorted(untouched)
    for n in range(0, len(ids), 5000):
        StoredFigure.objects.filter(pk__in=ids[n:n + 5000], seen__lt=seen).update(seen=seen, unseen=unseen)
    StoredFigure.objects.filter(pk__in=[r.pk for r in touched if not r.recipe]).delete()
    units = OrgUnit.objects.in_bulk({r.unit_id for r in touched if r.recipe})
    groups: dict[measures.Query, list[str]] = defaultdict(list)  # the queries asked again, and their measures
    for r in touched:
        if r.recipe and r.unit_id in units:
            q = measures.Query.from_recipe(units[r.unit_id], Period(r.period_start, r.period_end), r.recipe)
            groups[q].append(r.recipe["measure"])
    ordered = sorted(groups, key=lambda q: (q.unit.depth, -q.period.end.toordinal()))
    counted = 0
    for done, q in enumerate(ordered):
        if progress is not None:
            progress(done, len(ordered), "figures")
        chosen = [m for m in map(measures.get, groups[q]) if m is not None]
        if chosen:  # none: measures since removed (an empty list would ask for every one)
            with store.counting_now():
                measures.figures_for(q, chosen)
        counted += len(chosen)
    if progress is not None:
        progress(len(ordered), len(ordered), "figures")
    return counted


runner.register(KIND, lambda job, progress: recount_touched(progress), retry=True)


def warm_top_units(today: datetime.date | None = None) -> int:
    """Count again what the offices of the units at the top of the tree open first: the
    number of units warmed."""
    from dangvu.orgs.models import OrgUnit

    today = today or timezone.localdate()
    roots = [u for u in OrgUnit.objects.get_root_nodes() if u.valid_to is None or u.valid_to >= today]
    for unit in roots:
        warm_unit(unit, today)
    return len(roots)


def warm_unit(unit, today: datetime.date) -> None:
    from dangvu.figures.selectors import children_in, dashboard_levels
    from dangvu.study.selectors import (
        campaign_by_unit,
        campaign_list_figures,
        campaigns_for_unit,
        session_figures,
        year_summary,
    )

    year = Period.year(today.year)
    measures.compute_all(unit, year, levels=dashboard_levels(children_in(unit, year)))
    measures.compute_all(unit, year.previous(), levels=0)
    campaigns = list(campaigns_for_unit(unit).order_by("-start", "-id")[:100])
    campaign_list_figures(campaigns, unit)
    year_summary(unit, max([c.start.year for c in campaigns] + [today.year]))
    recent = [c for c in campaigns if c.unit_id == unit.pk and c.cancelled_on is None
              and (c.start.year == today.year or c.end >= today - datetime.timedelta(days=RECENT_DAYS))]
    for campaign in recent[:CAMPAIGNS]:
        campaign_by_unit(campaign, unit)
        session_figures(campaign, unit)
