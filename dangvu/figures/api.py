"""The figures API: the registered measures, a unit's figures with its sub-units', and
the rows behind a figure. A stable contract: other tools read it."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from dangvu.figures.access import get_measure_for_user
from dangvu.figures.selectors import figures_table, period_from
from dangvu.lib import measures
from dangvu.lib.api import Day, Id, Paginated
from dangvu.lib.keys import UNITS_READ
from dangvu.orgs.access import get_unit_for_user

router = Router(tags=["figures"])
DateFrom = Annotated[Day | None, Query(alias="from", description="first day; default 1 January")]
DateTo = Annotated[Day | None, Query(alias="to", description="last day, the day of 'as of' figures")]


class MeasureOut(Schema):
    key: str
    label: str
    unit: str
    definition: str


def _figure(value) -> dict:
    return {"value": value.value, "numerator": value.numerator, "denominator": value.denominator}


@router.get("/measures", response=list[MeasureOut])
def list_measures(request):
    """Every registered measure: its key, Vietnamese label, counting unit and definition."""
    return [{"key": m.key, "label": str(m.label), "unit": str(m.unit), "definition": str(m.definition)}
            for m in measures.all_measures()]


@router.get("/units/{unit_id}/figures", response=dict, by_alias=True)
def unit_figures(request, unit_id: Id, date_from: DateFrom = None,
                 date_to: DateTo = None):
    """Every measure the caller may read, for the unit and each sub-unit, over `from`–`to`
    (default: the current calendar year); "as of" figures are on `to`."""
    unit = get_unit_for_user(request, unit_id, UNITS_READ)
    period = period_from(date_from, date_to)
    table = figures_table(request, unit, period)
    return {"unit": unit.pk, "from": period.start, "to": period.end,
            "figures": {m.key: _figure(table.value(m)) for m in table.measures},
            "children": [{"unit": c.pk, "name": c.name,
                          "figures": {m.key: _figure(table.value(m, c)) for m in table.measures}}
                         for c in table.children]}


@router.get("/units/{unit_id}/figures/{key}/rows", response=list[dict])
@paginate(Paginated)
def figure_rows(request, unit_id: Id, key: str, date_from: DateFrom = None,
                date_to: DateTo = None):
    """The rows behind one figure of the unit (members, essays, sessions…), each with its id."""
    if measures.get(key) is None:
        get_unit_for_user(request, unit_id, UNITS_READ)  # 404 first for a unit outside the scope
        raise ValidationError({"key": _("There is no figure “%(key)s”; GET /api/measures lists them.")
                               % {"key": key[:60]}})
    try:
        unit, measure = get_measure_for_user(request, unit_id, key)
    except PermissionDenied:
        raise Http404 from None  # a figure the caller may not read is one that does not exist for them
    return LazyRows(measure, measure.rows(unit, period_from(date_from, date_to)))


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if value is None or isinstance(value, int | float | bool) else str(value)


class LazyRows:
    """The rows as the paginator slices them: only the page asked for is turned into JSON."""

    def __init__(self, measure, rows):
        self.measure, self.rows = measure, rows

    def __len__(self):
        return self.rows.count() if hasattr(self.rows, "count") and not isinstance(self.rows, list) else len(self.rows)

    def __getitem__(self, part: slice):
        return [dict({"id": self.measure.row_id(row)}, **{c.name: _plain(c.get(row)) for c in self.measure.columns})
                for row in self.rows[part]]
