"""The unit dashboard: every registered measure the user may read, for the unit and its
sub-units, with the previous period beside; each number links to its rows."""

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.figures.access import get_measure_for_user
from dangvu.figures.selectors import children_in, dashboard_levels, figures_table, joined_stamp, period_from
from dangvu.lib import measures
from dangvu.lib.keys import UNITS_READ
from dangvu.lib.periods import Period, year_asked
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.views import breadcrumbs


def _period(request) -> tuple[Period, str]:
    """?year=2025, ?year=2025&quarter=2, or ?from=…&to=… (dd/mm/yyyy or yyyy-mm-dd); this year by default."""
    get = request.GET
    try:
        if get.get("from") or get.get("to"):
            return period_from(_date(get.get("from")), _date(get.get("to"))), ""
        year, problem = year_asked(get.get("year"), timezone.localdate().year)
        if get.get("quarter") in ("1", "2", "3", "4"):
            return Period.quarter(year, int(get["quarter"])), problem
        return Period.year(year), problem
    except (ValueError, ValidationError):
        return Period.year(timezone.localdate().year), _("The period asked for is not valid; this year is shown.")


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise ValueError(text)


def dashboard(request, pk):
    unit = get_unit_for_user(request, pk, UNITS_READ)
    period, problem = _period(request)
    if request.GET.get("format") == "xlsx":
        return _by_sub_unit_xlsx(request, unit, period)
    children = children_in(unit, period)
    sub_units = len(children)
    levels = dashboard_levels(children)
    table = figures_table(request, unit, period, levels=levels, children=children)
    before = figures_table(request, unit, period.previous(), levels=0)
    areas = []
    for area, label in measures.AREAS.items():
        rows = [(m, table.value(m), before.value(m), [(c, table.value(m, c)) for c in table.children])
                for m in table.measures if m.area == area]
        if rows:
            areas.append((label, rows))
    from dangvu.targets.services import targets_on, targets_set

    readable = {m.key for m in table.measures}
    return render(request, "figures/dashboard.html", {
        "from_above": targets_on(unit, readable), "targets_set": targets_set(unit, period, readable),
        "unit": unit, "period": period, "previous": period.previous(), "areas": areas, "children": table.children,
        "problem": problem, "query": _query(period), "years": range(timezone.localdate().year, 2019, -1),
        "participants": any(m.key == "study.participants" for m in table.measures),
        "sub_units": sub_units, "too_many": not levels,
        "quarter": request.GET.get("quarter", ""), "stamp": joined_stamp(table, before),
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def _by_sub_unit_xlsx(request, unit, period: Period):
    """Every figure the user may read, for the unit and each sub-unit: one row a unit."""
    table = figures_table(request, unit, period)
    headers = [_("Unit")] + [f"{m.label} ({m.unit})" for m in table.measures]
    rows = ([u.name] + [_cell(table.value(m, u), m) for m in table.measures] for u in [unit] + table.children)
    return xlsx_response(f"so-lieu-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx", str(unit.name),
                         headers, rows)


def _cell(value, measure):
    return float(value.value) if measure.rate else int(value.value)


def _query(period: Period) -> str:
    return f"from={period.start.isoformat()}&to={period.end.isoformat()}"


def figure_rows(request, pk, key):
    unit, measure = get_measure_for_user(request, pk, key)
    period, problem = _period(request)
    rows = measure.rows(unit, period)
    headers = [str(c.header) for c in measure.columns]
    if request.GET.get("format") == "xlsx":
        data = ([c.get(row) for c in measure.columns] for row in (rows.iterator(2000) if hasattr(rows, "iterator") else rows))
        return xlsx_response(f"{key}-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
                             str(measure.label), headers, data)
    value = figures_table(request, unit, period, [key]).value(measure)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "figures/rows.html", {
        "unit": unit, "measure": measure, "period": period, "value": value, "headers": headers, "problem": problem,
        "page": page, "cells": [[c.shown(row) for c in measure.columns] for row in page], "query": _query(period),
        "has_children": unit.numchild > 0,
        "breadcrumbs": breadcrumbs(request, unit) + [unit]})


def figure_chart(request, pk, key):
    """The figure for the unit and each sub-unit as bars (a rate against 100%): the same
    picture the report will carry."""
    from django.http import HttpResponse

    from dangvu.lib.charts import Bars, lowest_and_highest, png

    unit, measure = get_measure_for_user(request, pk, key)
    period, _problem = _period(request)
    table = figures_table(request, unit, period, [key])
    children, note = lowest_and_highest([(u.name, float(table.value(measure, u).value)) for u in table.children])
    bars = [(unit.name, float(table.value(measure).value))] + children
    chart = Bars(title=f"{measure.label} · {period.label}" + (f" · {note}" if note else ""),
                 labels=[name for name, _ in bars], values=[v for _, v in bars], unit=str(measure.unit),
                 out_of=100 if measure.rate else None)
    response = HttpResponse(png(chart), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


TREND_YEARS = 5


def trend(unit, measure, last_year: int) -> list[tuple[int, float]]:
    """The unit's figure for each of the TREND_YEARS whole years up to `last_year`."""
    out = []
    for year in range(last_year - TREND_YEARS + 1, last_year + 1):
        values = measures.compute_all(unit, Period.year(year), [measure], levels=0)[measure.key]
        out.append((year, float(measures.value_at(values, unit.path, measure).value)))
    return out


def figure_trend(request, pk, key):
    """The unit's figure over the last five years (to the year asked for), as bars."""
    from django.http import HttpResponse

    from dangvu.lib.charts import Bars, png

    unit, measure = get_measure_for_user(request, pk, key)
    period, _problem = _period(request)
    points = trend(unit, measure, period.end.year)
    chart = Bars(title=f"{measure.label} · {unit.name}", labels=[str(y) for y, _v in points],
                 values=[v for _y, v in points], unit=str(measure.unit), out_of=100 if measure.rate else None)
    response = HttpResponse(png(chart), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
