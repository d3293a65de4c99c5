"""Targets for a user: read by those who read the setter's unit and the figure it is on
(attainment shows every unit's value); set by holders of targets:write."""

from django.http import Http404

from dangvu.lib import measures
from dangvu.lib.keys import UNITS_READ
from dangvu.orgs.scope import check_path, fetch_in_scope
from dangvu.targets.models import Target


def get_target_for_user(request, pk) -> Target:
    target = fetch_in_scope(request, Target.objects.select_related("unit"), pk, UNITS_READ)
    measure = measures.get(target.measure)
    if measure is None:
        raise Http404
    check_path(request, target.unit.path, measure.permission)
    return target
