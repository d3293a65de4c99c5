"""A unit and one of its figures, for a user: the unit through the scope, the figure only
if the user holds the measure's key there (404 outside, 403 inside without it)."""

from django.http import Http404

from dangvu.lib import measures
from dangvu.lib.keys import UNITS_READ
from dangvu.lib.measures import Measure
from dangvu.orgs.access import get_unit_for_user
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import check_path


def get_measure_for_user(request, pk, key: str) -> tuple[OrgUnit, Measure]:
    unit = get_unit_for_user(request, pk, UNITS_READ)
    measure = measures.get(key)
    if measure is None:
        raise Http404
    check_path(request, unit.path, measure.permission)
    return unit, measure
