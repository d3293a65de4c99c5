"""What the dashboard, its rows pages and the figures API show: registered measures
only, for the measures the user may read at the unit."""

import dataclasses
import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.lib import measures
from dangvu.lib.measures import Measure, Value, value_at
from dangvu.lib.periods import FIRST_YEAR, LAST_YEAR, Period
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.placements import children_during
from dangvu.orgs.scope import scope_for

FIRST_DAY, LAST_DAY = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)


def period_from(start: datetime.date | None, end: datetime.date | None) -> Period:
    """The period asked for; the current calendar year by default. Refusals name the field."""
    year = Period.year(timezone.localdate().year)
    start, end = start or (year.start if end is None else datetime.date(end.year, 1, 1)), end or year.end
    for name, day in (("from", start), ("to", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError({name: _("The date must lie between %(first)s and %(last)s.")
                                   % {"first": FIRST_YEAR, "last": LAST_YEAR}})
    if start > end:
        raise ValidationError({"from": _("The start of the period is after its end.")})
    return Period(start, end)


def readable_measures(request, unit: OrgUnit) -> list[Measure]:
    return measures.readable(scope_for(request), unit.path)


def children_in(unit: OrgUnit, period: Period) -> list[OrgUnit]:
    """Sub-units that stood under the unit at some time in the period (merged ones show for
    past years, a cell moved in only from then)."""
    return children_during(unit, period.start, period.end)


# Beyond this many sub-units the dashboard shows the unit's own figures (a province's thousand
# sub-units as columns help nobody); the table by sub-unit is the .xlsx.
CHILD_COLUMNS = 40


def dashboard_levels(children: list[OrgUnit]) -> int:
    """1: the unit and its sub-units as columns; 0: the unit alone."""
    return 1 if len(children) <= CHILD_COLUMNS else 0


@dataclass
class Table:
    unit: OrgUnit
    period: Period
    measures: list[Measure]
    values: dict[str, dict[str, Value]]
    children: list[OrgUnit]

    def value(self, measure: Measure, unit: OrgUnit | None = None) -> Value:
        return value_at(self.values[measure.key], (unit or self.unit).path, measure)

    @property
    def stamp(self):
        """When the figures were counted (figures/store.Stamp), None when counted for this page."""
        return getattr(self.values, "stamp", None)


def joined_stamp(main: Table, *beside: Table):
    """One line for a page showing several tables: the oldest count, whether any is being
    counted again, and whether the main table's period (a closed one) was counted again."""
    stamps = [t.stamp for t in (main, *beside) if t.stamp is not None]
    if not stamps:
        return None
    return dataclasses.replace(functools.reduce(lambda a, b: a.join(b), stamps),
                               recounted_for=main.stamp.recounted_for if main.stamp else None)


def figures_table(request, unit: OrgUnit, period: Period, keys: list[str] | None = None,
                  levels: int = 1, children: list[OrgUnit] | None = None) -> Table:
    """The figures the user may read for the unit and (levels=1) its sub-units (`children`
    when the caller already has them), or the unit alone."""
    chosen = [m for m in readable_measures(request, unit) if keys is None or m.key in keys]
    if levels and children is None:
        children = children_in(unit, period)
    return Table(unit, period, chosen, measures.compute_all(unit, period, chosen, levels=levels),
                 children if levels else [])
