"""Background work for figures: counting the top units' figures again after a change."""

from django.tasks import task

from dangvu.figures.warm import warm_top_units


@task()
def warm_figures() -> None:
    warm_top_units()
