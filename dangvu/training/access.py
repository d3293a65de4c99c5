"""Fetching classes for a user, clipped to what their scope covers (the study keys: training is
part of the study area of a committee's work)."""

from dangvu.lib.keys import STUDY_READ
from dangvu.orgs.scope import fetch_in_scope
from dangvu.training.models import TrainingClass


def get_class_for_user(request, pk, key: str = STUDY_READ) -> TrainingClass:
    return fetch_in_scope(request, TrainingClass.objects.select_related("unit", "programme"), pk, key)
