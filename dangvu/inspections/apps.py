from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "dangvu.inspections"
    verbose_name = _("Inspections and supervision")

    def ready(self):
        from dangvu.inspections import measures  # noqa: F401  (registers the measures)
