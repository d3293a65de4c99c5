"""After a change, the figures the top units' offices open first are counted again in the
background (the worker), so that a province's dashboard, campaign list and latest campaigns'
pages come from the cache rather than from a million rows while the officer waits.

The same selectors as the pages, with the same arguments: what is kept here is what they ask for.
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from dangvu.lib import measures
from dangvu.lib.figure_cache import changed
from dangvu.lib.periods import Period

logger = logging.getLogger(__name__)
QUEUED = "figures:warm-queued"
RECENT_DAYS = 90  # campaigns of this year, or ended this recently, have their pages warmed
CAMPAIGNS = 20


@receiver(changed)
def queue_warm(sender, **kwargs) -> None:
    """One warm-up waiting at a time: changes while one waits are covered by it."""
    if getattr(settings, "FIGURE_WARM", True) and cache.add(QUEUED, 1, 3600):
        from dangvu.figures.tasks import warm_figures

        try:
            # changes come in bursts (a secretary marking forty names, an import): the warm-up
            # waits a little after the first so that one counting covers the burst
            delay = datetime.timedelta(seconds=settings.FIGURE_WARM_DELAY)
            warm_figures.using(run_after=timezone.now() + delay).enqueue()
        except Exception:  # the change is committed whatever happens here: pages count for themselves
            cache.delete(QUEUED)
            logger.exception("Could not queue the warm-up of figures")


def warm_top_units(today: datetime.date | None = None) -> int:
    """Count again what the offices of the units at the top of the tree open first: the
    number of units warmed."""
    from dangvu.orgs.models import OrgUnit

    cache.delete(QUEUED)  # a change from now on queues the next warm-up
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
